package app_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// fakeRollout stands in for the host's rollout: it records the request,
// emits a found line, a canary batch and a machine (its messages carry
// the key, which the app must mask), and waits at gate when there is one.
type fakeRollout struct {
	mu   sync.Mutex
	reqs []app.RolloutRequest
	gate chan struct{}
	fail bool
}

func (f *fakeRollout) run(ctx context.Context, req app.RolloutRequest, key string, emit func(report.RolloutEvent)) (app.RolloutResult, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	emit(report.RolloutEvent{Kind: report.RolloutFound, Batches: 2, Message: "2 polling Tentacle(s) in Spaces-1 (key " + key + ")"})
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return app.RolloutResult{}, ctx.Err()
		}
	}
	emit(report.RolloutEvent{Kind: report.RolloutBatch, Batch: 1, Batches: 2, Status: report.MachinePlanned, Machines: []string{"lin01"}, Message: "canary"})
	emit(report.RolloutEvent{Kind: report.RolloutMachine, Machine: "lin01", MachineID: "Machines-1", Status: report.MachineOK, Message: "added https://203.0.113.10:10945"})
	if f.fail {
		return app.RolloutResult{StatePath: "/state/rollout.json"}, errors.New("rollout: list machines with " + key + ": 401")
	}
	return app.RolloutResult{Complete: true, StatePath: "/state/rollout.json"}, nil
}

func (f *fakeRollout) requests() []app.RolloutRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]app.RolloutRequest(nil), f.reqs...)
}

// mustRolloutApp is the app as `serve -allow-register` builds it, with a
// fake rollout, and a browser that opened the printed link.
func mustRolloutApp(tb testing.TB, r app.Rollout) hostApp {
	tb.Helper()
	var log bytes.Buffer
	e := app.New(app.Config{Logger: slog.New(slog.NewTextHandler(&log, nil)), Random: &counter{}, AccessToken: accessToken, Rollout: r})
	h := hostApp{testApp: testApp{Echo: e, log: &log}}
	tb.Cleanup(func() {
		if strings.Contains(log.String(), "CANARY") {
			tb.Errorf("the API key is in the log:\n%s", log.String())
		}
	})
	h.cookie = h.send(tb, httptest.NewRequest(http.MethodGet, "/?token="+accessToken, nil)).Result().Cookies()[0]
	h.csrf = mustDoc(tb, h.get(tb, "/")).Find(`form#wizard input[name="csrf"]`).AttrOr("value", "")
	return h
}

// rolloutPage walks to the review of a change (Node3 added) and opens Roll out.
func (h hostApp) rolloutPage(tb testing.TB) *goquery.Document {
	tb.Helper()
	v := url.Values{"step": {"1"}, "op": {"change-from"}, "fromText": {validPlan}, "fromCopy": {"on"}, "csrf": {h.csrf}}
	doc := mustDoc(tb, h.post(tb, "/wizard", v))
	doc = mustDoc(tb, h.post(tb, "/wizard", with(browserForm(doc), "go", "2")))
	v = browserForm(doc)
	for k, val := range map[string]string{"nodes.name": "Node3", "nodes.address": "10.0.1.13", "nodes.port": "10945", "nodes.listenPort": "10943", "nodes.webUrl": ""} {
		v.Add(k, val)
	}
	review := mustDoc(tb, h.post(tb, "/wizard", with(v, "go", "4")))
	if testid(review, "open-rollout").Length() != 1 {
		tb.Fatalf("the review of a change offers no Roll out: %s", testid(review, "rollout-card").Text())
	}
	rec := h.post(tb, "/rollout", browserForm(review))
	if rec.Code != http.StatusOK {
		tb.Fatalf("POST /rollout = %d: %s", rec.Code, rec.Body)
	}
	return mustDoc(tb, rec)
}

func with(v url.Values, k, val string) url.Values {
	v = cloneValues(v)
	v.Set(k, val)
	return v
}

func TestRolloutWithoutJavaScript(t *testing.T) {
	fake := &fakeRollout{}
	h := mustRolloutApp(t, fake.run)
	page := h.rolloutPage(t)
	if _, on := testid(page, "rollout-dry-run").Attr("checked"); !on {
		t.Error("a dry run is not the default")
	}
	form := formValues(page, "rollout-form")
	if form.Get("from") == "" || form.Get("plan") == "" {
		t.Fatal("the rollout form does not carry the change")
	}
	// No key: the page says so, nothing runs.
	rec := h.post(t, "/rollout/start", form)
	if rec.Code != http.StatusUnprocessableEntity || testid(mustDoc(t, rec), "rollout-key-error").Length() != 1 || len(fake.requests()) != 0 {
		t.Fatalf("start without a key = %d, %d runs", rec.Code, len(fake.requests()))
	}
	form.Set("apiKey", canaryKey)
	form.Set("dryRun", "on")
	form.Set("select", "env:Production")
	rec = h.post(t, "/rollout/start", form)
	doc := mustDoc(t, rec)
	if rec.Code != http.StatusOK || testid(doc, "rollout-outcome").AttrOr("data-status", "") != "pass" {
		t.Fatalf("dry run = %d, outcome %q", rec.Code, testid(doc, "rollout-outcome").Text())
	}
	if got := testid(doc, "rollout-line").Length(); got != 3 {
		t.Errorf("%d lines, want 3", got)
	}
	if got := testid(doc, "rollout-line").First().Text(); !strings.Contains(got, report.Masked) {
		t.Errorf("the key is not masked in %q", got)
	}
	reqs := fake.requests()
	if len(reqs) != 1 || !reqs[0].DryRun || reqs[0].Select != "env:Production" || reqs[0].Batch != "10%" {
		t.Fatalf("requests = %+v", reqs)
	}
	paths := map[string]bool{}
	for _, f := range reqs[0].Pack {
		paths[f.Path] = true
	}
	if !paths["change/update-tentacle.sh"] || !paths["plan.json"] || !paths["SHA256SUMS"] {
		t.Errorf("the pack handed over lacks files: %v", paths)
	}
	// Unticking the box is a real run; a failure says why, masked.
	fake.fail = true
	form.Del("dryRun")
	doc = mustDoc(t, h.post(t, "/rollout/start", form))
	if got := fake.requests(); got[len(got)-1].DryRun {
		t.Error("an unticked dry run ran dry")
	}
	if got := testid(doc, "rollout-advice").Text(); !strings.Contains(got, "401") || testid(doc, "rollout-outcome").AttrOr("data-status", "") != "fail" {
		t.Errorf("failed rollout advice = %q", got)
	}
	// Back to review keeps the change.
	back := formValues(doc, "rollout-back-form")
	if review := mustDoc(t, h.post(t, "/wizard", back)); testid(review, "change-review").Length() != 1 {
		t.Error("Back to review lost the change")
	}
}

func TestRolloutStreamsAndRunsOneAtATime(t *testing.T) {
	fake := &fakeRollout{gate: make(chan struct{})}
	h := mustRolloutApp(t, fake.run)
	form := formValues(h.rolloutPage(t), "rollout-form")
	form.Set("apiKey", canaryKey)
	srv := httptest.NewServer(h.Echo)
	defer srv.Close()
	post := func() *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/rollout/start", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		req.AddCookie(h.cookie)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := post()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	stream := testid(doc, "rollout-run").AttrOr("sse-connect", "")
	if res.StatusCode != http.StatusAccepted || !strings.HasPrefix(stream, "/rollout/events/") {
		t.Fatalf("htmx start = %d, stream %q", res.StatusCode, stream)
	}
	if again := post(); again.StatusCode != http.StatusConflict {
		t.Errorf("a second rollout while one runs = %d, want 409", again.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+stream, nil)
	req.AddCookie(h.cookie)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	first, err := readEvent(r)
	if err != nil || first.event != "line" || !strings.Contains(first.data, "found") || strings.Contains(first.data, "CANARY") {
		t.Fatalf("first event = %+v, %v", first, err)
	}
	close(fake.gate)
	var names []string
	for {
		ev, err := readEvent(r)
		if err != nil {
			t.Fatalf("stream ended before done: %v (%v)", err, names)
		}
		names = append(names, ev.event)
		if strings.Contains(ev.data, "CANARY") {
			t.Errorf("the key is in the stream: %s", ev.data)
		}
		if ev.event == "done" {
			if statusOf(t, ev.data) != "pass" {
				t.Errorf("done = %s", ev.data)
			}
			break
		}
	}
	if strings.Join(names, ",") != "line,line,done" {
		t.Errorf("events = %v", names)
	}
}

func TestRolloutUnavailableAndGuarded(t *testing.T) {
	plain := mustApp(t)
	if rec := plain.post(t, "/rollout", url.Values{"step": {"4"}, "plan": {validPlan}}); rec.Code != http.StatusNotFound {
		t.Errorf("POST /rollout without a Rollout = %d, want 404", rec.Code)
	}
	// A Rollout without an access token is never used.
	e := app.New(app.Config{Random: &counter{}, Rollout: (&fakeRollout{}).run})
	if rec := (testApp{Echo: e}).post(t, "/rollout", url.Values{"step": {"4"}, "plan": {validPlan}}); rec.Code != http.StatusNotFound {
		t.Errorf("POST /rollout with a Rollout but no token = %d, want 404", rec.Code)
	}
	h := mustRolloutApp(t, (&fakeRollout{}).run)
	form := formValues(h.rolloutPage(t), "rollout-form")
	form.Set("csrf", "wrong")
	form.Set("apiKey", canaryKey)
	if rec := h.post(t, "/rollout/start", form); rec.Code != http.StatusForbidden {
		t.Errorf("start with a wrong CSRF token = %d, want 403", rec.Code)
	}
}
