package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const serverThumbprint = "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"

// rig is one simulated machine: a home for the index and a config folder.
type rig struct {
	t      *testing.T
	home   string
	config string
	env    map[string]string
}

func newRig(t *testing.T) *rig {
	dir := t.TempDir()
	return &rig{t: t, home: filepath.Join(dir, "home"), config: filepath.Join(dir, "etc", "tentacle-Tentacle.config"),
		env: map[string]string{homeVariable: filepath.Join(dir, "home"), "FAKE_TENTACLE_SERVER_THUMBPRINT": serverThumbprint}}
}

// tentacle runs the fake in-process and returns its exit code and output.
func (r *rig) tentacle(args ...string) (int, string, string) {
	r.t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"Tentacle"}, args...), host{
		getenv: func(k string) string { return r.env[k] }, stdout: &stdout, stderr: &stderr, hostname: "fakehost", cpus: 2,
	})
	return code, stdout.String(), stderr.String()
}

// must runs a command that has to succeed.
func (r *rig) must(args ...string) string {
	r.t.Helper()
	code, out, errOut := r.tentacle(args...)
	if code != exitOK {
		r.t.Fatalf("Tentacle %s = exit %d, want 0\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// fails runs a command that has to fail with the code and message.
func (r *rig) fails(code int, message string, args ...string) {
	r.t.Helper()
	got, _, errOut := r.tentacle(args...)
	if got != code || !strings.Contains(errOut, message) {
		r.t.Fatalf("Tentacle %s = exit %d %q, want exit %d mentioning %q", strings.Join(args, " "), got, errOut, code, message)
	}
}

// setUp creates the instance with a certificate, in polling mode.
func (r *rig) setUp() {
	r.must("create-instance", "--instance", "Tentacle", "--config", r.config)
	r.must("new-certificate", "--instance", "Tentacle", "--if-blank")
	r.must("configure", "--instance", "Tentacle", "--noListen", "True", "--app", "/apps")
}

func (r *rig) trusted() []trustedServer {
	r.t.Helper()
	s, err := loadSettings(r.config)
	if err != nil {
		r.t.Fatal(err)
	}
	list, err := s.trusted()
	if err != nil {
		r.t.Fatal(err)
	}
	return list
}

func ptr(s string) *string { return &s }

// registerArgs is a polling registration of target web01.
func registerArgs() []string {
	return []string{"register-with", "--instance", "Tentacle", "--server", "https://octopus.example.com", "--apiKey", "API-SECRET",
		"--name", "web01", "--env", "Production", "--role", "web", "--comms-style", "TentacleActive",
		"--server-comms-address", "https://octo1.example.com:10943", "--server-subscription-id", "poll://abcdefghjklmnpqrstu/"}
}

func TestExitCodes(t *testing.T) {
	r := newRig(t)
	r.fails(exitUnknownCommand, "Command 'register-machine' is not supported", "register-machine")
	r.fails(exitFailure, "Unrecognized command line arguments: --bogus", "list-instances", "--bogus")
	r.fails(exitFailure, "Missing required option --server", "register-with", "--env", "P", "--role", "r")
	r.fails(exitFailure, "Unrecognized command line arguments: --config x", "service", "--config", "x")
	delete(r.env, homeVariable)
	r.fails(exitFailure, homeVariable, "list-instances")
}

func TestRegisterAndPoll(t *testing.T) {
	r := newRig(t)
	r.setUp()
	r.fails(exitFailure, "not yet trusted", "poll-server", "--instance", "Tentacle", "--server", "https://octopus.example.com", "--apiKey", "API-SECRET", "--server-comms-address", "https://octo2.example.com:10943")
	r.must(registerArgs()...)
	r.must("poll-server", "--instance", "Tentacle", "--server", "https://octopus.example.com", "--apikey=API-SECRET", "--server-comms-address", "https://octo2.example.com:10943")
	r.must("poll-server", "--instance", "Tentacle", "--server", "https://octopus.example.com", "--apiKey", "API-SECRET", "--server-comms-address", "https://OCTO2.example.com:10943")
	id := ptr("poll://abcdefghjklmnpqrstu/")
	want := []trustedServer{
		{Thumbprint: serverThumbprint, CommunicationStyle: styleActive, Address: ptr("https://octo1.example.com:10943"), SubscriptionID: id},
		{Thumbprint: serverThumbprint, CommunicationStyle: styleActive, Address: ptr("https://octo2.example.com:10943"), SubscriptionID: id},
	}
	if diff := cmp.Diff(want, r.trusted()); diff != "" {
		t.Errorf("trusted servers (-want +got):\n%s", diff)
	}
	r.fails(exitFailure, "A machine named 'web01' already exists", registerArgs()...)
	// With --force the entry at the same address keeps its id, whatever id is passed.
	forced := registerArgs()
	forced = append(forced[:len(forced)-1], "poll://zzzzzzzzzzzzzzzzzzzz/", "--force")
	r.must(forced...)
	if diff := cmp.Diff(want, r.trusted()); diff != "" {
		t.Errorf("trusted servers after a forced re-registration (-want +got):\n%s", diff)
	}
	s, _ := loadSettings(r.config)
	if got, _ := s.get(keyPollingConnectionCount); got != "1" {
		t.Errorf("PollingConnectionCount = %q, want 1 (a target's default)", got)
	}
	r.must("configure", "--instance", "Tentacle", "--reset-trust")
	if got := r.trusted(); len(got) != 0 {
		t.Errorf("after --reset-trust: %d entries, want 0", len(got))
	}
}

// TestRegisterDefaultsToListening mirrors the real default: without
// --comms-style the entry is a listening one, with no address or id.
func TestRegisterDefaultsToListening(t *testing.T) {
	r := newRig(t)
	r.setUp()
	r.must(registerArgs()[:13]...)
	want := []trustedServer{{Thumbprint: serverThumbprint, CommunicationStyle: stylePassive}}
	if diff := cmp.Diff(want, r.trusted()); diff != "" {
		t.Errorf("trusted servers (-want +got):\n%s", diff)
	}
}

func TestRegisterNeedsCertificateAndOneCredential(t *testing.T) {
	r := newRig(t)
	r.must("create-instance", "--instance", "Tentacle", "--config", r.config)
	r.fails(exitFailure, "new-certificate command first", registerArgs()...)
	r.must("new-certificate", "--instance", "Tentacle")
	r.fails(exitFailure, "only one of", append(registerArgs(), "--bearerToken", "t")...)
	r.fails(exitFailure, "both a username and a password", "register-worker", "--instance", "Tentacle", "--server", "https://o", "--workerpool", "P", "-u", "me")
}

func TestClearTrustedServersKeeps(t *testing.T) {
	r := newRig(t)
	r.setUp()
	r.must(registerArgs()...)
	r.must("poll-server", "--instance", "Tentacle", "--reuse-server-thumbprint", "--server-comms-address", "https://octo2.example.com:10943")
	r.must("clear-trusted-servers", "--instance", "Tentacle", "--keep", "http://OCTO2.example.com:10943")
	got := r.trusted()
	if len(got) != 1 || *got[0].Address != "https://octo2.example.com:10943" || *got[0].SubscriptionID != "poll://abcdefghjklmnpqrstu/" {
		t.Errorf("after clear-trusted-servers --keep: %+v, want only octo2 with the same id", got)
	}
}

func TestFaultInjectionChangesNothing(t *testing.T) {
	r := newRig(t)
	r.setUp()
	before, _ := os.ReadFile(r.config)
	r.env["FAKE_TENTACLE_FAIL"] = "poll-server,register-with:2"
	r.must(registerArgs()...) // the first register-with call passes
	r.fails(exitFailure, "injected failure of poll-server", "poll-server", "--instance", "Tentacle", "--reuse-server-thumbprint", "--server-comms-address", "https://octo2.example.com:10943")
	after, _ := os.ReadFile(r.config)
	if bytes.Equal(before, after) {
		t.Error("register-with changed nothing")
	}
	r.fails(exitFailure, "injected failure of register-with (call 2", append(registerArgs(), "--force")...)
	if again, _ := os.ReadFile(r.config); !bytes.Equal(again, after) {
		t.Error("a failed command changed the config file")
	}
}

func TestLogMasksSecrets(t *testing.T) {
	r := newRig(t)
	r.env["FAKE_TENTACLE_LOG"] = filepath.Join(t.TempDir(), "log")
	r.tentacle("show-configuration", "--apiKey", "API-SECRET", "--password=hunter2", "-p", "x")
	data, err := os.ReadFile(r.env["FAKE_TENTACLE_LOG"])
	if err != nil {
		t.Fatal(err)
	}
	if want := `["show-configuration","--apiKey","***","--password=***","-p","***"]` + "\n"; string(data) != want {
		t.Errorf("log = %q, want %q", data, want)
	}
}

// TestEchoOnlyWhenAsked: FAKE_TENTACLE_ECHO=1 prints the arguments as
// received, unmasked, on stderr before anything else; without it the fake
// prints no such line, as the real Tentacle prints none.
func TestEchoOnlyWhenAsked(t *testing.T) {
	r := newRig(t)
	args := []string{"list-instances", "--format", "json", "--apiKey", "API-SECRET"}
	if _, _, errOut := r.tentacle(args...); strings.Contains(errOut, "faketentacle argv") {
		t.Errorf("without FAKE_TENTACLE_ECHO the fake echoed: %q", errOut)
	}
	r.env["FAKE_TENTACLE_ECHO"] = "1"
	_, out, errOut := r.tentacle("list-instances", "--format", "json", "--name", "two words", "--x", "")
	want := `faketentacle argv: "list-instances" "--format" "json" "--name" "two words" "--x" ""` + "\n"
	if !strings.HasPrefix(errOut, want) || strings.Contains(out, "faketentacle argv") {
		t.Errorf("echo: stdout %q, stderr %q; want stderr to start with %q", out, errOut, want)
	}
	_, _, errOut = r.tentacle("show-configuration", "--apiKey", "API-SECRET")
	if !strings.HasPrefix(errOut, `faketentacle argv: "show-configuration" "--apiKey" "API-SECRET"`) {
		t.Errorf("echo of a secret = %q, want it unmasked (the caller masks)", errOut)
	}
}

func TestServiceAndSystemctl(t *testing.T) {
	r := newRig(t)
	r.setUp()
	systemctl := func() int {
		return run([]string{"/bin/systemctl", "cat", "--", "Tentacle.service"}, host{getenv: func(k string) string { return r.env[k] }, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	}
	if code := systemctl(); code != exitFailure {
		t.Errorf("systemctl cat before install = %d, want 1", code)
	}
	r.must("service", "--instance", "Tentacle", "--install", "--start")
	r.must("service", "--instance", "tentacle", "--restart")
	if code := systemctl(); code != exitOK {
		t.Errorf("systemctl cat after install = %d, want 0", code)
	}
	in, _ := findInstance(r.home, "Tentacle")
	st, err := loadService(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"install", "start", "restart"}, st.Events); diff != "" || !st.Running {
		t.Errorf("service events (-want +got):\n%s running=%v", diff, st.Running)
	}
}

func TestInstances(t *testing.T) {
	r := newRig(t)
	r.must("create-instance", "--instance", "Worker Pool A", "--config", r.config)
	if _, err := os.Stat(filepath.Join(r.home, "Tentacle", "Instances", "worker-pool-a.config")); err != nil {
		t.Errorf("index file: %v", err)
	}
	out := r.must("list-instances", "--format", "json")
	want := "[\n  {\n    \"InstanceName\": \"Worker Pool A\",\n    \"ConfigurationFilePath\": \"" + r.config + "\"\n  }\n]"
	if out != want {
		t.Errorf("list-instances --format json = %q, want %q", out, want)
	}
	r.must("show-thumbprint", "--instance", "WORKER POOL A", "--help")
	r.fails(exitFailure, "No certificate", "show-thumbprint") // the only instance is the current one
	r.fails(exitException, "not recognized as a valid Boolean", "configure", "--noListen", "yes")
}
