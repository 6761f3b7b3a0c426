//go:build !js

package bundle_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// regOtherThumbprint is another Octopus Server this Tentacle may trust.
const regOtherThumbprint = "0123456789ABCDEF0123456789ABCDEF01234567"

// regTestUnknown: the Tentacle trusts the plan's nodes under the plan's id,
// but Octopus has no machine with its certificate (deleted in Octopus, or
// the XML pasted by hand): a re-run registers again, with --force.
func regTestUnknown(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.editServer(func(machines []map[string]any) []map[string]any { return nil })
	res := r.mustRun()
	regs := regCallsOf(r.calls(), regRegisterCommand(r.plan))
	if len(regs) != 2 || !slices.Contains(regs[1], "--force") {
		t.Errorf("registrations %q, want a second one with --force", regs)
	}
	if !strings.Contains(res.stdout, "Octopus has no") {
		t.Errorf("stdout does not say why it registers again:\n%s", res.stdout)
	}
	if n := len(r.editServer(nil)); n != 1 {
		t.Errorf("the simulated server has %d machines, want 1", n)
	}
	r.checkConverged()
	r.checkRunning()
}

// regTestOtherID: a plan with another subscription id than the one the
// Tentacle polls with stops before any change, naming the id in use.
func regTestOtherID(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	before := r.trusted()
	other := r.plan
	other.Tentacle.SubscriptionID = "poll://zzzzzzzzzzzzzzzzzzzz/"
	r2 := r.withPlan(other)
	res := r2.run()
	if res.code == 0 || !strings.Contains(res.stderr, r.plan.Tentacle.SubscriptionID) || !strings.Contains(res.stderr, "tentacle.subscriptionId") {
		t.Fatalf("other id: exit %d, stderr %q; want a failure naming %s and tentacle.subscriptionId", res.code, res.stderr, r.plan.Tentacle.SubscriptionID)
	}
	if diff := cmp.Diff(before, r.trusted()); diff != "" {
		t.Errorf("trusted servers changed (-before +after):\n%s", diff)
	}
}

// regTestOtherServer: pruning keeps every entry of another server.
func regTestOtherServer(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.trustOtherServer()
	r.tentacle("poll-server", "--instance", r.plan.Tentacle.Instance, "--server", r.plan.Server.URL, "--apiKey", regCanaryKey,
		"--server-comms-address", "https://retired.example.com:10943")
	res := r.mustRun("TENTACLE_PRUNE=1")
	r.foreign = 1
	r.checkConverged()
	r.checkNoKey(res)
}

// regTestListeningTrust: a trust without an address means the Tentacle
// listens for that server; turning listening off would cut it off (and
// clear-trusted-servers throws on it), so the script refuses before any
// change, says why, and changes nothing.
func regTestListeningTrust(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.tentacle("configure", "--instance", r.plan.Tentacle.Instance, "--trust", regOtherThumbprint)
	r.tentacle("poll-server", "--instance", r.plan.Tentacle.Instance, "--server", r.plan.Server.URL, "--apiKey", regCanaryKey,
		"--server-comms-address", "https://retired.example.com:10943")
	before := r.trusted()
	res := r.run("TENTACLE_PRUNE=1")
	if res.code == 0 || !strings.Contains(res.stderr, "without an address: it listens for that server") {
		t.Fatalf("a listening trust: exit %d, stderr %q; want a refusal naming it", res.code, res.stderr)
	}
	if diff := cmp.Diff(before, r.trusted()); diff != "" {
		t.Errorf("trusted servers changed (-before +after):\n%s", diff)
	}
}

// TestRegisterShMoveToMultiNode follows Octopus's migration: a Tentacle
// that polls every node runs the multi-node plan's script with
// TENTACLE_PRUNE=1 and ends trusting exactly the balancer, never nothing.
func TestRegisterShMoveToMultiNode(t *testing.T) {
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	before := mustCase(t, "docs-unique-address").Normalized()
	after := before
	after.Topology = plan.MultiNode
	after.Server.Version = plan.MultiNodeMinVersion
	after.LoadBalancer = plan.LoadBalancer{Address: "polling.example.com", Kinds: []string{"nginx"}}
	after = after.Normalized()
	if probs := after.Validate(); probs.HasErrors() {
		t.Fatalf("multi-node plan: %s", probs)
	}
	r := newRegRig(t, bash, fake, regScriptOf(t, before), before)
	r.mustRun()
	r.trustOtherServer()
	moved := r.withPlan(after)
	res := moved.mustRun("TENTACLE_PRUNE=1")
	moved.foreign = 1
	moved.checkConverged()
	moved.checkRunning()
	if got := moved.ourAddresses(); !slices.Equal(got, []string{"https://polling.example.com:10943"}) {
		t.Errorf("trusted addresses %q, want only the balancer", got)
	}
	r.checkNoKey(res)
}

// withPlan is the same machine with the script of another plan.
func (r *regRig) withPlan(p plan.Plan) *regRig {
	r2 := *r
	r2.plan, r2.script = p, regScriptOf(r.t, p)
	return &r2
}

func regScriptOf(tb testing.TB, p plan.Plan) string {
	tb.Helper()
	var b bytes.Buffer
	if err := bundle.WriteRegisterSh(&b, p); err != nil {
		tb.Fatal(err)
	}
	return regScriptFile(tb, []bundle.File{{Path: "tentacle/register.sh", Content: b.Bytes()}})
}

// trustOtherServer registers the Tentacle with a second Octopus Server.
func (r *regRig) trustOtherServer() {
	r.t.Helper()
	r.tentacleEnv([]string{"FAKE_TENTACLE_SERVER_THUMBPRINT=" + regOtherThumbprint}, "register-with", "--instance", r.plan.Tentacle.Instance,
		"--server", "https://other.example.com", "--apiKey", regCanaryKey, "--comms-style", "TentacleActive",
		"--server-comms-address", "https://other.example.com:10943", "--name", "other-"+r.plan.Tentacle.Name,
		"--environment", "Test", "--role", "other")
}

// ourAddresses are the addresses of the plan's server, sorted.
func (r *regRig) ourAddresses() []string {
	var out []string
	for _, e := range r.trusted() {
		if e.Thumbprint == r.plan.Server.Thumbprint && e.Address != nil {
			out = append(out, *e.Address)
		}
	}
	slices.Sort(out)
	return out
}

// editServer rewrites the simulated server's machines with f (nil: read
// only) and returns them.
func (r *regRig) editServer(f func([]map[string]any) []map[string]any) []map[string]any {
	r.t.Helper()
	path := filepath.Join(r.root, "home", "Tentacle", "fake-octopus-server.json")
	data, err := os.ReadFile(path)
	if err != nil {
		r.t.Fatal(err)
	}
	var doc struct{ Machines []map[string]any }
	if err := json.Unmarshal(data, &doc); err != nil {
		r.t.Fatal(err)
	}
	if f == nil {
		return doc.Machines
	}
	doc.Machines = f(doc.Machines)
	if data, err = json.Marshal(doc); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		r.t.Fatal(err)
	}
	return doc.Machines
}

// regTestForceAgain: TENTACLE_FORCE_REGISTER=1 registers an already
// registered machine again, with --force, so changed roles reach Octopus.
func regTestForceAgain(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.mustRun("TENTACLE_FORCE_REGISTER=1")
	regs := regCallsOf(r.calls(), regRegisterCommand(r.plan))
	if len(regs) != 2 || !slices.Contains(regs[1], "--force") {
		t.Errorf("registrations %q, want a second one with --force", regs)
	}
	r.checkConverged()
}

// regTestEntriesRemoved: the Tentacle lost its trusted servers (configure
// --reset-trust) but Octopus still knows its certificate: registering again
// needs --force, which updates that same machine.
func regTestEntriesRemoved(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.tentacle("configure", "--instance", r.plan.Tentacle.Instance, "--reset-trust")
	res := r.mustRun()
	regs := regCallsOf(r.calls(), regRegisterCommand(r.plan))
	if len(regs) != 2 || !slices.Contains(regs[1], "--force") || !strings.Contains(res.stdout, "Octopus already has") {
		t.Errorf("registrations %q, want a second one with --force and a line saying why", regs)
	}
	r.checkConverged()
}

// regTestServiceFails: Tentacle only logs a service that does not start;
// the script asks systemd and stops, naming the unit.
func regTestServiceFails(t *testing.T, r *regRig) {
	t.Parallel()
	res := r.run("FAKE_TENTACLE_SERVICE_FAILS=1")
	if res.code == 0 || !strings.Contains(res.stderr, "is not running after service --install --stop --start") {
		t.Errorf("a service that does not start: exit %d, stderr %q; want a failure naming the service", res.code, res.stderr)
	}
}
