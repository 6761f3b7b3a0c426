package app

import (
	"bytes"
	"compress/gzip"
	"net"
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
	if a.noCompress || len(body) < gzipMin || !acceptsGzip(c.Request()) || sameMachineHTMX(c.Request()) {
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

// sameMachineHTMX reports an htmx request (a preview as the user types)
// from a browser on this machine, talking to the wizard directly: there
// gzip costs more time (about 0.5 ms per preview) than the bytes it saves
// on loopback. Anything that looks like a proxy in between keeps gzip: a
// forwarding header, a Host that is not a loopback name, or HTTP/1.0
// (nginx's default proxy_pass).
func sameMachineHTMX(r *http.Request) bool {
	if r.Header.Get("HX-Request") != "true" || !r.ProtoAtLeast(1, 1) {
		return false
	}
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Via"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return isLoopback(r.RemoteAddr) && isLoopback(r.Host)
}

// isLoopback reports a host or host:port on this machine.
func isLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
