package rollout

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// canaryKey must never show in output, state or a task's body.
const canaryKey = "API-CANARYROLLOUT000000000000000"

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

const serverThumbprint = "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"

// Old and new polling addresses of the stand-in change (testdata).
var (
	oldAddresses = []string{"https://lb.example.com:10943", "https://lb.example.com:10944"}
	newAddresses = []string{"https://lb.example.com:10943", "https://lb.example.com:10945"}
)

// newAPI starts the fake Octopus with the canary key and the fleet.
func newAPI(t *testing.T, fleet []octopustest.FleetMachine) *octopustest.Server {
	t.Helper()
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) {
		s.APIKey = canaryKey
		s.WorkerPools = []string{"Default Worker Pool", "Edge"}
		s.Fleet = fleet
		s.ScriptEnv = []string{"TENTACLE=" + fakeTentacle}
	})
	return api
}

// linux is a Linux polling Tentacle with its own fake Tentacle folder,
// registered and polling the old addresses.
func linux(t *testing.T, name string, worker bool) octopustest.FleetMachine {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	run := func(args ...string) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, fakeTentacle, args...)
		cmd.Env = []string{"TentacleMachineConfigurationHomeDirectory=" + home, "FAKE_TENTACLE_SERVER_THUMBPRINT=" + serverThumbprint}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("set up %s: Tentacle %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("create-instance", "--instance", "Tentacle", "--config", filepath.Join(home, "etc", "tentacle-Tentacle.config"))
	run("new-certificate", "--instance", "Tentacle", "--if-blank")
	run("register-with", "--instance", "Tentacle", "--server", "https://octopus.example.com", "--apiKey", "API-SETUPONLY", "--name", name,
		"--env", "Production", "--role", "web", "--comms-style", "TentacleActive", "--server-comms-address", oldAddresses[0])
	run("poll-server", "--instance", "Tentacle", "--reuse-server-thumbprint", "--server-comms-address", oldAddresses[1])
	m := octopustest.FleetMachine{Name: name, OS: "linux", Home: home, Worker: worker}
	if worker {
		m.WorkerPools = []string{"Edge"}
	} else {
		m.Environments, m.Roles = []string{"Production"}, []string{"web"}
	}
	return m
}

// trusted is the addresses a machine's fake Tentacle polls.
func trusted(t *testing.T, home string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, fakeTentacle, "show-configuration", "--instance", "Tentacle")
	cmd.Env = []string{"TentacleMachineConfigurationHomeDirectory=" + home}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("show-configuration in %s: %v", home, err)
	}
	var addrs []string
	for _, line := range strings.Split(string(out), "\n") {
		if a, ok := strings.CutPrefix(strings.TrimSpace(line), `"Address": "`); ok {
			addrs = append(addrs, strings.TrimSuffix(strings.TrimSuffix(a, ","), `"`))
		}
	}
	return addrs
}

// writePack writes the stand-in change pack with a plan for the fake.
func writePack(t *testing.T, serverURL string) Pack {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{BashScript, PowerShellScript} {
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	writeFile(t, filepath.Join(dir, PlanFile), fmt.Sprintf(`{"version":1,"topology":"unique-port","server":{"url":%q,"space":"Default"},"fleet":[]}`, serverURL))
	p, err := LoadPack(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// events collects what a rollout emits, masked as the command masks it.
type events struct {
	mu  sync.Mutex
	all []report.RolloutEvent
}

func (e *events) emit(ev report.RolloutEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, report.Secret(canaryKey).Rollout(ev))
}

func (e *events) text() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b strings.Builder
	for _, ev := range e.all {
		b.WriteString(ev.Line() + "\n")
	}
	return b.String()
}

// machine returns the last outcome reported for a machine.
func (e *events) machine(name string) report.RolloutEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	var last report.RolloutEvent
	for _, ev := range e.all {
		if ev.Kind == report.RolloutMachine && ev.Machine == name {
			last = ev
		}
	}
	return last
}

// options is a rollout of pack against api with fast polling.
func options(t *testing.T, api *octopustest.Server, pack Pack) Options {
	t.Helper()
	c, err := octopus.New(api.URL, canaryKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	batch, _ := ParseSize("-batch", "10%")
	return Options{Client: c, Pack: pack, SpaceID: "Spaces-1", Batch: batch, StatePath: filepath.Join(t.TempDir(), "rollout.json"),
		Poll: 10 * time.Millisecond, TaskTimeout: 20 * time.Second, HealthTimeout: 20 * time.Second, HealthDelay: -1}
}

func mustRun(t *testing.T, o Options) (Summary, *events) {
	t.Helper()
	ev := &events{}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute) // a deadline for the whole rollout
	defer cancel()
	sum, err := Run(ctx, o, ev.emit)
	if err != nil {
		t.Fatalf("Run = %v\n%s", err, ev.text())
	}
	return sum, ev
}
