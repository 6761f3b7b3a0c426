package rollout

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
)

func TestLoadPackNamesWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, BashScript), "echo")
	_, err := LoadPack(dir)
	if err == nil || !strings.Contains(err.Error(), "has no change/update-tentacle.ps1, plan.json") {
		t.Errorf("LoadPack without the .ps1 and plan = %v", err)
	}
	if _, err := LoadPack(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("LoadPack of a missing folder = %v", err)
	}
	writeFile(t, filepath.Join(dir, PowerShellScript), "echo")
	writeFile(t, filepath.Join(dir, PlanFile), `{"server":{"space":"Default"}}`)
	if _, err := LoadPack(dir); err == nil || !strings.Contains(err.Error(), "has no server.url") {
		t.Errorf("LoadPack of a plan without server.url = %v", err)
	}
}

func TestCheckScriptsRefusesTheKey(t *testing.T) {
	p := writePack(t, "https://octopus.example.com")
	if err := p.CheckScripts(canaryKey); err != nil {
		t.Fatalf("the stand-in pack is refused: %v", err)
	}
	withKey := p
	withKey.Bash += "\n# " + canaryKey + "\n"
	err := withKey.CheckScripts(canaryKey)
	if !errors.Is(err, ErrNeedsKey) || strings.Contains(err.Error(), canaryKey) {
		t.Errorf("a script carrying the key: %v", err)
	}
	old := p
	old.PowerShell = "& Tentacle.exe poll-server --server $url --apiKey $env:OCTOPUS_API_KEY"
	if err := old.CheckScripts(canaryKey); !errors.Is(err, ErrNeedsKey) || !strings.Contains(err.Error(), "update-tentacle.ps1 does not use poll-server --reuse-server-thumbprint") {
		t.Errorf("a script that needs the key: %v", err)
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		text           string
		total, batch   int
		n, wantAllowed int
	}{
		{"10%", 40, 4, 4, 0},
		{"10%", 37, 4, 10, 1},
		{"1%", 5, 1, 50, 0},
		{"25", 40, 25, 4, 25},
		{"0", 40, 1, 4, 0},
		{"50%", 13, 7, 4, 2},
		{"100%", 3, 3, 1, 1},
	}
	for _, tt := range tests {
		s, err := ParseSize("-batch", tt.text)
		if err != nil {
			t.Fatalf("ParseSize(%q) = %v", tt.text, err)
		}
		if got := s.BatchOf(tt.total); got != tt.batch {
			t.Errorf("%s.BatchOf(%d) = %d, want %d", tt.text, tt.total, got, tt.batch)
		}
		if got := s.AllowedOf(tt.n); got != tt.wantAllowed {
			t.Errorf("%s.AllowedOf(%d) = %d, want %d", tt.text, tt.n, got, tt.wantAllowed)
		}
	}
	for _, bad := range []string{"", "-1", "ten", "101%", "x%", "NaN%"} {
		if _, err := ParseSize("-batch", bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestPlanCanaryFirst(t *testing.T) {
	ms := make([]Machine, 10)
	for i := range ms {
		ms[i].ID = string(rune('a' + i))
	}
	var got []int
	for _, b := range Plan(ms, Size{N: 4}) {
		got = append(got, len(b))
	}
	if diff := cmp.Diff([]int{1, 4, 4, 1}, got); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if Plan(nil, Size{N: 4}) != nil {
		t.Errorf("Plan of no machines has batches")
	}
}

func TestSyntaxOf(t *testing.T) {
	tests := []struct{ os, shell, want string }{
		{"Linux", "Bash", octopus.Bash},
		{"Ubuntu 24.04.1 LTS", "Unknown", octopus.Bash},
		{"Microsoft Windows Server 2022 Datacenter", "PowerShell", octopus.PowerShell},
		{"Microsoft Windows 10.0.20348", "pwsh", octopus.PowerShell},
		{"Unknown", "PowerShell", octopus.PowerShell},
		{"Unknown", "Unknown", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := syntaxOf(octopus.FleetMachine{OperatingSystem: tt.os, ShellName: tt.shell}); got != tt.want {
			t.Errorf("syntaxOf(%q, %q) = %q, want %q", tt.os, tt.shell, got, tt.want)
		}
	}
}

func TestSelection(t *testing.T) {
	fleet := []octopustest.FleetMachine{
		{Name: "prod-web", OS: "linux", Environments: []string{"Production"}, Roles: []string{"web"}},
		{Name: "prod-api", OS: "linux", Environments: []string{"Production"}, Roles: []string{"api"}},
		{Name: "stage-web", OS: "linux", Environments: []string{"Staging"}, Roles: []string{"web"}},
		{Name: "edge-1", OS: "linux", Worker: true, WorkerPools: []string{"Edge"}},
		{Name: "pool-1", OS: "linux", Worker: true, WorkerPools: []string{"Default Worker Pool"}},
		{Name: "agent", OS: "linux", Style: "KubernetesTentacle", Environments: []string{"Production"}},
		{Name: "ssh", OS: "linux", Style: "Ssh", Environments: []string{"Production"}},
	}
	api := newAPI(t, fleet)
	c, _ := octopus.New(api.URL, canaryKey, nil)
	tests := []struct {
		selection string
		want      []string
	}{
		{"", []string{"edge-1", "pool-1", "prod-api", "prod-web", "stage-web", "agent"}},
		{"env:Production", []string{"prod-api", "prod-web", "agent"}},
		{"env:production,role:web", []string{"prod-web"}},
		{"env:Production,env:Staging,role:web", []string{"prod-web", "stage-web"}},
		{"pool:edge", []string{"edge-1"}},
		{"role:api,pool:Edge", []string{"edge-1", "prod-api"}},
	}
	for _, tt := range tests {
		sel, err := ParseSelection(tt.selection)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Discover(t.Context(), c, "Spaces-1", sel)
		if err != nil {
			t.Fatalf("Discover(%q) = %v", tt.selection, err)
		}
		got := append(names(f.Tentacles), names(f.Agents)...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Discover(%q) (-want +got):\n%s", tt.selection, diff)
		}
	}
	sel, _ := ParseSelection("env:Prod")
	if _, err := Discover(t.Context(), c, "Spaces-1", sel); err == nil || !strings.Contains(err.Error(), "no environment named Prod in this space (it has: Production, Staging)") {
		t.Errorf("Discover(env:Prod) = %v", err)
	}
	for _, bad := range []string{"Production", "env:", "host:web01"} {
		if _, err := ParseSelection(bad); err == nil {
			t.Errorf("ParseSelection(%q) accepted", bad)
		}
	}
}

func TestStateSaveIsAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st, _ := LoadState(path)
	st.Set(Machine{ID: "Machines-1", Name: "web01"}, "done", "ServerTasks-1", "updated", testNow)
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after Save, want only the state", len(entries))
	}
	back, err := LoadState(path)
	if err != nil || !back.Done("Machines-1") || back.Machines["Machines-1"].Tasks[0] != "ServerTasks-1" {
		t.Errorf("LoadState after Save = %+v, %v", back, err)
	}
	writeFile(t, path, "{not json")
	if _, err := LoadState(path); err == nil {
		t.Errorf("LoadState of a broken file succeeded")
	}
}

var testNow = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
