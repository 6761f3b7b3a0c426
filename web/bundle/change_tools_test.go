//go:build !js

package bundle_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// changeWritePack writes a change pack into a folder, as server change does.
func changeWritePack(tb testing.TB, files []bundle.File) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, f.Content, os.FileMode(f.Mode)); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// ansibleEnv keeps ansible's own files in the test's folder.
func ansibleEnv(tb testing.TB) []string {
	home := tb.TempDir()
	return []string{"HOME=" + home, "ANSIBLE_HOME=" + home, "ANSIBLE_LOCAL_TEMP=" + filepath.Join(home, "tmp"),
		"ANSIBLE_REMOTE_TEMP=" + filepath.Join(home, "remote"), "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0"}
}

// TestChangeAnsible checks the playbook with ansible-playbook
// --syntax-check against the example inventory, then runs it with a local
// connection on a machine of the fake Tentacle: it ends with the new
// plan's addresses and a restart through (the stand-in) systemd-run.
func TestChangeAnsible(t *testing.T) {
	ansible := testtool.Require(t, "ansible-playbook")
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	for _, name := range changeCaseNames(t) {
		t.Run(name, func(t *testing.T) {
			dir := changeWritePack(t, mustChangeFiles(t, name))
			playbook := filepath.Join(dir, "change", "ansible", "playbook.yml")
			cmd := exec.Command(ansible, "--syntax-check", "-i", filepath.Join(dir, "change", "ansible", "inventory.example.ini"), playbook)
			cmd.Env = append(os.Environ(), ansibleEnv(t)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("ansible-playbook --syntax-check: %v\n%s", err, out)
			}
			if name != "add-node" && name != "to-multi-node" {
				return // one run per topology change is enough: each takes seconds
			}
			cr := newChangeRig(t, bash, fake, name)
			cr.register()
			inventory := filepath.Join(cr.root, "inventory.ini")
			python, _ := exec.LookPath("python3")
			if err := os.WriteFile(inventory, []byte("[tentacles_linux]\nlocalhost ansible_connection=local tentacle_become=false ansible_python_interpreter="+python+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd = exec.Command(ansible, "-i", inventory, playbook)
			cmd.Env = append(slices.Clone(cr.env), ansibleEnv(t)...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("ansible-playbook: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), `"restart": "scheduled"`) || !strings.Contains(string(out), "changed=1") {
				t.Errorf("ansible-playbook output lacks the script's result or the change:\n%s", out)
			}
			cr.checkConverged()
			if got := cr.restarts(); len(got) != 1 {
				t.Errorf("systemd-run calls %q, want one", got)
			}
		})
	}
}

// TestChangeHostileValues puts every value of the hostile corpus into the
// plan fields a change pack writes (node names, the server's URL, the
// Tentacle's name): every update-tentacle.ps1 must parse with the
// tree-sitter PowerShell grammar with no undoubled typographic quote and
// have the structure of its harmless twin; so must the playbook (yaml.v3
// and yamllint) and, for one field, the shell scripts (bash -n, shellcheck).
func TestChangeHostileValues(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real parsers on hundreds of files")
	}
	payloads := mustPayloads(t)
	fields := map[string]bool{"nodes[0].name": true, "nodes[1].name": true, "server.url": true, "tentacle.name": true}
	as := newArtifacts(t)
	type combo struct {
		label           string
		files, harmless map[string]*artifact
	}
	var combos []combo
	pieces := func(to plan.Plan, shell bool) (map[string]*artifact, error) {
		from := to
		from.Nodes = to.Nodes[:len(to.Nodes)-1]
		files, err := bundle.ChangeFiles(from, to)
		if err != nil {
			return nil, err
		}
		out := map[string]*artifact{}
		for _, f := range files {
			kind := kindOf(f.Path)
			if strings.HasSuffix(f.Path, ".yml") {
				kind = "yaml"
			}
			if kind == "ps1" || kind == "yaml" || (kind == "sh" && shell) {
				out[f.Path] = as.add(kind, f.Content)
			}
		}
		return out, nil
	}
	bases := hostileBases()
	for _, baseName := range []string{"linux", "windows"} {
		for _, f := range hostileFields {
			if !fields[f.name] {
				continue
			}
			shell := baseName == "linux" && f.name == "nodes[0].name"
			for _, pl := range payloads {
				to := withValue(bases[baseName], f, pl.value)
				if to.Validate().HasErrors() {
					continue
				}
				files, err := pieces(to, shell)
				if err != nil {
					t.Errorf("%s %s %s: %v", baseName, f.name, pl.name, err)
					continue
				}
				harmless, err := pieces(withValue(bases[baseName], f, harmlessFor(f, pl.value)), shell)
				if err != nil {
					t.Fatal(err)
				}
				combos = append(combos, combo{fmt.Sprintf("%s %s %s", baseName, f.name, pl.name), files, harmless})
			}
		}
	}
	as.check(t)
	for _, c := range combos {
		for path, a := range c.files {
			for _, pr := range a.problems {
				t.Errorf("%s: %s: %s: %s", c.label, path, pr.code, pr.msg)
			}
			if h := c.harmless[path]; h == nil || (len(a.problems) == 0 && a.sig != h.sig) {
				t.Errorf("%s: %s: structure differs from the harmless value's", c.label, path)
			}
		}
	}
	t.Logf("%d change packs with hostile values; files checked: %v", len(combos), as.counts)
}
