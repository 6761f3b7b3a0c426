package registration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// These tests follow what the real Tentacle does on a host that is not in
// the state a first run expects (the fake imitates each behaviour, see
// server/internal/faketentacle).

// otherThumbprint is a second Octopus Server this Tentacle trusts.
const otherThumbprint = "0123456789ABCDEF0123456789ABCDEF01234567"

// tentacle runs the fake directly, as an operator would between runs.
func (h *host) tentacle(env []string, args ...string) {
	h.t.Helper()
	h.fake(env, args...)
}

// service reads the fake service of the default instance.
func (h *host) service() (installed, running bool) {
	h.t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(h.opts.ConfigPath), "fake-service-Tentacle.service.json"))
	if err != nil {
		h.t.Fatalf("service state: %v", err)
	}
	var st struct{ Installed, Running bool }
	if err := json.Unmarshal(data, &st); err != nil {
		h.t.Fatal(err)
	}
	return st.Installed, st.Running
}

func (h *host) mustRunning() {
	h.t.Helper()
	if installed, running := h.service(); !installed || !running {
		h.t.Errorf("service installed=%v running=%v, want installed and running", installed, running)
	}
}

// A stopped Windows service stays stopped under service --restart (exit 0);
// a re-run must leave it running.
func TestStoppedWindowsServiceRunsAfterRerun(t *testing.T) {
	h := newHost(t)
	h.opts.Env = append(h.opts.Env, "FAKE_TENTACLE_OS=windows")
	p := h.plan(2)
	if _, _, err := h.run(p); err != nil {
		t.Fatal(err)
	}
	h.tentacle(nil, "service", "--instance", "Tentacle", "--stop")
	if _, running := h.service(); running {
		t.Fatal("the service still runs after --stop")
	}
	if _, _, err := h.run(p); err != nil {
		t.Fatal(err)
	}
	h.mustRunning()
}

// Octopus's documented move to multi-node: poll the balancer, then clear
// the nodes' own addresses. The Tentacle must end trusting exactly the
// balancer (and another server's entry), never nothing.
func TestMoveToMultiNodeTrustsTheBalancer(t *testing.T) {
	h := newHost(t)
	before := h.plan(3)
	before.Topology, before.LoadBalancer = plan.UniqueAddress, plan.LoadBalancer{}
	for i := range before.Nodes {
		before.Nodes[i].Port = 10943
	}
	if _, _, err := h.run(before); err != nil {
		t.Fatal(err)
	}
	h.registerOtherServer()
	after := before
	after.Topology, after.Server.Version = plan.MultiNode, plan.MultiNodeMinVersion
	after.LoadBalancer = plan.LoadBalancer{Address: "polling.example.com", Kinds: []string{"nginx"}}
	events, _, err := h.run(after)
	if err != nil {
		t.Fatal(err)
	}
	h.mustConverged(after, []string{"https://polling.example.com:10943"})
	if got := statusOf(events, "Register with https://polling.example.com:10943"); got != report.Skip {
		t.Errorf("register step %q, want skipped (registered already)", got)
	}
	if got := statusOf(events, "Poll https://polling.example.com:10943"); got != report.Pass {
		t.Errorf("poll-server of the balancer %q, want pass", got)
	}
	if others := h.othersTrusted(); !slices.Equal(others, []string{"https://other.example.com:10943"}) {
		t.Errorf("other servers' entries %q, want the one kept", others)
	}
	h.mustRunning()
}

// A listening trust (no address) means the Tentacle listens for that
// server: turning listening off would cut it off (and clear-trusted-servers
// would throw), so the run refuses before any change and says why.
func TestListeningTrustRefusesPruning(t *testing.T) {
	h := newHost(t)
	if _, _, err := h.run(h.plan(3)); err != nil {
		t.Fatal(err)
	}
	h.tentacle(nil, "configure", "--instance", "Tentacle", "--trust", otherThumbprint)
	p := h.plan(2)
	events, _, err := h.run(p)
	if !errors.Is(err, ErrStepFailed) {
		t.Fatalf("err = %v, want a refused pruning", err)
	}
	if last := events[len(events)-1]; last.Name != "Polling mode (no listening port)" || !strings.Contains(last.Message, "listens for that server") {
		t.Errorf("last event %+v, want the refusal naming the listening trust", last)
	}
	if n := len(h.allTrusted()); n != 4 {
		t.Errorf("%d trusted entries, want all 4 kept", n)
	}
}

// Registered in Tentacle.config but unknown to Octopus (the machine was
// deleted, or the XML pasted by hand): register again with --force.
func TestUnknownToOctopusRegistersAgain(t *testing.T) {
	h := newHost(t)
	p := h.plan(2)
	if _, _, err := h.run(p); err != nil {
		t.Fatal(err)
	}
	serverFile := filepath.Join(h.dir, "home", "Tentacle", "fake-octopus-server.json")
	if err := os.WriteFile(serverFile, []byte(`{"Machines":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	events, _, err := h.run(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := statusOf(events, "Known to Octopus"); got != report.Warn {
		t.Errorf("Known to Octopus = %q, want a warning", got)
	}
	var reg report.Event
	for _, ev := range events {
		if ev.Name == "Register with https://lb.example.com:10943" && ev.Status == report.Pass {
			reg = ev
		}
	}
	if !strings.Contains(reg.Command, "--force") {
		t.Errorf("registration %q, want one with --force", reg.Command)
	}
	if data, _ := os.ReadFile(serverFile); !strings.Contains(string(data), `"web01"`) {
		t.Errorf("the simulated server does not know web01 again: %s", data)
	}
	h.mustConverged(p, lbAddrs2)
}

// Stopping the server cancels the run; the step says so in those words.
func TestCancelledRunSaysTheServerStopped(t *testing.T) {
	h := newHost(t)
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(ErrServerStopped)
	var events []report.Event
	_, err := Run(ctx, h.plan(2), h.opts, func(ev report.Event) { events = append(events, ev) })
	if err == nil || !strings.Contains(err.Error(), "cancelled because the server stopped") || strings.Contains(err.Error(), "timed out") {
		t.Errorf("err = %v, want cancelled because the server stopped", err)
	}
}

func (h *host) registerOtherServer() {
	h.t.Helper()
	h.tentacle([]string{"FAKE_TENTACLE_SERVER_THUMBPRINT=" + otherThumbprint}, "register-with", "--instance", "Tentacle",
		"--server", "https://other.example.com", "--apiKey", canaryKey, "--comms-style", "TentacleActive",
		"--server-comms-address", "https://other.example.com:10943", "--name", "web01", "--environment", "Test", "--role", "other")
}

func (h *host) othersTrusted() []string {
	var out []string
	for _, e := range h.allTrusted() {
		if e.Thumbprint == otherThumbprint {
			out = append(out, e.Address)
		}
	}
	return out
}

// ForceRegister registers a registered, known machine again with --force;
// a Tentacle that lost its entries while Octopus kept its certificate is
// registered again with --force too; neither polls the first address twice.
func TestRegisterAgainWithForce(t *testing.T) {
	h := newHost(t)
	p := h.plan(2)
	if _, _, err := h.run(p); err != nil {
		t.Fatal(err)
	}
	h.opts.ForceRegister = true
	events, _, err := h.run(p)
	h.opts.ForceRegister = false
	if err != nil {
		t.Fatal(err)
	}
	if !forcedRegistration(events) {
		t.Errorf("ForceRegister: no registration with --force in %+v", events)
	}
	h.tentacle(nil, "configure", "--instance", "Tentacle", "--reset-trust")
	events, _, err = h.run(p)
	if err != nil {
		t.Fatal(err)
	}
	if !forcedRegistration(events) || statusOf(events, "Known to Octopus") != report.Pass {
		t.Errorf("entries removed, certificate known: want a registration with --force, got %+v", events)
	}
	if got := statusOf(events, "Poll https://lb.example.com:10943"); got != report.Skip {
		t.Errorf("the first address after registering: %q, want skipped (register-with trusts it)", got)
	}
	h.mustConverged(p, []string{"https://lb.example.com:10943", "https://lb.example.com:10944"})
}

func forcedRegistration(events []report.Event) bool {
	for _, ev := range events {
		if strings.HasPrefix(ev.Name, "Register with") && ev.Status == report.Pass && strings.Contains(ev.Command, "--force") {
			return true
		}
	}
	return false
}
