//go:build !js

package bundle_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// regCanaryKey is the API key the scripts get; it must never reach a file or
// the scripts' output.
const regCanaryKey = "API-CANARY7Q2W9E4R6T8Y1U3I5O"

// regFaultCase is the Linux plan whose register.sh gets the fault matrix in
// a short run: a deployment target on unique-port with a polling
// connection count, so every command the script can run is failed once.
const regFaultCase = "unique-port-all-kinds"

// TestRegisterSh runs every Linux case's register.sh against the fake
// Tentacle (server/internal/faketentacle), built once for all subtests:
// twice in a row, after every injected failure, with pruning, and on a
// reinstalled machine. Each run must end with exactly the plan's polling
// entries and leave the API key nowhere.
func TestRegisterSh(t *testing.T) {
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	for _, name := range caseNames(t) {
		p := mustCase(t, name).Normalized()
		if p.Tentacle.OS != plan.Linux || p.HasFleet() || p.Tentacle.KindRow().Helm { // fleets: TestFleetRegisterSh; agents: TestAgentInstallSh
			continue
		}
		script := regScriptFile(t, mustFiles(t, name))
		t.Run(name, func(t *testing.T) {
			t.Run("lint", func(t *testing.T) { regLint(t, bash, script) })
			t.Run("twice", func(t *testing.T) { regTestTwice(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("faults", func(t *testing.T) {
				if name != regFaultCase {
					testtool.SkipUnlessLong(t, name+"'s fault matrix ("+regFaultCase+" stands for Linux)")
				}
				regTestFaults(t, bash, fake, script, p)
			})
			t.Run("prune", func(t *testing.T) { regTestPrune(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("reinstalled", func(t *testing.T) { regTestReinstalled(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("unknown to Octopus", func(t *testing.T) { regTestUnknown(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("other id", func(t *testing.T) { regTestOtherID(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("other server kept", func(t *testing.T) { regTestOtherServer(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("listening trust", func(t *testing.T) { regTestListeningTrust(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("force again", func(t *testing.T) { regTestForceAgain(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("entries removed", func(t *testing.T) { regTestEntriesRemoved(t, newRegRig(t, bash, fake, script, p)) })
			t.Run("service fails", func(t *testing.T) { regTestServiceFails(t, newRegRig(t, bash, fake, script, p)) })
		})
	}
	t.Run("tricky values", func(t *testing.T) {
		p := regTrickyPlan(t)
		var b bytes.Buffer
		if err := bundle.WriteRegisterSh(&b, p); err != nil {
			t.Fatal(err)
		}
		script := regScriptFile(t, []bundle.File{{Path: "tentacle/register.sh", Content: b.Bytes()}})
		t.Run("lint", func(t *testing.T) { regLint(t, bash, script) })
		t.Run("twice", func(t *testing.T) { regTestTwice(t, newRegRig(t, bash, fake, script, p)) })
	})
	t.Run("no key and no terminal", func(t *testing.T) {
		p := mustCase(t, "docs-unique-address").Normalized()
		r := newRegRig(t, bash, fake, regScriptFile(t, mustFiles(t, "docs-unique-address")), p)
		res := r.run("OCTOPUS_API_KEY=")
		if res.code == 0 || !strings.Contains(res.stderr, "OCTOPUS_API_KEY") {
			t.Errorf("register.sh without a key = exit %d, stderr %q; want a failure naming OCTOPUS_API_KEY", res.code, res.stderr)
		}
		if calls := r.calls(); len(calls) != 0 {
			t.Errorf("Tentacle ran %d times before the key check: %q", len(calls), calls)
		}
	})
}

func regBuildFake(tb testing.TB) string {
	tb.Helper()
	goTool := testtool.Require(tb, "go")
	out := filepath.Join(tb.TempDir(), "Tentacle")
	cmd := exec.Command(goTool, "build", "-o", out, "../../server/internal/faketentacle")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build faketentacle: %v\n%s", err, b)
	}
	return out
}

// regScriptFile writes the bundle's register.sh to a file of its own.
func regScriptFile(tb testing.TB, files []bundle.File) string {
	tb.Helper()
	for _, f := range files {
		if f.Path == "tentacle/register.sh" {
			path := filepath.Join(tb.TempDir(), "register.sh")
			if err := os.WriteFile(path, f.Content, 0o755); err != nil {
				tb.Fatal(err)
			}
			return path
		}
	}
	tb.Fatal("the bundle has no tentacle/register.sh")
	return ""
}

func regLint(t *testing.T, bash, script string) {
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Errorf("bash -n: %v\n%s", err, out)
	}
	shellcheck := testtool.Require(t, "shellcheck")
	if out, err := exec.Command(shellcheck, script).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// regTrickyPlan has values that shell quoting must carry through untouched.
func regTrickyPlan(tb testing.TB) plan.Plan {
	p := mustCase(tb, "unique-port-all-kinds")
	p.Tentacle.Instance = `Inst 2.x_y-z`
	p.Tentacle.Name = `web "01" it's $(false) ` + "`id`"
	p.Tentacle.Environments = []string{`Prod & Test; echo *`}
	p.Tentacle.Roles = []string{`r\n|x`, "ünïcode"}
	p.Server.Space = `Space "A"`
	p = p.Normalized()
	if probs := p.Validate(); probs.HasErrors() {
		tb.Fatalf("tricky plan: %s", probs)
	}
	return p
}

func regTestTwice(t *testing.T, r *regRig) {
	t.Parallel()
	first := r.mustRun()
	r.checkConverged()
	calls := r.calls()
	register, other := "register-with", "register-worker"
	if r.plan.Tentacle.Kind == plan.Worker {
		register, other = other, register
	}
	regs := regCallsOf(calls, register)
	if len(regs) != 1 || len(regCallsOf(calls, other)) != 0 {
		t.Fatalf("first run: %d %s and %d %s calls, want 1 and 0", len(regs), register, len(regCallsOf(calls, other)), other)
	}
	addrs := r.plan.Addresses()
	want := map[string]string{"--comms-style": "TentacleActive", "--server-comms-address": addrs[0],
		"--server-subscription-id": r.plan.Tentacle.SubscriptionID, "--name": r.plan.Tentacle.Name, "--instance": r.plan.Tentacle.Instance}
	for opt, v := range want {
		if got := regOptionValue(regs[0], opt); got != v {
			t.Errorf("%s %s = %q, want %q", register, opt, got, v)
		}
	}
	if r.plan.Tentacle.Kind == plan.Worker {
		if diff := cmp.Diff(r.plan.Tentacle.WorkerPools, regOptionValues(regs[0], "--workerpool")); diff != "" {
			t.Errorf("register-worker --workerpool (-want +got):\n%s", diff)
		}
	} else if diff := cmp.Diff(r.plan.Tentacle.Roles, regOptionValues(regs[0], "--role")); diff != "" {
		t.Errorf("register-with --role (-want +got):\n%s", diff)
	}
	second := r.mustRun()
	r.checkConverged()
	again := r.calls()[len(calls):]
	for _, cmd := range []string{"create-instance", "register-with", "register-worker"} {
		if n := len(regCallsOf(again, cmd)); n != 0 {
			t.Errorf("second run called %s %d times, want 0", cmd, n)
		}
	}
	if n := len(regCallsOf(again, "poll-server")); n != 0 {
		t.Errorf("second run called poll-server %d times, want 0 (every address is trusted)", n)
	}
	r.checkService([]string{"install", "start", "stop", "install", "start"})
	r.checkNoKey(first, second)
}

// regTestFaults fails each Tentacle call of a first and of a second run in
// turn: the script must stop naming the step, and a run without the fault
// must converge.
func regTestFaults(t *testing.T, bash, fake, script string, p plan.Plan) {
	clean := newRegRig(t, bash, fake, script, p)
	clean.mustRun()
	firstCalls := clean.calls()
	clean.mustRun()
	for _, rerun := range []bool{false, true} {
		calls := firstCalls
		if rerun {
			calls = clean.calls()[len(firstCalls):]
		}
		for i, call := range calls {
			nth := len(regCallsOf(calls[:i+1], call[0]))
			fault := fmt.Sprintf("%s:%d", call[0], nth)
			t.Run(fmt.Sprintf("rerun=%v/%s", rerun, fault), func(t *testing.T) {
				t.Parallel()
				r := newRegRig(t, bash, fake, script, p)
				var before int
				if rerun {
					r.mustRun()
					before = len(r.calls())
					r.resetCallCount()
				}
				failed := r.run("FAKE_TENTACLE_FAIL=" + fault)
				if failed.code == 0 || !strings.Contains(failed.stderr, "step '"+call[0]) {
					t.Fatalf("with %s failing: exit %d, stderr %q; want a failure naming the step", fault, failed.code, failed.stderr)
				}
				if n := len(r.calls()) - before; n != i+1 {
					t.Errorf("the script went on after the failure: %d calls, want %d", n, i+1)
				}
				fixed := r.mustRun()
				r.checkConverged()
				r.checkRunning()
				r.checkNoKey(failed, fixed)
			})
		}
	}
}

// regTestPrune: an address no longer in the plan goes with TENTACLE_PRUNE=1.
func regTestPrune(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	r.tentacle("poll-server", "--instance", r.plan.Tentacle.Instance, "--reuse-server-thumbprint", "--server-comms-address", "https://retired.example.com:10943")
	if n := len(r.trusted()); n != len(r.plan.Polls())+1 {
		t.Fatalf("after adding a retired node: %d entries, want %d", n, len(r.plan.Polls())+1)
	}
	res := r.mustRun("TENTACLE_PRUNE=1")
	r.checkConverged()
	r.checkNoKey(res)
}

// regTestReinstalled: a fresh Tentacle whose name Octopus already knows stops
// at registration, and registers with TENTACLE_FORCE_REGISTER=1.
func regTestReinstalled(t *testing.T, r *regRig) {
	t.Parallel()
	r.mustRun()
	for _, dir := range []string{filepath.Join(r.root, "home", "Tentacle", "Instances"), filepath.Join(r.root, "etc")} {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	res := r.run()
	if res.code == 0 || !strings.Contains(res.stderr, "already exists") || !strings.Contains(res.stderr, "step 'register-w") {
		t.Fatalf("re-registering a known name: exit %d, stderr %q; want the register step to fail", res.code, res.stderr)
	}
	forced := r.mustRun("TENTACLE_FORCE_REGISTER=1")
	r.checkConverged()
	if regs := regCallsOf(r.calls(), regRegisterCommand(r.plan)); len(regs) != 3 || !slices.Contains(regs[2], "--force") {
		t.Errorf("registrations %q, want a third one with --force", regs)
	}
	r.checkNoKey(res, forced)
}

// regRig is one machine for register.sh: every file a run writes is under root.
type regRig struct {
	t                  *testing.T
	bash, fake, script string
	plan               plan.Plan
	root               string
	env                []string
	// foreign is how many entries of other servers the Tentacle trusts.
	foreign int
}

func newRegRig(t *testing.T, bash, fake, script string, p plan.Plan) *regRig {
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(fake, filepath.Join(bin, "systemctl")); err != nil {
		t.Fatal(err)
	}
	return &regRig{t: t, bash: bash, fake: fake, script: script, plan: p, root: root, env: []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"TENTACLE=" + fake,
		"OCTOPUS_API_KEY=" + regCanaryKey,
		"TENTACLE_CONFIG=" + filepath.Join(root, "etc", "tentacle.config"),
		"TENTACLE_APP_DIR=" + filepath.Join(root, "apps"),
		"TentacleMachineConfigurationHomeDirectory=" + filepath.Join(root, "home"),
		"FAKE_TENTACLE_SERVER_THUMBPRINT=" + p.Server.Thumbprint,
		"FAKE_TENTACLE_LOG=" + filepath.Join(root, "tentacle.log"),
	}}
}

type regResult struct {
	code           int
	stdout, stderr string
}

// run runs register.sh with no terminal on stdin; extra NAME=VALUE entries
// override the rig's environment.
func (r *regRig) run(extra ...string) regResult {
	r.t.Helper()
	cmd := exec.Command(r.bash, r.script)
	cmd.Dir = r.root
	cmd.Env = append(slices.Clone(r.env), extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := regResult{stdout: stdout.String(), stderr: stderr.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		res.code = exit.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	return res
}

func (r *regRig) mustRun(extra ...string) regResult {
	r.t.Helper()
	res := r.run(extra...)
	if res.code != 0 {
		r.t.Fatalf("register.sh = exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	return res
}

// tentacle runs the fake directly, as an operator would between runs.
func (r *regRig) tentacle(args ...string) {
	r.t.Helper()
	r.tentacleEnv(nil, args...)
}

// tentacleEnv is tentacle with extra environment entries.
func (r *regRig) tentacleEnv(extra []string, args ...string) {
	r.t.Helper()
	cmd := exec.Command(r.fake, args...)
	cmd.Env = append(slices.Clone(r.env), extra...)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("Tentacle %q: %v\n%s", args, err, out)
	}
}

// resetCallCount restarts the fake's count for FAKE_TENTACLE_FAIL=cmd:n.
func (r *regRig) resetCallCount() {
	if err := os.Remove(filepath.Join(r.root, "home", "Tentacle", "fake-calls.json")); err != nil && !os.IsNotExist(err) {
		r.t.Fatal(err)
	}
}

// calls are the fake's log: one argument list per Tentacle invocation.
func (r *regRig) calls() [][]string {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(r.root, "tentacle.log"))
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		r.t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var args []string
		if err := json.Unmarshal([]byte(line), &args); err != nil {
			r.t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, args)
	}
	return out
}

// settings reads the Tentacle.config the script created.
func (r *regRig) settings() map[string]string {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(r.root, "etc", "tentacle.config"))
	if err != nil {
		r.t.Fatal(err)
	}
	var doc struct {
		Sets []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"set"`
	}
	if err := xml.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &doc); err != nil {
		r.t.Fatalf("Tentacle.config: %v", err)
	}
	out := map[string]string{}
	for _, s := range doc.Sets {
		out[s.Key] = s.Value
	}
	return out
}

type regTrustedEntry struct {
	Thumbprint         string
	CommunicationStyle int
	Address            *string
	SubscriptionID     *string `json:"SubscriptionId"`
}

func (r *regRig) trusted() []regTrustedEntry {
	r.t.Helper()
	var list []regTrustedEntry
	if err := json.Unmarshal([]byte(r.settings()[bundle.TrustedServersKey]), &list); err != nil {
		r.t.Fatalf("%s: %v", bundle.TrustedServersKey, err)
	}
	return list
}

// checkConverged: one polling entry per plan address, all with the plan's
// thumbprint and subscription id, and the plan's connection count.
func (r *regRig) checkConverged() {
	r.t.Helper()
	var addrs []string
	foreign := 0
	for _, e := range r.trusted() {
		if e.Thumbprint != r.plan.Server.Thumbprint {
			foreign++
			continue
		}
		if e.CommunicationStyle != 2 || e.Address == nil || e.SubscriptionID == nil {
			r.t.Errorf("entry %+v is not a polling entry (CommunicationStyle 2 with an address and a subscription id)", e)
			continue
		}
		if e.Thumbprint != r.plan.Server.Thumbprint || *e.SubscriptionID != r.plan.Tentacle.SubscriptionID {
			r.t.Errorf("entry %s: thumbprint %s, id %s; want %s, %s", *e.Address, e.Thumbprint, *e.SubscriptionID, r.plan.Server.Thumbprint, r.plan.Tentacle.SubscriptionID)
		}
		addrs = append(addrs, *e.Address)
	}
	if foreign != r.foreign {
		r.t.Errorf("%d entries of other servers, want %d", foreign, r.foreign)
	}
	want := r.plan.Addresses()
	slices.Sort(addrs)
	slices.Sort(want)
	if diff := cmp.Diff(want, addrs); diff != "" {
		r.t.Errorf("polled addresses (-want +got):\n%s", diff)
	}
	s := r.settings()
	if c := r.plan.Tentacle.PollingConnectionCount; c > 0 && s["Tentacle.Communication.PollingConnectionCount"] != strconv.Itoa(c) {
		r.t.Errorf("PollingConnectionCount = %q, want %d", s["Tentacle.Communication.PollingConnectionCount"], c)
	}
	if s["Tentacle.Services.NoListen"] != "true" {
		r.t.Errorf("NoListen = %q, want true", s["Tentacle.Services.NoListen"])
	}
}

// checkRunning: the service is installed and running, whatever it did before.
func (r *regRig) checkRunning() {
	r.t.Helper()
	st := r.service()
	if !st.Installed || !st.Running {
		r.t.Errorf("service installed=%v running=%v after %v, want installed and running", st.Installed, st.Running, st.Events)
	}
}

// checkService compares the fake service's history.
func (r *regRig) checkService(want []string) {
	r.t.Helper()
	st := r.service()
	if diff := cmp.Diff(want, st.Events); diff != "" || !st.Installed || !st.Running {
		r.t.Errorf("service installed=%v running=%v, events (-want +got):\n%s", st.Installed, st.Running, diff)
	}
}

type regService struct {
	Installed, Running bool
	Events             []string
}

// service reads the fake service's state.
func (r *regRig) service() regService {
	r.t.Helper()
	matches, _ := filepath.Glob(filepath.Join(r.root, "etc", "fake-service-*.json"))
	if len(matches) != 1 {
		r.t.Fatalf("service state files: %q, want one", matches)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		r.t.Fatal(err)
	}
	var st regService
	if err := json.Unmarshal(data, &st); err != nil {
		r.t.Fatal(err)
	}
	return st
}

// checkNoKey: the API key is in no file the runs wrote and in no output.
func (r *regRig) checkNoKey(runs ...regResult) {
	r.t.Helper()
	for _, res := range runs {
		if strings.Contains(res.stdout+res.stderr, regCanaryKey) {
			r.t.Error("the API key is in the script's output")
		}
	}
	err := filepath.WalkDir(r.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(regCanaryKey)) {
			r.t.Errorf("the API key is in %s", path)
		}
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
}
