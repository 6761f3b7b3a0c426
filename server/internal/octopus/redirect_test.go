package octopus

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const canaryKey = "API-CANARY0REDIRECT0000000000000"

// recorder is an httptest handler that records every request's host, path
// and API key header, and redirects the paths in redirects.
type recorder struct {
	mu        sync.Mutex
	seen      []string
	redirects map[string]string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.seen = append(rec.seen, r.Host+r.URL.Path+" key="+r.Header.Get("X-Octopus-ApiKey"))
	to := rec.redirects[r.URL.Path]
	rec.mu.Unlock()
	if to != "" {
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"Id":"Users-1","Username":"ops-bot"}`))
}

func (rec *recorder) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}

func TestRedirectsNeverCarryTheKey(t *testing.T) {
	target := &recorder{}
	targetSrv := httptest.NewServer(target)
	t.Cleanup(targetSrv.Close)
	targetOrigin := "http://" + targetSrv.Listener.Addr().String()

	tests := []struct {
		name string
		// start returns the server URL to call and the client to use.
		start      func(t *testing.T) (string, *http.Client)
		wantOrigin string
	}{
		{"https to http on another port", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewTLSServer(&recorder{redirects: map[string]string{"/api/users/me": targetOrigin + "/api/users/me"}})
			t.Cleanup(srv.Close)
			return srv.URL, srv.Client()
		}, targetOrigin},
		{"http to another loopback port", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewServer(&recorder{redirects: map[string]string{"/api/users/me": targetOrigin + "/api/users/me"}})
			t.Cleanup(srv.Close)
			return srv.URL, srv.Client()
		}, targetOrigin},
		{"same port, another host name", func(t *testing.T) (string, *http.Client) {
			port := targetSrv.Listener.Addr().String()[len("127.0.0.1:"):]
			target.mu.Lock()
			target.redirects = map[string]string{"/api/start/api/users/me": "http://localhost:" + port + "/api/users/me"}
			target.mu.Unlock()
			return targetSrv.URL + "/api/start", targetSrv.Client()
		}, "http://localhost:" + targetSrv.Listener.Addr().String()[len("127.0.0.1:"):]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, hc := tt.start(t)
			c, err := New(base, canaryKey, hc)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			_, err = c.CurrentUser(ctx)
			var re *RedirectError
			if !errors.As(err, &re) || re.To != tt.wantOrigin {
				t.Fatalf("CurrentUser through a redirect = %v, want a RedirectError to %s", err, tt.wantOrigin)
			}
			want := "the server redirected to " + tt.wantOrigin + "; redirects to another scheme, host or port are not followed, so the API key is never sent there: if that is the server's address, put it in server.url"
			if got := Reason(err); got != want {
				t.Errorf("Reason = %q, want %q", got, want)
			}
			for _, r := range target.requests() {
				if strings.Contains(r, "/api/users/me") && !strings.Contains(r, "/api/start/") && strings.Contains(r, "CANARY") {
					t.Errorf("the redirect target saw the key: %s", r)
				}
			}
			if strings.Contains(err.Error(), "CANARY") {
				t.Errorf("the error names the key: %v", err)
			}
			if hc.CheckRedirect != nil {
				t.Errorf("New changed the caller's http.Client")
			}
		})
	}
	for _, r := range target.requests() {
		if strings.Contains(r, "/api/users/me") && !strings.Contains(r, "/api/start/") {
			t.Errorf("a refused redirect was followed: %s", r)
		}
	}
}

// TestSameOriginRedirectKeepsTheKey is the control: the recorder does see
// the key when a redirect stays on the server's origin.
func TestSameOriginRedirectKeepsTheKey(t *testing.T) {
	rec := &recorder{redirects: map[string]string{"/api/users/me": "/api/users/current"}}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, canaryKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := c.CurrentUser(ctx); err != nil {
		t.Fatalf("CurrentUser = %v", err)
	}
	host := srv.Listener.Addr().String()
	want := []string{host + "/api/users/me key=" + canaryKey, host + "/api/users/current key=" + canaryKey}
	if got := rec.requests(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests = %q, want %q", got, want)
	}
}
