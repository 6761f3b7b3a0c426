package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

type apiResult struct {
	checks  []report.Check
	choices *report.Choices
}

// checkAPI checks the web port and, with a key, what the API knows.
func checkAPI(ctx context.Context, p plan.Plan, opt Options) apiResult {
	var r apiResult
	add := func(c report.Check) { r.checks = append(r.checks, c) }
	target := p.Server.URL
	c, err := octopus.New(p.Server.URL, opt.APIKey, opt.HTTPClient)
	if err != nil {
		add(report.Check{Name: "Octopus API", Target: target, Status: report.Fail, Message: "the server URL is not an absolute http(s) address"})
		return r
	}

	root := report.Check{Name: "Web port (API)", Target: target}
	var rootDoc octopus.Root
	timed(&root, func() {
		rootDoc, err = c.Root(ctx)
		if err != nil {
			root.Status, root.Message = report.Fail, fmt.Sprintf("GET /api failed: %s. Registration talks to the REST API over the web port (80/443): check the URL and the firewall.", apiReason(err))
			return
		}
		root.Status, root.Message = report.Pass, fmt.Sprintf("%s %s answers", orDefault(rootDoc.Application, "Octopus Deploy"), rootDoc.Version)
	})
	add(root)
	if err != nil {
		return r
	}
	add(versionCheck(p, rootDoc.Version, target))
	if p.Topology == plan.MultiNode {
		redis := report.Check{Name: "Multi-node (Redis)", Target: target}
		timed(&redis, func() {
			st, err := c.Redis(ctx)
			switch {
			case err != nil:
				redis.Status, redis.Message = report.Fail, "GET /api/serverstatus/redis failed ("+apiReason(err)+"); multi-node polling needs a server that reports Redis status"
			case !st.IsEnabled || !st.IsConfigured:
				redis.Status, redis.Message = report.Fail, "multi-node polling is not turned on: configure the Redis connection string on every node (--multiNodePollingTentaclesRedisConnectionString)"
			case !st.IsReachable:
				redis.Status, redis.Message = report.Fail, "Redis is configured but not reachable from the server"
			default:
				redis.Status, redis.Message = report.Pass, "Redis is enabled and reachable"
			}
		})
		add(redis)
	}

	if !c.HasKey() {
		add(report.Check{Name: "API key", Target: target, Status: report.Skip, Message: "no API key given (OCTOPUS_API_KEY): the server thumbprint, node count and names were not checked"})
		return r
	}
	me := report.Check{Name: "API key", Target: target}
	var user octopus.User
	timed(&me, func() {
		user, err = c.CurrentUser(ctx)
		if err != nil {
			me.Status, me.Message = report.Fail, "GET /api/users/me failed: "+apiReason(err)
			return
		}
		me.Status, me.Message = report.Pass, fmt.Sprintf("the key belongs to %s", orDefault(user.DisplayName, user.Username))
	})
	add(me)
	if err != nil {
		return r
	}
	add(thumbprintCheck(ctx, c, p, target))
	add(nodeCountCheck(ctx, c, p, target))
	r.checks = append(r.checks, namesChecks(ctx, c, p, user, target, &r.choices)...)
	return r
}

func versionCheck(p plan.Plan, version, target string) report.Check {
	c := report.Check{Name: "Server version", Target: target, Status: report.Pass, Message: "Octopus Server " + version}
	got, ok := plan.ParseServerVersion(version)
	min, _ := plan.ParseServerVersion(plan.MultiNodeMinVersion)
	switch {
	case p.Topology == plan.MultiNode && ok && got.Less(min):
		c.Status, c.Message = report.Fail, fmt.Sprintf("Octopus Server %s does not support multi-node polling (needs %s or later): use unique-address or unique-port", version, plan.MultiNodeMinVersion)
	case p.Server.Version != "" && !strings.EqualFold(p.Server.Version, version):
		c.Status, c.Message = report.Warn, fmt.Sprintf("the plan says version %s, the server reports %s: update server.version", p.Server.Version, version)
	}
	return c
}

func thumbprintCheck(ctx context.Context, c *octopus.Client, p plan.Plan, target string) report.Check {
	chk := report.Check{Name: "Certificate (API)", Target: target}
	timed(&chk, func() {
		thumb, err := c.ServerThumbprint(ctx)
		switch {
		case err != nil:
			chk.Status, chk.Message = report.Fail, "could not read the server certificate: "+apiReason(err)
		case thumb != p.Server.Thumbprint:
			chk.Status, chk.Message = report.Fail, fmt.Sprintf("the server's certificate thumbprint is %s, the plan has %s: fix server.thumbprint", thumb, p.Server.Thumbprint)
		default:
			chk.Status, chk.Message = report.Pass, "the plan's thumbprint is the server's certificate"
		}
	})
	return chk
}

func nodeCountCheck(ctx context.Context, c *octopus.Client, p plan.Plan, target string) report.Check {
	chk := report.Check{Name: "Cluster nodes", Target: target}
	timed(&chk, func() {
		nodes, err := c.Nodes(ctx)
		switch {
		case err != nil:
			chk.Status, chk.Message = report.Warn, "could not list the cluster nodes: "+apiReason(err)
		case len(nodes) != len(p.Nodes):
			names := make([]string, len(nodes))
			for i, n := range nodes {
				names[i] = n.Name
			}
			chk.Status, chk.Message = report.Fail, fmt.Sprintf("the cluster has %d nodes (%s) but the plan lists %d: a Tentacle that does not poll every node misses the tasks queued on the others", len(nodes), strings.Join(names, ", "), len(p.Nodes))
		default:
			chk.Status, chk.Message = report.Pass, fmt.Sprintf("the cluster has %d nodes, as the plan", len(nodes))
		}
	})
	return chk
}

// namesChecks resolves the space and checks the plan's environments and
// worker pools exist; it also gathers the names the wizard offers.
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
	if !ok {
		space.Status, space.Message = report.Fail, fmt.Sprintf("the key's user cannot see a space named %q (spaces: %s)", orDefault(p.Server.Space, "the default space"), strings.Join(ch.Spaces, ", "))
		return []report.Check{space}
	}
	space.Status, space.Message = report.Pass, fmt.Sprintf("space %s (%s)", sp.Name, sp.Id)
	out := []report.Check{space}

	ch.Environments, _ = c.Environments(ctx, sp.Id)
	ch.Roles, _ = c.Roles(ctx, sp.Id)
	ch.Tenants, _ = c.Tenants(ctx, sp.Id)
	ch.WorkerPools, _ = c.WorkerPools(ctx, sp.Id)
	t := p.Tentacle
	if t.Kind == plan.Worker {
		out = append(out, existCheck("Worker pools", target, t.WorkerPools, ch.WorkerPools, "worker pool"))
	} else {
		out = append(out, existCheck("Environments", target, t.Environments, ch.Environments, "environment"))
		if len(t.Tenants) > 0 {
			out = append(out, existCheck("Tenants", target, t.Tenants, ch.Tenants, "tenant"))
		}
	}
	return out
}

func existCheck(name, target string, want, have []string, what string) report.Check {
	var missing []string
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, w) }) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return report.Check{Name: name, Target: target, Status: report.Fail, Message: fmt.Sprintf("no %s named %s in this space; registration would fail (existing: %s)", what, strings.Join(missing, ", "), strings.Join(have, ", "))}
	}
	return report.Check{Name: name, Target: target, Status: report.Pass, Message: strings.Join(want, ", ") + " exist"}
}

func apiReason(err error) string { return octopus.Reason(err) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
