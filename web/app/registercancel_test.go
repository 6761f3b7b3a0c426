package app_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestRegisterProgressAndCancel: a run started by htmx shows "Starting…"
// and a Cancel form naming the run; every step event updates the progress
// (steps ended of those planned); Cancel stops the run where it is, and
// the outcome says where and that running again is safe; the stream's end
// takes the progress and Cancel away.
func TestRegisterProgressAndCancel(t *testing.T) {
	fr := &fakeRegistrar{gate: make(chan struct{})}
	h := mustHostApp(t, nil, fr.register)
	v := formValues(h.registerPage(t), "register-form")
	v.Set("apiKey", canaryKey)
	rec := h.hxPost(t, "/register/start", v)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("htmx start = %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	if got := testid(doc, "register-progress-text").Text(); got != "Starting…" {
		t.Errorf("progress before the first step = %q, want Starting…", got)
	}
	cancel := formValues(doc, "register-cancel-form")
	id := cancel.Get("run")
	if id == "" || !strings.HasSuffix(testid(doc, "register-run").AttrOr("sse-connect", ""), "/"+id) {
		t.Fatalf("the Cancel form names run %q, not the run the page streams", id)
	}
	if f := testid(doc, "register-cancel-form"); f.AttrOr("hx-post", "") != "/register/cancel" || f.AttrOr("action", "") != "/register/cancel" {
		t.Error("the Cancel form does not post to /register/cancel")
	}

	fr.gate <- struct{}{} // step 1 runs; step 2 waits at the gate
	rec = h.post(t, "/register/cancel", cancel)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /register/cancel = %d: %s", rec.Code, rec.Body)
	}
	out := testid(mustDoc(t, rec), "register-outcome")
	if got := out.AttrOr("data-status", ""); got != "cancelled" {
		t.Errorf("outcome status = %q, want cancelled", got)
	}
	for id, want := range map[string]string{
		"register-title":    "Registration cancelled",
		"register-headline": "Cancelled after step 1 of 4: Find the instance.",
		"register-advice":   "Step 1 finished and stays done. Running again is safe: each step checks what is done and skips it.",
	} {
		if got := out.Find(`[data-testid="` + id + `"]`).Text(); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}

	// The stream, replayed now the run is over.
	stream := bufio.NewReader(strings.NewReader(h.get(t, "/register/events/"+id).Body.String()))
	type progress struct{ value, max, text string }
	var got []progress
	for {
		ev, err := readEvent(stream)
		if err != nil {
			t.Fatalf("the stream ends without done: %v", err)
		}
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(ev.data))
		if ev.event == "done" {
			if live := d.Find(`#register-live[hx-swap-oob="true"]`); live.Length() != 1 || live.Find("form").Length() != 0 {
				t.Errorf("done does not take away the progress and Cancel: %s", ev.data)
			}
			break
		}
		p := d.Find(`#register-progress[hx-swap-oob="true"]`)
		got = append(got, progress{p.Find("progress").AttrOr("value", ""), p.Find("progress").AttrOr("max", ""), p.Find(`[data-testid="register-progress-text"]`).Text()})
	}
	want := []progress{{"0", "4", "Step 1 of 4: Find the instance"}, {"1", "4", "Step 1 of 4: Find the instance"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("progress per event = %+v, want %+v", got, want)
	}

	// Cancelling a run that has ended is no error; an unknown run is 404.
	if rec := h.hxPost(t, "/register/cancel", cancel); rec.Code != http.StatusNoContent {
		t.Errorf("htmx cancel of an ended run = %d, want 204", rec.Code)
	}
	unknown := cloneValues(cancel)
	unknown.Set("run", "0000")
	if rec := h.post(t, "/register/cancel", unknown); rec.Code != http.StatusNotFound {
		t.Errorf("cancel of an unknown run = %d, want 404", rec.Code)
	}
	// The table is free again: a new run starts.
	close(fr.gate)
	if rec := h.hxPost(t, "/register/start", v); rec.Code != http.StatusAccepted {
		t.Errorf("start after a cancelled run = %d, want 202", rec.Code)
	}
}
