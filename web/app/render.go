package app

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
)

// Why not echo's Gzip middleware: it would cost the browser's .wasm the same
// middleware package (see middleware.go) and wraps every answer's writer;
// writeBody compresses only whole bodies over gzipMin, with compressors
// from a pool, and NoCompress turns it off where an edge compresses (the
// Worker).

// gzipMin is the smallest answer worth compressing.
const gzipMin = 1400

// render writes a component as the whole answer. It renders into memory
// first, so a failed render still becomes a clean internal error.
func (a *App) render(c echo.Context, status int, comp templ.Component) error {
	buf := a.buffers.Get().(*bytes.Buffer)
	defer a.buffers.Put(buf)
	buf.Reset()
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return a.writeBody(c, status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}

// writeBody writes body, gzip-compressed when the client takes it.
// Compressors are reused: each holds about a megabyte of tables.
func (a *App) writeBody(c echo.Context, status int, ctype string, body []byte) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if a.noCompress || len(body) < gzipMin || !acceptsGzip(c.Request()) {
		return c.Blob(status, ctype, body)
	}
	z := a.buffers.Get().(*bytes.Buffer)
	defer a.buffers.Put(z)
	z.Reset()
	var zw *gzip.Writer
	select {
	case zw = <-a.gzippers:
		zw.Reset(z)
	default:
		zw, _ = gzip.NewWriterLevel(z, gzip.BestSpeed)
	}
	defer func() {
		select {
		case a.gzippers <- zw:
		default:
		}
	}()
	if _, err := zw.Write(body); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	h.Set(echo.HeaderContentEncoding, "gzip")
	return c.Blob(status, ctype, z.Bytes())
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get(echo.HeaderAcceptEncoding), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// page is the common part of every page.
func (a *App) page(title string) templates.Page {
	if title == "" {
		title = "Tentacle HA Wizard"
	} else {
		title += " · Tentacle HA Wizard"
	}
	return templates.Page{Title: title, Assets: a.assets.urls(), CSRF: a.host.csrf()}
}
