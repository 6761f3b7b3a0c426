package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// toUniquePortServer chooses unique-port and fills step 2 but for the
// choice of how the nodes listen.
func (a testApp) toUniquePortServer(tb testing.TB) page {
	tb.Helper()
	p := a.open(tb)
	p.form.Set("topology", "unique-port")
	p = a.click(tb, p, "go", "2")
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form["nodes.address"] = []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}
	p.form.Set("loadBalancer.address", "203.0.113.10")
	p.form["loadBalancer.kinds"] = []string{"haproxy"}
	return p
}

// nodeScript is node i's octopus-server script for the plan a page carries.
func nodeScript(tb testing.TB, p page, i int) string {
	tb.Helper()
	q := planOf(tb, p.doc)
	q.Tentacle = plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"}, SubscriptionID: q.Tentacle.SubscriptionID}
	files, err := bundle.Files(q)
	if err != nil {
		tb.Fatalf("Files: %v", err)
	}
	want := "octopus-server/" + bundle.NodeScriptName(q.Normalized().Nodes[i].Name)
	for _, f := range files {
		if f.Path == want {
			return string(f.Content)
		}
	}
	tb.Fatalf("no %s", want)
	return ""
}

func listenPorts(q plan.Plan) []int {
	var out []int
	for _, n := range q.Nodes {
		out = append(out, n.ListenPort)
	}
	return out
}

func TestUniquePortNodesKeepListeningByDefault(t *testing.T) {
	app := mustApp(t)
	p := app.toUniquePortServer(t)
	if got := p.doc.Find(`#f-listenMode-keep`).AttrOr("checked", "none"); got == "none" {
		t.Error("the choice 'nodes keep listening on 10943' is not checked by default")
	}
	if got := p.form["nodes.listenPort"]; !cmp.Equal(got, []string{"10943", "10943", "10943"}) {
		t.Errorf("node ports = %v, want [10943 10943 10943]", got)
	}
	if testid(p.doc, "listen-move-warning").Length() != 0 {
		t.Error("the move warning shows although no node moves")
	}
	p = app.click(t, p, "go", "3")
	if p.step(t) != "3" {
		t.Fatalf("Next = step %s; summary %q", p.step(t), testid(p.doc, "error-summary").Text())
	}
	q := planOf(t, p.doc)
	if got := listenPorts(q); !cmp.Equal(got, []int{10943, 10943, 10943}) {
		t.Errorf("plan listenPorts = %v, want [10943 10943 10943]", got)
	}
	if script := nodeScript(t, p, 1); strings.Contains(script, "--drain") || strings.Contains(script, "commsListenPort") {
		t.Errorf("node 2's script touches more than the firewall:\n%s", script)
	}
}

func TestUniquePortMoveNodesIsAnExplicitChoice(t *testing.T) {
	app := mustApp(t)
	p := app.toUniquePortServer(t)
	p.form.Set("listenMode", "move")
	p = app.click(t, p, "go", "2")
	if p.code != http.StatusOK {
		t.Fatalf("choosing to move the nodes = %d", p.code)
	}
	q := planOf(t, p.doc)
	if got := listenPorts(q); !cmp.Equal(got, []int{0, 0, 0}) {
		t.Errorf("plan listenPorts = %v, want none (the nodes listen on their balancer ports)", got)
	}
	if got := p.doc.Find(`#f-listenMode-move`).AttrOr("checked", "none"); got == "none" {
		t.Error("the move choice is not shown as chosen")
	}
	if got := testid(p.doc, "listen-move-warning").Text(); !strings.Contains(got, "stop reaching it") {
		t.Errorf("move warning = %q", got)
	}
	if got := testid(p.doc, "warning-nodes[1].listenPort").Text(); !strings.Contains(got, "from 10943 to 10944") {
		t.Errorf("warning beside node 2's port = %q", got)
	}
	script := nodeScript(t, p, 1)
	for _, want := range []string{"--drain=true", "--commsListenPort $Port", "--stop --start", "--drain=false"} {
		if !strings.Contains(script, want) {
			t.Errorf("node 2's script lacks %q", want)
		}
	}

	// Back to the default: every node listens on 10943 again.
	p.form.Set("listenMode", "keep")
	p = app.click(t, p, "go", "2")
	if got := listenPorts(planOf(t, p.doc)); !cmp.Equal(got, []int{10943, 10943, 10943}) {
		t.Errorf("after choosing keep again, listenPorts = %v, want [10943 10943 10943]", got)
	}
}

// A plan exported before the choice existed (no listenPort) still means
// the nodes listen on their balancer ports; the wizard shows it as such.
func TestUniquePortPlanWithoutListenPortMovesNodes(t *testing.T) {
	app := mustApp(t)
	p := app.toUniquePortServer(t)
	p.form["nodes.listenPort"] = []string{"", "", ""}
	p = app.click(t, p, "go", "2")
	if got := listenPorts(planOf(t, p.doc)); !cmp.Equal(got, []int{0, 0, 0}) {
		t.Fatalf("listenPorts = %v, want none", got)
	}
	if got := p.doc.Find(`#f-listenMode-move`).AttrOr("checked", "none"); got == "none" {
		t.Error("a plan whose node 2 listens on its balancer port is not shown as 'listen on the balancer's ports'")
	}
	if testid(p.doc, "warning-nodes[1].listenPort").Length() != 1 {
		t.Error("no warning beside node 2's listen port")
	}
}
