package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTargetKindRegistry says what a new target kind still lacks: a
// complete row whose lists are known list fields, and validation that
// accepts an example and names the kind's required lists.
func TestTargetKindRegistry(t *testing.T) {
	lists := map[string]bool{}
	for _, l := range plan.TentacleLists {
		if l.Field == "" || l.Item == "" || l.Group == "" || l.Values == nil {
			t.Errorf("list %q: incomplete row", l.Field)
		}
		lists[l.Field] = true
	}
	seen := map[string]bool{}
	for _, k := range plan.TargetKinds {
		if k.Kind == "" || k.Label == "" || k.Does == "" || k.Noun == "" || k.Area == "" || (k.RegisterCommand == "") != k.Helm {
			t.Errorf("kind %q: incomplete row %+v", k.Kind, k)
		}
		if seen[k.Kind] {
			t.Errorf("kind %q: two rows", k.Kind)
		}
		seen[k.Kind] = true
		for _, f := range k.Lists {
			if !lists[f] {
				t.Errorf("kind %q: list %q is not in plan.TentacleLists", k.Kind, f)
			}
		}
		for _, f := range k.Required {
			if !k.Takes(f) {
				t.Errorf("kind %q: requires %q but does not take it (Lists)", k.Kind, f)
			}
		}
		// An example: every list it takes filled, so the plan is valid.
		p := validPlan()
		p.Tentacle = plan.Tentacle{Name: "web01", Kind: k.Kind}
		for _, f := range k.Lists {
			fill(&p.Tentacle, f)
		}
		if errs := p.Validate().Errors(); len(errs) > 0 {
			t.Errorf("kind %q with its lists filled: Validate() = %v, want no errors", k.Kind, errs)
		}
		// Without them, each required list is named.
		p.Tentacle = plan.Tentacle{Name: "web01", Kind: k.Kind}
		for _, f := range k.Required {
			assertMessage(t, p, f, "A "+k.Noun+" needs at least one "+itemOf(f)+".")
		}
	}
	if !slices.ContainsFunc(plan.TargetKinds, func(k plan.TargetKind) bool { return k.Kind == plan.Target }) || plan.TargetKinds[0].Kind != plan.Target {
		t.Errorf("the first kind (the default) is %q, want %q", plan.TargetKinds[0].Kind, plan.Target)
	}
}

// TestTargetKindSentences pins the sentences validation derives from the
// table, as they read before it was one.
func TestTargetKindSentences(t *testing.T) {
	p := validPlan()
	p.Tentacle.Kind = "agent"
	assertMessage(t, p, "tentacle.kind", `Choose target (deployment target), worker, kubernetes-agent (Kubernetes agent) or kubernetes-worker (Kubernetes worker), not "agent".`)
	p = validPlan()
	p.Tentacle.WorkerPools = []string{"Pool"}
	assertMessage(t, p, "tentacle.workerPools", "Worker pools apply to workers and Kubernetes workers only; a deployment target ignores them.")
	p = validPlan()
	p.Tentacle.Kind = plan.Worker
	p.Tentacle.Environments, p.Tentacle.Roles = nil, nil
	p.Tentacle.TenantTags = []string{"Region/Europe"}
	p.Tentacle.WorkerPools = []string{"Pool"}
	assertMessage(t, p, "tentacle.kind", "Environments, roles and tenants apply to deployment targets and Kubernetes agents only; a worker ignores them.")
	p.Tentacle.WorkerPools = nil
	assertMessage(t, p, "tentacle.workerPools", "A worker needs at least one worker pool.")
}

func fill(t *plan.Tentacle, field string) {
	v := []string{"x"}
	switch strings.TrimPrefix(field, "tentacle.") {
	case "environments":
		t.Environments = v
	case "roles":
		t.Roles = v
	case "tenants":
		t.Tenants = v
	case "tenantTags":
		t.TenantTags = []string{"Region/Europe"}
	case "workerPools":
		t.WorkerPools = v
	}
}

func itemOf(field string) string {
	for _, l := range plan.TentacleLists {
		if l.Field == field {
			return l.Item
		}
	}
	return ""
}
