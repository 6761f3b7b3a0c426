package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// The first page is the same for every visitor: a new plan without a
// subscription id (the first post picks one, see subscription.go), so it
// is rendered and compressed once per app and answered from memory, as
// cheaply as a static file, with an ETag for revalidation.
type firstPage struct {
	once       sync.Once
	body, gz   []byte
	tag, gzTag string
	err        error
}

// build renders the page the first time it is asked for.
func (f *firstPage) build(a *App) error {
	f.once.Do(func() {
		p := plan.Plan{
			Version:  plan.Version,
			Topology: plan.UniqueAddress,
			Nodes:    make([]plan.Node, 3), // as newPlan
			Tentacle: plan.Tentacle{OS: plan.Linux, Kind: plan.Target},
		}
		in := &wizardInput{step: firstStep, plan: p, ids: boundID(p)}
		w, err := a.wizardView(in, outcome{step: firstStep, status: http.StatusOK})
		if err != nil {
			f.err = err
			return
		}
		var buf bytes.Buffer
		if f.err = wizardPage(w).Render(context.Background(), &buf); f.err != nil {
			return
		}
		f.body = buf.Bytes()
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		zw.Write(f.body)
		if f.err = zw.Close(); f.err != nil {
			return
		}
		f.gz = z.Bytes()
		sum := sha256.Sum256(f.body)
		f.tag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		f.gzTag = strings.TrimSuffix(f.tag, `"`) + `-gz"`
	})
	return f.err
}

// handleStart serves GET / (and HEAD): a new plan on the first step.
func (a *App) handleStart(c echo.Context) error {
	f := &a.first
	if err := f.build(a); err != nil {
		return err
	}
	body, tag := f.body, f.tag
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if !a.noCompress && acceptsGzip(c.Request()) {
		body, tag = f.gz, f.gzTag
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set("ETag", tag)
	h.Set(echo.HeaderCacheControl, "no-cache")
	if etagMatches(c.Request().Header.Get("If-None-Match"), tag) {
		h.Del(echo.HeaderContentEncoding)
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
}

// etagMatches reports whether an If-None-Match header names tag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}
