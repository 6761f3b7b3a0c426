package app

import (
	"container/list"
	"sync"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// filesCache keeps the generated files of the last few previewed plans,
// keyed by the plan's JSON (the preview's hidden "shown" field), so the
// next keystroke marks changed lines against them without generating the
// previous plan's bundle again. It is bounded by entries and by bytes and
// safe for concurrent use. Cached files are never modified.
type filesCache struct {
	mu       sync.Mutex
	max      int // entries
	maxBytes int // sum of keys and contents
	bytes    int
	order    *list.List // of *filesEntry, most recent first
	byKey    map[string]*list.Element
}

type filesEntry struct {
	key   string
	files []bundle.File
	size  int
}

func newFilesCache(max, maxBytes int) *filesCache {
	return &filesCache{max: max, maxBytes: maxBytes, order: list.New(), byKey: make(map[string]*list.Element)}
}

// get returns the files cached for key.
func (c *filesCache) get(key string) ([]bundle.File, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*filesEntry).files, true
}

// put caches files under key, dropping the least recently used entries
// beyond the bounds. A bundle larger than the byte bound is not kept.
func (c *filesCache) put(key string, files []bundle.File) {
	size := len(key)
	for _, f := range files {
		size += len(f.Path) + len(f.Content)
	}
	if size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&filesEntry{key: key, files: files, size: size})
	c.bytes += size
	for c.order.Len() > c.max || c.bytes > c.maxBytes {
		el := c.order.Back()
		e := el.Value.(*filesEntry)
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.bytes -= e.size
	}
}

// lookup is get on a cache that may be nil (no cache).
func (c *filesCache) lookup(key string) ([]bundle.File, bool) {
	if c == nil {
		return nil, false
	}
	return c.get(key)
}

// store is put on a cache that may be nil (no cache).
func (c *filesCache) store(key string, files []bundle.File) {
	if c != nil {
		c.put(key, files)
	}
}

// The preview cache's bounds: a few concurrent editors' last plans, and at
// most this many bytes of generated files (a 100-node bundle is about 1 MB).
const (
	previewCacheEntries = 16
	previewCacheBytes   = 8 << 20
)
