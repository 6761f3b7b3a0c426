package report

import (
	"strings"
	"testing"
)

func TestPreflightSummary(t *testing.T) {
	p := Preflight{Checks: []Check{
		{Name: "TCP connect", Target: "https://a:10943", Status: Pass, Message: "ok"},
		{Name: "TLS handshake", Target: "https://b:10943", Status: Fail, Message: "no answer"},
		{Name: "API key", Target: "https://o", Status: Skip, Message: "none"},
		{Name: "Server version", Target: "https://o", Status: Warn, Message: "differs"},
	}}
	if !p.Failed() {
		t.Error("Failed() = false with a failed check")
	}
	if got, want := p.Summary(), "4 checks: 1 passed, 1 failed, 1 warnings, 1 skipped"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	text := p.Text()
	if lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[1], "FAIL    TLS handshake") {
		t.Errorf("Text() =\n%s", text)
	}
	if (Preflight{Checks: []Check{{Status: Pass}, {Status: Warn}}}).Failed() {
		t.Error("warnings alone count as failure")
	}
}
