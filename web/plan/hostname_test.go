package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// uniqueHostname is a correct three-node unique-hostname plan: a host name
// per node resolving to the balancer, the nodes behind it by IP address.
func uniqueHostname() plan.Plan {
	p := validPlan()
	p.Topology = plan.UniqueHostname
	p.LoadBalancer = plan.LoadBalancer{Address: "lb.example.com", Kinds: []string{"nginx", "haproxy", "kubernetes"}}
	for i := range p.Nodes {
		p.Nodes[i].Address = fmt.Sprintf("polling%d.example.com", i+1)
		p.Nodes[i].BackendAddress = fmt.Sprintf("10.0.0.%d", i+1)
	}
	return p
}

func TestUniqueHostnameEndpoints(t *testing.T) {
	p := uniqueHostname().Normalized()
	if p.LoadBalancer.Port != 443 {
		t.Errorf("Normalized loadBalancer.port = %d, want 443 (the default of unique-hostname)", p.LoadBalancer.Port)
	}
	want := []string{"https://polling1.example.com:443", "https://polling2.example.com:443", "https://polling3.example.com:443"}
	if diff := cmp.Diff(want, p.Addresses()); diff != "" {
		t.Errorf("Addresses() (-want +got):\n%s", diff)
	}
	q := uniqueHostname()
	q.LoadBalancer.Port = 8443
	q.Nodes[1].ListenPort = 10950
	routes := q.Normalized().Routes()
	wantRoutes := []plan.Route{
		{ListenPort: 8443, ServerName: "polling1.example.com", Backends: []plan.Backend{{Node: 0, Name: "Node1", Address: "10.0.0.1", Port: 10943}}},
		{ListenPort: 8443, ServerName: "polling2.example.com", Backends: []plan.Backend{{Node: 1, Name: "Node2", Address: "10.0.0.2", Port: 10950}}},
		{ListenPort: 8443, ServerName: "polling3.example.com", Backends: []plan.Backend{{Node: 2, Name: "Node3", Address: "10.0.0.3", Port: 10943}}},
	}
	if diff := cmp.Diff(wantRoutes, routes); diff != "" {
		t.Errorf("Routes() (-want +got):\n%s", diff)
	}
}

func TestUniqueHostnameValidation(t *testing.T) {
	if errs := uniqueHostname().Validate(); len(errs) > 0 {
		t.Fatalf("Validate(uniqueHostname) = %v, want nothing", errs)
	}
	bad := []struct {
		name, field, want string
		edit              func(p *plan.Plan)
	}{
		{"IP address as host name", "nodes[1].address", "In unique-hostname topology each node is reached by a host name of its own, such as polling2.example.com, that resolves to the balancer: a Tentacle sends no TLS server name for an IP address, so the balancer could not tell the nodes apart.",
			func(p *plan.Plan) { p.Nodes[1].Address = "10.0.1.2" }},
		{"IPv6 address as host name", "nodes[0].address", "a Tentacle sends no TLS server name for an IP address",
			func(p *plan.Plan) { p.Nodes[0].Address = "[2001:db8::1]" }},
		{"same name in other case", "nodes[2].address", "The host name polling1.example.com is already used by Node1; in unique-hostname topology every node needs its own name, as the balancer tells the nodes apart by it.",
			func(p *plan.Plan) { p.Nodes[2].Address = "Polling1.Example.COM." }},
		{"port in host name", "nodes[0].address", "Write only the host name or IP address: polling1.example.com, and 443 in the balancer's port field (loadBalancer.port).",
			func(p *plan.Plan) { p.Nodes[0].Address = "polling1.example.com:443" }},
		{"no backend", "nodes[0].backendAddress", "Enter the address the balancer forwards Node1's connections to: the node's own IP address or internal DNS name (its host name resolves to the balancer itself).",
			func(p *plan.Plan) { p.Nodes[0].BackendAddress = " " }},
		{"backend is the host name", "nodes[0].backendAddress", "The backend address is the node's host name, which resolves to the balancer: the balancer would forward to itself.",
			func(p *plan.Plan) { p.Nodes[0].BackendAddress = "POLLING1.example.com" }},
		{"backend is the balancer", "nodes[1].backendAddress", "The backend address is the balancer's own address (lb.example.com)",
			func(p *plan.Plan) { p.Nodes[1].BackendAddress = "lb.example.com" }},
		{"backend with a scheme", "nodes[1].backendAddress", "Write only the host name or IP address: 10.0.0.2.",
			func(p *plan.Plan) { p.Nodes[1].BackendAddress = "https://10.0.0.2" }},
		{"two names, one node", "nodes[1].address", "Node1 and Node2 both point at 10.0.0.1:10943",
			func(p *plan.Plan) { p.Nodes[1].BackendAddress = "10.0.0.1" }},
		{"L4 balancer", "loadBalancer.kinds[1]", "nftables forwards by port alone and cannot read the TLS server name, which unique-hostname topology routes by; choose nginx, haproxy or kubernetes.",
			func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"nginx", "nftables", "aws-nlb"} }},
		{"second L4 balancer", "loadBalancer.kinds[2]", "aws-nlb forwards by port alone",
			func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"nginx", "nftables", "aws-nlb"} }},
		{"iptables", "loadBalancer.kinds[0]", "iptables forwards by port alone",
			func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"iptables"} }},
		{"azure", "loadBalancer.kinds[0]", "azure-lb forwards by port alone",
			func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"azure-lb"} }},
		{"underscore in host name", "nodes[2].address", "A host name a Tentacle polls by TLS may contain only letters, digits, hyphens and dots; polling_3.example.com has an underscore.",
			func(p *plan.Plan) { p.Nodes[2].Address = "polling_3.example.com" }},
		{"kubernetes to a backend name", "loadBalancer.kinds[2]", "Kubernetes reaches a node outside the cluster only by IP address, and node 2's backend address octo2.internal is a name",
			func(p *plan.Plan) { p.Nodes[1].BackendAddress = "octo2.internal" }},
		{"kubernetes says nothing more of a refused backend", "loadBalancer.kinds[2]", "",
			func(p *plan.Plan) { p.Nodes[1].BackendAddress = "octo 2" }},
		{"port out of range", "loadBalancer.port", "A port is a number from 1 to 65535; 70000 is not.",
			func(p *plan.Plan) { p.LoadBalancer.Port = 70000 }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := uniqueHostname()
			tt.edit(&p)
			var got []string
			for _, pr := range p.Validate().Errors() {
				if pr.Field == tt.field {
					got = append(got, pr.Message)
				}
			}
			if tt.want == "" && len(got) > 0 {
				t.Errorf("Validate() errors on %s = %q, want none", tt.field, got)
			}
			if tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)) {
				t.Errorf("Validate() errors on %s = %q, want one containing %q", tt.field, got, tt.want)
			}
		})
	}
	// 443 is the point of this topology: no warning about the web port.
	for _, pr := range uniqueHostname().Validate() {
		if pr.Field == "loadBalancer.port" {
			t.Errorf("Validate() on loadBalancer.port 443 = %q, want nothing", pr.Message)
		}
	}
	// nginx and HAProxy resolve backend names themselves.
	named := uniqueHostname()
	named.LoadBalancer.Kinds = []string{"nginx", "haproxy"}
	named.Nodes[0].BackendAddress = "octo1.internal"
	if errs := named.Validate().Errors(); len(errs) > 0 {
		t.Errorf("Validate(nginx and haproxy to a backend name) = %v, want no errors", errs)
	}
	// A backend address elsewhere is ignored, and said to be.
	p := uniquePort()
	p.Nodes[0].BackendAddress = "10.0.0.1"
	assertMessage(t, p, "nodes[0].backendAddress", "A backend address only applies in unique-hostname topology, where the node's address is the host name Tentacles poll; in unique-port it is ignored.")
}

// TestNormalizedAddressIsIdempotent: normalizing an address twice gives
// what normalizing it once gave (a fuzzed "A ." was "a " once and "a"
// twice, so Validate and bundle.Files, which validates the normalized
// plan, disagreed).
func TestNormalizedAddressIsIdempotent(t *testing.T) {
	for _, a := range []string{"A .", "A..", " polling1.EXAMPLE.com. ", "[2001:DB8::1]", "[2001:DB8::1] .", "[ ::1 ]", "10.0.0.1 .", ".", "[[::1]]"} {
		p := uniqueHostname()
		p.Nodes[0].Address, p.Nodes[0].BackendAddress, p.LoadBalancer.Address = a, a, a
		once := p.Normalized()
		if twice := once.Normalized(); twice.Nodes[0].Address != once.Nodes[0].Address || twice.Nodes[0].BackendAddress != once.Nodes[0].BackendAddress || twice.LoadBalancer.Address != once.LoadBalancer.Address {
			t.Errorf("address %q: normalized once %q, twice %q", a, once.Nodes[0].Address, twice.Nodes[0].Address)
		}
	}
}
