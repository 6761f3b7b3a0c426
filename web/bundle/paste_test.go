//go:build !js

package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
)

// pasteOfCase is the paste scripts of a test case's bundle, and its files.
func pasteOfCase(t *testing.T, name string) (bundle.Paste, []bundle.File, string) {
	t.Helper()
	p := mustCase(t, name)
	files, err := bundle.Files(p)
	if err != nil {
		t.Fatal(err)
	}
	paste, err := bundle.PasteOf(bundle.ArchivePrefix(p), files)
	if err != nil {
		t.Fatal(err)
	}
	return paste, files, bundle.ArchivePrefix(p)
}

// runPasted runs script with bash in a new folder, as a paste into a
// terminal there would, and returns the folder, the output and the error.
func runPasted(t *testing.T, script string) (string, string, error) {
	t.Helper()
	bash := testtool.Require(t, "bash")
	testtool.Require(t, "sha256sum")
	testtool.Require(t, "tar")
	dir := t.TempDir()
	cmd := exec.Command(bash, "-s")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	return dir, string(out), err
}

// unpacked reads every file under dir: path (slash-separated) to content
// and mode.
func unpacked(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		got[filepath.ToSlash(rel)] = info.Mode().Perm().String() + "\n" + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPasteBashUnpacksTheBundle runs the Linux paste for real (bash,
// sha256sum, tar): it leaves exactly the bundle's files, with their modes,
// and the archive it checked.
func TestPasteBashUnpacksTheBundle(t *testing.T) {
	for _, name := range []string{"unique-port-all-kinds", "unique-port-windows-worker", "fleet-mixed"} {
		t.Run(name, func(t *testing.T) {
			paste, files, prefix := pasteOfCase(t, name)
			dir, out, err := runPasted(t, paste.Bash)
			if err != nil {
				t.Fatalf("bash paste: %v\n%s", err, out)
			}
			if !strings.Contains(out, bundle.PasteFile+": OK") {
				t.Errorf("sha256sum did not report the check: %s", out)
			}
			want := map[string]string{}
			for _, f := range files {
				mode := fs.FileMode(0o644)
				if f.Mode != 0 {
					mode = fs.FileMode(f.Mode)
				}
				want[prefix+f.Path] = mode.Perm().String() + "\n" + string(f.Content)
			}
			got := unpacked(t, dir)
			if tgz := got[bundle.PasteFile]; tgz == "" {
				t.Errorf("the checked archive %s is not left beside the folder", bundle.PasteFile)
			}
			delete(got, bundle.PasteFile)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("unpacked files differ from the bundle (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPasteBashTamperedUnpacksNothing: one base64 character changed (still
// valid base64) fails the SHA-256 check: the paste fails, says so, and
// leaves nothing, not even the archive.
func TestPasteBashTamperedUnpacksNothing(t *testing.T) {
	paste, _, _ := pasteOfCase(t, "unique-port-all-kinds")
	lines := strings.Split(paste.Bash, "\n")
	i := len(lines) / 2
	if !regexp.MustCompile(`^[A-Za-z0-9+/]{76}$`).MatchString(lines[i]) {
		t.Fatalf("line %d is not a full base64 line: %q", i, lines[i])
	}
	c := lines[i][10]
	swap := byte('A')
	if c == 'A' {
		swap = 'B'
	}
	lines[i] = lines[i][:10] + string(swap) + lines[i][11:]
	dir, out, err := runPasted(t, strings.Join(lines, "\n"))
	if err == nil {
		t.Errorf("a tampered paste succeeded:\n%s", out)
	}
	if !strings.Contains(out, "FAILED") || !strings.Contains(out, "nothing unpacked") {
		t.Errorf("a tampered paste does not say the check failed: %s", out)
	}
	if got := unpacked(t, dir); len(got) != 0 {
		t.Errorf("a tampered paste left %d files: %v", len(got), keysOf(got))
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestPasteHoldsNoPlanText: whatever the plan holds (every hostile
// value of the corpus in the fields a bundle's names and folder come
// from), the scripts are the same fixed text around base64 and a hex
// digest, so no plan value reaches bash or PowerShell.
func TestPasteHoldsNoPlanText(t *testing.T) {
	b64 := regexp.MustCompile(`(?m)^[A-Za-z0-9+/=]{1,76}\n`)
	hexDigest := regexp.MustCompile(`[0-9a-f]{64}`)
	shape := func(s string) string { return hexDigest.ReplaceAllString(b64.ReplaceAllString(s, ""), "DIGEST") }
	paste, _, _ := pasteOfCase(t, "unique-port-all-kinds")
	wantBash, wantPS := shape(paste.Bash), shape(paste.PowerShell)
	tried := 0
	for baseName, base := range hostileBases() {
		for _, f := range hostileFields {
			if f.name != "tentacle.name" && f.name != "server.space" {
				continue
			}
			for _, pl := range mustPayloads(t) {
				q := withValue(base, f, pl.value)
				if q.Validate().HasErrors() {
					continue // refused: it never reaches a paste
				}
				tried++
				files, err := bundle.Files(q)
				if err != nil {
					t.Fatal(err)
				}
				got, err := bundle.PasteOf(bundle.ArchivePrefix(q), files)
				if err != nil {
					t.Fatal(err)
				}
				if shape(got.Bash) != wantBash || shape(got.PowerShell) != wantPS {
					t.Errorf("%s %s=%s changes the scripts' text:\n%s", baseName, f.name, pl.name, shape(got.Bash)+shape(got.PowerShell))
				}
			}
		}
	}
	if tried < 50 {
		t.Errorf("only %d hostile plans passed validation: the test proves too little", tried)
	}
	t.Logf("%d hostile plans, the same scripts around their archives", tried)
}

// TestPastePowerShellParses parses the Windows paste with the tree-sitter
// PowerShell grammar (web/bundle/testdata/ps-structure.mjs): no error, and
// the statements in order: the here-string assignment, the path, the
// write, and one if/else.
func TestPastePowerShellParses(t *testing.T) {
	node := testtool.Require(t, "node")
	if _, err := os.Stat("../../node_modules/web-tree-sitter/package.json"); err != nil {
		testtool.Missing(t, "the npm packages are not installed (make deps-npm)")
	}
	paste, _, _ := pasteOfCase(t, "unique-port-windows-worker")
	file := filepath.Join(t.TempDir(), "paste.ps1")
	if err := os.WriteFile(file, []byte(paste.PowerShell), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/ps-structure.mjs")
	cmd.Stdin = strings.NewReader(file + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ps-structure.mjs: %v\n%s", err, stderr.String())
	}
	var r struct {
		Sig, ErrorAt  string
		Strings, Bare []string
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
		t.Fatalf("ps-structure.mjs printed %q: %v", out, err)
	}
	if r.ErrorAt != "" {
		t.Fatalf("the PowerShell paste does not parse: %s", r.ErrorAt)
	}
	tops := topStatements(r.Sig)
	var kinds []string
	for _, st := range tops {
		kinds = append(kinds, strings.Fields(strings.TrimPrefix(st, "("))[0])
	}
	if want := []string{"pipeline", "pipeline", "pipeline", "if_statement"}; !cmp.Equal(kinds, want) {
		t.Fatalf("top-level statements = %v, want %v:\n%s", kinds, want, r.Sig)
	}
	for i, want := range []string{"(verbatim_here_string_characters)", "(command command_name: (command_name)", "(invokation_expression (type_literal", "else_clause:"} {
		if !strings.Contains(tops[i], want) {
			t.Errorf("statement %d lacks %s: %s", i+1, want, tops[i])
		}
	}
	if strings.Count(r.Sig, "here_string") != 1 {
		t.Errorf("the paste has %d here-strings, want 1 (the base64)", strings.Count(r.Sig, "here_string"))
	}
	// The here-string holds the archive whole: it decodes to the bytes
	// whose digest the check compares with.
	body, ok := strings.CutPrefix(paste.PowerShell, "$b64 = @'\n")
	body, _, found := strings.Cut(body, "\n'@\n")
	if !ok || !found {
		t.Fatalf("no here-string at the start:\n%.200s", paste.PowerShell)
	}
	tgz, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(tgz); !strings.Contains(paste.PowerShell, "-eq '"+hex.EncodeToString(sum[:])+"'") || len(tgz) != paste.Size {
		t.Errorf("the PowerShell check does not compare with the digest of the archive it holds")
	}
}

// topStatements splits the S-expression of a tree-sitter parse into the
// statements of the program's statement list.
func topStatements(sig string) []string {
	inner, ok := strings.CutPrefix(sig, "(program (statement_list ")
	if !ok {
		return nil
	}
	var out []string
	depth, start := 0, -1
	for i, c := range inner {
		switch c {
		case '(':
			if depth == 0 {
				start = i
			}
			depth++
		case ')':
			depth--
			if depth == 0 && start >= 0 {
				out = append(out, inner[start:i+1])
				start = -1
			}
		}
	}
	return out
}
