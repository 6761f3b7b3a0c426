package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStartPageRevalidates: GET / carries an ETag per encoding, answers
// 304 to If-None-Match with it, and the gzip copy holds the same page.
func TestStartPageRevalidates(t *testing.T) {
	app := mustApp(t)
	plain := app.get(t, "/")
	tag := plain.Header().Get("ETag")
	if plain.Code != http.StatusOK || tag == "" {
		t.Fatalf("GET / = %d with ETag %q, want 200 with one", plain.Code, tag)
	}
	if got := plain.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache (revalidate with the ETag)", got)
	}

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	zipped := app.do(t, req)
	ztag := zipped.Header().Get("ETag")
	if zipped.Header().Get("Content-Encoding") != "gzip" || ztag == "" || ztag == tag {
		t.Fatalf("gzip answer: Content-Encoding %q, ETag %q (plain %q); want gzip with its own tag", zipped.Header().Get("Content-Encoding"), ztag, tag)
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Errorf("the gzip copy is not the same page (err %v)", err)
	}

	for _, tt := range []struct {
		name, inm, enc string
		want           int
	}{
		{"plain tag", tag, "", http.StatusNotModified},
		{"gzip tag", ztag, "gzip", http.StatusNotModified},
		{"weak and listed", `"other", W/` + tag, "", http.StatusNotModified},
		{"other tag", `"other"`, "", http.StatusOK},
		{"gzip tag, no gzip", ztag, "", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("If-None-Match", tt.inm)
			if tt.enc != "" {
				req.Header.Set("Accept-Encoding", tt.enc)
			}
			rec := app.do(t, req)
			if rec.Code != tt.want {
				t.Errorf("If-None-Match %s = %d, want %d", tt.inm, rec.Code, tt.want)
			}
			if rec.Code == http.StatusNotModified && rec.Body.Len() != 0 {
				t.Errorf("304 with a body of %d bytes", rec.Body.Len())
			}
		})
	}
}
