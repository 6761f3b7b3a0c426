package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// webPack is the change pack the wizard hands over: one node added to a
// unique-address cluster whose server is the fake Octopus.
func webPack(t *testing.T, serverURL string) []bundle.File {
	t.Helper()
	doc := func(nodes string) plan.Plan {
		p, probs := plan.Decode([]byte(fmt.Sprintf(`{"version":1,"topology":"unique-address",
			"server":{"url":%q,"thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
			"nodes":[%s],"tentacle":{"os":"linux","name":"web01","kind":"target","environments":["Production"],"roles":["web"]}}`, serverURL, nodes)))
		if probs.HasErrors() {
			t.Fatal(probs)
		}
		return p
	}
	one := `{"name":"n1","address":"octo1.example.com"}`
	files, err := bundle.ChangeFiles(doc(one), doc(one+`,{"name":"n2","address":"octo2.example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWebRollout(t *testing.T) {
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) {
		s.APIKey = canary
		for i := 1; i <= 3; i++ {
			s.Fleet = append(s.Fleet, octopustest.FleetMachine{Name: fmt.Sprintf("lin%02d", i), OS: "linux", Environments: []string{"Production"}, Roles: []string{"web"}})
		}
	})
	dir := t.TempDir()
	run := webRollout(dir)
	pack := webPack(t, api.URL)
	var lines []string
	emit := func(ev report.RolloutEvent) { lines = append(lines, ev.Line()) }

	res, err := run(context.Background(), app.RolloutRequest{Pack: pack, Batch: "1", MaxFailures: "0", DryRun: true}, canary, emit)
	out := strings.Join(lines, "\n")
	if err != nil || !strings.Contains(out, "found: 3 polling Tentacle(s)") || !strings.Contains(out, "batch 3/3 planned") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if strings.Contains(out, canary) {
		t.Error("the key is in the events")
	}
	if _, err := os.Stat(res.StatePath); err == nil {
		t.Error("a dry run wrote the state file")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(res.StatePath), "change", "update-tentacle.sh")); err != nil {
		t.Errorf("the change pack is not beside the state file: %v", err)
	}
	for _, bad := range []app.RolloutRequest{
		{Pack: pack, Select: "host:web01", Batch: "1", MaxFailures: "0", DryRun: true},
		{Pack: pack, Batch: "ten", MaxFailures: "0", DryRun: true},
		{Pack: pack, Space: "Ops", Batch: "1", MaxFailures: "0", DryRun: true},
	} {
		if _, err := run(context.Background(), bad, canary, emit); err == nil || strings.Contains(err.Error(), canary) {
			t.Errorf("%+v: err = %v, want a refusal without the key", bad, err)
		}
	}
}
