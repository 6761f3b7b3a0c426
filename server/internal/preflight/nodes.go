package preflight

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// nodeCountCheck compares the nodes that process tasks (online, at least
// one task slot) with the plan's nodes. Octopus does not expose the nodes'
// polling addresses, so only the count can be compared; a difference is a
// warning that names the nodes.
func nodeCountCheck(ctx context.Context, c *octopus.Client, p plan.Plan, target string) report.Check {
	chk := report.Check{Name: "Cluster nodes", Target: target}
	timed(&chk, func() {
		nodes, err := c.ClusterNodes(ctx)
		if err != nil {
			chk.Status, chk.Message = report.Warn, "could not read the cluster's nodes (GET /api/octopusservernodes/summary): "+apiReason(err)
			return
		}
		var working, other []string
		for _, n := range nodes {
			switch {
			case n.IsOffline:
				other = append(other, n.Name+" (offline, last seen "+orDefault(n.LastSeen, "never")+")")
			case n.MaxConcurrentTasks <= 0:
				other = append(other, n.Name+" (runs no tasks: MaxConcurrentTasks 0)")
			case n.IsInMaintenanceMode:
				working = append(working, n.Name+" (in maintenance mode)")
			default:
				working = append(working, n.Name)
			}
		}
		note := ""
		if len(other) > 0 {
			note = "; not counted: " + strings.Join(other, ", ")
		}
		if len(working) == len(p.Nodes) {
			chk.Status, chk.Message = report.Pass, fmt.Sprintf("Octopus lists %d nodes that process tasks (%s), as many as the plan%s", len(working), strings.Join(working, ", "), note)
			return
		}
		why := "a Tentacle that does not poll every node misses the tasks queued on the others"
		if p.Topology == plan.MultiNode {
			why = "the balancer's configuration forwards to the plan's nodes only"
		}
		chk.Status, chk.Message = report.Warn, fmt.Sprintf("Octopus lists %d nodes that process tasks (%s) but the plan has %d (%s): %s%s",
			len(working), strings.Join(working, ", "), len(p.Nodes), planNodeNames(p), why, note)
	})
	return chk
}

func planNodeNames(p plan.Plan) string {
	out := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		out[i] = n.Name
	}
	return strings.Join(out, ", ")
}

// redisChecks asks GET /api/serverstatus/redis (no key needed, none sent)
// of every node that has its own web URL; without any, it asks server.url
// once and says that this reached one node only.
func redisChecks(ctx context.Context, c *octopus.Client, p plan.Plan, opt Options, target string) []report.Check {
	var own []int
	var without []string
	for i, n := range p.Nodes {
		if n.WebURL != "" {
			own = append(own, i)
		} else {
			without = append(without, n.Name)
		}
	}
	if len(own) == 0 {
		chk := redisCheck(ctx, c, target, "")
		chk.Message += " (checked one node only: the one that answered at server.url, through the balancer if it is one; give each node's own web URL, nodes[].webUrl, to check every node)"
		return []report.Check{chk}
	}
	out := make([]report.Check, len(own))
	var wg sync.WaitGroup
	for k, i := range own {
		n := p.Nodes[i]
		wg.Go(func() {
			nc, err := octopus.New(n.WebURL, "", opt.HTTPClient)
			if err != nil {
				out[k] = report.Check{Name: "Multi-node (Redis)", Target: n.WebURL, Status: report.Fail, Message: n.Name + ": the web URL is not an absolute http(s) address"}
				return
			}
			out[k] = redisCheck(ctx, nc, n.WebURL, n.Name)
		})
	}
	wg.Wait()
	if len(without) > 0 {
		out = append(out, report.Check{Name: "Multi-node (Redis)", Target: "nodes without a web URL", Status: report.Skip,
			Message: "not checked on " + strings.Join(without, ", ") + ": give each node's own web URL (nodes[].webUrl) to check it"})
	}
	return out
}

func redisCheck(ctx context.Context, c *octopus.Client, target, node string) report.Check {
	chk := report.Check{Name: "Multi-node (Redis)", Target: target}
	who := ""
	if node != "" {
		who = node + ": "
	}
	timed(&chk, func() {
		st, err := c.Redis(ctx)
		switch {
		case err != nil:
			chk.Status, chk.Message = report.Fail, who+"GET /api/serverstatus/redis failed ("+apiReason(err)+"); multi-node polling needs a server that reports Redis status"
		case !st.IsEnabled || !st.IsConfigured:
			chk.Status, chk.Message = report.Fail, who+"multi-node polling is not turned on: configure the Redis connection string on every node (--multiNodePollingTentaclesRedisConnectionString)"
		case !st.IsReachable:
			chk.Status, chk.Message = report.Fail, who+"Redis is configured but not reachable from the server"
		default:
			chk.Status, chk.Message = report.Pass, who+"Redis is enabled and reachable"
		}
	})
	return chk
}
