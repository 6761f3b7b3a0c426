package plan_test

import (
	"slices"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// planFor is a valid plan of each topology; a new topology needs one here.
var planFor = map[plan.Topology]func() plan.Plan{
	plan.UniqueAddress:  validPlan,
	plan.UniquePort:     uniquePort,
	plan.MultiNode:      multiNode,
	plan.UniqueHostname: uniqueHostname,
}

// TestTopologyRegistry says what a new topology still lacks: a complete
// row, a valid example plan (planFor), addresses to poll (Polls) and,
// behind a balancer, routes (Routes). The bundle's golden cases and the
// wizard's diagrams have their own registry tests.
func TestTopologyRegistry(t *testing.T) {
	if got, want := plan.Topologies(), []plan.Topology{plan.UniqueAddress, plan.UniquePort, plan.MultiNode, plan.UniqueHostname}; !slices.Equal(got, want) {
		t.Errorf("Topologies() = %q, want %q (the wizard's order)", got, want)
	}
	seen := map[plan.Topology]bool{}
	for _, row := range plan.TopologyTable {
		if row.Topology == "" || row.Label == "" || row.Summary == "" {
			t.Errorf("topology %q: incomplete row %+v", row.Topology, row)
		}
		if seen[row.Topology] {
			t.Errorf("topology %q: two rows", row.Topology)
		}
		seen[row.Topology] = true
		if row.BalancerPort != (row.DefaultBalancerPort != 0) {
			t.Errorf("topology %q: BalancerPort %v with DefaultBalancerPort %d: a balancer port needs its default", row.Topology, row.BalancerPort, row.DefaultBalancerPort)
		}
		if row.RoutesByName && !row.BalancerPort {
			t.Errorf("topology %q: routes by name without one balancer port", row.Topology)
		}
		if row.BalancerPort && !row.HasLoadBalancer {
			t.Errorf("topology %q: a balancer port without a balancer", row.Topology)
		}
		if _, ok := plan.ParseServerVersion(row.MinVersion); row.MinVersion != "" && !ok {
			t.Errorf("topology %q: MinVersion %q is not a version", row.Topology, row.MinVersion)
		}
		if got, ok := row.Topology.Row(); !ok || got.Label != row.Label {
			t.Errorf("%q.Row() = %+v, %v; want its row", row.Topology, got, ok)
		}
		mk, ok := planFor[row.Topology]
		if !ok {
			t.Errorf("topology %q: no example plan in planFor (topologies_test.go)", row.Topology)
			continue
		}
		p := mk()
		if p.Topology != row.Topology {
			t.Errorf("planFor[%q] has topology %q", row.Topology, p.Topology)
		}
		if errs := p.Validate().Errors(); len(errs) > 0 {
			t.Errorf("planFor[%q].Validate() = %v, want no errors", row.Topology, errs)
		}
		q := p.Normalized()
		if len(q.Polls()) == 0 {
			t.Errorf("topology %q: Polls() is empty: add its addresses to Polls (endpoint.go)", row.Topology)
		}
		if got := len(q.Routes()) > 0; got != row.HasLoadBalancer {
			t.Errorf("topology %q: Routes() non-empty = %v, HasLoadBalancer %v: add its routes to Routes (endpoint.go)", row.Topology, got, row.HasLoadBalancer)
		}
		if got := q.LoadBalancer.Port != 0; got != row.BalancerPort {
			t.Errorf("topology %q: Normalized loadBalancer.port set = %v, BalancerPort %v", row.Topology, got, row.BalancerPort)
		}
	}
	if _, ok := plan.Topology("round-robin").Row(); ok {
		t.Errorf(`Topology("round-robin").Row() found a row`)
	}
}

// TestTopologyValidationSentences: the choices named in validation's
// sentences come from the table.
func TestTopologyValidationSentences(t *testing.T) {
	p := validPlan()
	p.Topology = ""
	assertMessage(t, p, "topology", "Choose a topology: unique-address, unique-port, multi-node or unique-hostname.")
	p = multiNode()
	p.Server.Version = "2025.1.1"
	assertMessage(t, p, "server.version", "Octopus Server 2025.1.1 does not support multi-node polling (it needs 2026.4.6909 or later); choose unique-address, unique-port or unique-hostname, or upgrade the server.")
}

func assertMessage(t *testing.T, p plan.Plan, field, want string) {
	t.Helper()
	var got []string
	for _, pr := range p.Validate() {
		if pr.Field == field {
			got = append(got, pr.Message)
		}
	}
	if !slices.Contains(got, want) {
		t.Errorf("Validate() on %s = %q, want %q", field, got, want)
	}
}
