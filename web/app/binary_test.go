package app_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestReviewBinarySteps: the review step of a Linux plan shows the shell
// lines that check and register with tentacle-ha, a Windows plan's the
// PowerShell ones.
func TestReviewBinarySteps(t *testing.T) {
	app := mustApp(t)
	for _, tt := range []struct{ os, want, not string }{
		{"linux", "sudo --preserve-env=OCTOPUS_API_KEY ./tentacle-ha register -plan plan.json", `.\tentacle-ha.exe`},
		{"windows", `.\tentacle-ha.exe register -plan plan.json`, "./tentacle-ha "},
	} {
		js := strings.Replace(validPlan, `"os": "linux"`, `"os": "`+tt.os+`"`, 1)
		doc := mustDoc(t, app.post(t, "/wizard", url.Values{"step": {"4"}, "plan": {js}}))
		sec := doc.Find(`[data-testid="binary-steps"]`)
		code := sec.Find(`[data-testid="binary-commands"]`).Text()
		if sec.AttrOr("data-os", "") != tt.os || !strings.Contains(code, tt.want) || strings.Contains(code, tt.not) {
			t.Errorf("%s: binary steps (os %q):\n%s\nwant %q and no %q", tt.os, sec.AttrOr("data-os", ""), code, tt.want, tt.not)
		}
	}
}
