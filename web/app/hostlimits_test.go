package app_test

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
)

func TestBearerSchemeInAnyCase(t *testing.T) {
	h := mustHostApp(t, (&fakeChecker{}).check, nil)
	anon := hostApp{testApp: h.testApp}
	tests := []struct {
		name, header string
		wantStatus   int
	}{
		{"Bearer", "Bearer " + accessToken, http.StatusOK},
		{"bearer", "bearer " + accessToken, http.StatusOK},
		{"BEARER", "BEARER " + accessToken, http.StatusOK},
		{"extra spaces", "bearer   " + accessToken + " ", http.StatusOK},
		{"wrong token", "bearer nope", http.StatusForbidden},
		{"another scheme", "Basic " + accessToken, http.StatusForbidden},
		{"no token", "bearer", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Authorization", tt.header)
			if rec := anon.send(t, req); rec.Code != tt.wantStatus {
				t.Errorf("GET / with Authorization %q = %d, want %d", tt.header, rec.Code, tt.wantStatus)
			}
		})
	}
}

// TestBearerTokenExactly: after the scheme and one or more spaces (RFC
// 9110 section 11.4: 1*SP), the credentials must be the token and nothing
// else: no second word, no tab, no other white space, no character more
// or less. Space or tab around the whole value is not part of it (section
// 5.5), and is ignored.
func TestBearerTokenExactly(t *testing.T) {
	h := mustHostApp(t, (&fakeChecker{}).check, nil)
	anon := hostApp{testApp: h.testApp}
	tok := accessToken
	tests := []struct {
		name, header string
		wantStatus   int
	}{
		{"one space", "Bearer " + tok, http.StatusOK},
		{"two spaces (1*SP)", "Bearer  " + tok, http.StatusOK},
		{"space or tab around the value", " Bearer " + tok + "\t ", http.StatusOK},
		{"second word", "Bearer " + tok + " extra", http.StatusForbidden},
		{"second word after a tab", "Bearer " + tok + "\textra", http.StatusForbidden},
		{"tab as the separator", "Bearer\t" + tok, http.StatusForbidden},
		{"tab after the space", "Bearer \t" + tok, http.StatusForbidden},
		{"no-break space before", "Bearer \u00a0" + tok, http.StatusForbidden},
		{"no-break space after", "Bearer " + tok + "\u00a0", http.StatusForbidden},
		{"ideographic space after", "Bearer " + tok + "\u3000", http.StatusForbidden},
		{"one character more", "Bearer " + tok + "x", http.StatusForbidden},
		{"padding", "Bearer " + tok + "=", http.StatusForbidden},
		{"one character less", "Bearer " + tok[:len(tok)-1], http.StatusForbidden},
		{"a comma list", "Bearer " + tok + ", Bearer " + tok, http.StatusForbidden},
		{"quoted", `Bearer "` + tok + `"`, http.StatusForbidden},
		{"twice", "Bearer " + tok + " " + tok, http.StatusForbidden},
		{"empty", "Bearer ", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Authorization", tt.header)
			if rec := anon.send(t, req); rec.Code != tt.wantStatus {
				t.Errorf("GET / with Authorization %q = %d, want %d", tt.header, rec.Code, tt.wantStatus)
			}
		})
	}
}

// TestForbiddenPage: the refusal names the address the browser used and
// the one the server listens on, the command that prints a new link there,
// and links only to the access help, which answers a stranger.
func TestForbiddenPage(t *testing.T) {
	h := mustHostApp(t, (&fakeChecker{}).check, nil)
	srv := httptest.NewServer(h.Echo)
	defer srv.Close()
	srv.Client().Timeout = 30 * time.Second
	addr := srv.Listener.Addr().String()
	tests := []struct {
		name, path, host string
		want             []string
	}{
		{"no token", "/", "", []string{"the link it printed when it started (http://" + addr + "/?token=…)", "tentacle-ha serve -allow-register -addr " + addr + "."}},
		{"no token for another page", "/register/events/0123", "", []string{"(http://" + addr + "/?token=…)"}},
		{"through a tunnel", "/", "localhost:9000", []string{"(http://" + addr + "/?token=…; through the address you opened, http://localhost:9000/?token=… with the same token)", "-addr " + addr + "."}},
		{"an odd Host is not repeated", "/", "evil\"<b>:1", []string{"(http://" + addr + "/?token=…)"}},
		{"wrong token", "/?token=nope", "", []string{"not the one this wizard printed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("GET %s = %d, want 403", tt.path, res.StatusCode)
			}
			doc, err := goquery.NewDocumentFromReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := testid(doc, "error-message").Text()
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("403 page says %q, want %q", got, want)
				}
			}
			doc.Find("form, [hx-get], [hx-post]").Each(func(_ int, s *goquery.Selection) {
				html, _ := goquery.OuterHtml(s)
				t.Errorf("the 403 page has a form the visitor is refused again at: %s", html)
			})
			links := 0
			doc.Find("a[href], link[href], script[src]").Each(func(_ int, s *goquery.Selection) {
				ref := s.AttrOr("href", s.AttrOr("src", ""))
				if goquery.NodeName(s) == "a" {
					links++
					if ref != "/access" {
						t.Errorf("the 403 page links to %s, want only /access", ref)
					}
				}
				if r, err := srv.Client().Get(srv.URL + ref); err != nil || r.StatusCode != http.StatusOK {
					t.Errorf("the 403 page refers to %s, which answers a stranger %v %v", ref, r.StatusCode, err)
				} else {
					r.Body.Close()
				}
			})
			if links != 1 {
				t.Errorf("the 403 page has %d links, want 1 (to the access help)", links)
			}
		})
	}
}

// TestAccessHelp: the access help answers without the token, names the
// server's real address and command (-allow-remote for an address other
// than loopback), and carries no form and no token.
func TestAccessHelp(t *testing.T) {
	for _, tt := range []struct{ listen, command string }{
		{"127.0.0.1:9123", "tentacle-ha serve -allow-register -addr 127.0.0.1:9123"},
		{"localhost:9000", "tentacle-ha serve -allow-register -addr localhost:9000"},
		{"192.0.2.7:8080", "tentacle-ha serve -allow-register -addr 192.0.2.7:8080 -allow-remote"},
	} {
		t.Run(tt.listen, func(t *testing.T) {
			e := app.New(app.Config{Logger: slog.New(slog.DiscardHandler), Random: &counter{}, AccessToken: accessToken, ListenAddr: tt.listen})
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/access", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /access without the token = %d, want 200", rec.Code)
			}
			doc := mustDoc(t, rec)
			if got := testid(doc, "access-command").Text(); got != tt.command {
				t.Errorf("command = %q, want %q", got, tt.command)
			}
			if got, want := testid(doc, "access-printed").Text(), "Tentacle HA Wizard on http://"+tt.listen+"/?token=…"; got != want {
				t.Errorf("printed line = %q, want %q", got, want)
			}
			body := rec.Body.String()
			if strings.Contains(body, accessToken) || doc.Find("form, input").Length() > 0 || doc.Find("a[href]").Length() > 0 {
				t.Errorf("the access help of a guarded server carries the token, a form or a link")
			}
		})
	}
}

// TestRegisterEventsLastEventIDOutOfRange: a Last-Event-ID that names no
// event of the run replays the run from its first event.
func TestRegisterEventsLastEventIDOutOfRange(t *testing.T) {
	h := mustHostApp(t, nil, (&fakeRegistrar{}).register)
	form := formValues(h.registerPage(t), "register-form")
	form.Set("apiKey", canaryKey)
	req := httptest.NewRequest(http.MethodPost, "/register/start", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	rec := h.send(t, req)
	var started struct{ Events string }
	if err := json.Unmarshal(rec.Body.Bytes(), &started); err != nil || rec.Code != http.StatusAccepted {
		t.Fatalf("POST /register/start = %d %s", rec.Code, rec.Body)
	}
	// Watching from the start returns once the run is over, with all
	// seven events sent.
	if rec := h.get(t, started.Events); !strings.Contains(rec.Body.String(), "id: 7\n") {
		t.Fatalf("the run did not send seven events:\n%s", rec.Body)
	}
	tests := []struct {
		name, lastID, wantFirst string
	}{
		{"in range", "5", "6"},
		{"negative", "-5", "1"},
		{"past the events sent", "99999", "1"},
		{"larger than an int", "99999999999999999999999", "1"},
		{"the largest int", "9223372036854775807", "1"},
		{"not a number", "abc", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, started.Events, nil)
			req.Header.Set("Last-Event-ID", tt.lastID)
			rec := h.send(t, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s with Last-Event-ID %s = %d, want 200", started.Events, tt.lastID, rec.Code)
			}
			stream := bufio.NewReader(rec.Body)
			ev, err := readEvent(stream)
			if err != nil || ev.id != tt.wantFirst {
				t.Fatalf("first event after Last-Event-ID %s = %+v (%v), want id %s", tt.lastID, ev, err, tt.wantFirst)
			}
			for ev.event != "done" && err == nil {
				ev, err = readEvent(stream)
			}
			if err != nil && err != io.EOF {
				t.Errorf("the stream does not end with done: %v", err)
			}
		})
	}
}
