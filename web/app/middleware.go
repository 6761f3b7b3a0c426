package app

import (
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
)

// Why these four are not echo's RequestID, Recover, Secure and BodyLimit:
// echo's middleware package adds 87 KB raw, 17 KB gzip to the browser's
// .wasm and pulls in golang.org/x/time (measured 2026-12-02 by building
// wasm/browser with and without them), and each of ours is a dozen lines
// that does what echo's would not: the request id comes from the app's
// random source (tests inject it), a panic becomes an error for the app's
// one error handler, and an oversized body gets the app's own 413 page.

const ridKey = "requestID"

// contentSecurityPolicy allows only the wizard's own files: no inline
// script, no inline style, no other origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// requestID gives every request an id the user sees in an internal error
// and the log records, and logs the request when it is done.
func (a *App) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var b [8]byte
		rid := "unknown"
		if _, err := io.ReadFull(a.random, b[:]); err == nil {
			rid = hex.EncodeToString(b[:])
		}
		c.Set(ridKey, rid)
		c.Response().Header()[echo.HeaderXRequestID] = []string{rid}
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if a.log.Enabled(c.Request().Context(), slog.LevelDebug) {
			a.log.Debug("request", "rid", rid, "method", c.Request().Method, "path", c.Request().URL.Path,
				"status", c.Response().Status, "took", time.Since(start))
		}
		return nil
	}
}

func requestIDOf(c echo.Context) string {
	if rid, ok := c.Get(ridKey).(string); ok {
		return rid
	}
	return "unknown"
}

// recoverPanic turns a panic in a handler into an internal error.
func (a *App) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("web: panic: %v\n%s", r, debug.Stack())
			}
		}()
		return next(c)
	}
}

// secureHeaders sets the headers every answer carries. The names are
// canonical already, so the map is written directly: this runs on every
// request, GET / included.
func (a *App) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Content-Security-Policy"] = []string{contentSecurityPolicy}
		h[echo.HeaderXContentTypeOptions] = []string{"nosniff"}
		h["Referrer-Policy"] = []string{"no-referrer"}
		h[echo.HeaderXFrameOptions] = []string{"DENY"}
		h["Cross-Origin-Opener-Policy"] = []string{"same-origin"}
		return next(c)
	}
}

// limitBody refuses bodies over maxBody with 413.
func (a *App) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > maxBody {
			return tooLarge()
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, maxBody)
		}
		return next(c)
	}
}

// limitPosts runs Config.RateLimit before every POST; GET and HEAD (pages,
// static files, event streams) are not limited.
func (a *App) limitPosts(next echo.HandlerFunc) echo.HandlerFunc {
	if a.rateLimit == nil {
		return next
	}
	limited := a.rateLimit(next)
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodPost {
			return limited(c)
		}
		return next(c)
	}
}
