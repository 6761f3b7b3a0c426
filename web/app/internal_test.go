package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

func TestFieldPaths(t *testing.T) {
	tests := []struct {
		field, wantKey string
		wantStep       int
		wantItem       int
	}{
		{"topology", "topology", 1, 0},
		{"version", "version", 1, 0},
		{"server.thumbprint", "server.thumbprint", 2, 0},
		{"nodes", "nodes", 2, 0},
		{"nodes[1].port", "nodes[1].port", 2, 0},
		{"loadBalancer", "loadBalancer.kinds", 2, 0},
		{"loadBalancer.kinds[2]", "loadBalancer.kinds", 2, 0},
		{"tentacle.roles[0]", "tentacle.roles", 3, 1},
		{"tentacle.subscriptionId", "tentacle.subscriptionId", 3, 0},
	}
	for _, tt := range tests {
		key := displayKey(tt.field)
		if key != tt.wantKey || stepOf(key) != tt.wantStep || listItem(tt.field) != tt.wantItem {
			t.Errorf("field %q = key %q step %d item %d, want %q %d %d", tt.field, key, stepOf(key), listItem(tt.field), tt.wantKey, tt.wantStep, tt.wantItem)
		}
	}
	for in, want := range map[string]string{"nodes.port[1]": "nodes[1].port", "nodes.name": "nodes", "server.url": "server.url"} {
		if got := formKey(in); got != want {
			t.Errorf("formKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChangedLines(t *testing.T) {
	tests := []struct {
		name        string
		before, now string
		want        string // one character a line of now: x changed, . not
	}{
		{"same", "a b c", "a b c", "..."},
		{"one changed", "a b c", "a X c", ".x."},
		{"inserted", "a c", "a b c", ".x."},
		{"deleted", "a b c", "a c", ".."},
		{"scattered", "h a b c d t", "h A b c D t", ".x..x."},
		{"all new", "", "a b", "xx"},
		{"moved", "a b c d", "d a b c", "x..."},
	}
	for _, tt := range tests {
		got := changedLines(strings.Fields(tt.before), strings.Fields(tt.now))
		var b strings.Builder
		for _, c := range got {
			if c {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		if b.String() != tt.want {
			t.Errorf("%s: changedLines = %s, want %s", tt.name, b.String(), tt.want)
		}
	}
}

func tokens(lines []templates.Line) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, t := range l.Tokens {
			if t.Class == "" {
				b.WriteString(t.Text)
			} else {
				b.WriteString("<" + t.Class + ">" + t.Text + "</>")
			}
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		path, in, want string
	}{
		{"a.sh", `set -eu # strict`, `<k>set</> -eu <c># strict</>`},
		{"a.sh", `echo "$NAME" '${x}'`, `<k>echo</> <s>"$NAME"</> <s>'${x}'</>`},
		{"a.sh", "cat <<'EOF' >f\n$x here\nEOF\nfi", `cat <k><<'EOF'</> >f` + "\n<s>$x here</>\n<s>EOF</>\n<k>fi</>"},
		{"a.sh", `x=${a[@]+"${a[@]}"}`, `x=<v>${a[@]+"${a[@]}"}</>`},
		{"r.ps1", `Write-Host -Object $env:X 'it''s'`, `<k>Write-Host</> <a>-Object</> <v>$env:X</> <s>'it''s'</>`},
		{"r.ps1", "<# a\nb #> $x", "<c><# a</>\n<c>b #></> <v>$x</>"},
		{"t.xml", `<!-- c --><set key="k">v &amp;</set>`, `<c><!-- c --></><t><set</> <a>key</>=<s>"k"</><t>></>v &amp;<t></set></>`},
		{"p.json", `{"a": 1, "b": true}`, `{<a>"a"</>: <n>1</>, <a>"b"</>: <k>true</>}`},
		{"v.yaml", `agent: # x`, `<a>agent</>: <c># x</>`},
		{"n.conf", `    listen 10943;`, `    <k>listen</> <n>10943</>;`},
		{"a.tf", `resource "x" "y" {`, `<k>resource</> <s>"x"</> <s>"y"</> {`},
		{"R.md", "# Title\n- `code` here", "<h># Title</>\n<k>- </><s>`code`</> here"},
	}
	for _, tt := range tests {
		lines, _ := highlight(tt.path, []byte(tt.in))
		if got := tokens(lines); got != tt.want {
			t.Errorf("highlight(%s, %q) =\n%s\nwant\n%s", tt.path, tt.in, got, tt.want)
		}
		// Highlighting never changes the text.
		var plain []string
		for _, l := range lines {
			var b strings.Builder
			for _, tok := range l.Tokens {
				b.WriteString(tok.Text)
			}
			plain = append(plain, b.String())
		}
		if strings.Join(plain, "\n") != tt.in {
			t.Errorf("highlight(%s) changed the text to %q", tt.path, strings.Join(plain, "\n"))
		}
	}
}

func TestDraftFillsEveryMissingField(t *testing.T) {
	for _, topo := range plan.Topologies() {
		p := plan.Plan{Version: 1, Topology: topo, Nodes: make([]plan.Node, 3), Tentacle: plan.Tentacle{SubscriptionID: "poll://g3662re9njtelsyfhm7t/"}}
		q, filled, blocked := draft(p)
		if len(blocked) > 0 {
			t.Errorf("%s: draft left errors %s", topo, blocked)
			continue
		}
		if _, err := bundle.Files(q); err != nil {
			t.Errorf("%s: draft plan does not generate: %v", topo, err)
		}
		if len(filled) == 0 || filled[0] != "server.url" {
			t.Errorf("%s: filled %v, want server.url first", topo, filled)
		}
	}
}

func TestShareFragmentRoundTrip(t *testing.T) {
	p := plan.Plan{Version: 1, Topology: plan.UniqueAddress, Server: plan.Server{URL: "https://o.example.com"},
		Nodes: []plan.Node{{Address: "a.example.com"}}, Tentacle: plan.Tentacle{Name: "wéb <01>", Roles: []string{"a&b"}}}
	frag, err := shareFragment(p)
	if err != nil {
		t.Fatal(err)
	}
	if data, ok := strings.CutPrefix(frag, "plan="); !ok || strings.ContainsAny(data, "+/=?#&") {
		t.Errorf("fragment %q is not base64url", frag)
	}
	js, err := readShareFragment("#" + frag)
	if err != nil {
		t.Fatal(err)
	}
	got, probs := plan.Decode(js)
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	if diff := cmp.Diff(p.Normalized(), got); diff != "" {
		t.Errorf("share round trip (-want +got):\n%s", diff)
	}
	if _, err := readShareFragment("#plan=!!!"); err == nil {
		t.Error("a damaged fragment reads without error")
	}
}

// TestOutcomeNeverPlainGreenAboveAFailedStep: a run that ended without
// error but reported a step failed (the check in Octopus, cut short by
// Cancel) or warned is "Registered, with N warnings", each step's reason
// quoted under the headline.
func TestOutcomeNeverPlainGreenAboveAFailedStep(t *testing.T) {
	p := plan.Plan{Tentacle: plan.Tentacle{Name: "web01"}}
	steps := []report.Event{
		{Step: 1, Total: 3, Name: "Register", Status: report.Pass},
		{Step: 2, Total: 3, Name: "Tentacle thumbprint", Status: report.Fail, Message: "Tentacle thumbprint failed (cancelled because you pressed Cancel)."},
		{Step: 3, Total: 3, Name: "Find the machine in Octopus", Status: report.Warn, Message: "could not ask Octopus"},
	}
	o := outcomeOf(p, steps, Registered{Trusted: []string{"https://a:1"}}, nil)
	v := o.view()
	want := []string{"Step 2 of 3, Tentacle thumbprint: Tentacle thumbprint failed (cancelled because you pressed Cancel).", "Step 3 of 3, Find the machine in Octopus: could not ask Octopus"}
	if !o.OK || o.Warnings != 2 || !slices.Equal(v.WarningNotes, want) {
		t.Errorf("outcome = %+v, want OK with 2 warnings %q", o, want)
	}
}
