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
		covered := false
		for _, name := range caseNames(t) {
			covered = covered || slices.Contains(mustCase(t, name).Normalized().LoadBalancer.Kinds, b.Kind)
		}
		if !covered {
			t.Errorf("balancer %q: no golden case in testdata/cases uses it", b.Kind)
		}
	}
	if !slices.Equal(kinds, plan.LoadBalancerKinds) {
		t.Errorf("bundle.Balancers kinds %q, plan.LoadBalancerKinds %q: add the kind to both, in the same order", kinds, plan.LoadBalancerKinds)
	}
}
