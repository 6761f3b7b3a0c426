package registration

import (
	"context"
	"fmt"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// verifyOctopus looks the machine up by the Tentacle's certificate
// thumbprint and reports its health. Problems here are warnings: the
// Tentacle side is done, and a new machine's first health check takes time.
func (r *runner) verifyOctopus(ctx context.Context) {
	const name = "Find the machine in Octopus"
	out, err := r.cmd(ctx, "Tentacle thumbprint", bundle.RegistrationOf(r.p).ShowThumbprint(), nil)
	if err != nil {
		return
	}
	thumb := parseThumbprint(out)
	if thumb == "" {
		r.note(name, report.Warn, "show-thumbprint printed no thumbprint")
		return
	}
	c, err := octopus.New(r.p.Server.URL, r.opt.APIKey, r.opt.HTTPClient)
	if err != nil {
		r.note(name, report.Warn, "the server URL is not an absolute http(s) address")
		return
	}
	user, err := c.CurrentUser(ctx)
	if err != nil {
		r.note(name, report.Warn, "could not ask Octopus at "+r.p.Server.URL+": "+octopus.Reason(err))
		return
	}
	spaces, err := c.Spaces(ctx, user.Id)
	sp, ok := octopus.FindSpace(spaces, r.p.Server.Space)
	if err != nil || !ok {
		r.note(name, report.Warn, "could not find the space in Octopus")
		return
	}
	ms, err := c.MachinesByThumbprint(ctx, sp.Id, thumb, r.p.Tentacle.Kind == plan.Worker)
	switch {
	case err != nil:
		r.note(name, report.Warn, "could not look the machine up: "+octopus.Reason(err))
	case len(ms) == 0:
		r.note(name, report.Warn, "no machine in "+sp.Name+" uses Tentacle thumbprint "+thumb+" yet")
	default:
		m := ms[0]
		r.result.Health = m.HealthStatus
		status := report.Pass
		if m.HealthStatus != "Healthy" && m.HealthStatus != "HasWarnings" {
			status = report.Warn
		}
		msg := fmt.Sprintf("%s (%s) is %s, polling as %s", m.Name, m.Id, orUnknown(m.HealthStatus), m.Endpoint.Uri)
		if !strings.EqualFold(m.Endpoint.Uri, r.p.Tentacle.SubscriptionID) {
			status = report.Warn
			msg += "; the plan's subscription id is " + r.p.Tentacle.SubscriptionID
		}
		r.note(name, status, msg)
	}
}

func parseThumbprint(out string) string {
	var v struct{ Thumbprint string }
	if i := strings.Index(out, "{"); i >= 0 {
		if err := jsonUnmarshal(out[i:], &v); err == nil && v.Thumbprint != "" {
			return strings.ToUpper(v.Thumbprint)
		}
	}
	s := strings.TrimSpace(out)
	if len(s) == 40 {
		return strings.ToUpper(s)
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "Unknown"
	}
	return s
}
