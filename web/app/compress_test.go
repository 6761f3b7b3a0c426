package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

func TestCompressionFollowsTheHost(t *testing.T) {
	for _, tt := range []struct {
		name       string
		noCompress bool
		want       string
	}{
		{"server compresses", false, "gzip"},
		{"Worker leaves it to the edge", true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wizard := app.New(app.Config{NoCompress: tt.noCompress})
			for _, path := range []string{"/", "/static/app.css"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				wizard.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != tt.want {
					t.Errorf("GET %s: %d, Content-Encoding %q, want %q", path, rec.Code, rec.Header().Get("Content-Encoding"), tt.want)
				}
			}
		})
	}
}

func TestHeadAnswersLikeGet(t *testing.T) {
	srv := httptest.NewServer(app.New(app.Config{}))
	defer srv.Close()
	for _, path := range []string{"/", "/static/app.css"} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s = %d (%q), want 200 with a content type", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// The preview's htmx answer skips gzip only for a browser on this machine
// that talks to the wizard directly; through anything like a proxy, or
// from elsewhere, it stays compressed.
func TestPreviewGzipOnlyWhenWorthIt(t *testing.T) {
	app := mustApp(t)
	body := url.Values{"step": {"3"}, "plan": {validPlan}, "tentacle.name": {"web01"}, "tentacle.environments": {"Production"}, "tentacle.roles": {"web"}, "tentacle.subscriptionId": {"poll://g3662re9njtelsyfhm7t/"}}.Encode()
	for _, tt := range []struct {
		name, remote, host string
		htmx               bool
		header             string
		http10             bool
		want               string
	}{
		{"browser on this machine", "127.0.0.1:50000", "127.0.0.1:8080", true, "", false, ""},
		{"localhost over IPv6", "[::1]:50000", "localhost:8080", true, "", false, ""},
		{"from another machine", "192.0.2.7:50000", "wizard.example.com", true, "", false, "gzip"},
		{"proxy with a public Host", "127.0.0.1:50000", "wizard.example.com", true, "", false, "gzip"},
		{"proxy that forwards", "127.0.0.1:50000", "127.0.0.1:8080", true, "X-Forwarded-For", false, "gzip"},
		{"proxy with Via", "127.0.0.1:50000", "127.0.0.1:8080", true, "Via", false, "gzip"},
		{"nginx's default HTTP/1.0", "127.0.0.1:50000", "127.0.0.1:8080", true, "", true, "gzip"},
		{"not htmx", "127.0.0.1:50000", "127.0.0.1:8080", false, "", false, "gzip"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/preview", strings.NewReader(body))
			req.RemoteAddr, req.Host = tt.remote, tt.host
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Encoding", "gzip")
			if tt.htmx {
				req.Header.Set("HX-Request", "true")
			}
			if tt.header != "" {
				req.Header.Set(tt.header, "203.0.113.9")
			}
			if tt.http10 {
				req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/1.0", 1, 0
			}
			rec := app.do(t, req)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != tt.want {
				t.Errorf("POST /preview: %d, Content-Encoding %q, want %q", rec.Code, rec.Header().Get("Content-Encoding"), tt.want)
			}
			if tt.want == "" && !strings.Contains(rec.Body.String(), "trusted-servers.xml") {
				t.Errorf("the plain answer is not the preview: %.200s", rec.Body)
			}
		})
	}
}
