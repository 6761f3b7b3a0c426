package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// placement says where htmx puts a "step" event's row: "add ID" (appended
// to the list) or "replace ID" (out of band, by id).
func placement(tb testing.TB, data string) string {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	if add := doc.Find(`ol[hx-swap-oob="beforeend:#register-steps"] > li[data-testid=register-step]`); add.Length() == 1 {
		return "add " + add.AttrOr("id", "")
	}
	if repl := doc.Find(`li[data-testid=register-step][hx-swap-oob=true]`); repl.Length() == 1 {
		return "replace " + repl.AttrOr("id", "")
	}
	return "nowhere: " + data
}

// checkPlacement checks that every event of a whole run says where it
// goes: a step's first row is added to the list, its later rows replace
// it, an ended step is read out, and "done" puts the outcome in its place
// with the focus and turns the start button into Run again.
func checkPlacement(t *testing.T, events []sse) {
	t.Helper()
	want := []string{"add register-step-1", "replace register-step-1", "add register-step-2", "replace register-step-2",
		"add register-step-3", "replace register-step-3", "add register-step-4"}
	for i, ev := range events[:len(events)-1] {
		if i < len(want) && placement(t, ev.data) != want[i] {
			t.Errorf("event %d goes %s, want %s", i+1, placement(t, ev.data), want[i])
		}
	}
	ended, _ := goquery.NewDocumentFromReader(strings.NewReader(events[1].data))
	if got := ended.Find(`#register-status[hx-swap-oob=innerHTML]`).Text(); got != "1 of 4 Find the instance: Pass" {
		t.Errorf("an ended step reads out %q", got)
	}
	started, _ := goquery.NewDocumentFromReader(strings.NewReader(events[0].data))
	if started.Find("#register-status").Length() != 0 {
		t.Error("a running step is read out")
	}
	done, _ := goquery.NewDocumentFromReader(strings.NewReader(events[len(events)-1].data))
	out := testid(done, "register-outcome")
	if out.AttrOr("hx-swap-oob", "") != "true" || out.AttrOr("id", "") != "register-outcome" {
		t.Errorf("the outcome does not replace its placeholder: %s", events[len(events)-1].data)
	}
	if _, focus := out.Attr("autofocus"); !focus {
		t.Error("the outcome does not take the focus")
	}
	button := done.Find("button#register-start[hx-swap-oob=true]")
	if _, disabled := button.Attr("disabled"); button.Length() != 1 || disabled || strings.TrimSpace(button.Text()) != "Run again" {
		t.Errorf("done does not offer Run again: %s", events[len(events)-1].data)
	}
}

// hxPost posts a form as htmx does.
func (h hostApp) hxPost(tb testing.TB, path string, v url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return h.send(tb, req)
}

func TestRegisterStartWithHTMX(t *testing.T) {
	fr := &fakeRegistrar{gate: make(chan struct{})}
	h := mustHostApp(t, nil, fr.register)
	page := h.registerPage(t)
	form := page.Find("form#register-form")
	if form.AttrOr("hx-post", "") != "/register/start" || form.AttrOr("hx-select", "") != "#main" || form.AttrOr("hx-target", "") != "#main" {
		t.Error("the register form is not posted by htmx into the page's main part")
	}
	if page.Find(`script[src^="/static/vendor/sse.min.js?v="]`).Length() != 1 {
		t.Error("the Register page does not load htmx's SSE extension")
	}
	if run := testid(page, "register-run"); run.AttrOr("sse-connect", "") != "" {
		t.Error("the Register page connects to a stream before a run")
	}
	v := formValues(page, "register-form")

	// No key: the page says so beside the field.
	rec := h.hxPost(t, "/register/start", v)
	if doc := mustDoc(t, rec); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(testid(doc, "register-key-error").Text(), "Enter the API key") {
		t.Errorf("htmx start without a key = %d, want 422 with the problem beside the field", rec.Code)
	}

	// Started: the page at once, connected to the run's stream.
	v.Set("apiKey", canaryKey)
	rec = h.hxPost(t, "/register/start", v)
	doc := mustDoc(t, rec)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("htmx start = %d: %s", rec.Code, rec.Body)
	}
	run := testid(doc, "register-run")
	if _, hidden := run.Attr("hidden"); hidden || run.AttrOr("hx-ext", "") != "sse" || !strings.HasPrefix(run.AttrOr("sse-connect", ""), "/register/events/") ||
		run.AttrOr("sse-swap", "") != "step,done" || run.AttrOr("sse-close", "") != "done" || run.AttrOr("hx-swap", "") != "none" {
		html, _ := goquery.OuterHtml(run)
		t.Errorf("the run's section is not connected to its stream: %.300s", html)
	}
	if _, disabled := testid(doc, "register-start").Attr("disabled"); !disabled {
		t.Error("the start button is enabled while the run goes on")
	}
	if _, focus := doc.Find("#run-title").Attr("autofocus"); !focus {
		t.Error("the steps' heading does not take the focus")
	}
	if strings.Contains(rec.Body.String(), "CANARY") || testid(doc, "register-api-key").AttrOr("value", "") != "" {
		t.Error("the key comes back in the page")
	}

	// One run at a time: the page says so.
	rec = h.hxPost(t, "/register/start", v)
	if rec.Code != http.StatusConflict || !strings.Contains(testid(mustDoc(t, rec), "alert").Text(), "running already") {
		t.Errorf("a second htmx start while one runs = %d, want 409 with an alert", rec.Code)
	}
	close(fr.gate)

	// A plan with errors: the Register page says to go back.
	bad := cloneValues(v)
	bad.Set("plan", strings.Replace(validPlan, "10944", "10943", 1))
	rec = h.hxPost(t, "/register/start", bad)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(testid(mustDoc(t, rec), "alert").Text(), "go back to the review step") {
		t.Errorf("htmx start with an invalid plan = %d, want 422 with an alert", rec.Code)
	}
}
