package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// namesChecks resolves the space and the plan's environments, tenants or
// worker pools the way Tentacle's registration does, and gathers the names
// the wizard offers. A name Octopus does not know is a warning: it may be
// created before registration, and another key may see more.
func namesChecks(ctx context.Context, c *octopus.Client, p plan.Plan, user octopus.User, target string, choices **report.Choices) []report.Check {
	space := report.Check{Name: "Space", Target: target}
	spaces, err := c.Spaces(ctx, user.Id)
	if err != nil {
		space.Status, space.Message = report.Warn, "could not list spaces: "+apiReason(err)
		return []report.Check{space}
	}
	ch := &report.Choices{}
	*choices = ch
	for _, s := range spaces {
		ch.Spaces = append(ch.Spaces, s.Name)
	}
	sp, ok := octopus.FindSpace(spaces, p.Server.Space)
	switch {
	case ok:
		space.Status, space.Message = report.Pass, fmt.Sprintf("space %s (%s)", sp.Name, sp.Id)
	case spaceByOther(spaces, p.Server.Space, &sp):
		space.Status, space.Message = report.Warn, fmt.Sprintf("%q is the slug or Id of the space %q, but Tentacle's --space matches space names only: write server.space as %q, or registration fails with \"A space with name %q could not be found\"", p.Server.Space, sp.Name, sp.Name, p.Server.Space)
	default:
		space.Status, space.Message = report.Warn, fmt.Sprintf("the key's user has no space named %q (spaces: %s): registration fails unless the space exists and its user can reach it", orDefault(p.Server.Space, "the default space"), strings.Join(ch.Spaces, ", "))
		return []report.Check{space}
	}
	out := []report.Check{space}

	envs, _ := c.Environments(ctx, sp.Id)
	tenants, _ := c.Tenants(ctx, sp.Id)
	pools, _ := c.WorkerPools(ctx, sp.Id)
	ch.Environments, ch.Tenants, ch.WorkerPools = names(envs), names(tenants), names(pools)
	ch.Roles, _ = c.Roles(ctx, sp.Id)
	t := p.Tentacle
	if t.Kind == plan.Worker {
		return append(out, existCheck("Worker pools", target, "worker pool", sp.Name, t.WorkerPools, pools))
	}
	out = append(out, existCheck("Environments", target, "environment", sp.Name, t.Environments, envs))
	if len(t.Tenants) > 0 {
		out = append(out, existCheck("Tenants", target, "tenant", sp.Name, t.Tenants, tenants))
	}
	return out
}

// spaceByOther finds the space whose slug or Id is name, for a sentence
// on what to write instead.
func spaceByOther(spaces []octopus.Space, name string, found *octopus.Space) bool {
	for _, s := range spaces {
		if name != "" && (strings.EqualFold(s.Slug, name) || strings.EqualFold(s.Id, name)) {
			*found = s
			return true
		}
	}
	return false
}

// existCheck matches the plan's values by name, slug or Id, as
// register-with and register-worker do.
func existCheck(name, target, what, space string, want []string, have []octopus.Resource) report.Check {
	found, missing := octopus.FindByNameIdOrSlugs(have, want)
	if len(missing) > 0 {
		return report.Check{Name: name, Target: target, Status: report.Warn, Message: fmt.Sprintf("no %s with the name, slug or Id %s in space %s; registration fails unless it is created first (existing: %s)", what, strings.Join(missing, ", "), space, strings.Join(names(have), ", "))}
	}
	shown := make([]string, len(found))
	for i, m := range found {
		shown[i] = m.Resource.Name
		if m.By != "name" {
			shown[i] = fmt.Sprintf("%s (the %s of %s)", m.Given, m.By, m.Resource.Name)
		}
	}
	return report.Check{Name: name, Target: target, Status: report.Pass, Message: strings.Join(shown, ", ") + " exist in " + space}
}

func names(rs []octopus.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
