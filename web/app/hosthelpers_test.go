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
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// accessToken is the token a test server prints at start.
const accessToken = "test-access-token-6f1c0a9e2b7d4c3a8e5f"

// canaryKey is the API key typed in every test: it must never come back
// in a response, a header, a stream or the log.
const canaryKey = "API-CANARYWEB7Q2M9X4K8T1Z6R3V5"

// hostApp is the app as `serve -allow-register` builds it, with test
// doubles for the checker and the registrar, and a browser that has
// opened the printed link (it holds the cookie and the page's CSRF token).
type hostApp struct {
	testApp
	cookie *http.Cookie
	csrf   string
}

func mustHostApp(tb testing.TB, checker app.Checker, registrar app.Registrar) hostApp {
	tb.Helper()
	var log bytes.Buffer
	e := app.New(app.Config{
		Logger:      slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Random:      &counter{},
		Checker:     checker,
		Registrar:   registrar,
		Tentacle:    "/opt/octopus/tentacle/Tentacle",
		AccessToken: accessToken,
	})
	h := hostApp{testApp: testApp{Echo: e, log: &log}}
	tb.Cleanup(func() {
		if strings.Contains(log.String(), "CANARY") {
			tb.Errorf("the API key is in the log:\n%s", log.String())
		}
	})
	rec := h.send(tb, httptest.NewRequest(http.MethodGet, "/?token="+accessToken, nil))
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) != 1 {
		tb.Fatalf("GET /?token= = %d with %d cookies, want 303 and one cookie", rec.Code, len(cookies))
	}
	h.cookie = cookies[0]
	doc := mustDoc(tb, h.get(tb, "/"))
	h.csrf = doc.Find(`form#wizard input[name="csrf"]`).AttrOr("value", "")
	if h.csrf == "" {
		tb.Fatal("the wizard form carries no CSRF token")
	}
	return h
}

// send serves req with the browser's cookie (once it has one) and fails
// the test if the API key comes back in the answer.
func (h hostApp) send(tb testing.TB, req *http.Request) *httptest.ResponseRecorder {
	tb.Helper()
	if h.cookie != nil {
		req.AddCookie(h.cookie)
	}
	rec := h.testApp.do(tb, req)
	mustNotLeak(tb, req.Method+" "+req.URL.Path, rec)
	return rec
}

func mustNotLeak(tb testing.TB, what string, rec *httptest.ResponseRecorder) {
	tb.Helper()
	if strings.Contains(rec.Body.String(), "CANARY") {
		tb.Errorf("%s: the API key is in the response body", what)
	}
	for name, vals := range rec.Header() {
		if strings.Contains(strings.Join(vals, " "), "CANARY") {
			tb.Errorf("%s: the API key is in the %s header", what, name)
		}
	}
}

func (h hostApp) get(tb testing.TB, path string) *httptest.ResponseRecorder {
	tb.Helper()
	return h.send(tb, httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form as a browser without JavaScript does, with the CSRF
// token the page carried.
func (h hostApp) post(tb testing.TB, path string, v url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	v = cloneValues(v)
	if !v.Has("csrf") {
		v.Set("csrf", h.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.send(tb, req)
}

// review opens validPlan on the review step.
func (h hostApp) review(tb testing.TB) *goquery.Document {
	tb.Helper()
	rec := h.post(tb, "/wizard", url.Values{"step": {"1"}, "op": {"load"}, "plan": {validPlan}})
	doc := mustDoc(tb, rec)
	if got := doc.Find("form#wizard").AttrOr("data-review", ""); got != "true" {
		tb.Fatalf("validPlan does not open on the review step (data-review %q)", got)
	}
	return doc
}

// formValues is what a browser submits from the form with the given id:
// its own controls and those outside it that name it (form="id").
func formValues(doc *goquery.Document, id string) url.Values {
	v := url.Values{}
	doc.Find(`form#` + id + ` input, input[form="` + id + `"]`).Each(func(_ int, s *goquery.Selection) {
		if name := s.AttrOr("name", ""); name != "" && s.AttrOr("type", "text") != "submit" {
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

const backupPath = "/etc/octopus/Tentacle/tentacle-Tentacle.config.20261121T080000Z.bak"

// fakeRegistrar runs three steps and a verification note. With a gate,
// each step waits for the test to let it go; with fail, step 2 fails.
type fakeRegistrar struct {
	gate chan struct{}
	fail bool
}

func (f *fakeRegistrar) register(ctx context.Context, p plan.Plan, key string, emit func(report.Event)) (app.Registered, error) {
	names := []string{"Find the instance", "Register with " + p.Addresses()[0], "Compare with the plan"}
	for i, name := range names {
		if f.gate != nil {
			select {
			case <-f.gate:
			case <-ctx.Done():
				return app.Registered{}, ctx.Err()
			}
		}
		// A registrar that forgets to mask the key is masked anyway.
		ev := report.Event{Step: i + 1, Total: 4, Name: name, Command: "/opt/octopus/tentacle/Tentacle register-with --apiKey " + key, Status: report.Running}
		emit(ev)
		ev.Status, ev.Duration, ev.Output = report.Pass, 12*time.Millisecond, "first line\r\nsecond line"
		if f.fail && i == 1 {
			ev.Status = report.Fail
			ev.Message = name + " failed (exit status 1). The API key was refused: check OCTOPUS_API_KEY. The configuration before this run is saved at " + backupPath + "."
			emit(ev)
			return app.Registered{Backup: backupPath}, errors.New("registration: step failed: " + name + " with " + key)
		}
		emit(ev)
	}
	emit(report.Event{Step: 4, Total: 4, Name: "Find the machine in Octopus", Status: report.Warn, Message: "could not ask Octopus"})
	return app.Registered{Backup: backupPath, Trusted: p.Addresses(), Health: "Healthy"}, nil
}

// registerPage opens the Register page from the review step.
func (h hostApp) registerPage(tb testing.TB) *goquery.Document {
	tb.Helper()
	review := h.review(tb)
	if testid(review, "open-register").Length() != 1 {
		tb.Fatal("the review step offers no Register")
	}
	rec := h.post(tb, "/register", browserForm(review))
	if rec.Code != http.StatusOK {
		tb.Fatalf("POST /register = %d: %s", rec.Code, rec.Body)
	}
	return mustDoc(tb, rec)
}

// sse is one server-sent event.
type sse struct{ id, event, data string }

// readEvent reads the next event, skipping comments.
func readEvent(r *bufio.Reader) (sse, error) {
	var ev sse
	var data []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return ev, err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && ev.event != "":
			ev.data = strings.Join(data, "\n")
			return ev, nil
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			data = append(data, line[6:])
		}
	}
}

func statusOf(tb testing.TB, html string) string {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		tb.Fatal(err)
	}
	return doc.Find("[data-status]").First().AttrOr("data-status", "")
}
