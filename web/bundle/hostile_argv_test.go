//go:build !js

package bundle_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// argvFields are the plan values register-with receives, and the option
// that carries each.
var argvFields = []struct {
	field, option string
}{
	{"tentacle.name", "--name"},
	{"server.space", "--space"},
	{"tentacle.environments[0]", "--environment"},
	{"tentacle.roles[0]", "--role"},
	{"tentacle.tenants[0]", "--tenant"},
	{"tentacle.tenantTags[0]", "--tenanttag"},
	{"tentacle.policy", "--policy"},
	{"tentacle.instance", "--instance"},
}

// TestHostileArgv runs register.sh, for every hostile payload validation
// accepts in a field Tentacle is given on its command line, against the
// fake Tentacle and compares what register-with received with the plan's
// value, byte for byte. A short run takes one accepted payload in four per
// field; make test-long takes them all.
func TestHostileArgv(t *testing.T) {
	if testing.Short() {
		t.Skip("runs register.sh hundreds of times")
	}
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	base := hostileBases()["linux"]
	fields := map[string]hostileField{}
	for _, f := range hostileFields {
		fields[f.name] = f
	}
	ran := 0
	for _, af := range argvFields {
		f, ok := fields[af.field]
		if !ok {
			t.Fatalf("no hostile field %s", af.field)
		}
		accepted := 0
		for _, pl := range mustPayloads(t) {
			p := withValue(base, f, pl.value)
			if p.Validate().HasErrors() {
				continue
			}
			accepted++
			if !testtool.Long() && accepted%hostileShortStride != 1 {
				continue
			}
			p = p.Normalized()
			want, given := argvValue(p, af.field)
			if !given {
				continue // a blank value the plan drops: nothing to pass
			}
			ran++
			t.Run(af.field+"/"+pl.name, func(t *testing.T) {
				t.Parallel()
				r := newRegRig(t, bash, fake, regScriptOf(t, p), p)
				r.mustRun()
				regs := regCallsOf(r.calls(), "register-with")
				if len(regs) != 1 {
					t.Fatalf("register-with ran %d times", len(regs))
				}
				if got := regOptionValues(regs[0], af.option); len(got) != 1 || got[0] != want {
					t.Errorf("%s %s = %q, want exactly [%q]", "register-with", af.option, got, want)
				}
			})
		}
	}
	t.Logf("register.sh ran %d times with hostile values in %d fields", ran, len(argvFields))
}

// argvValue is the normalized plan's value of field; given is false when
// the plan holds none (a blank value is dropped).
func argvValue(p plan.Plan, field string) (v string, given bool) {
	t := p.Tentacle
	first := func(list []string) (string, bool) {
		if len(list) == 0 {
			return "", false
		}
		return list[0], true
	}
	switch strings.TrimSuffix(field, "[0]") {
	case "tentacle.name":
		return t.Name, t.Name != ""
	case "server.space":
		return p.Server.Space, p.Server.Space != ""
	case "tentacle.environments":
		return first(t.Environments)
	case "tentacle.roles":
		return first(t.Roles)
	case "tentacle.tenants":
		return first(t.Tenants)
	case "tentacle.tenantTags":
		return first(t.TenantTags)
	case "tentacle.policy":
		return t.Policy, t.Policy != ""
	case "tentacle.instance":
		return t.Instance, t.Instance != ""
	}
	return "", false
}
