package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
)

// post sends one POST from client (its connection's address) to the app.
func post(h http.Handler, client, path, contentType, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.RemoteAddr = client
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRateLimitOthers: the app serve builds for -addr 192.0.2.10:8080 (not
// bound: the address only configures it) lets one client post a burst of
// postBurst, then answers 429 with Retry-After, as JSON under /api and as
// a page for a form post; another client is not affected, and a forged
// X-Forwarded-For or X-Real-IP does not buy a fresh allowance.
func TestRateLimitOthers(t *testing.T) {
	wizard := serveOptions{addr: "192.0.2.10:8080"}.newApp(app.Config{})
	const client = "198.51.100.7:40000"
	const api = "/api/v1/validate"
	plan := `{}` // answered 200 or 422: the limit is all this test reads
	for i := range postBurst {
		if rec := post(wizard, client, api, "application/json", plan); rec.Code == http.StatusTooManyRequests {
			t.Fatalf("post %d of the burst of %d answered 429", i+1, postBurst)
		}
	}
	// The allowance refills at postRate a second: a few more may pass
	// while this test runs, then the limit holds.
	var rec *httptest.ResponseRecorder
	for n := 0; n < 100_000; n++ {
		if rec = post(wizard, client, api, "application/json", plan); rec.Code == http.StatusTooManyRequests {
			break
		}
	}
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("100000 posts after the burst, none answered 429 (last %d)", rec.Code)
	}
	if got := rec.Header().Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1 (one token at %v a second)", got, float64(postRate))
	}
	var body struct{ Message string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || !strings.Contains(body.Message, "try again in 1 second.") {
		t.Errorf("API 429 body = %s (%v), want JSON whose message says when to try again", rec.Body, err)
	}

	for _, spoof := range [][]string{{"X-Forwarded-For", "203.0.113.99"}, {"X-Real-IP", "203.0.113.98"}} {
		if rec := post(wizard, client, api, "application/json", plan, spoof...); rec.Code != http.StatusTooManyRequests {
			t.Errorf("with %s: %s the limited client got %d, want 429", spoof[0], spoof[1], rec.Code)
		}
	}

	form := url.Values{"step": {"1"}}.Encode()
	page := post(wizard, client, "/preview", "application/x-www-form-urlencoded", form)
	doc, err := goquery.NewDocumentFromReader(page.Body)
	if err != nil {
		t.Fatal(err)
	}
	if page.Code != http.StatusTooManyRequests || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") ||
		page.Header().Get("Retry-After") != "1" || !strings.Contains(doc.Find("main").Text(), "try again in 1 second.") {
		t.Errorf("form post when limited = %d %q Retry-After %q, main %q; want a 429 page saying when to try again",
			page.Code, page.Header().Get("Content-Type"), page.Header().Get("Retry-After"), doc.Find("main").Text())
	}

	if rec := post(wizard, "198.51.100.8:40000", api, "application/json", plan); rec.Code == http.StatusTooManyRequests {
		t.Error("another client address was limited too")
	}
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	get.RemoteAddr = client
	getRec := httptest.NewRecorder()
	wizard.ServeHTTP(getRec, get)
	if getRec.Code != http.StatusOK {
		t.Errorf("GET / of the limited client = %d, want 200 (pages are not limited)", getRec.Code)
	}
}

// TestRateLimitNotOnLoopback: on loopback (the machine's own user, and
// make load) posts are never limited.
func TestRateLimitNotOnLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080"} {
		wizard := serveOptions{addr: addr}.newApp(app.Config{})
		for i := range 4 * postBurst {
			if rec := post(wizard, "127.0.0.1:40000", "/api/v1/validate", "application/json", `{}`); rec.Code == http.StatusTooManyRequests {
				t.Fatalf("-addr %s: post %d answered 429", addr, i+1)
			}
		}
	}
}
