//go:build !js

package bundle_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestHostileValues puts every value of the hostile corpus into every string
// field of a Linux and a Windows plan. For each combination either
// validation refuses the value naming that field, or every generated file
// passes its real parser (bash -n and shellcheck, the tree-sitter
// PowerShell grammar, yaml.v3 and yamllint, xmllint and encoding/xml, the
// HCL parser, nginx -t, haproxy -c, nft -c, iptables-restore --test) and
// has the structure of the file generated with a harmless value. Failures
// are grouped by (base, file, field) with the payloads that cause them and
// compared with knownHostileFailures.
func TestHostileValues(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every real tool on thousands of files")
	}
	payloads := mustPayloads(t)
	if len(payloads) < 60 {
		t.Fatalf("the hostile corpus has %d payloads, want at least 60", len(payloads))
	}
	type combo struct {
		base, field, payload string
		files, harmless      map[string]*artifact
	}
	as := newArtifacts(t)
	got := hostileFailures{}
	var combos []combo
	rejected, hosts, sampledOut := 0, 0, 0
	bases := hostileBases()
	for _, baseName := range slices.Sorted(maps.Keys(bases)) {
		twins := map[string]map[string]*artifact{}
		twin := func(f hostileField, v string) map[string]*artifact {
			if files := twins[v]; files != nil {
				return files
			}
			hp := withValue(bases[baseName], f, v)
			hfiles, err := bundle.Files(hp)
			if err != nil {
				t.Fatalf("%s plan with %q in %s: %v", baseName, v, f.name, err)
			}
			twins[v] = bundlePieces(as, hfiles, hp.Tentacle.OS)
			return twins[v]
		}
		for fi, f := range hostileFields {
			clear(twins)
			for pi, pl := range payloads {
				p := withValue(bases[baseName], f, pl.value)
				probs := p.Validate()
				switch {
				case probs.HasErrors() && rejectsField(probs, f.name):
					rejected++
					continue
				case f.host && optionalHostFields[f.name] && strings.TrimSpace(pl.value) == "" && !probs.HasErrors():
					continue // left out, where the topology does not use it
				case f.host && hostName.MatchString(strings.ToLower(strings.TrimSpace(pl.value))):
					hosts++
					continue
				case probs.HasErrors():
					got.add(baseName, "(plan)", f.name, pl.name, problem{"validation", fmt.Sprintf("refused naming other fields: %v", probs.Errors())})
					continue
				case f.host:
					got.add(baseName, "(plan)", f.name, pl.name, problem{"validation", "accepted as an address"})
					continue
				}
				if !testtool.Long() && (pi+fi)%hostileShortStride != 0 {
					// Short run: every payload meets every field in
					// validation, and a quarter of the accepted pairs (every
					// payload and every field among them) reach the tools.
					sampledOut++
					continue
				}
				files, err := bundle.Files(p)
				if err != nil {
					got.add(baseName, "(plan)", f.name, pl.name, problem{"generation", err.Error()})
					continue
				}
				combos = append(combos, combo{baseName, f.name, pl.name, bundlePieces(as, files, p.Tentacle.OS), twin(f, harmlessFor(f, pl.value))})
			}
		}
	}
	as.check(t)
	for _, c := range combos {
		for path, h := range c.harmless {
			if len(h.problems) > 0 {
				t.Errorf("%s plan with harmless %s: %s: %v", c.base, c.field, path, h.problems)
			}
			a := c.files[path]
			if a == nil {
				got.add(c.base, path, c.field, c.payload, problem{"missing", "file missing"})
				continue
			}
			for _, pr := range a.problems {
				got.add(c.base, path, c.field, c.payload, pr)
			}
			if a.sig != h.sig && len(a.problems) == 0 {
				got.add(c.base, path, c.field, c.payload, problem{"structure", "differs from the harmless value's"})
			}
		}
		for path := range c.files {
			if c.harmless[path] == nil {
				got.add(c.base, path, c.field, c.payload, problem{"extra", "extra file"})
			}
		}
	}
	got.compare(t, knownHostileFailures)
	t.Logf("checker times: %v", as.took)
	counts := make([]string, 0, len(as.counts))
	for _, tool := range slices.Sorted(maps.Keys(as.counts)) {
		counts = append(counts, fmt.Sprintf("%s %d", tool, as.counts[tool]))
	}
	fmt.Printf("hostile corpus: %d payloads, %d fields, %d combinations: %d rejected, %d plain host names accepted in address fields, %d generated and checked, %d left to make test-long; files checked: %s; failing (base, file, field) groups: %d\n",
		len(payloads), len(hostileFields), len(payloads)*len(hostileFields)*len(bases), rejected, hosts, len(combos), sampledOut, strings.Join(counts, ", "), len(got))
}

// hostileShortStride: a short run sends one accepted (payload, field) pair
// in this many through the real tools; make test-long sends them all.
const hostileShortStride = 4

// bundlePieces registers every checkable text of a bundle: its files under
// their path (node scripts by position, as names change) and the README's
// code blocks.
func bundlePieces(as *artifacts, files []bundle.File, os string) map[string]*artifact {
	out := map[string]*artifact{}
	node := 0
	for _, f := range files {
		path := f.Path
		if strings.HasPrefix(path, "octopus-server/") {
			node++
			path = "octopus-server/node" + strconv.Itoa(node) + ".ps1"
		}
		if path == "README.md" {
			for i, b := range readmeBlocks(string(f.Content), os) {
				out["README.md#"+strconv.Itoa(i+1)] = as.add(b.kind, []byte(b.code))
			}
			continue
		}
		if kind := kindOf(path); kind != "" {
			out[path] = as.add(kind, f.Content)
		}
	}
	return out
}

type codeBlock struct{ kind, code string }

// readmeBlocks are the README's fenced code blocks an operator pastes into a
// shell: PowerShell ("ps1-md": no file, so no byte order mark) or bash
// ("sh-md": no file, so no shellcheck directive for quoted $).
func readmeBlocks(md, os string) []codeBlock {
	var out []codeBlock
	var cur *codeBlock
	for _, line := range strings.SplitAfter(md, "\n") {
		fence := strings.HasPrefix(line, "```")
		switch {
		case fence && cur == nil:
			kind := "sh-md"
			if lang := strings.TrimSpace(line[3:]); lang == "powershell" || lang == "" && os == plan.Windows {
				kind = "ps1-md"
			}
			cur = &codeBlock{kind: kind}
		case fence:
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.code += line
		}
	}
	return out
}

// hostileFailures maps "base file field code" to the failing payloads and
// the first failure's message; code says what failed (a tool's name,
// "structure", "quote", "bom").
type hostileFailures map[string]*hostileFailure

type hostileFailure struct {
	payloads []string
	example  string
}

func (h hostileFailures) add(base, path, field, payload string, pr problem) {
	key := base + " " + path + " " + field + " " + pr.code
	f := h[key]
	if f == nil {
		f = &hostileFailure{example: payload + ": " + pr.msg}
		h[key] = f
	}
	if !slices.Contains(f.payloads, payload) {
		f.payloads = append(f.payloads, payload)
	}
}

// compare reports failures not in known and known ones that are gone, and
// prints the list as it now stands for knownHostileFailures.
func (h hostileFailures) compare(t *testing.T, known map[string]string) {
	t.Helper()
	changed := false
	for _, key := range slices.Sorted(maps.Keys(h)) {
		f := h[key]
		knownPayloads := strings.Fields(known[key])
		for _, p := range f.payloads {
			if !slices.Contains(knownPayloads, p) {
				t.Errorf("%s: payload %s fails (first failure here: %s)", key, p, truncate(f.example, 600))
				changed = true
				break
			}
		}
		for _, p := range knownPayloads {
			if !slices.Contains(f.payloads, p) {
				t.Errorf("%s: payload %s no longer fails: remove it from knownHostileFailures", key, p)
				changed = true
			}
		}
	}
	for key := range known {
		if h[key] == nil {
			t.Errorf("%s: no longer fails: remove it from knownHostileFailures", key)
			changed = true
		}
	}
	if changed {
		var b strings.Builder
		for _, key := range slices.Sorted(maps.Keys(h)) {
			fmt.Fprintf(&b, "\t%q: %q,\n", key, strings.Join(h[key].payloads, " "))
		}
		t.Logf("the failures as they stand now:\n%s", b.String())
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
