package app_test

import (
	"net/http"
	"net/http/httptest"
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
