// Package web is the echo application every host of the wizard serves: the
// guided wizard pages, the live preview, the downloads and the HTTP API.
//
// It keeps no state between requests: the plan travels in every form post
// (a hidden field) and in share links (the URL fragment). It runs no
// process, touches no filesystem and opens no listener, so the same code
// can be compiled to js/wasm; hosts pass in what differs through Config.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"io"
	"log/slog"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// maxBody bounds every request body: a 256-node plan is far smaller.
const maxBody = 1 << 20

// Config is what a host gives the app.
type Config struct {
	// Logger receives request errors with their request id; nil discards.
	Logger *slog.Logger
	// Random is the source of subscription and request ids; nil means
	// crypto/rand.Reader.
	Random io.Reader
	// BootScript, when set, is a script every page loads before the
	// others: the static site's service-worker boot (wasm/browser/boot.js).
	BootScript string
}

// App holds what the handlers share. It has no per-request state.
type App struct {
	log    *slog.Logger
	random io.Reader
	check  *validator.Validate
	assets *assets
	// buffers and gzippers are reused between responses; compressors
	// are kept in a small free list, which garbage collection does not empty.
	buffers  sync.Pool
	gzippers chan *gzip.Writer
}

// New builds the echo application with every route.
func New(cfg Config) *echo.Echo {
	a := &App{log: cfg.Logger, random: cfg.Random, check: newValidator(), assets: newAssets(cfg.BootScript)}
	a.buffers.New = func() any { return new(bytes.Buffer) }
	a.gzippers = make(chan *gzip.Writer, 4)
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.random == nil {
		a.random = rand.Reader
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	a.routes(e)
	return e
}
