package app_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestRegisterStreamsEvents(t *testing.T) {
	fr := &fakeRegistrar{gate: make(chan struct{})}
	h := mustHostApp(t, nil, fr.register)
	page := h.registerPage(t)
	if got := testid(page, "register-plan").Text(); !strings.Contains(got, "https://203.0.113.10:10943") || !strings.Contains(got, "poll://g3662re9njtelsyfhm7t/") {
		t.Errorf("the Register page does not show the plan to confirm: %q", got)
	}
	if got := testid(page, "register-tentacle").Text(); got != "/opt/octopus/tentacle/Tentacle" {
		t.Errorf("Tentacle binary shown = %q", got)
	}
	if key := testid(page, "register-api-key"); key.AttrOr("type", "") != "password" || key.AttrOr("autocomplete", "") != "off" {
		t.Error("the API key field is not a password field with autocomplete off")
	}
	srv := httptest.NewServer(h.Echo)
	defer srv.Close()
	client := srv.Client()

	// The script posts the plan and the key, and gets the stream's address.
	form := formValues(page, "register-form")
	form.Set("apiKey", canaryKey)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/register/start", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.AddCookie(h.cookie)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var started struct{ Events string }
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(body, &started) != nil || !strings.HasPrefix(started.Events, "/register/events/") {
		t.Fatalf("POST /register/start = %d %s, want 202 with the events address", res.StatusCode, body)
	}

	events := func(lastID string) (*bufio.Reader, func()) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+started.Events, nil)
		req.AddCookie(h.cookie)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("GET %s = %d %s", started.Events, res.StatusCode, res.Header.Get("Content-Type"))
		}
		return bufio.NewReader(res.Body), func() { res.Body.Close() }
	}
	stream, closeStream := events("")
	defer closeStream()

	// The first step arrives while the run is still going on.
	fr.gate <- struct{}{}
	var got []sse
	for len(got) < 2 {
		ev, err := readEvent(stream)
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		got = append(got, ev)
	}
	close(fr.gate)
	for got[len(got)-1].event != "done" {
		ev, err := readEvent(stream)
		if err != nil {
			t.Fatalf("reading the stream after %d events: %v", len(got), err)
		}
		got = append(got, ev)
	}
	var statuses []string
	for i, ev := range got[:len(got)-1] {
		if ev.event != "step" || ev.id != strconv.Itoa(i+1) {
			t.Errorf("event %d = %s id %s, want step id %d", i, ev.event, ev.id, i+1)
		}
		statuses = append(statuses, statusOf(t, ev.data))
	}
	if want := "running,pass,running,pass,running,pass,warning"; strings.Join(statuses, ",") != want {
		t.Errorf("step statuses = %s, want %s", strings.Join(statuses, ","), want)
	}
	done := got[len(got)-1].data
	if statusOf(t, done) != "warning" || !strings.Contains(done, "polls 2 addresses") || !strings.Contains(done, backupPath) {
		t.Errorf("done event = %s", done)
	}
	all := ""
	for _, ev := range got {
		all += ev.data
	}
	if strings.Contains(all, "CANARY") || !strings.Contains(all, "--apiKey API-***") {
		t.Error("the stream does not mask the API key")
	}
	if !strings.Contains(got[1].data, "first line\nsecond line") {
		t.Errorf("output lines are not kept whole: %q", got[1].data)
	}
	checkPlacement(t, got)

	// A browser that reconnects gets what it missed, then the end.
	again, closeAgain := events("5")
	defer closeAgain()
	ev, err := readEvent(again)
	if err != nil || ev.id != "6" {
		t.Errorf("after Last-Event-ID 5 the stream starts at %q (%v), want 6", ev.id, err)
	}
	if got := placement(t, ev.data); got != "replace register-step-3" {
		t.Errorf("event 6 after Last-Event-ID 5 = %s, want a replacement of step 3's row (event 5 added it)", got)
	}
	for ev.event != "done" && err == nil {
		ev, err = readEvent(again)
	}
	if err != nil {
		t.Errorf("the replayed stream does not end with done: %v", err)
	}
	if rec := h.get(t, "/register/events/0000"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown run = %d, want 404", rec.Code)
	}
}

func TestRegisterWithoutJavaScript(t *testing.T) {
	for _, tt := range []struct {
		name         string
		fail         bool
		wantStatuses string
		wantOutcome  string
		wantText     []string
	}{
		{"green, with a warning", false, "pass,pass,pass,warning", "warning", []string{"Registered, with 1 warning", "web01 is registered and polls 2 addresses as planned. Octopus reports it Healthy.", "Step 4 of 4, Find the machine in Octopus: could not ask Octopus"}},
		{"a step fails", true, "pass,fail", "fail", []string{"stopped at step 2 of 4: Register with https://203.0.113.10:10943", "The API key was refused"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := mustHostApp(t, nil, (&fakeRegistrar{fail: tt.fail}).register)
			form := formValues(h.registerPage(t), "register-form")
			form.Set("apiKey", canaryKey)
			rec := h.post(t, "/register/start", form)
			doc := mustDoc(t, rec)
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /register/start = %d", rec.Code)
			}
			var statuses []string
			testid(doc, "register-step").Each(func(_ int, s *goquery.Selection) { statuses = append(statuses, s.AttrOr("data-status", "")) })
			if got := strings.Join(statuses, ","); got != tt.wantStatuses {
				t.Errorf("steps = %s, want %s (the latest state of each)", got, tt.wantStatuses)
			}
			out := testid(doc, "register-outcome")
			if out.AttrOr("data-status", "") != tt.wantOutcome {
				t.Errorf("outcome = %q, want %s", out.AttrOr("data-status", ""), tt.wantOutcome)
			}
			for _, want := range tt.wantText {
				if !strings.Contains(out.Text(), want) {
					t.Errorf("outcome %q lacks %q", out.Text(), want)
				}
			}
			if n := strings.Count(out.Text(), backupPath); n != 1 {
				t.Errorf("the backup path shows %d times in the outcome, want once", n)
			}
			if testid(doc, "register-api-key").AttrOr("value", "") != "" {
				t.Error("the key field comes back filled")
			}
		})
	}
}

func TestRegisterRefusals(t *testing.T) {
	fr := &fakeRegistrar{gate: make(chan struct{})}
	h := mustHostApp(t, nil, fr.register)
	form := formValues(h.registerPage(t), "register-form")
	post := func(v url.Values, js bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/register/start", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if js {
			req.Header.Set("Accept", "application/json")
		}
		return h.send(t, req)
	}
	message := func(rec *httptest.ResponseRecorder) string {
		var b struct{ Message string }
		json.Unmarshal(rec.Body.Bytes(), &b)
		return b.Message
	}
	// No key: nothing starts.
	rec := post(form, false)
	if doc := mustDoc(t, rec); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(testid(doc, "register-key-error").Text(), "Enter the API key") {
		t.Errorf("start without a key = %d, want 422 with the problem beside the field", rec.Code)
	}
	if rec := post(form, true); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(message(rec), "Enter the API key") {
		t.Errorf("script start without a key = %d %q", rec.Code, message(rec))
	}
	// One run at a time.
	form.Set("apiKey", canaryKey)
	if rec := post(form, true); rec.Code != http.StatusAccepted {
		t.Fatalf("start = %d: %s", rec.Code, rec.Body)
	}
	if rec := post(form, true); rec.Code != http.StatusConflict || !strings.Contains(message(rec), "running already") {
		t.Errorf("a second start while one runs = %d %q, want 409", rec.Code, message(rec))
	}
	if rec := post(form, false); rec.Code != http.StatusConflict || !strings.Contains(testid(mustDoc(t, rec), "alert").Text(), "running already") {
		t.Errorf("a second plain start = %d, want 409 with an alert", rec.Code)
	}
	close(fr.gate)
	// An invalid plan never reaches the registrar.
	bad := cloneValues(form)
	bad.Set("plan", strings.Replace(validPlan, "10944", "10943", 1))
	if rec := post(bad, true); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("start with an invalid plan = %d, want 422", rec.Code)
	}
	// Without the CSRF token nothing starts.
	noCSRF := cloneValues(form)
	noCSRF.Set("csrf", "")
	if rec := post(noCSRF, true); rec.Code != http.StatusForbidden || !strings.Contains(message(rec), "security token") {
		t.Errorf("start without the CSRF token = %d %q, want 403", rec.Code, message(rec))
	}
}
