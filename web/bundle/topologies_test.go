//go:build !js

package bundle_test

import (
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTopologyCoverage says when a topology of plan.TopologyTable has no
// golden case in testdata/cases (its bundle would go unreviewed) or, when
// it has a balancer, no case with that balancer's rules.
func TestTopologyCoverage(t *testing.T) {
	cases := map[plan.Topology]bool{}
	withKinds := map[plan.Topology]bool{}
	for _, name := range caseNames(t) {
		p := mustCase(t, name).Normalized()
		cases[p.Topology] = true
		withKinds[p.Topology] = withKinds[p.Topology] || len(p.LoadBalancer.Kinds) > 0
	}
	for _, row := range plan.TopologyTable {
		if !cases[row.Topology] {
			t.Errorf("topology %q: no golden case in testdata/cases uses it", row.Topology)
		}
		if row.HasLoadBalancer && !withKinds[row.Topology] {
			t.Errorf("topology %q: no golden case generates its load-balancer rules", row.Topology)
		}
	}
}
