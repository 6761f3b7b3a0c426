package main

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"golang.org/x/time/rate"
)

// The rate limit of a wizard that others can reach: per client address,
// postRate posts a second on average with bursts of postBurst (a person
// typing sends a preview every few keystrokes; a script looping over the
// API is what it stops). Pages, static files and event streams are not
// limited.
const (
	postRate  rate.Limit = 10
	postBurst int        = 60
)

// retryAfter is when one more post is allowed after a refusal: the time
// the limiter takes to earn one token back.
var retryAfter = int((time.Second + time.Duration(float64(time.Second)/float64(postRate)) - 1) / time.Second)

// rateLimit is the posts' rate limit for a server listening on addr: none
// on loopback (the machine's own user), echo's RateLimiter with a memory
// store per client address otherwise.
//
// The client address is the connection's (echo.ExtractIPDirect, set on the
// app by newApp): echo's default RealIP believes X-Forwarded-For and
// X-Real-IP, which any client can send to get a fresh allowance with every
// request. Behind a reverse proxy every client therefore shares the proxy's
// allowance; rate-limit at the proxy then.
func rateLimit(addr string) echo.MiddlewareFunc {
	if app.IsLoopback(addr) {
		return nil
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: postRate, Burst: postBurst, ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfter))
			return echo.NewHTTPError(http.StatusTooManyRequests, fmt.Sprintf(
				"Too many requests from your address (more than %d in a burst, or %v a second): try again in %d second%s.",
				postBurst, float64(postRate), retryAfter, map[bool]string{true: "", false: "s"}[retryAfter == 1]))
		},
	})
}
