package preflight

import (
	"context"
	"fmt"
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
		r.checks = append(r.checks, redisChecks(ctx, c, p, opt, target)...)
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
		c.Status, c.Message = report.Fail, fmt.Sprintf("Octopus Server %s does not support multi-node polling (needs %s or later): use unique-address, unique-port or unique-hostname", version, plan.MultiNodeMinVersion)
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

func apiReason(err error) string { return octopus.Reason(err) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
