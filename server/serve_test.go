package main

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/server/internal/halibuttest"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/app"
)

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr        string
		allowRemote bool
		wantErr     string // "" for allowed
	}{
		{"127.0.0.1:8080", false, ""},
		{"127.0.0.2:8080", false, ""},
		{"[::1]:8080", false, ""},
		{"localhost:8080", false, ""},
		{"0.0.0.0:8080", false, "add -allow-remote"},
		{"192.0.2.10:8080", false, "names another host"},
		{"wizard.example.com:8080", false, "names another host"},
		{"[::]:8080", false, "add -allow-remote"},
		{"0.0.0.0:8080", true, ""},
		{"192.0.2.10:8080", true, ""},
		{":8080", false, "every interface"},
		{":8080", true, "every interface"}, // naming the host is the point
		{"8080", false, "not host:port"},
	}
	for _, tt := range tests {
		err := checkListen(tt.addr, tt.allowRemote)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("checkListen(%q, %v) = %v, want allowed", tt.addr, tt.allowRemote, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("checkListen(%q, %v) = %v, want an error saying %q", tt.addr, tt.allowRemote, err, tt.wantErr)
		}
	}
}

// TestServeFlags runs serve with command lines it must refuse before it
// listens anywhere.
func TestServeFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"serve", "-allow-register", "-addr", "0.0.0.0:0"}, "-allow-remote"},
		{[]string{"serve", "-allow-register", "-addr", ":0"}, "every interface"},
		{[]string{"serve", "-allow-register", "-addr", "192.0.2.10:0"}, "names another host"},
		{[]string{"serve", "-allow-remote", "-addr", "0.0.0.0:0"}, "only apply with -allow-register"},
		{[]string{"serve", "-tentacle", "/opt/x"}, "only apply with -allow-register"},
		{[]string{"serve", "-no-such-flag"}, "flag provided but not defined"},
		{[]string{"serve", "extra"}, "unexpected argument"},
		{[]string{"serve", "-debug-addr", "0.0.0.0:6060"}, "-debug-addr 0.0.0.0:6060: the debug endpoint (expvar: memory, goroutines, command line) listens on this machine only"},
		{[]string{"serve", "-debug-addr", "192.0.2.10:6060"}, "use a loopback address such as 127.0.0.1:6060"},
		{[]string{"serve", "-debug-addr", ":6060"}, "listens on this machine only"},
		{[]string{"serve", "-debug-addr", "6060"}, "not host:port"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.wantErr) || stdout != "" {
			t.Errorf("%q: exit %d, stderr %q, want exit 2 saying %q", tt.args, code, stderr, tt.wantErr)
		}
	}
	o, err := env{stderr: &bytes.Buffer{}}.parseServe([]string{"-allow-register", "-allow-remote", "-addr", "0.0.0.0:9000", "-tentacle", "/t", "-config", "/c", "-app", "/a"})
	if err != nil || !o.allowRegister || !o.allowRemote || o.tentacle != "/t" || o.config != "/c" || o.app != "/a" {
		t.Errorf("parseServe = %+v, %v", o, err)
	}
}

func TestHostConfigTentacle(t *testing.T) {
	getenv := func(v string) func(string) string { return func(string) string { return v } }
	for _, tt := range []struct {
		flag, env, want string
	}{
		{"/flag/Tentacle", "/env/Tentacle", "/flag/Tentacle"},
		{"", "/env/Tentacle", "/env/Tentacle"},
		{"", "", "/opt/octopus/tentacle/Tentacle"},
	} {
		cfg := serveOptions{tentacle: tt.flag}.hostConfig(app.Config{}, "t", getenv(tt.env))
		if cfg.Tentacle != tt.want || cfg.AccessToken != "t" || cfg.Checker == nil || cfg.Registrar == nil {
			t.Errorf("-tentacle %q, TENTACLE %q: Tentacle %q, want %q with checker, registrar and token", tt.flag, tt.env, cfg.Tentacle, tt.want)
		}
	}
	if tok, err := newToken(strings.NewReader(strings.Repeat("x", 24))); err != nil || len(tok) != 48 {
		t.Errorf("newToken = %q, %v, want 48 hex digits", tok, err)
	}
}

// TestServeRegisters drives the app that serve -allow-register builds:
// the real preflight against TLS nodes and the fake API, and the real
// registration against the fake Tentacle, through the browser's forms.
func TestServeRegisters(t *testing.T) {
	dir := t.TempDir()
	tentacle := filepath.Join(dir, "bin", "Tentacle")
	build, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(build, "go", "build", "-o", tentacle, "./internal/faketentacle").CombinedOutput(); err != nil {
		t.Fatalf("build the fake Tentacle: %v\n%s", err, out)
	}
	api := octopustest.New(t)
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	api.Set(func(s *octopustest.Server) {
		s.APIKey, s.Thumbprint, s.NodeNames = canary, cert.Thumbprint, []string{"Node1", "Node2"}
	})
	p := loopbackPlan(api.URL, cert.Thumbprint, halibuttest.Node(t, cert).Port, halibuttest.Node(t, cert).Port)
	var planJSON bytes.Buffer
	if err := p.Encode(&planJSON); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TentacleMachineConfigurationHomeDirectory", filepath.Join(dir, "home"))
	t.Setenv("FAKE_TENTACLE_SERVER_THUMBPRINT", cert.Thumbprint)
	t.Setenv("FAKE_TENTACLE_LOG", filepath.Join(dir, "tentacle.log"))

	var log bytes.Buffer
	o := serveOptions{allowRegister: true, tentacle: tentacle, config: filepath.Join(dir, "etc", "tentacle-Tentacle.config")}
	wizard := app.New(o.hostConfig(app.Config{Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}, "tok", os.Getenv))
	var cookie *http.Cookie
	do := func(method, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		// A deadline on each request: a check or a registration runs
		// inside it.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		wizard.ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), "CANARY") {
			t.Fatalf("%s %s: the API key is in the answer", method, path)
		}
		return rec
	}
	if rec := do(http.MethodGet, "/", nil); rec.Code != http.StatusForbidden {
		t.Fatalf("GET / without the token = %d, want 403", rec.Code)
	}
	cookie = do(http.MethodGet, "/?token=tok", nil).Result().Cookies()[0]
	doc, _ := goquery.NewDocumentFromReader(do(http.MethodGet, "/", nil).Body)
	form := url.Values{"step": {"4"}, "plan": {planJSON.String()}, "apiKey": {canary}, "csrf": {doc.Find(`input[name="csrf"]`).AttrOr("value", "")}}

	rec := do(http.MethodPost, "/check", form, "HX-Request", "true")
	res, _ := goquery.NewDocumentFromReader(rec.Body)
	if n := res.Find(`[data-testid="check-row"][data-status="pass"]`).Length(); rec.Code != http.StatusOK || n < 8 || res.Find(`[data-status="fail"]`).Length() != 0 {
		t.Errorf("check of a healthy cluster = %d with %d passes: %s", rec.Code, n, res.Text())
	}
	var offered []string
	res.Find(`[data-testid="choices-Environments"] input[name="use.tentacle.environments"]`).Each(func(_ int, s *goquery.Selection) {
		offered = append(offered, s.AttrOr("value", ""))
	})
	if got := strings.Join(offered, ", "); got != "Production, Staging" {
		t.Errorf("environments offered = %q", got)
	}

	for run, wantBackup := range []bool{false, true} {
		rec := do(http.MethodPost, "/register/start", form)
		page, _ := goquery.NewDocumentFromReader(rec.Body)
		out := page.Find(`[data-testid="register-outcome"]`)
		// Registered; the fake Octopus does not know the machine yet, a
		// warning the outcome's title counts.
		if rec.Code != http.StatusOK || out.AttrOr("data-status", "") != "warning" || out.Find(`[data-testid="register-title"]`).Text() != "Registered, with 1 warning" {
			t.Fatalf("run %d: POST /register/start = %d, outcome %q: %s", run+1, rec.Code, out.AttrOr("data-status", ""), page.Find("main").Text())
		}
		if page.Find(`[data-testid="register-step"][data-status="fail"]`).Length() != 0 {
			t.Errorf("run %d: a step failed", run+1)
		}
		if run == 0 && !strings.Contains(page.Text(), "--apiKey API-***") {
			t.Error("the register step does not show its command with the key masked")
		}
		if got := out.Find(`[data-testid="register-backup"]`).Length() == 1; got != wantBackup {
			t.Errorf("run %d: backup shown %v, want %v (a second run backs the config up)", run+1, got, wantBackup)
		}
	}
	if strings.Contains(log.String(), "CANARY") {
		t.Errorf("the API key is in the log:\n%s", log.String())
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(path) != "Tentacle" {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), "CANARY") {
				t.Errorf("the API key was written to %s", path)
			}
		}
		return nil
	})
}
