package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// access guards a host that can run commands (the self-hosted server with
// -allow-register), as Jupyter does: the server prints a link with a
// one-time token at start; the first visit with ?token= sets an HttpOnly,
// SameSite=Strict cookie and redirects to the same address without it;
// every other request needs the cookie (or "Authorization: Bearer TOKEN",
// for scripts). Every post must also carry the CSRF token, in the form
// field "csrf" or the X-CSRF-Token header (htmx sends it), except those
// authenticated by the header, which a browser never adds by itself.
//
// The cookie and CSRF values are derived from the token with HMAC, so
// neither reveals it, and cookies of two servers on one host do not clash.
type access struct {
	token   string
	cookie  string // the cookie's name
	session string // the cookie's value
	csrf    string
	listen  string // Config.ListenAddr
}

func newAccess(token, listen string) *access {
	return &access{
		listen:  listen,
		token:   token,
		cookie:  "wizard-access-" + derive(token, "cookie name")[:12],
		session: derive(token, "session"),
		csrf:    derive(token, "csrf"),
	}
}

// derive is HMAC-SHA256(token, purpose), in hex.
func derive(token, purpose string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("tentacle-ha-wizard " + purpose))
	return hex.EncodeToString(m.Sum(nil))
}

func same(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// strangerKey marks a request refused for want of the token: its error
// page links only to the access help (accessPath), which the guard lets
// through, as every other page would refuse the visitor again.
const strangerKey = "stranger"

// accessPath is the page that says how to open a wizard that can register:
// the one page besides the embedded files that answers without the token.
const accessPath = "/access"

// needToken is the refusal of a request without the token. It names the
// address the browser used (Host) and, when the server listens elsewhere
// (a tunnel, a proxy), the address in the link the server printed, and
// the command that prints a new link on that address.
func needToken(r *http.Request, configured string) string {
	var b strings.Builder
	b.WriteString("This wizard can register Tentacles on this machine, so it answers only to the link it printed when it started")
	listen, browsed := listenAddr(r), browsedAddr(r)
	if configured != "" {
		listen = configured
	}
	switch {
	case browsed != "" && listen != "" && browsed != listen:
		b.WriteString(" (http://" + listen + "/?token=…; through the address you opened, http://" + browsed + "/?token=… with the same token)")
	case browsed != "":
		b.WriteString(" (http://" + browsed + "/?token=…)")
	case listen != "":
		b.WriteString(" (http://" + listen + "/?token=…)")
	}
	b.WriteString(". Open that link from the terminal where it runs; if it is lost, stop the server (Ctrl+C) and start it again for a new one: ")
	b.WriteString(serveCommand(listen))
	b.WriteString(".")
	return b.String()
}

// serveCommand is the command that starts a wizard that can register,
// listening on addr ("" when unknown: the default address); an address
// other than loopback needs -allow-remote too (server/serve.go checkListen).
func serveCommand(addr string) string {
	if addr == "" {
		return howToEnable
	}
	cmd := howToEnable + " -addr " + addr
	if _, _, err := net.SplitHostPort(addr); err == nil && !IsLoopback(addr) {
		cmd += " -allow-remote"
	}
	return cmd
}

// IsLoopback reports whether addr (host:port) listens on this machine
// only: localhost or a loopback IP address. The server's listen, rate
// limit and debug-address rules use it too.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// listenAddr is the address the server accepted the request on, or ""
// when the host does not say (a test recorder).
func listenAddr(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(fmt.Stringer); ok {
		return a.String()
	}
	return ""
}

// browsedAddr is the address the browser asked for (the Host header), when
// it reads as host:port or a host name; anything else ("" or odd
// characters) is not repeated back.
func browsedAddr(r *http.Request) string {
	h := r.Host
	if h == "" || len(h) > 255 {
		return ""
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			return ""
		}
	}
	return h
}

// bearer reads "Authorization: Bearer TOKEN" as RFC 9110 writes
// credentials (section 11.4): the scheme in any case (11.1), one or more
// spaces, then the rest, which the caller compares with the token whole.
// Only space and tab around the field value are dropped (OWS, section
// 5.5): strings.TrimSpace would also drop Unicode spaces and a tab inside,
// and let "Bearer \tTOKEN\u00a0" in.
func bearer(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.Trim(header, " \t"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimLeft(tok, " "), true
}

// The other refusals, each saying what to do.
const (
	wrongToken = "The token in this link is not the one this wizard printed at start (a new one is printed every time it starts). " +
		"Open the link from the terminal where it runs now."
	badCSRF = "This form is missing the wizard's security token, or carries an old one (the wizard was restarted). " +
		"Open the wizard again from the link it printed at start, and try again."
)

// guard applies the access rules when the app has them.
func (a *App) guard(next echo.HandlerFunc) echo.HandlerFunc {
	ac := a.host.access
	if ac == nil {
		return next
	}
	return func(c echo.Context) error {
		r := c.Request()
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead
		if safe && (strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/favicon.ico" || r.URL.Path == accessPath) {
			// The same embedded files every host serves (the refusal
			// page needs its stylesheet), and the page that says how to
			// get in, which holds nothing of this machine.
			return next(c)
		}
		byHeader := false
		if tok, ok := bearer(r.Header.Get(echo.HeaderAuthorization)); ok {
			if !same(tok, ac.token) {
				c.Set(strangerKey, true)
				return echo.NewHTTPError(http.StatusForbidden, wrongToken)
			}
			byHeader = true
		} else if r.URL.Query().Has("token") && safe {
			if !same(r.URL.Query().Get("token"), ac.token) {
				c.Set(strangerKey, true)
				return echo.NewHTTPError(http.StatusForbidden, wrongToken)
			}
			return ac.welcome(c)
		} else if ck, err := r.Cookie(ac.cookie); err != nil || !same(ck.Value, ac.session) {
			c.Set(strangerKey, true)
			return echo.NewHTTPError(http.StatusForbidden, needToken(r, ac.listen))
		}
		if !safe && !byHeader {
			tok := r.Header.Get("X-CSRF-Token")
			if tok == "" {
				v, err := parseForm(c)
				if err != nil {
					return err
				}
				tok = v.Get("csrf")
			}
			if !same(tok, ac.csrf) {
				return echo.NewHTTPError(http.StatusForbidden, badCSRF)
			}
		}
		return next(c)
	}
}

// welcome sets the access cookie and sends the browser to the address it
// asked for without the token, so the token leaves the address bar and
// the history.
func (ac *access) welcome(c echo.Context) error {
	r := c.Request()
	c.SetCookie(&http.Cookie{
		Name: ac.cookie, Value: ac.session, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	q := r.URL.Query()
	q.Del("token")
	target := r.URL.EscapedPath()
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		target = "/" // never a redirect to another host
	}
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Redirect(http.StatusSeeOther, target)
}
