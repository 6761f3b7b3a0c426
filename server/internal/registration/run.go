package registration

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// run executes bundle.Registration's steps in its order, deciding between
// them as register.sh and register.ps1 do.
func (r *runner) run(ctx context.Context) (Result, error) {
	p, reg := r.p, bundle.RegistrationOf(r.p)
	addrs := p.Addresses()
	// instance, create or back up, certificate, polling mode, connections,
	// read state, register, a poll per address, check before pruning,
	// prune, service, verify trusted servers, compare, thumbprint, find
	// the machine.
	r.total = 14 + len(addrs)

	if err := r.instance(ctx, reg); err != nil {
		return r.result, err
	}
	if _, err := r.cmd(ctx, "Certificate", reg.NewCertificate(), nil); err != nil {
		return r.result, err
	}
	st, err := r.state(ctx, "Read trusted servers", true)
	if err != nil {
		return r.result, err
	}
	if st.addressless > 0 {
		msg := "this Tentacle trusts a server without an address: it listens for that server. Turning listening off for polling would cut that server off; register polling in a separate instance (tentacle.instance in the plan)"
		r.note("Polling mode (no listening port)", report.Fail, msg)
		return r.result, fail("Polling mode (no listening port)", "%s", msg)
	}
	if _, err := r.cmd(ctx, "Polling mode (no listening port)", reg.Configure(r.opt.AppDir != ""), nil); err != nil {
		return r.result, err
	}
	if c, ok := reg.PollingConnections(); ok {
		if _, err := r.cmd(ctx, "Polling connections", c, nil); err != nil {
			return r.result, err
		}
	} else {
		r.note("Polling connections", report.Skip, "the plan leaves the count to Tentacle's default")
	}
	registered, err := r.register(ctx, reg, st, addrs[0])
	if err != nil {
		return r.result, err
	}
	if registered {
		// register-with trusts the first address under the plan's id.
		st.ours = append(st.ours, trustedServer{Thumbprint: p.Server.Thumbprint, CommunicationStyle: 2, Address: addrs[0], SubscriptionID: p.Tentacle.SubscriptionID})
	}
	for _, a := range addrs {
		if st.trusts(a) {
			r.note("Poll "+a, report.Skip, "already trusted")
			continue
		}
		if _, err := r.cmd(ctx, "Poll "+a, reg.PollServer(), map[bundle.Var]string{bundle.VarAddress: a}); err != nil {
			return r.result, err
		}
	}
	if err := r.prune(ctx, reg, addrs); err != nil {
		return r.result, err
	}
	if _, err := r.cmd(ctx, "Install and (re)start the service", reg.Service(), nil); err != nil {
		return r.result, err
	}
	if err := r.verifyConfig(ctx, addrs); err != nil {
		return r.result, err
	}
	r.verifyOctopus(ctx)
	return r.result, nil
}

// instance finds the instance, creating it when it is missing and copying
// its config aside when it exists.
func (r *runner) instance(ctx context.Context, reg bundle.Registration) error {
	out, err := r.cmd(ctx, "Find the instance", reg.ListInstances(), nil)
	if err != nil {
		return err
	}
	existing, err := parseInstances(out)
	if err != nil {
		return fail("Find the instance", "list-instances printed no JSON list: %v", err)
	}
	for _, in := range existing {
		if strings.EqualFold(in.InstanceName, r.p.Tentacle.Instance) {
			r.config = in.ConfigurationFilePath
			return r.backup()
		}
	}
	r.config = r.opt.ConfigPath
	if r.config == "" {
		r.config = r.p.Tentacle.ConfigPath()
	}
	_, err = r.cmd(ctx, "Create instance "+r.p.Tentacle.Instance, reg.CreateInstance(), nil)
	return err
}

// register runs register-with (or register-worker) unless the Tentacle is
// registered already and Octopus knows it (or Options.ForceRegister asks
// for it), with --force when Octopus knows this certificate; it stops on
// another subscription id. It reports whether it registered.
func (r *runner) register(ctx context.Context, reg bundle.Registration, st trustState, first string) (bool, error) {
	p := r.p
	name := "Register with " + first
	for _, e := range st.ours {
		if e.SubscriptionID != "" && !strings.EqualFold(e.SubscriptionID, p.Tentacle.SubscriptionID) {
			r.result.ExistingSubscriptionID = e.SubscriptionID
			r.note("Subscription id", report.Fail, fmt.Sprintf("this Tentacle already polls %s as %s, but the plan says %s. Use the id it has: set tentacle.subscriptionId to %s in the plan (or pass -subscription-id %s to register); a second id would orphan the other entries", e.Address, e.SubscriptionID, p.Tentacle.SubscriptionID, e.SubscriptionID, e.SubscriptionID))
			return false, fail("Subscription id", "the Tentacle already polls this cluster as %s (tentacle.subscriptionId, or -subscription-id %s)", e.SubscriptionID, e.SubscriptionID)
		}
	}
	force := false
	switch registered := st.registered(p.Tentacle.SubscriptionID); {
	case r.opt.ForceRegister:
		force = true
	case registered && st.known:
		r.note(name, report.Skip, "registered already as "+p.Tentacle.SubscriptionID+", and known to Octopus")
		return false, nil
	case !registered && st.known:
		r.total++
		r.note("Known to Octopus", report.Pass, "Octopus already has a machine with this Tentacle's certificate: registering again with --force updates it")
		force = true
	case registered:
		r.total++
		r.note("Known to Octopus", report.Warn, "Octopus has no machine with this Tentacle's certificate (the XML was pasted by hand, or the machine was deleted in Octopus): registering again, with --force so a machine of the same name is updated")
		force = true
	}
	c := reg.Register(first)
	if force {
		c.Groups = append(c.Groups, []bundle.Arg{{Text: "--force"}})
	}
	_, err := r.cmd(ctx, name, c, nil)
	return err == nil, err
}

// prune removes this cluster's addresses that are no longer in the plan,
// keeping every other server's entries, and only once every plan address
// is trusted. A trust without an address (listening) makes Tentacle's
// clear-trusted-servers throw, so that refuses.
func (r *runner) prune(ctx context.Context, reg bundle.Registration, addrs []string) error {
	st, err := r.state(ctx, "Check before removing old addresses", false)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if !st.trusts(a) {
			r.note("Remove old addresses", report.Fail, a+" is still not trusted after poll-server; nothing removed")
			return fail("Remove old addresses", "%s is not trusted", a)
		}
	}
	var stale []string
	for _, e := range st.ours {
		if !slices.ContainsFunc(addrs, func(a string) bool { return strings.EqualFold(a, e.Address) }) {
			stale = append(stale, e.Address)
		}
	}
	switch {
	case len(stale) == 0:
		r.note("Remove old addresses", report.Skip, "no trusted address outside the plan")
		return nil
	case st.addressless > 0:
		msg := fmt.Sprintf("not removing %s: this Tentacle also trusts a server without an address (a listening trust, added by configure --trust), and Tentacle's clear-trusted-servers fails on those. Remove that trust first (configure --remove-trust=THUMBPRINT), then run again", strings.Join(stale, ", "))
		r.note("Remove old addresses", report.Fail, msg)
		return fail("Remove old addresses", "%s", msg)
	}
	keep := append(slices.Clone(addrs), st.others...)
	_, err = r.cmd(ctx, "Remove "+strings.Join(stale, ", "), reg.ClearTrustedServers(), map[bundle.Var]string{bundle.VarKeep: strings.Join(keep, ",")})
	return err
}

// verifyConfig compares the Tentacle's polling entries with the plan.
func (r *runner) verifyConfig(ctx context.Context, addrs []string) error {
	st, err := r.state(ctx, "Verify trusted servers", false)
	if err != nil {
		return err
	}
	var got []string
	ids := map[string]bool{}
	for _, e := range st.ours {
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
