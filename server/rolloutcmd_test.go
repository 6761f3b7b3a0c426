package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// rolloutPack writes a change pack whose scripts only print their result
// line: the fleet here is Windows, whose PowerShell the fake records.
func rolloutPack(t *testing.T, serverURL, bash string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"change/update-tentacle.sh":  bash,
		"change/update-tentacle.ps1": "# poll-server --reuse-server-thumbprint\n'{\"ok\":true}'\n",
		"plan.json":                  fmt.Sprintf(`{"version":1,"server":{"url":%q,"space":"Default"}}`, serverURL),
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRolloutCommand(t *testing.T) {
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) {
		s.APIKey = canary
		for i := 1; i <= 5; i++ {
			s.Fleet = append(s.Fleet, octopustest.FleetMachine{Name: fmt.Sprintf("win%02d", i), OS: "windows", Environments: []string{"Production"}, Roles: []string{"web"}})
		}
	})
	good := "# poll-server --reuse-server-thumbprint\necho '{\"ok\":true}'\n"
	dir := rolloutPack(t, api.URL, good)
	keyed := rolloutPack(t, api.URL, good+"# "+canary+"\n")
	fast := []string{"-health-delay", "-1s", "-poll", "10ms"}

	t.Run("the key comes from the environment only", func(t *testing.T) {
		t.Setenv("OCTOPUS_API_KEY", "")
		code, _, stderr := runCLI(t, "", "rollout", "-change", dir, "-dry-run")
		if code != exitUsage || !strings.Contains(stderr, "set OCTOPUS_API_KEY") {
			t.Errorf("rollout without a key: exit %d %q", code, stderr)
		}
	})
	t.Setenv("OCTOPUS_API_KEY", canary)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"no pack", []string{"-dry-run"}, exitUsage, "give the change pack with -change DIR"},
		{"an empty folder", []string{"-change", t.TempDir()}, exitInvalid, "has no change/update-tentacle.sh, change/update-tentacle.ps1, plan.json"},
		{"a script carrying the key", []string{"-change", keyed}, exitInvalid, "update-tentacle.sh contains the key itself"},
		{"a bad batch", []string{"-change", dir, "-batch", "ten"}, exitUsage, `-batch "ten"`},
		{"a bad selection", []string{"-change", dir, "-select", "host:web01"}, exitUsage, "the kind is env, role or pool"},
		{"an unknown space", []string{"-change", dir, "-space", "Ops"}, exitInvalid, `no space named "Ops"`},
		{"a dry run", []string{"-change", dir, "-dry-run", "-batch", "2"}, exitOK, "batch 3/3 planned: 2 machine(s)"},
		{"the rollout", append([]string{"-change", dir}, fast...), exitOK, "done: 5 ok, 0 failed"},
		{"a re-run", append([]string{"-change", dir}, fast...), exitOK, "done: 0 ok, 0 failed, 0 offline, 0 skipped, 5 done earlier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"rollout"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(stdout+stderr, tt.wantOut) {
				t.Errorf("rollout %s: exit %d, want %d with %q\n%s%s", strings.Join(tt.args, " "), code, tt.wantCode, tt.wantOut, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, canary) {
				t.Errorf("the key shows in the output:\n%s%s", stdout, stderr)
			}
		})
	}
	state, err := os.ReadFile(filepath.Join(dir, "rollout.json"))
	if err != nil || strings.Contains(string(state), canary) || !strings.Contains(string(state), `"status": "done"`) {
		t.Errorf("state beside the pack: %v\n%s", err, state)
	}
}

func TestRolloutCommandJSON(t *testing.T) {
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) {
		s.APIKey = canary
		s.Fleet = []octopustest.FleetMachine{{Name: "win01", OS: "windows", Environments: []string{"Production"}},
			{Name: "win02", OS: "windows", Environments: []string{"Production"}, Fail: "access to " + canary + " denied"}}
	})
	t.Setenv("OCTOPUS_API_KEY", canary)
	dir := rolloutPack(t, api.URL, "# --reuse-server-thumbprint\n")
	code, stdout, stderr := runCLI(t, "", "rollout", "-change", dir, "-json", "-poll", "10ms", "-health-delay", "-1s", "-state", filepath.Join(t.TempDir(), "s.json"))
	if code != exitInvalid {
		t.Errorf("a rollout with a failed machine: exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	var kinds []string
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var ev report.RolloutEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("not a JSON line: %s", sc.Text())
		}
		kinds = append(kinds, string(ev.Kind))
		if ev.Machine == "win02" && ev.Kind == report.RolloutMachine && ev.Log != "access to API-*** denied" {
			t.Errorf("win02's log line %q, want the key masked", ev.Log)
		}
	}
	if got := strings.Join(kinds, " "); got != "found batch task task machine batch batch task task machine batch stop task health health done" {
		t.Errorf("events: %s", got)
	}
	if strings.Contains(stdout+stderr, canary) {
		t.Errorf("the key shows in the JSON output")
	}
}
