package preflight

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/halibuttest"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

const canaryKey = "API-CANARY0123456789CANARY0123456789"

// cluster is a unique-port plan whose balancer ports are loopback listeners.
func cluster(apiURL, thumbprint string, ports ...int) plan.Plan {
	p := plan.Plan{
		Version:      1,
		Topology:     plan.UniquePort,
		Server:       plan.Server{URL: apiURL, Thumbprint: thumbprint, Space: "Default"},
		LoadBalancer: plan.LoadBalancer{Address: "127.0.0.1", Kinds: []string{"nginx"}},
		Tentacle:     plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"}},
	}
	for i, port := range ports {
		p.Nodes = append(p.Nodes, plan.Node{Name: fmt.Sprintf("Node%d", i+1), Address: fmt.Sprintf("10.9.0.%d", i+1), Port: port})
	}
	return p
}

// deadline bounds a test's wait for a whole run; each network step has
// its own Options.Timeout besides.
func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// find returns the checks named name, in order.
func find(r report.Preflight, name string) []report.Check {
	var out []report.Check
	for _, c := range r.Checks {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

func mustNoCanary(t *testing.T, r report.Preflight) {
	t.Helper()
	b, _ := json.Marshal(r)
	if strings.Contains(string(b)+r.Text(), "CANARY") {
		t.Fatalf("the API key appears in the report:\n%s", r.Text())
	}
}

func TestHealthyCluster(t *testing.T) {
	api := octopustest.New(t)
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	api.Set(func(s *octopustest.Server) { s.Thumbprint = cert.Thumbprint; s.APIKey = canaryKey })
	n1, n2, n3 := halibuttest.Node(t, cert), halibuttest.Node(t, cert), halibuttest.Node(t, cert)
	p := cluster(api.URL, cert.Thumbprint, n1.Port, n2.Port, n3.Port)

	r := Run(deadline(t), p, Options{APIKey: canaryKey, Timeout: 2 * time.Second})
	mustNoCanary(t, r)
	if r.Failed() {
		t.Fatalf("healthy cluster failed:\n%s", r.Text())
	}
	for _, name := range []string{"TCP connect", "TLS handshake", "Server thumbprint", "Handshake probe"} {
		if got := find(r, name); len(got) != 3 {
			t.Errorf("%d %q checks, want one per node", len(got), name)
		}
	}
	for _, name := range []string{"Web port (API)", "API key", "Certificate (API)", "Cluster nodes", "Space", "Environments"} {
		if got := find(r, name); len(got) != 1 || got[0].Status != report.Pass {
			t.Errorf("%s = %+v, want one pass", name, got)
		}
	}
	if d := find(r, "One node per port"); len(d) != 1 || d[0].Status != report.Skip {
		t.Errorf("identical nodes: %+v, want skipped", d)
	}
	if r.Choices == nil || len(r.Choices.Environments) != 2 || r.Choices.Spaces[1] != "Platform Team" {
		t.Errorf("choices = %+v", r.Choices)
	}
}

func TestBrokenNodes(t *testing.T) {
	api := octopustest.New(t)
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	other := halibuttest.SelfSigned(t, "Another Octopus")
	ca := halibuttest.SelfSigned(t, "Public CA")
	offload := halibuttest.IssuedBy(t, "polling.example.com", ca)
	api.Set(func(s *octopustest.Server) { s.Thumbprint = cert.Thumbprint })

	good := halibuttest.Node(t, cert)
	wrong := halibuttest.Node(t, other)
	proxied := halibuttest.TerminatingProxy(t, offload, halibuttest.Node(t, cert).Addr())
	closed := halibuttest.ClosedPort(t)
	silent := halibuttest.Silent(t)
	p := cluster(api.URL, cert.Thumbprint, good.Port, wrong.Port, proxied.Port, closed, silent.Port)

	start := time.Now()
	r := Run(deadline(t), p, Options{Timeout: 500 * time.Millisecond})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("preflight took %v; every step has a timeout", elapsed)
	}
	t.Log("\n" + r.Text())
	if !r.Failed() {
		t.Fatalf("broken cluster passed:\n%s", r.Text())
	}
	thumbs := find(r, "Server thumbprint")
	if len(thumbs) != 3 {
		t.Fatalf("thumbprint checks = %d, want 3 (good, wrong, proxied):\n%s", len(thumbs), r.Text())
	}
	if thumbs[0].Status != report.Pass {
		t.Errorf("good node: %+v", thumbs[0])
	}
	w := thumbs[1]
	for _, want := range []string{"Node2", other.Thumbprint, cert.Thumbprint, "Another Octopus"} {
		if w.Status != report.Fail || !strings.Contains(w.Message, want) {
			t.Errorf("wrong certificate: %q, want a failure naming %q", w.Message, want)
		}
	}
	if pr := thumbs[2]; pr.Status != report.Fail || !strings.Contains(pr.Message, "TLS offload") || !strings.Contains(pr.Message, "Public CA") {
		t.Errorf("TLS-terminating proxy: %q, want a failure blaming TLS offload", pr.Message)
	}
	tcp := find(r, "TCP connect")
	if tcp[3].Status != report.Fail || !strings.Contains(tcp[3].Message, "connection refused") || !strings.Contains(tcp[3].Message, "Node4") {
		t.Errorf("closed port: %+v", tcp[3])
	}
	hs := find(r, "TLS handshake")
	if last := hs[len(hs)-1]; last.Status != report.Fail || !strings.Contains(last.Message, "timeout") || !strings.Contains(last.Message, "Node5") {
		t.Errorf("silent port: %+v", last)
	}
	if key := find(r, "API key"); len(key) != 1 || key[0].Status != report.Skip {
		t.Errorf("no key given: %+v, want skipped", key)
	}
}

func TestAPIFailures(t *testing.T) {
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	node := halibuttest.Node(t, cert)
	tests := []struct {
		name      string
		setup     func(s *octopustest.Server, p *plan.Plan)
		key       string
		check     string
		status    report.Status
		contains  string
		serverOff bool
	}{
		{"bad key", nil, "API-WRONGKEY", "API key", report.Fail, "refused", false},
		{"server down", nil, canaryKey, "Web port (API)", report.Fail, "could not be reached", true},
		{"slow server", func(s *octopustest.Server, _ *plan.Plan) { s.Delay = 2 * time.Second }, canaryKey, "Web port (API)", report.Fail, "timeout", false},
		{"old version for multi-node", func(s *octopustest.Server, p *plan.Plan) {
			s.Version = "2025.1.100"
			p.Topology = plan.MultiNode
			p.LoadBalancer.Port = node.Port
			p.Server.Version = ""
		}, canaryKey, "Server version", report.Fail, "does not support multi-node", false},
		{"redis off for multi-node", func(s *octopustest.Server, p *plan.Plan) {
			s.Redis = octopustest.Redis{}
			p.Topology = plan.MultiNode
			p.LoadBalancer.Port = node.Port
		}, canaryKey, "Multi-node (Redis)", report.Fail, "not turned on", false},
		{"node count", func(s *octopustest.Server, _ *plan.Plan) { s.NodeNames = []string{"A", "B", "C", "D"} }, canaryKey, "Cluster nodes", report.Warn, "lists 4 nodes that process tasks (A, B, C, D) but the plan has 1 (Node1)", false},
		{"thumbprint from API", func(s *octopustest.Server, _ *plan.Plan) { s.Thumbprint = "0000000000000000000000000000000000000000" }, canaryKey, "Certificate (API)", report.Fail, "fix server.thumbprint", false},
		{"old certificate route", func(s *octopustest.Server, _ *plan.Plan) { s.OldCertificateRoute = true }, canaryKey, "Certificate (API)", report.Pass, "the server's certificate", false},
		{"missing environment", func(_ *octopustest.Server, p *plan.Plan) { p.Tentacle.Environments = []string{"Prod"} }, canaryKey, "Environments", report.Warn, "no environment with the name, slug or Id Prod in space Default", false},
		{"unknown space", func(_ *octopustest.Server, p *plan.Plan) { p.Server.Space = "Nope" }, canaryKey, "Space", report.Warn, `space named "Nope"`, false},
		{"version differs from plan", func(_ *octopustest.Server, p *plan.Plan) { p.Server.Version = "2026.1.1" }, canaryKey, "Server version", report.Warn, "update server.version", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := octopustest.New(t)
			api.Set(func(s *octopustest.Server) {
				s.Thumbprint = cert.Thumbprint
				s.APIKey = canaryKey
				s.NodeNames = []string{"Node1"}
			})
			p := cluster(api.URL, cert.Thumbprint, node.Port)
			if tt.setup != nil {
				api.Set(func(s *octopustest.Server) { tt.setup(s, &p) })
			}
			if tt.serverOff {
				api.Close()
			}
			r := Run(deadline(t), p, Options{APIKey: tt.key, Timeout: 500 * time.Millisecond, HTTPClient: &http.Client{Timeout: 500 * time.Millisecond}})
			mustNoCanary(t, r)
			got := find(r, tt.check)
			if len(got) != 1 || got[0].Status != tt.status || !strings.Contains(got[0].Message, tt.contains) {
				t.Fatalf("%s = %+v, want %s containing %q\n%s", tt.check, got, tt.status, tt.contains, r.Text())
			}
		})
	}
}

func TestDistinctNodes(t *testing.T) {
	polls := []plan.Poll{{Port: 10943}, {Port: 10944}, {Port: 10945}}
	tests := []struct {
		name   string
		ids    []string
		status report.Status
	}{
		{"all alike", []string{"a", "a", "a"}, report.Skip},
		{"all different", []string{"a", "b", "c"}, report.Pass},
		{"two ports one node", []string{"a", "b", "a"}, report.Fail},
	}
	for _, tt := range tests {
		probes := make([]probe, len(tt.ids))
		for i, id := range tt.ids {
			probes[i] = probe{identity: id, ok: true}
		}
		if got := distinctNodes(polls, probes, false); got.Status != tt.status {
			t.Errorf("%s: distinctNodes = %+v, want %s", tt.name, got, tt.status)
		}
	}
}
