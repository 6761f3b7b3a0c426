// Package web is the echo application every host of the wizard serves: the
// guided wizard pages, the live preview, the downloads and the HTTP API.
//
// It keeps no state between requests: the plan travels in every form post
// (a hidden field) and in share links (the URL fragment). It runs no
// process, touches no filesystem and opens no listener, so the same code
// can be compiled to js/wasm; hosts pass in what differs through Config.
// A host that can check and register (Config.Checker, Config.Registrar)
// runs them through functions it passes in; the registrations in progress
// are then the one state the app keeps (runs.go).
package app

import (
	"bytes"
	"compress/gzip"
	"context"
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
	// FormsServed: this host answers plain form posts although its pages
	// load BootScript (the Worker), so pages do not say JavaScript is needed.
	FormsServed bool
	// Checker runs the review step's Check; nil shows Check as
	// unavailable (the browser, the Worker, a server without -allow-register).
	Checker Checker
	// Registrar runs the Register page's registration; nil shows Register
	// as unavailable.
	Registrar Registrar
	// Tentacle is the Tentacle binary the Registrar runs, shown to the
	// operator before a run.
	Tentacle string
	// AccessToken, when set, is asked of every request (see access.go)
	// and every post must carry the CSRF token derived from it. Checker
	// and Registrar are used only with one: a host that runs commands
	// must not answer strangers.
	AccessToken string
	// ListenAddr is the -addr the server listens on, named in the command
	// the access refusal and its help page give (access.go); "" names the
	// address the request reached.
	ListenAddr string
	// Context bounds work that outlives a request (a registration run):
	// the server cancels it when it shuts down. Nil means
	// context.Background().
	Context context.Context
	// NoCompress leaves compression to the host: Cloudflare's edge
	// compresses Worker responses, and a Worker starts a fresh instance for
	// every request, so compressing there costs CPU on every request.
	NoCompress bool
	// Rollout runs a change pack through Octopus from the review of a
	// change (rollout.go); nil shows it as unavailable. Like Checker, it
	// is used only with an AccessToken.
	Rollout Rollout
	// Prerender renders pages once for many visitors (the static site's
	// index.html): no subscription id is picked until the first post.
	Prerender bool
	// RateLimit, when set, runs before every POST (form posts and the
	// API): the server's per-client rate limit when others can reach it
	// (server/ratelimit.go). Its refusal is an *echo.HTTPError the app's
	// error handler shows (a page, or JSON under /api). Nil: no limit.
	RateLimit echo.MiddlewareFunc
}

// App holds what the handlers share. It has no per-request state.
type App struct {
	log    *slog.Logger
	random io.Reader
	// check is built on first use: the API never needs it, and a Worker
	// starts a fresh instance for every request.
	check  func() *validator.Validate
	assets *assets
	// prerender leaves per-visitor values out of rendered pages.
	prerender bool
	// noCompress: the host compresses responses itself.
	noCompress bool
	// first is GET /'s answer, made once (firstpage.go).
	first firstPage
	// host is what the Checker and Registrar add; see host.go.
	host hostTools
	// rollout is what the Rollout adds; see rollout.go.
	rollout rolloutHost
	// buffers and gzippers are reused between responses; compressors
	// are kept in a small free list, which garbage collection does not empty.
	buffers  sync.Pool
	gzippers chan *gzip.Writer
	// previews keeps recent previews' files by plan JSON and highlighted
	// files by content (previewcache.go).
	previews *previewCaches
	// rateLimit is Config.RateLimit (limitPosts).
	rateLimit echo.MiddlewareFunc
}

// New builds the echo application with every route.
func New(cfg Config) *echo.Echo {
	a := &App{log: cfg.Logger, random: cfg.Random, check: sync.OnceValue(newValidator), assets: newAssets(cfg.BootScript, cfg.FormsServed), prerender: cfg.Prerender, noCompress: cfg.NoCompress}
	a.buffers.New = func() any { return new(bytes.Buffer) }
	a.gzippers = make(chan *gzip.Writer, 4)
	a.previews = newPreviewCaches()
	a.rateLimit = cfg.RateLimit
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.random == nil {
		a.random = rand.Reader
	}
	a.host = newHostTools(cfg, a.log)
	a.rollout = newRolloutHost(cfg)
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	a.routes(e)
	return e
}
