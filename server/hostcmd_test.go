package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/server/internal/halibuttest"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

const canary = "API-CANARYCLI00000000000000000000"

// writePlan writes p as JSON into a temporary file.
func writePlan(t *testing.T, p plan.Plan) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.Encode(f); err != nil {
		t.Fatal(err)
	}
	return path
}

func loopbackPlan(apiURL, thumb string, ports ...int) plan.Plan {
	p := plan.Plan{
		Version: 1, Topology: plan.UniquePort,
		Server:       plan.Server{URL: apiURL, Thumbprint: thumb},
		LoadBalancer: plan.LoadBalancer{Address: "127.0.0.1", Kinds: []string{"haproxy"}},
		Tentacle:     plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"}, SubscriptionID: "poll://g3662re9njtelsyfhm7t/"},
	}
	for i, port := range ports {
		p.Nodes = append(p.Nodes, plan.Node{Name: fmt.Sprintf("Node%d", i+1), Address: fmt.Sprintf("10.8.0.%d", i+1), Port: port})
	}
	return p
}

func TestCheckCommand(t *testing.T) {
	api := octopustest.New(t)
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	api.Set(func(s *octopustest.Server) {
		s.Thumbprint = cert.Thumbprint
		s.APIKey = canary
		s.NodeNames = []string{"Node1", "Node2"}
	})
	good := writePlan(t, loopbackPlan(api.URL, cert.Thumbprint, halibuttest.Node(t, cert).Port, halibuttest.Node(t, cert).Port))
	t.Setenv("OCTOPUS_API_KEY", canary)

	code, stdout, stderr := runCLI(t, "", "check", "-plan", good)
	if code != 0 || !strings.Contains(stdout, "0 failed") || !strings.Contains(stdout, "PASS    API key") {
		t.Fatalf("check of a healthy cluster: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "", "check", "-json", "-plan", good)
	var r report.Preflight
	if code != 0 || json.Unmarshal([]byte(stdout), &r) != nil || len(r.Checks) == 0 {
		t.Fatalf("check -json: exit %d, %q", code, stdout)
	}
	bad := writePlan(t, loopbackPlan(api.URL, cert.Thumbprint, halibuttest.Node(t, cert).Port, halibuttest.ClosedPort(t)))
	code, stdout, stderr = runCLI(t, "", "check", "-timeout", "500ms", "-plan", bad)
	if code != 1 || !strings.Contains(stdout, "FAIL    TCP connect") {
		t.Fatalf("check with a closed port: exit %d\n%s", code, stdout)
	}
	if strings.Contains(stdout+stderr, "CANARY") {
		t.Fatal("the API key appears in check output")
	}
}

func TestRegisterCommand(t *testing.T) {
	p := writePlan(t, loopbackPlan("https://octopus.example.com", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", 10943, 10944))
	t.Setenv("OCTOPUS_API_KEY", "")
	if code, _, stderr := runCLI(t, "", "register", "-plan", p); code != 2 || !strings.Contains(stderr, "set OCTOPUS_API_KEY") {
		t.Errorf("register without a key: exit %d %q", code, stderr)
	}
	t.Setenv("OCTOPUS_API_KEY", canary)
	code, stdout, stderr := runCLI(t, "", "register", "-dry-run", "-tentacle", "/nonexistent/Tentacle", "-plan", p)
	if code != 0 || !strings.Contains(stdout, "--apiKey API-***") || !strings.Contains(stdout, "--comms-style TentacleActive") || !strings.Contains(stdout, "poll-server") {
		t.Fatalf("register -dry-run: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "CANARY") {
		t.Fatal("the API key appears in register -dry-run output")
	}
	code, stdout, _ = runCLI(t, "", "register", "-dry-run", "-subscription-id", "poll://zzzzzzzzzzzzzzzzzzzz/", "-tentacle", "/nonexistent/Tentacle", "-plan", p)
	if code != 0 || !strings.Contains(stdout, "--server-subscription-id poll://zzzzzzzzzzzzzzzzzzzz/") {
		t.Errorf("register -subscription-id: exit %d, the registration does not use the id given:\n%s", code, stdout)
	}
	noID := loopbackPlan("https://octopus.example.com", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", 10943)
	noID.Tentacle.SubscriptionID = ""
	if code, _, stderr := runCLI(t, "", "register", "-dry-run", "-plan", writePlan(t, noID)); code != 1 || !strings.Contains(stderr, "tentacle.subscriptionId") {
		t.Errorf("register without a subscription id: exit %d %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "register", "-tentacle", "/nonexistent/Tentacle", "-plan", p)
	if code != 1 || !strings.Contains(stderr, "Find the instance") || strings.Contains(stderr, "CANARY") {
		t.Errorf("register with a missing binary: exit %d %q", code, stderr)
	}
}

// TestRegisterMasksTentacleOutput: whatever the Tentacle prints, the key
// included, reaches the terminal only through the command's one mask. The
// stand-in Tentacle echoes its arguments and fails, so its output is shown.
func TestRegisterMasksTentacleOutput(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "Tentacle")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho \"Tentacle was given: $*\"\necho \"key from the environment: $OCTOPUS_API_KEY\" >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := writePlan(t, loopbackPlan("https://octopus.example.com", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", 10943))
	t.Setenv("OCTOPUS_API_KEY", canary)
	for _, args := range [][]string{{"register", "-tentacle", bin, "-plan", p}, {"register", "-json", "-tentacle", bin, "-plan", p}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(stdout, "Tentacle was given: list-instances") {
			t.Fatalf("%q: exit %d, stdout %q; want the failed step with the Tentacle's output", args, code, stdout)
		}
		if strings.Contains(stdout+stderr, "CANARY") {
			t.Errorf("%q: the API key reached the output:\n%s%s", args, stdout, stderr)
		}
		if !strings.Contains(stdout, "key from the environment:") {
			t.Errorf("%q: the stand-in's second line is missing:\n%s", args, stdout)
		}
		if strings.Contains(stdout, "key from the environment: API-") {
			t.Errorf("%q: the Tentacle got OCTOPUS_API_KEY in its environment; the key goes only on its command line", args)
		}
	}
}
