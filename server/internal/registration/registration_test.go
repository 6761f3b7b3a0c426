package registration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

const canaryKey = "API-CANARYREGISTRATION0123456789"

var fakeTentacle string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "faketentacle-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakeTentacle = filepath.Join(dir, "Tentacle")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	out, err := exec.CommandContext(ctx, "go", "build", "-o", fakeTentacle, "../faketentacle").CombinedOutput()
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build fake Tentacle: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// host is one Tentacle machine: its state folder, the fake API and a log.
type host struct {
	t    *testing.T
	dir  string
	api  *octopustest.Server
	opts Options
}

func newHost(t *testing.T) *host {
	t.Helper()
	dir := t.TempDir()
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) { s.APIKey = canaryKey })
	h := &host{t: t, dir: dir, api: api}
	h.opts = Options{
		Tentacle:   fakeTentacle,
		APIKey:     canaryKey,
		ConfigPath: filepath.Join(dir, "etc", "Tentacle", "tentacle-Tentacle.config"),
		Env: []string{
			"TentacleMachineConfigurationHomeDirectory=" + filepath.Join(dir, "home"),
			"FAKE_TENTACLE_SERVER_THUMBPRINT=" + api.Thumbprint,
			"FAKE_TENTACLE_LOG=" + filepath.Join(dir, "tentacle.log"),
			// Every command's output starts with the arguments the fake
			// received, the key unmasked: the driver must parse around the
			// line and mask it.
			"FAKE_TENTACLE_ECHO=1",
		},
		StepTimeout: 20 * time.Second,
		Now:         func() time.Time { return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC) },
	}
	return h
}

func (h *host) plan(nodes int) plan.Plan {
	p := plan.Plan{
		Version:      1,
		Topology:     plan.UniquePort,
		Server:       plan.Server{URL: h.api.URL, Thumbprint: h.api.Thumbprint, Space: "Default"},
		LoadBalancer: plan.LoadBalancer{Address: "lb.example.com", Kinds: []string{"haproxy"}},
		Tentacle: plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"},
			SubscriptionID: "poll://g3662re9njtelsyfhm7t/", PollingConnectionCount: 2},
	}
	for i := 0; i < nodes; i++ {
		p.Nodes = append(p.Nodes, plan.Node{Name: fmt.Sprintf("Node%d", i+1), Address: fmt.Sprintf("10.0.0.%d", i+1), Port: 10943 + i})
	}
	return p
}

// run registers p and returns the events, the result and the error.
func (h *host) run(p plan.Plan, extraEnv ...string) ([]report.Event, Result, error) {
	h.t.Helper()
	opts := h.opts
	opts.Env = append(append([]string(nil), opts.Env...), extraEnv...)
	var events []report.Event
	ctx, cancel := context.WithTimeout(h.t.Context(), runDeadline)
	defer cancel()
	res, err := Run(ctx, p, opts, func(ev report.Event) { events = append(events, ev) })
	h.mustNoCanary(events, err)
	return events, res, err
}

// mustNoCanary fails if the key shows in events, the error, or any file.
func (h *host) mustNoCanary(events []report.Event, err error) {
	h.t.Helper()
	b, _ := json.Marshal(events)
	if strings.Contains(string(b), "CANARY") || (err != nil && strings.Contains(err.Error(), "CANARY")) {
		h.t.Fatalf("the API key leaked into events or the error")
	}
	_ = filepath.WalkDir(h.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(path); strings.Contains(string(data), "CANARY") {
				h.t.Fatalf("the API key was written to %s", path)
			}
		}
		return nil
	})
}

// trusted are the entries of the plan's server.
func (h *host) trusted() []trustedServer {
	h.t.Helper()
	var out []trustedServer
	for _, e := range h.allTrusted() {
		if e.Thumbprint == h.api.Thumbprint {
			out = append(out, e)
		}
	}
	return out
}

// fakeDeadline bounds one direct call of the fake Tentacle.
const fakeDeadline = 20 * time.Second

// fake runs the fake Tentacle directly, with the host's environment plus
// env, and returns its stdout; a failure, or a hang past fakeDeadline,
// ends the test.
func (h *host) fake(env []string, args ...string) string {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.t.Context(), fakeDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, fakeTentacle, args...)
	cmd.Env = append(append(os.Environ(), h.opts.Env...), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		h.t.Fatalf("Tentacle %q: %v\n%s%s", args, err, out, stderr.Bytes())
	}
	return string(out)
}

// tentacleThumbprint is the thumbprint of the Tentacle's certificate.
func (h *host) tentacleThumbprint() string {
	h.t.Helper()
	return parseThumbprint(h.fake(nil, "show-thumbprint", "--instance", "Tentacle", "--format", "json"))
}

// allTrusted reads the trusted servers back through the fake's own CLI.
func (h *host) allTrusted() []trustedServer {
	h.t.Helper()
	out := h.fake(nil, "show-configuration", "--instance", "Tentacle")
	list, ok := findTrusted(out)
	if !ok {
		h.t.Fatalf("no trusted servers in:\n%s", out)
	}
	return list
}

// The polling addresses of h.plan(2) and h.plan(3), written out: the
// trusted servers are compared with these, not with plan.Addresses, which
// the driver itself uses.
var (
	lbAddrs2 = []string{"https://lb.example.com:10943", "https://lb.example.com:10944"}
	lbAddrs3 = []string{"https://lb.example.com:10943", "https://lb.example.com:10944", "https://lb.example.com:10945"}
)

// runDeadline bounds one registration run in a test (each step has its
// own StepTimeout too).
const runDeadline = time.Minute

// mustConverged: the Tentacle polls exactly want, in order, each entry
// with p's subscription id and thumbprint.
func (h *host) mustConverged(p plan.Plan, want []string) {
	h.t.Helper()
	got := h.trusted()
	if len(got) != len(want) {
		h.t.Fatalf("%d trusted entries, want %d: %+v", len(got), len(want), got)
	}
	for i, e := range got {
		if e.Address != want[i] || e.SubscriptionID != p.Tentacle.SubscriptionID || e.Thumbprint != p.Server.Thumbprint || e.CommunicationStyle != 2 {
			h.t.Errorf("entry %d = %+v, want %s with the plan's id and thumbprint", i, e, want[i])
		}
	}
}

func statusOf(events []report.Event, name string) report.Status {
	var s report.Status
	for _, ev := range events {
		if ev.Name == name && ev.Status != report.Running {
			s = ev.Status
		}
	}
	return s
}

func TestFirstRunThenRerunConverges(t *testing.T) {
	h := newHost(t)
	p := h.plan(3)
	events, res, err := h.run(p)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	h.mustConverged(p, lbAddrs3)
	if last := events[len(events)-1]; last.Step != last.Total {
		t.Errorf("first run ended at step %d of %d", last.Step, last.Total)
	}
	if len(res.Trusted) != 3 || res.Backup != "" {
		t.Errorf("first run result %+v", res)
	}
	for _, name := range []string{"Create instance Tentacle", "Certificate", "Register with https://lb.example.com:10943", "Poll https://lb.example.com:10944", "Poll https://lb.example.com:10945", "Polling connections", "Install and (re)start the service", "Compare with the plan"} {
		if got := statusOf(events, name); got != report.Pass {
			t.Errorf("first run %q = %q, want pass", name, got)
		}
	}
	for _, ev := range events {
		if strings.Contains(ev.Command, "--apiKey") && !strings.Contains(ev.Command, "--apiKey API-***") {
			t.Errorf("command shows the key unmasked: %s", ev.Command)
		}
	}
	if got := statusOf(events, "Find the machine in Octopus"); got != report.Warn {
		t.Errorf("machine not yet known to Octopus: %q, want a warning", got)
	}

	// Octopus now knows the machine by the Tentacle's thumbprint.
	h.api.Set(func(s *octopustest.Server) {
		s.Machines = []octopustest.Machine{{Name: "web01", Thumbprint: h.tentacleThumbprint(), HealthStatus: "Healthy", SubscriptionID: p.Tentacle.SubscriptionID}}
	})

	events, res, err = h.run(p)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	h.mustConverged(p, lbAddrs3)
	for name, want := range map[string]report.Status{
		"Register with https://lb.example.com:10943": report.Skip,
		"Poll https://lb.example.com:10944":          report.Skip,
		"Remove old addresses":                       report.Skip,
		"Install and (re)start the service":          report.Pass,
		"Find the machine in Octopus":                report.Pass,
	} {
		if got := statusOf(events, name); got != want {
			t.Errorf("second run %q = %q, want %q", name, got, want)
		}
	}
	if last := events[len(events)-1]; last.Step != last.Total {
		t.Errorf("second run ended at step %d of %d", last.Step, last.Total)
	}
	if res.Health != "Healthy" {
		t.Errorf("health = %q", res.Health)
	}
	if res.Backup == "" {
		t.Error("second run made no backup of Tentacle.config")
	} else if _, err := os.Stat(res.Backup); err != nil {
		t.Errorf("backup %s: %v", res.Backup, err)
	}
}

func TestFailureOnRerunKeepsBackup(t *testing.T) {
	h := newHost(t)
	p := h.plan(2)
	if _, _, err := h.run(p); err != nil {
		t.Fatal(err)
	}
	p3 := h.plan(3)
	_, res, err := h.run(p3, "FAKE_TENTACLE_FAIL=poll-server")
	if !errors.Is(err, ErrStepFailed) || res.Backup == "" {
		t.Fatalf("err %v backup %q", err, res.Backup)
	}
	if !strings.Contains(err.Error(), res.Backup) {
		t.Errorf("the error does not say where the backup is: %v", err)
	}
	if _, _, err := h.run(p3); err != nil {
		t.Fatal(err)
	}
	h.mustConverged(p3, lbAddrs3)
}

func TestNodeRemovedFromPlan(t *testing.T) {
	h := newHost(t)
	if _, _, err := h.run(h.plan(3)); err != nil {
		t.Fatal(err)
	}
	p := h.plan(2)
	events, _, err := h.run(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := statusOf(events, "Remove https://lb.example.com:10945"); got != report.Pass {
		t.Errorf("removing the third node: %q", got)
	}
	h.mustConverged(p, lbAddrs2)
}

func TestSubscriptionIDNeverChanges(t *testing.T) {
	h := newHost(t)
	if _, _, err := h.run(h.plan(2)); err != nil {
		t.Fatal(err)
	}
	p := h.plan(2)
	p.Tentacle.SubscriptionID = "poll://aaaaaaaaaaaaaaaaaaaa/"
	events, res, err := h.run(p)
	if !errors.Is(err, ErrStepFailed) || statusOf(events, "Subscription id") != report.Fail {
		t.Fatalf("a different id in the plan: err %v", err)
	}
	if !strings.Contains(events[len(events)-1].Message, "poll://g3662re9njtelsyfhm7t/") {
		t.Errorf("message %q does not name the id in use", events[len(events)-1].Message)
	}
	if res.ExistingSubscriptionID != "poll://g3662re9njtelsyfhm7t/" {
		t.Errorf("Result.ExistingSubscriptionID = %q, want the id in use", res.ExistingSubscriptionID)
	}
	if !strings.Contains(err.Error(), "-subscription-id poll://g3662re9njtelsyfhm7t/") {
		t.Errorf("error %q does not name the flag to use", err)
	}
	h.mustConverged(h.plan(2), lbAddrs2)
}

func TestDryRunRunsNothing(t *testing.T) {
	h := newHost(t)
	h.opts.DryRun = true
	events, _, err := h.run(h.plan(3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "tentacle.log")); !os.IsNotExist(err) {
		t.Errorf("dry run executed the Tentacle")
	}
	var cmds []string
	for _, ev := range events {
		cmds = append(cmds, ev.Command)
	}
	all := strings.Join(cmds, "\n")
	for _, want := range []string{"register-with", "--comms-style TentacleActive", "--server-comms-address https://lb.example.com:10943", "--apiKey API-***", "poll-server", "https://lb.example.com:10945", "service --instance Tentacle --install --stop --start"} {
		if !strings.Contains(all, want) {
			t.Errorf("dry run lacks %q:\n%s", want, all)
		}
	}
}

func TestRefusesBadInput(t *testing.T) {
	h := newHost(t)
	p := h.plan(2)
	p.Tentacle.SubscriptionID = ""
	if _, _, err := h.run(p); err == nil || !strings.Contains(err.Error(), "subscription id") {
		t.Errorf("no subscription id: %v", err)
	}
	p = h.plan(2)
	p.Tentacle.Roles = []string{"--force"}
	var inv *plan.InvalidError
	if _, _, err := h.run(p); !errors.As(err, &inv) {
		t.Errorf("option-like role: %v, want *plan.InvalidError", err)
	}
	p = h.plan(2)
	p.Tentacle.Kind = plan.KubernetesAgent
	p.Tentacle.OS = plan.Linux
	p.Tentacle.Environments, p.Tentacle.Roles, p.Tentacle.WorkerPools = []string{"Production"}, []string{"k8s"}, nil
	if _, _, err := h.run(p); err == nil || err.Error() != "registration: a Kubernetes agent registers itself when its Helm chart is installed; run kubernetes-agent/install.sh from the bundle where kubectl and helm reach the cluster" {
		t.Errorf("a Kubernetes agent: %v, want the install script named", err)
	}
	h.opts.APIKey = ""
	if _, _, err := h.run(h.plan(2)); err == nil || !strings.Contains(err.Error(), "OCTOPUS_API_KEY") {
		t.Errorf("no key: %v", err)
	}
}

func TestOctopusDownIsAWarningInPlainWords(t *testing.T) {
	h := newHost(t)
	p := h.plan(2)
	h.api.Close()
	events, _, err := h.run(p)
	if err != nil {
		t.Fatalf("the Tentacle side succeeded, but the run failed: %v", err)
	}
	last := events[len(events)-1]
	if last.Status != report.Warn || !strings.Contains(last.Message, "could not ask Octopus at "+h.api.URL) || !strings.Contains(last.Message, "connection refused") || strings.Contains(last.Message, "dial tcp") {
		t.Errorf("last event %+v, want a plain-words warning", last)
	}
}
