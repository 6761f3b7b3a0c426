package octopus

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is Go's own default limit.
const maxRedirects = 10

// RedirectError is a redirect the client refused to follow because it
// leads to another origin: another scheme (https to http, or http to
// https), host or port. Go's http.Client copies custom headers such as
// X-Octopus-ApiKey to every hop, even to another host (it drops only
// Authorization and Cookie, and only when the host name changes), so a
// cross-origin redirect is refused rather than followed without the key:
// followed without it, Octopus would answer 401 and the check would blame
// the key, when the fix is the address. The URL it holds is only the
// target's origin (scheme, host and port), never its path or query.
type RedirectError struct {
	From, To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("octopus: redirect from %s to %s refused", e.From, e.To)
}

// ErrTooManyRedirects ends a chain of more than ten same-origin redirects.
var ErrTooManyRedirects = errors.New("octopus: stopped after 10 redirects")

// withSafeRedirects returns a copy of c whose CheckRedirect follows only
// redirects to the origin of the first request, then applies c's own
// CheckRedirect, if any. The caller's client is not changed.
func withSafeRedirects(c *http.Client) *http.Client {
	cc := *c
	next := c.CheckRedirect
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return ErrTooManyRedirects
		}
		if from, to := origin(via[0].URL), origin(req.URL); from != to {
			return &RedirectError{From: from, To: to}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &cc
}

// origin is scheme://host:port with the scheme's default port filled in
// and the host in lower case, so equal origins compare equal as strings.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
