package app_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"gopkg.in/yaml.v3"
)

// previewFiles are the files a page's preview shows, by path: the text of
// each code element, which is what Copy and a selection take.
func previewFiles(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(`#preview .panel`).Each(func(_ int, s *goquery.Selection) {
		path := strings.TrimPrefix(s.AttrOr("data-testid", ""), "panel-")
		out[path] = s.Find("pre.code > code").Text()
	})
	return out
}

// A draft's files (a new plan: no server, no machine yet) say DRAFT on
// their first line, as a comment their own language's parser accepts;
// scripts stop before they do anything; example values are marked.
func TestDraftFilesSayDraft(t *testing.T) {
	a := mustApp(t)
	p := a.open(t)
	if got := p.doc.Find("#preview").AttrOr("data-draft", ""); got != "true" {
		t.Fatalf("a new plan's preview has data-draft=%q, want true", got)
	}
	if note := testid(p.doc, "preview-draft").Text(); !strings.Contains(note, "marked") || !strings.Contains(note, "DRAFT") {
		t.Errorf("the draft note does not say how examples are marked: %q", note)
	}
	files := previewFiles(p.doc)
	if len(files) < 4 {
		t.Fatalf("the preview shows %d files", len(files))
	}
	bash := testtool.Require(t, "bash")
	for path, text := range files {
		first, _, _ := strings.Cut(text, "\n")
		if !strings.Contains(first, "DRAFT") {
			t.Errorf("%s: first line %q does not say DRAFT", path, first)
			continue
		}
		switch ext := filepath.Ext(path); {
		case ext == ".json":
			var m map[string]any
			if err := json.Unmarshal([]byte(text), &m); err != nil {
				t.Errorf("%s: the draft is not JSON: %v", path, err)
			} else if s, _ := m["DRAFT"].(string); !strings.HasPrefix(s, "DRAFT:") {
				t.Errorf("%s: no DRAFT member: %v", path, m["DRAFT"])
			}
		case ext == ".xml":
			d := xml.NewDecoder(strings.NewReader(text))
			var firstTok xml.Token
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Errorf("%s: the draft is not XML: %v", path, err)
					break
				}
				if _, pi := tok.(xml.ProcInst); firstTok == nil && !pi {
					firstTok = xml.CopyToken(tok)
				}
			}
			if c, ok := firstTok.(xml.Comment); !ok || !strings.Contains(string(c), "DRAFT") {
				t.Errorf("%s: the first XML token is %#v, want the DRAFT comment", path, firstTok)
			}
		case ext == ".md":
			if !strings.HasPrefix(first, "<!-- DRAFT") || !strings.HasSuffix(first, "-->") {
				t.Errorf("%s: first line %q is not an HTML comment", path, first)
			}
		case ext == ".yaml":
			var doc any
			if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
				t.Errorf("%s: the draft is not YAML: %v", path, err)
			}
			if !strings.HasPrefix(first, "# DRAFT") {
				t.Errorf("%s: first line %q is not a comment", path, first)
			}
		case ext == ".sh":
			// bash runs the draft: it stops at once, does nothing, and
			// says nothing on stdout.
			file := filepath.Join(t.TempDir(), filepath.Base(path))
			if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(bash, "-n", file).CombinedOutput(); err != nil {
				t.Errorf("%s: bash -n: %v\n%s", path, err, out)
			}
			cmd := exec.Command(bash, file)
			cmd.Dir, cmd.Env = t.TempDir(), []string{"PATH=/nonexistent"}
			out, err := cmd.Output()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 || len(out) != 0 {
				t.Errorf("%s: running the draft = %v, stdout %q; want exit status 1 and no output", path, err, out)
			}
		default:
			// ps1, HCL, nginx, HAProxy, nftables, iptables, SHA256SUMS:
			// all take # as a comment.
			if !strings.HasPrefix(first, "# DRAFT") {
				t.Errorf("%s: first line %q is not a # comment", path, first)
			}
			if filepath.Ext(path) == ".ps1" {
				if second := strings.Split(text, "\n")[1]; !strings.HasPrefix(second, "exit 1 ") {
					t.Errorf("%s: second line %q does not stop the script", path, second)
				}
			}
		}
	}

	// Example values are marked, and only they: every mark is one of the
	// examples the draft stands in with.
	examples := []string{"https://octopus.example.com", "octopus.example.com", "0000000000000000000000000000000000000000", "example-machine", "poll://exampleexampleexampl/", "node1.example.com", "node2.example.com", "node3.example.com", "Node1", "Node2", "Node3", "example-environment", "example-role"}
	marks := p.doc.Find("#preview code .ex")
	if marks.Length() == 0 {
		t.Fatal("no example value is marked in the draft's files")
	}
	seen := map[string]bool{}
	marks.Each(func(_ int, s *goquery.Selection) {
		if !slices.Contains(examples, s.Text()) {
			t.Errorf("marked %q, which is not an example value", s.Text())
		}
		seen[s.Text()] = true
	})
	for _, want := range []string{"example-machine", "node1.example.com"} {
		if !seen[want] {
			t.Errorf("the example %s is not marked anywhere", want)
		}
	}
}

// A complete plan is no draft: no DRAFT line, no marks, Copy copies at once.
func TestCompletePlanIsNoDraft(t *testing.T) {
	a := mustApp(t)
	p := a.toTentacle(t)
	p.form.Set("tentacle.name", "web01")
	p.form.Set("tentacle.environments", "Production")
	p.form.Set("tentacle.roles", "web")
	p = a.click(t, p, "go", "3")
	if got := p.doc.Find("#preview").AttrOr("data-draft", ""); got != "false" {
		t.Fatalf("a complete plan's preview has data-draft=%q", got)
	}
	for path, text := range previewFiles(p.doc) {
		if strings.Contains(text, "DRAFT") {
			t.Errorf("%s of a complete plan says DRAFT", path)
		}
	}
	if n := p.doc.Find("#preview .ex").Length(); n != 0 {
		t.Errorf("a complete plan marks %d example values", n)
	}
}

// Each preset loads through the import path and leaves exactly the
// server's URL and thumbprint and the machine's name to the user.
func TestPresets(t *testing.T) {
	a := mustApp(t)
	// The shapes issue 11 item 19 names, in the order step 1 offers them.
	var ids []string
	for _, pr := range app.Presets {
		ids = append(ids, pr.ID)
	}
	if want := []string{"unique-port-3", "aws-nlb-multi-node", "windows-worker-pool", "kubernetes-agent"}; !slices.Equal(ids, want) {
		t.Errorf("presets %v, want %v", ids, want)
	}
	for _, pr := range app.Presets {
		t.Run(pr.ID, func(t *testing.T) {
			want, probs := plan.Decode([]byte(pr.Plan))
			if probs.HasErrors() {
				t.Fatalf("the preset does not decode: %s", probs)
			}
			p := a.open(t)
			p = a.click(t, p, "op", "preset-"+pr.ID)
			if p.step(t) != "2" {
				t.Fatalf("the preset went to step %s, want 2 (the server)", p.step(t))
			}
			if got := testid(p.doc, "notice").Text(); !strings.Contains(got, pr.Label) {
				t.Errorf("notice = %q", got)
			}
			got := planOf(t, p.doc)
			if got.Topology != want.Topology || len(got.Nodes) != len(want.Nodes) || got.Tentacle.Kind != want.Tentacle.Kind || got.Tentacle.OS != want.Tentacle.OS {
				t.Errorf("loaded %s, %d nodes, %s %s; want %s, %d nodes, %s %s", got.Topology, len(got.Nodes), got.Tentacle.OS, got.Tentacle.Kind, want.Topology, len(want.Nodes), want.Tentacle.OS, want.Tentacle.Kind)
			}
			if !strings.HasPrefix(got.Tentacle.SubscriptionID, "poll://") {
				t.Errorf("the preset's plan has no subscription id: %q", got.Tentacle.SubscriptionID)
			}
			var fields []string
			for _, e := range got.Validate().Errors() {
				fields = append(fields, e.Field)
			}
			slices.Sort(fields)
			if want := []string{"server.thumbprint", "server.url", "tentacle.name"}; !slices.Equal(fields, want) {
				t.Errorf("errors on %v, want exactly %v (what the user must enter)", fields, want)
			}
		})
	}
	// The buttons are on step 1, as plain form posts.
	if n := testid(a.open(t).doc, "presets").Find(`button[name=op][value^="preset-"]`).Length(); n != len(app.Presets) {
		t.Errorf("step 1 offers %d presets, want %d", n, len(app.Presets))
	}
}

// Multi-node on a server too old for it: the error beside the version
// offers unique port, and one press switches, keeping nodes and balancer.
func TestUseUniquePortInstead(t *testing.T) {
	a := mustApp(t)
	p := a.open(t)
	p.form.Set("topology", "multi-node")
	p = a.click(t, p, "go", "2")
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form.Set("server.version", "2024.2.1")
	p.form["nodes.address"] = []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}
	p.form["nodes.port"] = []string{"10943", "10943", "10943"}
	p.form.Set("loadBalancer.address", "polling.example.com")
	p.form["loadBalancer.kinds"] = []string{"nginx", "aws-nlb"}
	p = a.click(t, p, "go", "3")
	if p.step(t) != "2" || !strings.Contains(testid(p.doc, "error-server.version").Text(), "does not support multi-node") {
		t.Fatalf("step %s, version error %q", p.step(t), testid(p.doc, "error-server.version").Text())
	}
	if testid(p.doc, "use-unique-port").Length() != 1 {
		t.Fatal("the version error offers no 'Use unique port instead'")
	}
	p = a.click(t, p, "op", "use-unique-port")
	q := planOf(t, p.doc)
	if q.Topology != plan.UniquePort {
		t.Fatalf("topology after the switch = %s", q.Topology)
	}
	var addrs []string
	var ports, listen []int
	for _, n := range q.Nodes {
		addrs, ports, listen = append(addrs, n.Address), append(ports, n.Port), append(listen, n.ListenPort)
	}
	if !slices.Equal(addrs, []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}) || !slices.Equal(ports, []int{10943, 10944, 10945}) || !slices.Equal(listen, []int{10943, 10943, 10943}) {
		t.Errorf("nodes after the switch: addresses %v, balancer ports %v, listen ports %v", addrs, ports, listen)
	}
	if q.LoadBalancer.Address != "polling.example.com" || !slices.Equal(q.LoadBalancer.Kinds, []string{"nginx", "aws-nlb"}) || q.Server.Version != "2024.2.1" {
		t.Errorf("the balancer or version was not kept: %+v, version %q", q.LoadBalancer, q.Server.Version)
	}
	for _, e := range q.Validate().Errors() {
		if !strings.HasPrefix(e.Field, "tentacle.") {
			t.Errorf("the switched plan has an error on step 2: %s: %s", e.Field, e.Message)
		}
	}
	if testid(p.doc, "use-unique-port").Length() != 0 || testid(p.doc, "error-server.version").Length() != 0 {
		t.Error("the version error or its button stays after the switch")
	}
}

// An empty version with multi-node warns on step 2 and on the review, as
// the CLI does.
func TestEmptyVersionWarns(t *testing.T) {
	a := mustApp(t)
	p := a.open(t)
	p.form.Set("topology", "multi-node")
	p = a.click(t, p, "go", "2")
	const want = "enter the server version to check it"
	if got := testid(p.doc, "warning-server.version").Text(); !strings.Contains(got, want) {
		t.Errorf("step 2 version warning = %q", got)
	}
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form["nodes.address"] = []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}
	p.form.Set("loadBalancer.address", "polling.example.com")
	p.form["loadBalancer.kinds"] = []string{"nginx"}
	p = a.click(t, p, "go", "3")
	p.form.Set("tentacle.name", "web01")
	p.form.Set("tentacle.environments", "Production")
	p.form.Set("tentacle.roles", "web")
	p = a.click(t, p, "go", "4")
	if !strings.Contains(p.doc.Find("#main").Text(), want) {
		t.Error("the review does not warn about the missing server version")
	}
}
