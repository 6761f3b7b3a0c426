package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestUniqueHostnameWizard walks the wizard through unique-hostname as a
// browser without JavaScript would: step 1 shows its card and diagram,
// step 2 asks for each node's host name and backend address and offers
// only the balancer kinds that read the TLS server name, and the plan the
// page carries holds what was typed.
func TestUniqueHostnameWizard(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)
	card := testid(p.doc, "topology-unique-hostname")
	if card.Length() != 1 {
		t.Fatal("step 1 has no unique-hostname card")
	}
	if got := strings.TrimSpace(card.Find("label").Text()); got != "Unique host name per node (SNI)" {
		t.Errorf("unique-hostname card label = %q", got)
	}
	if title := card.Find("svg[role=img] title").Text(); !strings.Contains(title, "TLS handshake") {
		t.Errorf("unique-hostname diagram title = %q, want it to say the balancer reads the TLS handshake", title)
	}

	p.form.Set("topology", "unique-hostname")
	p = app.click(t, p, "go", "2")
	var kinds []string
	p.doc.Find(`input[name="loadBalancer.kinds"]`).Each(func(_ int, s *goquery.Selection) { kinds = append(kinds, s.AttrOr("value", "")) })
	if diff := cmp.Diff([]string{"nginx", "haproxy", "kubernetes"}, kinds); diff != "" {
		t.Errorf("offered balancer kinds (-want +got):\n%s", diff)
	}
	if got := p.doc.Find(`label[for="f-loadBalancer-kinds-kubernetes"]`).Text(); got != "Kubernetes Ingress (ingress-nginx, SSL passthrough)" {
		t.Errorf("kubernetes kind label = %q, want it to name the Ingress", got)
	}
	if testid(p.doc, "field-nodes[0].backendAddress").Length() != 1 {
		t.Fatal("step 2 has no backend address for node 1")
	}
	if got := p.doc.Find("#f-loadBalancer-port").AttrOr("placeholder", ""); got != "443" {
		t.Errorf("polling port placeholder = %q, want 443", got)
	}

	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form["nodes.name"] = []string{"Node1", "Node2"}
	p.form["nodes.address"] = []string{"polling1.example.com", "10.0.1.12"}
	p.form["nodes.port"] = []string{"", ""}
	p.form["nodes.backendAddress"] = []string{"10.0.1.11", "10.0.1.12"}
	p.form.Set("loadBalancer.address", "lb.example.com")
	p.form["loadBalancer.kinds"] = []string{"nginx", "haproxy"}
	p = app.click(t, p, "go", "3")
	if got := testid(p.doc, "field-nodes[1].address").Text(); !strings.Contains(got, "a Tentacle sends no TLS server name for an IP address") {
		t.Errorf("node 2's IP address as host name: field shows %q", got)
	}
	q := planOf(t, p.doc)
	if q.Topology != plan.UniqueHostname || len(q.Nodes) != 2 || q.Nodes[0].BackendAddress != "10.0.1.11" || q.Nodes[1].BackendAddress != "10.0.1.12" {
		t.Errorf("page plan = %+v, want unique-hostname with both backend addresses", q)
	}
	if !slices.Equal(q.LoadBalancer.Kinds, []string{"nginx", "haproxy"}) {
		t.Errorf("page plan kinds = %q", q.LoadBalancer.Kinds)
	}
}

// TestUniqueHostnameKeepsImportedL4Kind: a plan that already holds a kind
// unique-hostname cannot use keeps it on the page (nothing imported is
// dropped unseen), and the field says why it does not fit.
func TestUniqueHostnameKeepsImportedL4Kind(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)
	p.form.Set("topology", "unique-hostname")
	p = app.click(t, p, "go", "2")
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form["nodes.address"] = []string{"polling1.example.com", "polling2.example.com"}
	p.form["nodes.backendAddress"] = []string{"10.0.1.11", "10.0.1.12"}
	p.form.Set("loadBalancer.address", "lb.example.com")
	p.form["loadBalancer.kinds"] = []string{"nginx", "nftables"}
	p = app.click(t, p, "go", "3")
	if _, ok := p.doc.Find("#f-loadBalancer-kinds-nftables").Attr("checked"); !ok {
		t.Error("the nftables checkbox the plan holds is not shown checked")
	}
	if got := p.doc.Find("#f-loadBalancer-kinds").Text(); !strings.Contains(got, "nftables forwards by port alone") {
		t.Errorf("kinds field does not say why nftables does not fit: %.300s", got)
	}
}
