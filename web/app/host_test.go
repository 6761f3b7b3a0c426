package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
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

func TestHostToolsUnavailable(t *testing.T) {
	hosts := map[string]app.Config{
		"browser or Worker": {},
		// A checker without an access token is not used: a host that
		// runs commands must not answer strangers.
		"checker without a token": {
			Checker:   func(context.Context, plan.Plan, string) report.Preflight { panic("called") },
			Registrar: func(context.Context, plan.Plan, string, func(report.Event)) (app.Registered, error) { panic("called") },
		},
	}
	for name, cfg := range hosts {
		t.Run(name, func(t *testing.T) {
			cfg.Random = &counter{}
			cfg.Logger = slog.New(slog.DiscardHandler)
			app := testApp{Echo: app.New(cfg)}
			doc := mustDoc(t, app.post(t, "/wizard", url.Values{"step": {"1"}, "op": {"load"}, "plan": {validPlan}}))
			for _, id := range []string{"check-unavailable", "register-unavailable"} {
				if got := testid(doc, id).Text(); !strings.Contains(got, "-allow-register") || !strings.Contains(got, "tentacle-ha serve -allow-register") {
					t.Errorf("%s says %q, want how to get it", id, got)
				}
			}
			for _, id := range []string{"check", "check-form", "open-register"} {
				if testid(doc, id).Length() != 0 {
					t.Errorf("a host without the feature shows %s", id)
				}
			}
			if doc.Find(`input[name="csrf"]`).Length() != 0 {
				t.Error("a host without an access token puts a CSRF token in the page")
			}
			for _, path := range []string{"/check", "/register", "/register/start"} {
				rec := app.post(t, path, url.Values{"step": {"4"}, "plan": {validPlan}})
				if msg := testid(mustDoc(t, rec), "error-message").Text(); rec.Code != http.StatusNotFound || !strings.Contains(msg, "-allow-register") {
					t.Errorf("POST %s = %d %q, want 404 saying how to get it", path, rec.Code, msg)
				}
			}
		})
	}
}

// fakeChecker answers every kind of check and records the key it got.
type fakeChecker struct {
	keys []string
}

func (f *fakeChecker) check(_ context.Context, p plan.Plan, key string) report.Preflight {
	f.keys = append(f.keys, key)
	return report.Preflight{
		Checks: []report.Check{
			{Name: "TCP connect", Target: p.Addresses()[0], Status: report.Pass, Message: "connected", Duration: 3 * time.Millisecond},
			{Name: "Server thumbprint", Target: p.Addresses()[1], Status: report.Fail, Message: "presented 0A1B…, expected " + p.Server.Thumbprint + "; a TLS-terminating proxy?"},
			{Name: "Cluster nodes", Target: p.Server.URL, Status: report.Warn, Message: "3 nodes, the plan has 2"},
			// A checker that slips the key into a message is masked.
			{Name: "API key", Target: p.Server.URL, Status: report.Skip, Message: "sent " + key},
		},
		Choices: &report.Choices{Spaces: []string{"Default"}, Environments: []string{"Production", "Staging"}, Roles: []string{"web"}},
	}
}

func TestCheckRendersChecks(t *testing.T) {
	fc := &fakeChecker{}
	h := mustHostApp(t, fc.check, nil)
	doc := h.review(t)
	if testid(doc, "check-unavailable").Length() != 0 || testid(doc, "register-unavailable").Length() != 1 {
		t.Fatal("with a checker and no registrar, the review step should offer Check only")
	}
	if got := testid(doc, "check-api-key"); got.AttrOr("type", "") != "password" || got.AttrOr("autocomplete", "") != "off" || got.AttrOr("form", "") != "check-form" {
		t.Errorf("API key field = %v, want a password field of the check form, autocomplete off", got.Nodes[0].Attr)
	}
	if doc.Find(`form#wizard input[name="apiKey"]:not([form])`).Length() != 0 {
		t.Error("the API key field is part of the wizard form: every preview would send it")
	}
	form := formValues(doc, "check-form")
	form.Set("apiKey", canaryKey)

	// htmx: the result alone.
	req := httptest.NewRequest(http.MethodPost, "/check", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	rec := h.send(t, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("htmx POST /check = %d: %s", rec.Code, rec.Body)
	}
	frag := mustDoc(t, rec)
	if frag.Find("form#wizard").Length() != 0 || testid(frag, "check-result").Length() != 1 {
		t.Fatal("htmx POST /check does not answer with the result alone")
	}
	rows := testid(frag, "check-row")
	var statuses []string
	rows.Each(func(_ int, s *goquery.Selection) { statuses = append(statuses, s.AttrOr("data-status", "")) })
	if got, want := strings.Join(statuses, ","), "pass,fail,warning,skipped"; got != want {
		t.Errorf("check rows = %s, want %s", got, want)
	}
	if rows.Eq(1).Find(".badge-fail").Text() != "Fail" || !strings.Contains(rows.Eq(1).Text(), "TLS-terminating proxy") {
		t.Errorf("failed row = %q", rows.Eq(1).Text())
	}
	if got := testid(frag, "check-summary").Text(); !strings.Contains(got, "Not ready") || !strings.Contains(got, "4 checks: 1 passed, 1 failed, 1 warnings, 1 skipped") {
		t.Errorf("summary = %q", got)
	}
	var offered []string
	testid(frag, "choices-Environments").Find(`input[name="use.tentacle.environments"]`).Each(func(_ int, s *goquery.Selection) {
		offered = append(offered, s.AttrOr("value", ""))
	})
	if got := strings.Join(offered, ", "); got != "Production, Staging" {
		t.Errorf("environments offered = %q", got)
	}
	if !strings.Contains(rows.Eq(3).Text(), "API-***") {
		t.Errorf("a key in a check's message is not masked: %q", rows.Eq(3).Text())
	}

	// Without JavaScript: the review step with the result.
	rec = h.post(t, "/check", form)
	page := mustDoc(t, rec)
	if rec.Code != http.StatusOK || page.Find(`form#wizard[data-review="true"]`).Length() != 1 || testid(page, "check-row").Length() != 4 {
		t.Fatalf("plain POST /check = %d, want the review step with 4 checks", rec.Code)
	}
	if _, ok := testid(page, "check-result").Attr("autofocus"); !ok {
		t.Error("the result does not take the focus")
	}
	if v := testid(page, "check-api-key").AttrOr("value", ""); v != "" {
		t.Errorf("the key field comes back filled: %q", v)
	}
	if len(fc.keys) != 2 || fc.keys[0] != canaryKey {
		t.Errorf("checker got keys %q, want the typed key twice", fc.keys)
	}

	// Without a key the API checks are skipped, and the page says so.
	form.Del("apiKey")
	if got := testid(mustDoc(t, h.post(t, "/check", form)), "check-summary").Text(); !strings.Contains(got, "Enter an API key") {
		t.Errorf("summary without a key = %q", got)
	}
	// A key that could be taken for an option never reaches the checker.
	form.Set("apiKey", "--help")
	if got := testid(mustDoc(t, h.post(t, "/check", form)), "check-alert").Text(); !strings.Contains(got, "not an Octopus API key") {
		t.Errorf("a key with a leading dash gives %q", got)
	}
	if len(fc.keys) != 3 {
		t.Errorf("checker ran %d times, want 3", len(fc.keys))
	}
}

func TestCheckNeedsValidPlan(t *testing.T) {
	fc := &fakeChecker{}
	h := mustHostApp(t, fc.check, nil)
	bad := strings.Replace(validPlan, "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", "77751F90", 1)
	rec := h.post(t, "/check", url.Values{"step": {"4"}, "plan": {bad}})
	doc := mustDoc(t, rec)
	if rec.Code != http.StatusUnprocessableEntity || testid(doc, "error-summary").Length() != 1 || !strings.Contains(testid(doc, "check-alert").Text(), "Fix the plan") {
		t.Errorf("check of an invalid plan = %d, want 422 with the errors", rec.Code)
	}
	if len(fc.keys) != 0 {
		t.Error("the checker ran on an invalid plan")
	}
}

func TestAccessToken(t *testing.T) {
	h := mustHostApp(t, (&fakeChecker{}).check, nil)
	anon := hostApp{testApp: h.testApp}
	tests := []struct {
		name, path   string
		header       map[string]string
		cookie       bool
		wantStatus   int
		wantLocation string
	}{
		{name: "no token", path: "/", wantStatus: http.StatusForbidden},
		{name: "wrong token", path: "/?token=nope", wantStatus: http.StatusForbidden},
		{name: "wrong cookie", path: "/", header: map[string]string{"Cookie": h.cookie.Name + "=forged"}, wantStatus: http.StatusForbidden},
		{name: "token sets the cookie", path: "/?token=" + accessToken + "&x=1", wantStatus: http.StatusSeeOther, wantLocation: "/?x=1"},
		{name: "never redirects off the host", path: "//evil.example?token=" + accessToken, wantStatus: http.StatusSeeOther, wantLocation: "/"},
		{name: "cookie", path: "/", cookie: true, wantStatus: http.StatusOK},
		{name: "static files are public", path: "/static/app.css", wantStatus: http.StatusOK},
		{name: "bearer", path: "/", header: map[string]string{"Authorization": "Bearer " + accessToken}, wantStatus: http.StatusOK},
		{name: "wrong bearer", path: "/", header: map[string]string{"Authorization": "Bearer nope"}, wantStatus: http.StatusForbidden},
		{name: "events need the cookie too", path: "/register/events/0123", wantStatus: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := anon
			if tt.cookie {
				c = h
			}
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := c.send(t, req)
			if rec.Code != tt.wantStatus || rec.Header().Get("Location") != tt.wantLocation {
				t.Fatalf("GET %s = %d %q, want %d %q", tt.path, rec.Code, rec.Header().Get("Location"), tt.wantStatus, tt.wantLocation)
			}
			if rec.Code != http.StatusForbidden {
				return
			}
			doc := mustDoc(t, rec)
			if msg := testid(doc, "error-message").Text(); !strings.Contains(msg, "link") {
				t.Errorf("403 page says %q, want how to get in", msg)
			}
			if strings.Contains(rec.Body.String(), h.csrf) || strings.Contains(rec.Body.String(), accessToken) {
				t.Error("the 403 page gives away the CSRF or access token")
			}
		})
	}
	rec := anon.send(t, httptest.NewRequest(http.MethodGet, "/?token="+accessToken, nil))
	ck := rec.Result().Cookies()[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || strings.Contains(ck.Value, accessToken) {
		t.Errorf("cookie = %+v, want HttpOnly, SameSite=Strict, Path=/, not the token itself", ck)
	}
}

func TestCSRF(t *testing.T) {
	h := mustHostApp(t, (&fakeChecker{}).check, nil)
	form := url.Values{"step": {"1"}, "op": {"load"}, "plan": {validPlan}}
	multipartBody := func(v url.Values) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vals := range v {
			for _, val := range vals {
				mw.WriteField(k, val)
			}
		}
		mw.Close()
		return &b, mw.FormDataContentType()
	}
	tests := []struct {
		name       string
		csrf       string
		header     string
		multipart  bool
		wantStatus int
	}{
		{name: "missing", csrf: "", wantStatus: http.StatusForbidden},
		{name: "wrong", csrf: strings.Repeat("0", 64), wantStatus: http.StatusForbidden},
		{name: "form field", csrf: h.csrf, wantStatus: http.StatusOK},
		{name: "multipart form field", csrf: h.csrf, multipart: true, wantStatus: http.StatusOK},
		{name: "htmx header", header: h.csrf, wantStatus: http.StatusOK},
		{name: "wrong header", header: "x" + h.csrf, wantStatus: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := cloneValues(form)
			if tt.csrf != "" {
				v.Set("csrf", tt.csrf)
			}
			var req *http.Request
			if tt.multipart {
				body, ctype := multipartBody(v)
				req = httptest.NewRequest(http.MethodPost, "/wizard", body)
				req.Header.Set("Content-Type", ctype)
			} else {
				req = httptest.NewRequest(http.MethodPost, "/wizard", strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tt.header != "" {
				req.Header.Set("X-CSRF-Token", tt.header)
			}
			rec := h.send(t, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("POST /wizard = %d, want %d", rec.Code, tt.wantStatus)
			}
			if rec.Code == http.StatusForbidden && !strings.Contains(testid(mustDoc(t, rec), "error-message").Text(), "security token") {
				t.Error("the CSRF refusal does not say what is wrong")
			}
		})
	}
	// Every page's forms and htmx requests carry the token.
	doc := h.review(t)
	if got := doc.Find("body").AttrOr("hx-headers", ""); !strings.Contains(got, h.csrf) {
		t.Errorf("body hx-headers = %q, want the CSRF token", got)
	}
	if doc.Find(`form#check-form input[name="csrf"]`).AttrOr("value", "") != h.csrf {
		t.Error("the check form carries no CSRF token")
	}
	// Scripts that hold the token itself need no CSRF token.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/validate", strings.NewReader(validPlan))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+accessToken)
	if rec := (hostApp{testApp: h.testApp}).send(t, req); rec.Code != http.StatusOK {
		t.Errorf("POST /api/v1/validate with the bearer token = %d, want 200", rec.Code)
	}
}
