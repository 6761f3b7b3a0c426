package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func TestStartPage(t *testing.T) {
	app := mustApp(t)
	rec := app.get(t, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q, want script-src 'self'", csp)
	}
	doc := mustDoc(t, rec)
	if testid(doc, "step-1").Length() != 1 {
		t.Fatal("GET / does not show step 1")
	}
	if _, ok := doc.Find("#f-topology-unique-address").Attr("checked"); !ok {
		t.Error("unique-address is not preselected")
	}
	if testid(doc, "round-robin-warning").Length() != 1 {
		t.Error("the round-robin warning is missing")
	}
	if n := doc.Find(".topo-card svg[role=img]").Length(); n != len(plan.TopologyTable) {
		t.Errorf("topology diagrams = %d, want %d, one a topology", n, len(plan.TopologyTable))
	}
	// The first page is the same for everyone: no subscription id yet
	// (the first post picks one); the preview shows an example in its place.
	p := planOf(t, doc)
	if p.Tentacle.SubscriptionID != "" {
		t.Errorf("new plan subscription id = %q, want none on the first page", p.Tentacle.SubscriptionID)
	}
	// The preview is there from the start, with example values for the
	// empty fields and every file of the bundle.
	if testid(doc, "preview-draft").Length() != 1 {
		t.Error("the first preview is not marked as a draft")
	}
	if testid(doc, "tab-tentacle/trusted-servers.xml").AttrOr("aria-selected", "") != "true" {
		t.Error("the first preview does not select tentacle/trusted-servers.xml")
	}
	if got := testid(doc, "panel-tentacle/trusted-servers.xml").Text(); !strings.Contains(got, "poll://example") {
		t.Errorf("preview of trusted-servers.xml lacks the example subscription id: %.200s", got)
	}
	for _, sel := range []string{"label[for=f-topology-unique-port]", "nav.steps [aria-current=step]", "main#main", "link[rel=stylesheet]"} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("page lacks %s", sel)
		}
	}
}

// TestStartPageTwiceKeepsNoState: GET / is one page for everyone, the same
// bytes every time, and each wizard gets its own subscription id at its
// first post.
func TestStartPageTwiceKeepsNoState(t *testing.T) {
	app := mustApp(t)
	ra, rb := app.get(t, "/"), app.get(t, "/")
	if ra.Body.String() != rb.Body.String() {
		t.Error("two GET / answered different pages")
	}
	a := planOf(t, app.click(t, app.open(t), "go", "1").doc)
	b := planOf(t, app.click(t, app.open(t), "go", "1").doc)
	if !plan.ValidSubscriptionID(a.Tentacle.SubscriptionID) {
		t.Errorf("subscription id after the first post = %q, want a valid one", a.Tentacle.SubscriptionID)
	}
	if a.Tentacle.SubscriptionID == b.Tentacle.SubscriptionID {
		t.Errorf("two new wizards share subscription id %s", a.Tentacle.SubscriptionID)
	}
}

func TestStaticFiles(t *testing.T) {
	app := mustApp(t)
	doc := mustDoc(t, app.get(t, "/"))
	for _, sel := range []string{"link[rel=stylesheet]", "script[src*=htmx]", "script[src*=app]"} {
		ref := doc.Find(sel).AttrOr("href", doc.Find(sel).AttrOr("src", ""))
		req := httptest.NewRequest(http.MethodGet, ref, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := app.do(t, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d, want 200", ref, rec.Code)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s Cache-Control = %q, want immutable", ref, cc)
		}
		if rec.Header().Get("Content-Encoding") != "gzip" || len(gunzip(t, rec.Body.Bytes())) == 0 {
			t.Errorf("GET %s is not gzip-compressed", ref)
		}
	}
	for _, path := range []string{"/static/nope.css", "/static/..%2fstatic.go", "/static/static.go"} {
		if rec := app.get(t, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
}

func TestErrorPages(t *testing.T) {
	app := mustApp(t)
	rec := app.get(t, "/no/such/page")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET /no/such/page = %d, want 404", rec.Code)
	}
	if got := testid(mustDoc(t, rec), "error-message").Text(); !strings.Contains(got, "no page here") {
		t.Errorf("404 page says %q", got)
	}
	rec = app.get(t, "/api/v1/validate")
	if rec.Code != http.StatusMethodNotAllowed || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/v1/validate = %d %s, want 405 JSON", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = app.post(t, "/wizard", url.Values{"step": {"9"}})
	if rec.Code != http.StatusBadRequest {
		t.Errorf("POST /wizard step=9 = %d, want 400", rec.Code)
	}
}

// failingRandom gives request ids, then fails: the app cannot make a
// subscription id, an internal error.
type failingRandom struct{ left int }

func (r *failingRandom) Read(p []byte) (int, error) {
	if r.left < len(p) {
		return 0, errors.New("entropy exhausted")
	}
	r.left -= len(p)
	for i := range p {
		p[i] = 0xab
	}
	return len(p), nil
}

func TestInternalErrorShowsRequestID(t *testing.T) {
	var log bytes.Buffer
	e := app.New(app.Config{Logger: slog.New(slog.NewTextHandler(&log, nil)), Random: &failingRandom{left: 8}})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/wizard", strings.NewReader("step=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("the first post with no randomness = %d, want 500", rec.Code)
	}
	rid := rec.Header().Get("X-Request-Id")
	msg := testid(mustDoc(t, rec), "error-message").Text()
	if rid == "" || !strings.Contains(msg, "Internal error (request id "+rid+")") {
		t.Errorf("500 page says %q, want the request id %q", msg, rid)
	}
	if !strings.Contains(log.String(), "rid="+rid) || !strings.Contains(log.String(), "entropy exhausted") {
		t.Errorf("log does not record the cause with the request id:\n%s", log.String())
	}
	if strings.Contains(msg, "entropy") {
		t.Errorf("500 page leaks the cause: %q", msg)
	}
}

func TestBodyLimit(t *testing.T) {
	app := mustApp(t)
	big := strings.Repeat("x", 1<<20+1)
	if rec := app.post(t, "/wizard", url.Values{"step": {"1"}, "plan": {big}}); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /wizard over 1 MiB = %d, want 413", rec.Code)
	}
	// Without a Content-Length, the limit applies while reading.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/validate", strings.NewReader(`{"x":"`+big+`"}`))
	req.ContentLength = -1
	rec := app.do(t, req)
	var body struct{ Message string }
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != http.StatusRequestEntityTooLarge || body.Message == "" {
		t.Errorf("streamed body over 1 MiB = %d %q, want 413 with a message", rec.Code, body.Message)
	}
}
