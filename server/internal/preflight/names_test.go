package preflight

import (
	"net/http"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// apiOnly runs the API checks of Run (no polling probes) against api.
func apiOnly(t *testing.T, api *octopustest.Server, p plan.Plan) report.Preflight {
	t.Helper()
	r := checkAPI(deadline(t), p.Normalized(), Options{APIKey: canaryKey, Timeout: 2 * time.Second, HTTPClient: &http.Client{Timeout: 2 * time.Second}})
	out := report.Preflight{Checks: r.checks, Choices: r.choices}
	mustNoCanary(t, out)
	return out
}

func TestNamesMatchLikeTentacle(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *plan.Plan)
		check  string
		want   report.Check
	}{
		{"environment by name, any case", func(p *plan.Plan) { p.Tentacle.Environments = []string{"production"} },
			"Environments", report.Check{Status: report.Pass, Message: "Production exist in Default"}},
		{"environment by slug and Id", func(p *plan.Plan) { p.Tentacle.Environments = []string{"pre-production", "Environments-1"} },
			"Environments", report.Check{Status: report.Pass, Message: "pre-production (the slug of Pre Production), Environments-1 (the Id of Production) exist in Default"}},
		{"environment missing", func(p *plan.Plan) { p.Tentacle.Environments = []string{"Production", "Prod"} },
			"Environments", report.Check{Status: report.Warn, Message: "no environment with the name, slug or Id Prod in space Default; registration fails unless it is created first (existing: Production, Pre Production)"}},
		{"tenant by slug", func(p *plan.Plan) {
			p.Tentacle.Tenants, p.Tentacle.TenantedDeploymentParticipation = []string{"acme-corp"}, "Tenanted"
		}, "Tenants", report.Check{Status: report.Pass, Message: "acme-corp (the slug of Acme Corp) exist in Default"}},
		{"tenant missing", func(p *plan.Plan) { p.Tentacle.Tenants = []string{"Globex"} },
			"Tenants", report.Check{Status: report.Warn, Message: "no tenant with the name, slug or Id Globex in space Default; registration fails unless it is created first (existing: Acme Corp)"}},
		{"worker pool by Id", func(p *plan.Plan) { p.Tentacle.Kind, p.Tentacle.WorkerPools = plan.Worker, []string{"WorkerPools-2"} },
			"Worker pools", report.Check{Status: report.Pass, Message: "WorkerPools-2 (the Id of Edge) exist in Default"}},
		{"worker pool missing", func(p *plan.Plan) { p.Tentacle.Kind, p.Tentacle.WorkerPools = plan.Worker, []string{"Linux"} },
			"Worker pools", report.Check{Status: report.Warn, Message: "no worker pool with the name, slug or Id Linux in space Default; registration fails unless it is created first (existing: Default Worker Pool, Edge)"}},
		{"space by name, any case", func(p *plan.Plan) { p.Server.Space = "PLATFORM TEAM" },
			"Space", report.Check{Status: report.Pass, Message: "space Platform Team (Spaces-2)"}},
		{"default space when none given", func(p *plan.Plan) { p.Server.Space = "" },
			"Space", report.Check{Status: report.Pass, Message: "space Default (Spaces-1)"}},
		{"space by slug is not enough", func(p *plan.Plan) { p.Server.Space = "platform-team" },
			"Space", report.Check{Status: report.Warn, Message: `"platform-team" is the slug or Id of the space "Platform Team", but Tentacle's --space matches space names only: write server.space as "Platform Team", or registration fails with "A space with name "platform-team" could not be found"`}},
		{"space by Id is not enough", func(p *plan.Plan) { p.Server.Space = "Spaces-1" },
			"Space", report.Check{Status: report.Warn, Message: `"Spaces-1" is the slug or Id of the space "Default", but Tentacle's --space matches space names only: write server.space as "Default", or registration fails with "A space with name "Spaces-1" could not be found"`}},
		{"space missing", func(p *plan.Plan) { p.Server.Space = "Nope" },
			"Space", report.Check{Status: report.Warn, Message: `the key's user has no space named "Nope" (spaces: Default, Platform Team): registration fails unless the space exists and its user can reach it`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := octopustest.New(t)
			api.Set(func(s *octopustest.Server) {
				s.APIKey = canaryKey
				s.Environments = []string{"Production", "Pre Production"}
			})
			p := cluster(api.URL, api.Thumbprint, 10943)
			tt.change(&p)
			got := find(apiOnly(t, api, p), tt.check)
			if len(got) != 1 || got[0].Status != tt.want.Status || got[0].Message != tt.want.Message {
				t.Errorf("%s = %+v\nwant %s %q", tt.check, got, tt.want.Status, tt.want.Message)
			}
		})
	}
}
