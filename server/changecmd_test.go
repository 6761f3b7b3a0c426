package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/server/internal/rollout"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

const changesDir = "../web/bundle/testdata/changes"

func mustReadPlan(t *testing.T, path string) plan.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		t.Fatalf("%s: %s", path, probs)
	}
	return p
}

// TestChangeWritesPack: server change writes exactly bundle.ChangeFiles,
// modes included, and the pack is one server rollout accepts.
func TestChangeWritesPack(t *testing.T) {
	from, to := filepath.Join(changesDir, "to-multi-node", "current.json"), filepath.Join(changesDir, "to-multi-node", "new.json")
	out := filepath.Join(t.TempDir(), "pack")
	code, stdout, stderr := runCLI(t, "", "change", "-from", from, "-to", to, "-out", out)
	if code != 0 {
		t.Fatalf("change exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "add https://lb.example.com:10943") || !strings.Contains(stdout, "tentacle-ha rollout -change "+out) {
		t.Errorf("stdout %q does not say what changes and what to run next", stdout)
	}
	files, err := bundle.ChangeFiles(mustReadPlan(t, from), mustReadPlan(t, to))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(out, filepath.FromSlash(f.Path))
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, f.Content) {
			t.Errorf("%s differs from bundle.ChangeFiles (err %v)", f.Path, err)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != os.FileMode(f.Mode) {
			t.Errorf("%s mode %v, want %o", f.Path, fi.Mode().Perm(), f.Mode)
		}
	}
	pack, err := rollout.LoadPack(out)
	if err == nil {
		err = pack.CheckScripts("API-CANARY-NEVER-IN-A-SCRIPT")
	}
	if err != nil {
		t.Errorf("server rollout would refuse the pack: %v", err)
	}
	if pack.ServerURL != "https://octopus.example.com" || pack.Space != "Default" {
		t.Errorf("rollout reads server %q, space %q from the pack", pack.ServerURL, pack.Space)
	}
}

func TestChangeRefuses(t *testing.T) {
	dir := t.TempDir()
	current := filepath.Join(changesDir, "add-node", "current.json")
	otherData, _ := os.ReadFile(filepath.Join(changesDir, "add-node", "new.json"))
	other := filepath.Join(dir, "other.json")
	otherData = bytes.Replace(otherData, []byte("77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"), []byte("0123456789ABCDEF0123456789ABCDEF01234567"), 1)
	if err := os.WriteFile(other, otherData, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantErr  string
	}{
		{"two clusters", []string{"-from", current, "-to", other}, "", 1, "two different clusters: the current plan's server.thumbprint is 77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6 and the new plan's 0123456789ABCDEF0123456789ABCDEF01234567"},
		{"invalid new plan", []string{"-from", current, "-to", "-"}, `{"topology":"unique-port","nodes":[{"address":"a","port":1},{"address":"b","port":1}]}`, 1, "-to -: nodes[1].port: Port 1 is already used by Node1"},
		{"missing current plan", []string{"-from", filepath.Join(dir, "none.json"), "-to", current}, "", 1, "-from " + filepath.Join(dir, "none.json") + ": plan: cannot read"},
		{"no -to", []string{"-from", current}, "", 2, "give both plans"},
		{"both from stdin", []string{"-from", "-", "-to", "-"}, "", 2, "only one of -from and -to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "pack")
			args := append([]string{"change"}, tt.args...)
			if tt.wantCode != 2 || tt.name != "no -to" {
				args = append(args, "-out", out)
			}
			code, _, stderr := runCLI(t, tt.stdin, args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written for a refused change", out)
			}
		})
	}
}
