//go:build !js

package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
)

// artifact is one distinct generated text of one kind, checked once
// however many combinations produce it.
type artifact struct {
	kind     string
	content  []byte
	file     string
	sig      string
	problems []problem
}

// problem is one check an artifact failed: code names the kind of failure
// (the tool, "quote", "bom"), msg says what.
type problem struct{ code, msg string }

func (a *artifact) fail(code, format string, args ...any) {
	a.problems = append(a.problems, problem{code, fmt.Sprintf(format, args...)})
}

// artifacts deduplicates generated texts and runs every checker on them in
// batches: one process per tool and batch rather than per file.
type artifacts struct {
	dir    string
	byKey  map[string]*artifact
	counts map[string]int // files checked per tool
	took   map[string]time.Duration
	mu     sync.Mutex
}

func newArtifacts(t *testing.T) *artifacts {
	return &artifacts{dir: t.TempDir(), byKey: map[string]*artifact{}, counts: map[string]int{}, took: map[string]time.Duration{}}
}

// add returns the artifact of kind with content, new or seen before.
func (as *artifacts) add(kind string, content []byte) *artifact {
	h := sha256.Sum256(append([]byte(kind+"\x00"), content...))
	key := hex.EncodeToString(h[:12])
	if a, ok := as.byKey[key]; ok {
		return a
	}
	a := &artifact{kind: kind, content: content, file: filepath.Join(as.dir, key+"."+kind)}
	as.byKey[key] = a
	return a
}

func (as *artifacts) ofKind(kinds ...string) []*artifact {
	var out []*artifact
	for _, a := range as.byKey {
		for _, k := range kinds {
			if a.kind == k {
				out = append(out, a)
			}
		}
	}
	return out
}

func (as *artifacts) count(tool string, n int) {
	as.mu.Lock()
	as.counts[tool] += n
	as.mu.Unlock()
}

// kindOf is the checker of a bundle path ("" for none).
func kindOf(path string) string {
	switch {
	case strings.HasSuffix(path, ".sh"):
		return "sh"
	case strings.HasSuffix(path, ".ps1"):
		return "ps1"
	case strings.HasSuffix(path, ".yaml"):
		return "yaml"
	case strings.HasSuffix(path, ".xml"):
		return "xml"
	case strings.HasSuffix(path, ".tf"):
		return "tf"
	case strings.HasSuffix(path, ".json"):
		return "json"
	case path == "SHA256SUMS":
		return "sums"
	}
	return map[string]string{"loadbalancer/nginx.conf": "nginx", "loadbalancer/haproxy.cfg": "haproxy",
		"loadbalancer/haproxy-standalone.cfg": "haproxy",
		"loadbalancer/nftables.nft":           "nft", "loadbalancer/iptables.rules": "iptables",
		"loadbalancer/f5-bigip.tmsh": "tmsh"}[path]
}

// check runs every checker, concurrently by kind.
func (as *artifacts) check(t *testing.T) {
	t.Helper()
	for _, a := range as.byKey {
		if err := os.WriteFile(a.file, a.content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkers := map[string]func(*testing.T){"sh": as.checkShell, "ps1": as.checkPowerShell, "yaml": as.checkYAML,
		"xml": as.checkXML, "tf": as.checkHCL, "json": as.checkJSON, "nginx": as.checkConf("nginx"),
		"haproxy": as.checkConf("haproxy"), "nft": as.checkConf("nft"), "iptables": as.checkConf("iptables"),
		"tmsh": as.checkTmsh}
	var wg sync.WaitGroup
	for kind, c := range checkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			c(t)
			as.mu.Lock()
			as.took[kind] = time.Since(start)
			as.mu.Unlock()
		}()
	}
	wg.Wait()
}

// runBatch runs argv with files appended, in chunks, and returns the output
// of each chunk; a non-zero exit is expected when a file fails.
func runBatch(argv []string, files []string, chunk int) []string {
	var outs []string
	for len(files) > 0 {
		n := min(chunk, len(files))
		cmd := exec.Command(argv[0], append(argv[1:], files[:n]...)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			if _, exit := err.(*exec.ExitError); !exit {
				out.WriteString(err.Error())
			}
		}
		outs = append(outs, out.String())
		files = files[n:]
	}
	return outs
}

// blame gives each artifact the output lines that start with its file name.
func blame(arts []*artifact, outs []string, tool string) {
	byFile := map[string]*artifact{}
	for _, a := range arts {
		byFile[a.file] = a
	}
	for _, out := range outs {
		for _, line := range strings.Split(out, "\n") {
			if file, _, ok := strings.Cut(line, ":"); ok && byFile[file] != nil {
				byFile[file].fail(tool, "%s", strings.TrimPrefix(line, file))
			}
		}
	}
}

func files(arts []*artifact) []string {
	out := make([]string, len(arts))
	for i, a := range arts {
		out[i] = a.file
	}
	return out
}

// loopScript runs cmd for each file ("$f"), saving its output and exit code
// beside it, so one process serves a whole batch.
func loopScript(cmd string) string {
	return `for f; do { ` + cmd + `; } >"$f.out" 2>&1; echo $? >"$f.rc"; done`
}

// readLoop reads what loopScript left for a: the output when it failed.
func readLoop(a *artifact, tool string) {
	rc, err := os.ReadFile(a.file + ".rc")
	out, _ := os.ReadFile(a.file + ".out")
	if err != nil || strings.TrimSpace(string(rc)) != "0" {
		a.fail(strings.Fields(tool)[0], "%s", strings.ReplaceAll(string(out), a.file, "FILE"))
	}
}

func (as *artifacts) checkShell(t *testing.T) {
	arts := as.ofKind("sh", "sh-md")
	if len(arts) == 0 {
		return
	}
	bash := testtool.Require(t, "bash")
	shellcheck := testtool.Require(t, "shellcheck")
	runBatch([]string{bash, "-c", loopScript(`bash -n "$f" && bash --pretty-print "$f" >"$f.pp"`), "bash"}, files(arts), 2000)
	for _, a := range arts {
		readLoop(a, "bash -n")
		pp, err := os.ReadFile(a.file + ".pp")
		if err != nil {
			continue
		}
		if len(bytes.TrimSpace(pp)) == 0 {
			a.fail("bash", "bash --pretty-print printed nothing")
		}
		if a.sig, err = shSignature(string(pp)); err != nil {
			a.fail("bash", "shell tokens of bash --pretty-print: %v", err)
		}
	}
	as.count("bash -n", len(arts))
	blame(arts, runBatch([]string{shellcheck, "--shell=bash", "-f", "gcc"}, files(as.ofKind("sh")), 100), "shellcheck")
	// Single quotes keep $ literal on purpose; a README block has no place for the directive.
	blame(arts, runBatch([]string{shellcheck, "--shell=bash", "-f", "gcc", "-e", "SC2016"}, files(as.ofKind("sh-md")), 100), "shellcheck")
	as.count("shellcheck", len(arts))
}

func (as *artifacts) checkPowerShell(t *testing.T) {
	arts := as.ofKind("ps1", "ps1-md")
	if len(arts) == 0 {
		return
	}
	node := testtool.Require(t, "node")
	if _, err := os.Stat("../../node_modules/web-tree-sitter/package.json"); err != nil {
		testtool.Missing(t, "the npm packages are not installed (make deps-npm)")
	}
	cmd := exec.Command(node, "testdata/ps-structure.mjs")
	cmd.Stdin = strings.NewReader(strings.Join(files(arts), "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("ps-structure.mjs: %v\n%s", err, stderr.String())
		return
	}
	byFile := map[string]*artifact{}
	for _, a := range arts {
		byFile[a.file] = a
	}
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var r struct {
			File, Sig, ErrorAt string
			Strings, Bare      []string
		}
		if err := json.Unmarshal(line, &r); err != nil || byFile[r.File] == nil {
			t.Errorf("ps-structure.mjs printed %q: %v", line, err)
			continue
		}
		a := byFile[r.File]
		a.sig = r.Sig
		if r.ErrorAt != "" {
			a.fail("tree-sitter", "parse error at %s", r.ErrorAt)
		}
		for _, s := range r.Bare {
			a.fail("quote", "typographic quote outside a string or comment: %q", s)
		}
		for _, s := range r.Strings {
			if !psQuotesDoubled(s) {
				a.fail("quote", "undoubled typographic quote ends this string early in PowerShell: %q", s)
			}
		}
		if a.kind == "ps1" && !bytes.HasPrefix(a.content, []byte("\uFEFF")) && bytes.ContainsFunc(a.content, func(r rune) bool { return r >= 0x80 }) {
			a.fail("bom", "non-ASCII text without a UTF-8 byte order mark: Windows PowerShell 5.1 reads it as Windows-1252")
		}
	}
	as.count("tree-sitter-powershell", len(arts))
}

// psQuotesDoubled reports whether a string literal, as the grammar saw it,
// holds no quote on which PowerShell would end it: inside a single-quoted
// string every single quote (' and U+2018..U+201B) is doubled, inside a
// double-quoted one every double quote (" and U+201C..U+201E) is doubled
// or escaped with a backquote.
func psQuotesDoubled(lit string) bool {
	rs := []rune(lit)
	if len(rs) < 2 {
		return false
	}
	single := isPSSingleQuote(rs[0])
	quote := isPSDoubleQuote
	if single {
		quote = isPSSingleQuote
	}
	body := rs[1 : len(rs)-1]
	for i := 0; i < len(body); i++ {
		switch {
		case !single && body[i] == '`':
			i++
		case quote(body[i]) && i+1 < len(body) && quote(body[i+1]):
			i++
		case quote(body[i]):
			return false
		}
	}
	return true
}

func isPSSingleQuote(r rune) bool { return r == '\'' || r >= '\u2018' && r <= '\u201b' }
func isPSDoubleQuote(r rune) bool { return r == '"' || r >= '\u201c' && r <= '\u201e' }
