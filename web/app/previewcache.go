package app

import (
	"container/list"
	"slices"
	"sync"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// filesCache keeps the generated files of the last few previewed plans,
// keyed by the plan's JSON (the preview's hidden "shown" field), so the
// next keystroke marks changed lines against them without generating the
// previous plan's bundle again. It is bounded by entries and by bytes and
// safe for concurrent use. Cached files are never modified.
type filesCache = lru[[]bundle.File]

func newFilesCache(max, maxBytes int) *filesCache {
	return newLRU(max, maxBytes, func(files []bundle.File) int {
		size := 0
		for _, f := range files {
			size += len(f.Path) + len(f.Content)
		}
		return size
	})
}

// lru is a least-recently-used cache bounded by entries and by bytes
// (keys and sizeOf of values), safe for concurrent use.
type lru[V any] struct {
	mu       sync.Mutex
	max      int // entries
	maxBytes int
	sizeOf   func(V) int
	bytes    int
	order    *list.List // of *lruEntry[V], most recent first
	byKey    map[string]*list.Element
}

type lruEntry[V any] struct {
	key   string
	value V
	size  int
}

func newLRU[V any](max, maxBytes int, sizeOf func(V) int) *lru[V] {
	return &lru[V]{max: max, maxBytes: maxBytes, sizeOf: sizeOf, order: list.New(), byKey: make(map[string]*list.Element)}
}

// get returns the value cached for key.
func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry[V]).value, true
}

// put caches value under key, dropping the least recently used entries
// beyond the bounds. A value larger than the byte bound is not kept.
func (c *lru[V]) put(key string, value V) {
	size := len(key) + c.sizeOf(value)
	if size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&lruEntry[V]{key: key, value: value, size: size})
	c.bytes += size
	for c.order.Len() > c.max || c.bytes > c.maxBytes {
		el := c.order.Back()
		e := el.Value.(*lruEntry[V])
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.bytes -= e.size
	}
}

// lookup is get on a cache that may be nil (no cache).
func (c *lru[V]) lookup(key string) (V, bool) {
	if c == nil {
		var zero V
		return zero, false
	}
	return c.get(key)
}

// store is put on a cache that may be nil (no cache).
func (c *lru[V]) store(key string, value V) {
	if c != nil {
		c.put(key, value)
	}
}

// highlighted is a file's lines as highlight returns them. Cached lines
// are shared: a caller that marks lines changed works on a copy.
type highlighted struct {
	lines []templates.Line
	eol   bool
}

// highlightCache keeps highlighted files by path and content, so a
// keystroke highlights only the files it changed.
type highlightCache = lru[highlighted]

func newHighlightCache(max, maxBytes int) *highlightCache {
	return newLRU(max, maxBytes, func(h highlighted) int {
		size := 0
		for _, l := range h.lines {
			size += 32
			for _, t := range l.Tokens {
				size += 32 + len(t.Text)
			}
		}
		return size
	})
}

// highlightCached is highlight through cache (nil: none). The lines are
// the caller's to change.
func highlightCached(cache *highlightCache, name string, content []byte) ([]templates.Line, bool) {
	key := name + "\x00" + string(content)
	if h, ok := cache.lookup(key); ok {
		return slices.Clone(h.lines), h.eol
	}
	lines, eol := highlight(name, content)
	cache.store(key, highlighted{lines: slices.Clone(lines), eol: eol})
	return lines, eol
}

// The preview cache's bounds: a few concurrent editors' last plans, and at
// most this many bytes of generated files (a 100-node bundle is about 1 MB).
const (
	previewCacheEntries = 16
	previewCacheBytes   = 8 << 20
	// highlighted files: every file of a few plans (a bundle has 10–20
	// files, and most stay the same from one keystroke to the next).
	highlightCacheEntries = 256
	highlightCacheBytes   = 8 << 20
)

// previewCaches are the App's caches for POST /preview; nil is none.
type previewCaches struct {
	files     *filesCache
	highlight *highlightCache
}

func newPreviewCaches() *previewCaches {
	return &previewCaches{
		files:     newFilesCache(previewCacheEntries, previewCacheBytes),
		highlight: newHighlightCache(highlightCacheEntries, highlightCacheBytes),
	}
}

func (c *previewCaches) filesCache() *filesCache {
	if c == nil {
		return nil
	}
	return c.files
}

func (c *previewCaches) highlightCache() *highlightCache {
	if c == nil {
		return nil
	}
	return c.highlight
}
