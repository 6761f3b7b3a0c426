package registration

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

func (r *runner) run(ctx context.Context) (Result, error) {
	p, inst := r.p, r.p.Tentacle.Instance
	addrs := p.Addresses()
	// find, create or back up, certificate, polling mode, read trusted
	// servers, register, a poll per other address, prune, connections,
	// service, verify trusted servers, compare, thumbprint, find machine.
	r.total = 12 + len(addrs)

	out, err := r.tentacle(ctx, "Find the instance", []string{"list-instances", "--format", "json"})
	if err != nil {
		return r.result, err
	}
	existing, err := parseInstances(out)
	if err != nil {
		return r.result, fail("Find the instance", "list-instances printed no JSON list: %v", err)
	}
	exists := false
	for _, in := range existing {
		if strings.EqualFold(in.InstanceName, inst) {
			exists, r.config = true, in.ConfigurationFilePath
		}
	}
	if !exists {
		r.config = r.opt.ConfigPath
		if r.config == "" {
			r.config = p.Tentacle.ConfigPath()
		}
		if _, err := r.tentacle(ctx, "Create instance "+inst, []string{"create-instance", "--instance", inst, "--config", r.config}); err != nil {
			return r.result, err
		}
	} else {
		if err := r.backup(); err != nil {
			return r.result, err
		}
	}
	if _, err := r.tentacle(ctx, "Certificate", []string{"new-certificate", "--instance", inst, "--if-blank"}); err != nil {
		return r.result, err
	}
	cfg := []string{"configure", "--instance", inst, "--noListen", "True"}
	if r.opt.AppDir != "" {
		cfg = append(cfg, "--app", r.opt.AppDir)
	}
	if _, err := r.tentacle(ctx, "Polling mode (no listening port)", cfg); err != nil {
		return r.result, err
	}

	trusted, err := r.trusted(ctx, "Read trusted servers")
	if err != nil {
		return r.result, err
	}
	ours, others := split(trusted, p)
	for _, e := range ours {
		if e.SubscriptionID != "" && e.SubscriptionID != p.Tentacle.SubscriptionID && slices.Contains(addrs, e.Address) {
			r.note("Subscription id", report.Fail, fmt.Sprintf("the Tentacle already polls %s as %s, but the plan says %s; set tentacle.subscriptionId to %s in the plan (a second id would orphan the other entries)", e.Address, e.SubscriptionID, p.Tentacle.SubscriptionID, e.SubscriptionID))
			return r.result, fail("Subscription id", "the Tentacle already uses %s", e.SubscriptionID)
		}
	}
	registered := slices.ContainsFunc(ours, func(e trustedServer) bool {
		return e.SubscriptionID == p.Tentacle.SubscriptionID && e.CommunicationStyle == 2
	})
	if registered {
		r.note("Register with "+addrs[0], report.Skip, "already registered with subscription id "+p.Tentacle.SubscriptionID)
	} else if _, err := r.tentacle(ctx, "Register with "+addrs[0], r.registerArgs(addrs[0])); err != nil {
		return r.result, err
	}
	have := map[string]bool{}
	for _, e := range ours {
		have[strings.ToLower(e.Address)] = true
	}
	have[strings.ToLower(addrs[0])] = true
	for _, a := range addrs[1:] {
		if have[strings.ToLower(a)] {
			r.note("Poll "+a, report.Skip, "already trusted")
			continue
		}
		args := []string{"poll-server", "--instance", inst, "--server", p.Server.URL, "--apiKey", r.opt.APIKey, "--server-comms-address", a}
		if _, err := r.tentacle(ctx, "Poll "+a, args); err != nil {
			return r.result, err
		}
	}
	if err := r.prune(ctx, ours, others, addrs); err != nil {
		return r.result, err
	}
	if n := p.Tentacle.PollingConnectionCount; n > 0 {
		if _, err := r.tentacle(ctx, "Polling connections", []string{"set-polling-connection-count", "--instance", inst, "--pollingConnectionCount", strconv.Itoa(n)}); err != nil {
			return r.result, err
		}
	} else {
		r.note("Polling connections", report.Skip, "the plan leaves the count to Tentacle's default")
	}
	if err := r.service(ctx, exists); err != nil {
		return r.result, err
	}
	if err := r.verifyConfig(ctx, addrs); err != nil {
		return r.result, err
	}
	r.verifyOctopus(ctx)
	return r.result, nil
}

func (r *runner) registerArgs(first string) []string {
	p, t := r.p, r.p.Tentacle
	cmd := "register-with"
	if t.Kind == plan.Worker {
		cmd = "register-worker"
	}
	args := []string{cmd, "--instance", t.Instance, "--server", p.Server.URL, "--apiKey", r.opt.APIKey,
		"--name", t.Name, "--comms-style", "TentacleActive", "--server-comms-address", first,
		"--server-subscription-id", t.SubscriptionID}
	if p.Server.Space != "" {
		args = append(args, "--space", p.Server.Space)
	}
	if t.Policy != "" {
		args = append(args, "--policy", t.Policy)
	}
	if t.Kind == plan.Worker {
		for _, w := range t.WorkerPools {
			args = append(args, "--workerpool", w)
		}
		return args
	}
	for _, e := range t.Environments {
		args = append(args, "--environment", e)
	}
	for _, role := range t.Roles {
		args = append(args, "--role", role)
	}
	for _, tn := range t.Tenants {
		args = append(args, "--tenant", tn)
	}
	for _, tag := range t.TenantTags {
		args = append(args, "--tenanttag", tag)
	}
	if t.TenantedDeploymentParticipation != "" {
		args = append(args, "--tenanted-deployment-participation", t.TenantedDeploymentParticipation)
	}
	return args
}

// prune removes this cluster's addresses that are no longer in the plan,
// keeping every other server's entries.
func (r *runner) prune(ctx context.Context, ours, others []trustedServer, addrs []string) error {
	var stale []string
	for _, e := range ours {
		if !slices.ContainsFunc(addrs, func(a string) bool { return strings.EqualFold(a, e.Address) }) && e.Address != "" {
			stale = append(stale, e.Address)
		}
	}
	if len(stale) == 0 {
		r.note("Remove old addresses", report.Skip, "no trusted address outside the plan")
		return nil
	}
	keep := slices.Clone(addrs)
	for _, e := range others {
		if e.Address != "" {
			keep = append(keep, e.Address)
		}
	}
	_, err := r.tentacle(ctx, "Remove "+strings.Join(stale, ", "), []string{"clear-trusted-servers", "--instance", r.p.Tentacle.Instance, "--keep", strings.Join(keep, ",")})
	return err
}

// service installs and starts the service for a new instance, and
// restarts it otherwise so new trusted servers take effect.
func (r *runner) service(ctx context.Context, existed bool) error {
	inst := r.p.Tentacle.Instance
	if existed {
		if _, err := r.tentacle(ctx, "Restart the service", []string{"service", "--instance", inst, "--restart"}); err == nil {
			return nil
		}
		r.total++
	}
	_, err := r.tentacle(ctx, "Install and start the service", []string{"service", "--instance", inst, "--install", "--start"})
	return err
}

// verifyConfig compares the Tentacle's polling entries with the plan.
func (r *runner) verifyConfig(ctx context.Context, addrs []string) error {
	trusted, err := r.trusted(ctx, "Verify trusted servers")
	if err != nil {
		return err
	}
	ours, _ := split(trusted, r.p)
	var got []string
	ids := map[string]bool{}
	for _, e := range ours {
		got = append(got, e.Address)
		ids[e.SubscriptionID] = true
	}
	r.result.Trusted = got
	missing, extra := diff(addrs, got)
	switch {
	case len(missing) > 0 || len(extra) > 0:
		r.note("Compare with the plan", report.Fail, fmt.Sprintf("missing %v, unexpected %v", missing, extra))
		return fail("Compare with the plan", "trusted servers differ from the plan")
	case len(ids) != 1 || !ids[r.p.Tentacle.SubscriptionID]:
		r.note("Compare with the plan", report.Fail, fmt.Sprintf("the entries use subscription ids %v, want only %s", keys(ids), r.p.Tentacle.SubscriptionID))
		return fail("Compare with the plan", "subscription ids differ")
	}
	r.note("Compare with the plan", report.Pass, fmt.Sprintf("%d trusted addresses, one thumbprint, one subscription id (%s), as planned", len(got), r.p.Tentacle.SubscriptionID))
	return nil
}

func diff(want, got []string) (missing, extra []string) {
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.EqualFold(g, w) }) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(g, w) }) {
			extra = append(extra, g)
		}
	}
	return missing, extra
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
