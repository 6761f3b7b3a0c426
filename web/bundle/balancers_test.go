//go:build !js

package bundle_test

import (
	"slices"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestBalancerRegistry says what a new load-balancer kind still lacks: its
// name in plan.LoadBalancerKinds, a complete row, a reader of its file
// (lbKinds), a real-tool check (realChecks) and a golden case using it.
func TestBalancerRegistry(t *testing.T) {
	var kinds []string
	files := map[string]bool{}
	for _, b := range bundle.Balancers {
		kinds = append(kinds, b.Kind)
		if b.Label == "" || b.File == "" || b.Lang == "" || b.Mode == 0 || b.Apply == nil || b.Write == nil {
			t.Errorf("balancer %q: incomplete row %+v", b.Kind, b)
		}
		if files[b.File] {
			t.Errorf("balancer %q: the file %s is another kind's", b.Kind, b.File)
		}
		files[b.File] = true
		if !slices.ContainsFunc(lbKinds, func(k lbKind) bool { return k.kind == b.Kind }) {
			t.Errorf("balancer %q: no reader in lbKinds (lb_test.go) to read its file back", b.Kind)
		}
		if !slices.ContainsFunc(realChecks, func(c toolCheck) bool { return c.kind == b.Kind }) {
			t.Errorf("balancer %q: no real-tool check in realChecks (realtool_test.go)", b.Kind)
		}
		if kindOf(b.Path()) == "" {
			t.Errorf("balancer %q: no hostile-corpus checker for %s (kindOf and the checkers in hostile_tools_test.go)", b.Kind, b.Path())
		}
		if (b.Standalone == nil) != (b.StandaloneFile == "") {
			t.Errorf("balancer %q: a standalone file needs both its name and its generator", b.Kind)
		}
		if b.Standalone != nil && kindOf(b.StandalonePath()) == "" {
			t.Errorf("balancer %q: no checker for %s in kindOf (hostile_tools_test.go)", b.Kind, b.StandalonePath())
		}
		covered, coveredSNI := false, false
		for _, name := range caseNames(t) {
			p := mustCase(t, name).Normalized()
			uses := slices.Contains(p.LoadBalancer.Kinds, b.Kind)
			covered = covered || uses
			coveredSNI = coveredSNI || uses && p.Topology.RoutesByName()
		}
		if !covered {
			t.Errorf("balancer %q: no golden case in testdata/cases uses it", b.Kind)
		}
		if b.Supports(plan.UniqueHostname) && !coveredSNI {
			t.Errorf("balancer %q routes by server name (plan.SNIKinds) but no golden case uses it in a topology that does", b.Kind)
		}
	}
	for _, k := range plan.SNIKinds {
		if !slices.Contains(plan.LoadBalancerKinds, k) {
			t.Errorf("plan.SNIKinds names %q, which is not in plan.LoadBalancerKinds", k)
		}
	}
	if !slices.Equal(kinds, plan.LoadBalancerKinds) {
		t.Errorf("bundle.Balancers kinds %q, plan.LoadBalancerKinds %q: add the kind to both, in the same order", kinds, plan.LoadBalancerKinds)
	}
}
