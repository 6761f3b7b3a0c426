package templates

import (
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTopologyDiagrams says when a topology of plan.TopologyTable has no
// diagram on the wizard's first step.
func TestTopologyDiagrams(t *testing.T) {
	for _, row := range plan.TopologyTable {
		if topologyDiagrams[row.Topology] == nil {
			t.Errorf("topology %q: no diagram in topologyDiagrams (topology.templ)", row.Topology)
		}
	}
	if len(topologyDiagrams) != len(plan.TopologyTable) {
		t.Errorf("topologyDiagrams has %d entries, plan.TopologyTable %d rows", len(topologyDiagrams), len(plan.TopologyTable))
	}
}
