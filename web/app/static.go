package app

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/static"
	"github.com/tentacle-ha-wizard/wizard/templates"
)

// assets serves the files of package static. Pages link them with a
// content hash in the query, so browsers may cache them for a year. Hashes
// and compressed copies are made on first use, not at start-up: a Worker
// starts a fresh instance for every request.
type assets struct {
	boot  string
	forms bool
	once  sync.Once
	links templates.Assets
	mu    sync.Mutex
	gz    map[string][]byte
}

func newAssets(boot string, forms bool) *assets {
	return &assets{boot: boot, forms: forms, gz: map[string][]byte{}}
}

// urls are the versioned links every page uses.
func (s *assets) urls() templates.Assets {
	s.once.Do(func() {
		s.links = templates.Assets{
			CSS:  s.link("app.css"),
			JS:   s.link("app.js"),
			HTMX: s.link("vendor/htmx.min.js"),
			SSE:  s.link("vendor/sse.min.js"),
			Icon: s.link("favicon.svg"),
			Boot: s.boot,

			FormsServed: s.forms,
		}
	})
	return s.links
}

func (s *assets) link(name string) string {
	b, err := fs.ReadFile(static.FS, name)
	if err != nil {
		return "/static/" + name
	}
	sum := sha256.Sum256(b)
	return "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
}

// gzipped returns the compressed copy of a file, made once.
func (s *assets) gzipped(name string, body []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z, ok := s.gz[name]; ok {
		return z
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	s.gz[name] = buf.Bytes()
	return buf.Bytes()
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return echo.MIMEOctetStream
}

// handleStatic serves GET /static/:name and /static/vendor/:name from the
// embedded files.
func (a *App) handleStatic(c echo.Context) error {
	name := c.Param("name")
	if c.Path() == "/static/vendor/:name" {
		name = "vendor/" + name
	}
	if !fs.ValidPath(name) {
		return echo.ErrNotFound
	}
	body, err := fs.ReadFile(static.FS, name)
	if err != nil {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if c.QueryParam("v") != "" {
		h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		h.Set(echo.HeaderCacheControl, "no-cache")
	}
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if !a.noCompress && len(body) >= gzipMin && acceptsGzip(c.Request()) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = a.assets.gzipped(name, body)
	}
	return c.Blob(http.StatusOK, contentType(name), body)
}
