package rollout

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// TestRolloutRealPack rolls the change pack `server change` writes (not a
// stand-in) out to fake Tentacles through the fake Octopus: every machine
// ends polling exactly the new addresses, its detached restart is asked
// of systemd-run, and the script needed no API key.
func TestRolloutRealPack(t *testing.T) {
	from := plan.Plan{
		Version: 1, Topology: plan.UniquePort,
		Server: plan.Server{URL: "https://octopus.example.com", Thumbprint: serverThumbprint, Space: "Default"},
		Nodes: []plan.Node{
			{Name: "Node1", Address: "10.0.0.1", Port: 10943, ListenPort: 10943},
			{Name: "Node2", Address: "10.0.0.2", Port: 10944, ListenPort: 10943},
		},
		LoadBalancer: plan.LoadBalancer{Address: "lb.example.com", Kinds: []string{"haproxy"}},
		Tentacle:     plan.Tentacle{Name: "web", Environments: []string{"Production"}, Roles: []string{"web"}},
	}
	to := from
	to.Nodes = []plan.Node{from.Nodes[0], {Name: "Node3", Address: "10.0.0.3", Port: 10945, ListenPort: 10943}}
	files, err := bundle.ChangeFiles(from, to)
	if err != nil {
		t.Fatal(err)
	}
	api := newAPI(t, nil)
	dir := t.TempDir()
	for _, f := range files {
		content := string(f.Content)
		if f.Path == PlanFile { // the fake Octopus answers at its own address
			content = strings.Replace(content, `"https://octopus.example.com"`, `"`+api.URL+`"`, 1)
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Path)), content)
	}
	pack, err := LoadPack(dir)
	if err != nil {
		t.Fatal(err)
	}
	// systemd-run stands in for the detached restart: it records its call.
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "systemd-run"), "#!/bin/sh\necho \"$@\" >> \"$HOME/systemd-run.log\"\n")
	if err := os.Chmod(filepath.Join(bin, "systemd-run"), 0o755); err != nil {
		t.Fatal(err)
	}
	var fleet []octopustest.FleetMachine
	for _, name := range []string{"web01", "web02", "web03", "web04", "web05"} {
		m := linux(t, name, false)
		m.Env = []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
		fleet = append(fleet, m)
	}
	api.Set(func(s *octopustest.Server) { s.Fleet = fleet })
	o := options(t, api, pack)
	o.HealthDelay = 50 * time.Millisecond
	sum, ev := mustRun(t, o)
	if text := ev.text(); !strings.Contains(text, "waiting 50ms for the Tentacles' scheduled restarts before the health check") {
		t.Errorf("the rollout did not wait for the restarts before the health check:\n%s", text)
	}
	if sum.OK != 5 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 5 machines ok\n%s", sum, ev.text())
	}
	want := []string{"https://lb.example.com:10943", "https://lb.example.com:10945"}
	for _, m := range fleet {
		got := trusted(t, m.Home)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s polls %q, want %q", m.Name, got, want)
		}
		log, err := os.ReadFile(filepath.Join(m.Home, "systemd-run.log"))
		if err != nil || !strings.Contains(string(log), "--on-active=") || !strings.Contains(string(log), "--stop --start") {
			t.Errorf("%s: systemd-run was called with %q (%v), want a delayed service --stop --start", m.Name, log, err)
		}
		if got := ev.machine(m.Name); got.Status != report.MachineOK || !strings.Contains(got.Message, "added https://lb.example.com:10945") {
			t.Errorf("%s = %+v, want ok with what the script added", m.Name, got)
		}
	}
	for _, task := range api.Tasks() {
		if strings.Contains(task.ScriptBody, canaryKey) || strings.Contains(task.ScriptBody, "--apiKey") {
			t.Errorf("task %s's script holds the key or --apiKey", task.Id)
		}
	}
}
