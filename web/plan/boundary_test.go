package plan_test

import (
	"fmt"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// errorOn reports whether problems hold an error on exactly field.
func errorOn(probs plan.Problems, field string) bool {
	for _, p := range probs.Errors() {
		if p.Field == field {
			return true
		}
	}
	return false
}

// optionLikeFields are every free-text plan value that becomes an argument
// of its own on a command line (Tentacle's in the registration, Octopus
// Server's in the node scripts), each list at its first and a later index:
// set writes v there, field is the path the error must name.
var optionLikeFields = []struct {
	field string
	set   func(p *plan.Plan, v string)
}{
	{"tentacle.name", func(p *plan.Plan, v string) { p.Tentacle.Name = v }},
	{"tentacle.instance", func(p *plan.Plan, v string) { p.Tentacle.Instance = v }},
	{"tentacle.policy", func(p *plan.Plan, v string) { p.Tentacle.Policy = v }},
	{"server.space", func(p *plan.Plan, v string) { p.Server.Space = v }},
	{"server.instance", func(p *plan.Plan, v string) { p.Server.Instance = v }},
	{"nodes[1].name", func(p *plan.Plan, v string) { p.Nodes[1].Name = v }},
	{"tentacle.environments[0]", func(p *plan.Plan, v string) { p.Tentacle.Environments = []string{v} }},
	{"tentacle.environments[1]", func(p *plan.Plan, v string) { p.Tentacle.Environments = []string{"Production", v} }},
	{"tentacle.roles[0]", func(p *plan.Plan, v string) { p.Tentacle.Roles = []string{v} }},
	{"tentacle.roles[1]", func(p *plan.Plan, v string) { p.Tentacle.Roles = []string{"web", v} }},
	{"tentacle.tenants[0]", func(p *plan.Plan, v string) { p.Tentacle.Tenants = []string{v} }},
	{"tentacle.tenants[1]", func(p *plan.Plan, v string) { p.Tentacle.Tenants = []string{"Acme", v} }},
	{"tentacle.tenantTags[0]", func(p *plan.Plan, v string) { p.Tentacle.TenantTags = []string{v} }},
	{"tentacle.tenantTags[1]", func(p *plan.Plan, v string) { p.Tentacle.TenantTags = []string{"Region/Europe", v} }},
	{"tentacle.workerPools[0]", func(p *plan.Plan, v string) { p.Tentacle.WorkerPools = []string{v} }},
	{"tentacle.workerPools[1]", func(p *plan.Plan, v string) { p.Tentacle.WorkerPools = []string{"Edge", v} }},
}

// TestValidateRefusesOptionLikeValues: a value starting with "-" (one dash
// or two, alone, or after white space Normalized trims) is refused in
// every field that becomes a Tentacle argument, at the exact field path.
func TestValidateRefusesOptionLikeValues(t *testing.T) {
	for _, f := range optionLikeFields {
		for _, v := range []string{"-x", "--x", "-", " -x", "-x/y", "-Production"} {
			t.Run(fmt.Sprintf("%s=%q", f.field, v), func(t *testing.T) {
				p := validPlan()
				f.set(&p, v)
				if got := p.Validate(); !errorOn(got, f.field) {
					t.Errorf("Validate() with %s = %q: %v, want an error on %s", f.field, v, got, f.field)
				}
			})
		}
	}
}

// TestValidateAcceptsDashInside: a dash anywhere but first is an ordinary
// character (a role like web-01, a tag like Region/eu-west).
func TestValidateAcceptsDashInside(t *testing.T) {
	for _, f := range optionLikeFields {
		v := "a-x"
		if f.field == "tentacle.tenantTags[0]" || f.field == "tentacle.tenantTags[1]" {
			v = "Region/eu-west"
		}
		p := validPlan()
		f.set(&p, v)
		if got := p.Validate(); errorOn(got, f.field) {
			t.Errorf("Validate() with %s = %q: %v, want no error there", f.field, v, got)
		}
	}
}

// TestPollingConnectionCountBounds: Halibut opens at most 512 polling
// connections (reference/tentacle.md 2.3); 0 means Tentacle's default.
func TestPollingConnectionCountBounds(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want bool // refused
	}{{-1, true}, {0, false}, {1, false}, {511, false}, {512, false}, {513, true}, {1 << 20, true}} {
		p := validPlan()
		p.Tentacle.PollingConnectionCount = tt.n
		if got := errorOn(p.Validate(), "tentacle.pollingConnectionCount"); got != tt.want {
			t.Errorf("Validate() with pollingConnectionCount %d: refused = %v, want %v", tt.n, got, tt.want)
		}
	}
}
