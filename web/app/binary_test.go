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

// TestReviewBinaryStepsNotForHelm: a Kubernetes agent or worker's review
// shows no tentacle-ha check-and-register lines (its chart registers it,
// and tentacle-ha register refuses it), while the same plan as a target
// does: the section is there for Tentacles only.
func TestReviewBinaryStepsNotForHelm(t *testing.T) {
	app := mustApp(t)
	for _, tt := range []struct {
		kind, lists string
		want        int
	}{
		{"target", `"environments": ["Production"], "roles": ["web"]`, 1},
		{"kubernetes-agent", `"environments": ["Production"], "roles": ["k8s"]`, 0},
		{"kubernetes-worker", `"workerPools": ["Kubernetes Workers"]`, 0},
	} {
		js := strings.Replace(validPlan, `"kind": "target", "environments": ["Production"], "roles": ["web"]`, `"kind": "`+tt.kind+`", `+tt.lists, 1)
		if !strings.Contains(js, tt.kind) {
			t.Fatalf("the test's plan was not rewritten for %s", tt.kind)
		}
		doc := mustDoc(t, app.post(t, "/wizard", url.Values{"step": {"4"}, "plan": {js}}))
		if doc.Find(`[data-testid="download-zip"][disabled]`).Length() != 0 {
			t.Fatalf("%s: the review offers no download (the plan is not valid)", tt.kind)
		}
		if got := doc.Find(`[data-testid="binary-steps"]`).Length(); got != tt.want {
			t.Errorf("%s: %d binary-steps sections, want %d", tt.kind, got, tt.want)
		}
		if tt.want == 0 && strings.Contains(doc.Find("#main").Text(), "tentacle-ha register") {
			t.Errorf("%s: the review still says tentacle-ha register", tt.kind)
		}
	}
}
