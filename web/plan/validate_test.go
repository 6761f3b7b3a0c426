package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// validPlan is a correct three-node unique-address plan; cases change one thing.
func validPlan() plan.Plan {
	return plan.Plan{
		Version:  1,
		Topology: plan.UniqueAddress,
		Server:   plan.Server{URL: "https://octopus.example.com", Thumbprint: "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
		Nodes: []plan.Node{
			{Name: "Node1", Address: "octo1.example.com", Port: 10943},
			{Name: "Node2", Address: "octo2.example.com", Port: 10943},
			{Name: "Node3", Address: "octo3.example.com", Port: 10943},
		},
		Tentacle: plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"}},
	}
}

func uniquePort() plan.Plan {
	p := validPlan()
	p.Topology = plan.UniquePort
	p.LoadBalancer = plan.LoadBalancer{Address: "lb.example.com", Kinds: []string{"nginx"}}
	for i := range p.Nodes {
		p.Nodes[i].Port = 10943 + i
		p.Nodes[i].ListenPort = 10943 // the wizard's default: the balancer translates ports
	}
	return p
}

func multiNode() plan.Plan {
	p := validPlan()
	p.Topology = plan.MultiNode
	p.Server.Version = "2026.4.6909"
	p.LoadBalancer = plan.LoadBalancer{Address: "lb.example.com", Kinds: []string{"haproxy"}}
	return p
}

func TestValidateAcceptsGoodPlans(t *testing.T) {
	tests := []struct {
		name string
		p    plan.Plan
	}{
		{"unique address", validPlan()},
		{"unique port", uniquePort()},
		{"multi node", multiNode()},
		{"multi node newer server", func() plan.Plan { p := multiNode(); p.Server.Version = "2027.1.1"; return p }()},
		{"worker", func() plan.Plan {
			p := validPlan()
			p.Tentacle = plan.Tentacle{Name: "w1", Kind: "worker", WorkerPools: []string{"Pool"}}
			return p
		}()},
		{"ipv6 and ipv4 literals", func() plan.Plan {
			p := validPlan()
			p.Nodes[0].Address = "2001:db8::1"
			p.Nodes[1].Address = "[2001:db8::2]"
			p.Nodes[2].Address = "192.0.2.3"
			return p
		}()},
		{"thumbprint with spaces in lower case", func() plan.Plan {
			p := validPlan()
			p.Server.Thumbprint = "77 75 1f 90 f9 ee dc ee 0c 0c d8 4f 7a 3c c7 26 ad 12 3f a6"
			return p
		}()},
		{"subscription id", func() plan.Plan {
			p := validPlan()
			p.Tentacle.SubscriptionID = "poll://g3662re9njtelsyfhm7t/"
			return p
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Validate(); len(got) != 0 {
				t.Errorf("Validate() = %v, want no problems", got)
			}
		})
	}
}

func TestValidateReportsProblems(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(p *plan.Plan)
		base     func() plan.Plan
		field    string
		severity plan.Severity
		contains string
	}{
		{"duplicate port in unique-port", func(p *plan.Plan) { p.Nodes[2].Port = 10944 }, uniquePort, "nodes[2].port", plan.Error, "Port 10944 is already used by Node2; in unique-port topology every node needs its own port."},
		{"port zero is the default", func(p *plan.Plan) { p.Nodes[1].Port = 70000 }, validPlan, "nodes[1].port", plan.Error, "from 1 to 65535"},
		{"negative port", func(p *plan.Plan) { p.Nodes[0].Port = -1 }, validPlan, "nodes[0].port", plan.Error, "from 1 to 65535"},
		{"duplicate address case-insensitive", func(p *plan.Plan) { p.Nodes[1].Address = "OCTO1.example.com" }, validPlan, "nodes[1].address", plan.Error, "already used by Node1"},
		{"differing ports in unique-address", func(p *plan.Plan) { p.Nodes[2].Port = 10950 }, validPlan, "nodes[2].port", plan.Warning, "same port"},
		{"single node", func(p *plan.Plan) { p.Nodes = p.Nodes[:1] }, validPlan, "nodes", plan.Warning, "not a High Availability"},
		{"no nodes", func(p *plan.Plan) { p.Nodes = nil }, validPlan, "nodes", plan.Error, "Add the Octopus Server nodes"},
		{"duplicate names", func(p *plan.Plan) { p.Nodes[2].Name = "node1" }, validPlan, "nodes[2].name", plan.Error, "already used"},
		{"empty address", func(p *plan.Plan) { p.Nodes[0].Address = " " }, validPlan, "nodes[0].address", plan.Error, "Enter the address"},
		{"address with scheme", func(p *plan.Plan) { p.Nodes[0].Address = "https://octo1.example.com" }, validPlan, "nodes[0].address", plan.Error, "Write only the host name or IP address: octo1.example.com."},
		{"address with port", func(p *plan.Plan) { p.Nodes[0].Address = "octo1.example.com:10943" }, validPlan, "nodes[0].address", plan.Error, "port field"},
		{"address with space", func(p *plan.Plan) { p.Nodes[0].Address = "octo 1" }, validPlan, "nodes[0].address", plan.Error, "characters"},
		{"bad ipv4", func(p *plan.Plan) { p.Nodes[0].Address = "10.0.0.300" }, validPlan, "nodes[0].address", plan.Error, "IPv4"},
		{"bad label", func(p *plan.Plan) { p.Nodes[0].Address = "-octo.example.com" }, validPlan, "nodes[0].address", plan.Error, "hyphen"},
		{"port 443", func(p *plan.Plan) { p.Nodes[0].Port = 443; p.Nodes[1].Port = 443; p.Nodes[2].Port = 443 }, validPlan, "nodes[0].port", plan.Warning, "web port"},
		{"unique-port needs balancer", func(p *plan.Plan) { p.LoadBalancer.Address = "" }, uniquePort, "loadBalancer.address", plan.Error, "load balancer's address"},
		{"multi-node needs balancer", func(p *plan.Plan) { p.LoadBalancer.Address = "" }, multiNode, "loadBalancer.address", plan.Error, "load balancer's address"},
		{"multi-node old server", func(p *plan.Plan) { p.Server.Version = "2025.2.100" }, multiNode, "server.version", plan.Error, "does not support multi-node"},
		{"multi-node just below", func(p *plan.Plan) { p.Server.Version = "2026.4.6908" }, multiNode, "server.version", plan.Error, "2026.4.6909 or later"},
		{"multi-node unknown version", func(p *plan.Plan) { p.Server.Version = "" }, multiNode, "server.version", plan.Warning, "enter the server version"},
		{"malformed version", func(p *plan.Plan) { p.Server.Version = "latest" }, validPlan, "server.version", plan.Error, "numbers separated by dots"},
		{"short thumbprint", func(p *plan.Plan) { p.Server.Thumbprint = "ABC" }, validPlan, "server.thumbprint", plan.Error, "40 hexadecimal"},
		{"non-hex thumbprint", func(p *plan.Plan) { p.Server.Thumbprint = "G7751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6" }, validPlan, "server.thumbprint", plan.Error, `"G"`},
		{"missing thumbprint", func(p *plan.Plan) { p.Server.Thumbprint = "" }, validPlan, "server.thumbprint", plan.Error, "Enter the Octopus Server certificate thumbprint"},
		{"bad subscription id", func(p *plan.Plan) { p.Tentacle.SubscriptionID = "poll://short/" }, validPlan, "tentacle.subscriptionId", plan.Error, "20 letters or digits"},
		{"subscription id without slash", func(p *plan.Plan) { p.Tentacle.SubscriptionID = "poll://g3662re9njtelsyfhm7t" }, validPlan, "tentacle.subscriptionId", plan.Error, "poll://"},
		{"target without environment", func(p *plan.Plan) { p.Tentacle.Environments = nil }, validPlan, "tentacle.environments", plan.Error, "environment"},
		{"target without role", func(p *plan.Plan) { p.Tentacle.Roles = []string{" "} }, validPlan, "tentacle.roles", plan.Error, "role"},
		{"worker without pool", func(p *plan.Plan) { p.Tentacle.Kind = "worker" }, validPlan, "tentacle.workerPools", plan.Error, "worker pool"},
		{"unknown kind", func(p *plan.Plan) { p.Tentacle.Kind = "listening" }, validPlan, "tentacle.kind", plan.Error, "target"},
		{"unknown os", func(p *plan.Plan) { p.Tentacle.OS = "macos" }, validPlan, "tentacle.os", plan.Error, "linux or windows"},
		{"missing machine name", func(p *plan.Plan) { p.Tentacle.Name = "" }, validPlan, "tentacle.name", plan.Error, "machine name"},
		{"option-like value", func(p *plan.Plan) { p.Tentacle.Roles = []string{"--force"} }, validPlan, "tentacle.roles[0]", plan.Error, `start with "-"`},
		{"control character", func(p *plan.Plan) { p.Tentacle.Name = "web\n01" }, validPlan, "tentacle.name", plan.Error, "control characters"},
		{"relative server url", func(p *plan.Plan) { p.Server.URL = "octopus.example.com" }, validPlan, "server.url", plan.Error, "absolute"},
		{"ftp server url", func(p *plan.Plan) { p.Server.URL = "ftp://octopus.example.com" }, validPlan, "server.url", plan.Error, "https://"},
		{"credentials in url", func(p *plan.Plan) { p.Server.URL = "https://admin:secret@octopus.example.com" }, validPlan, "server.url", plan.Error, "credentials"},
		{"http server url", func(p *plan.Plan) { p.Server.URL = "http://octopus.example.com" }, validPlan, "server.url", plan.Warning, "clear text"},
		{"unknown topology", func(p *plan.Plan) { p.Topology = "round-robin" }, validPlan, "topology", plan.Error, "Unknown topology"},
		{"missing topology", func(p *plan.Plan) { p.Topology = "" }, validPlan, "topology", plan.Error, "Choose a topology"},
		{"unknown balancer kind", func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"f5"} }, uniquePort, "loadBalancer.kinds[0]", plan.Error, "Unknown load balancer kind"},
		{"iptables with names", func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"iptables"} }, uniquePort, "loadBalancer.kinds[0]", plan.Error, "only forward to IP addresses"},
		{"azure multi-node ports differ", func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"azure-lb"}; p.Nodes[1].Port = 10950 }, multiNode, "loadBalancer.kinds[0]", plan.Error, "one backend port"},
		{"nat across families", func(p *plan.Plan) {
			p.LoadBalancer.Kinds = []string{"haproxy", "nftables"}
			p.Nodes[0].Address, p.Nodes[1].Address, p.Nodes[2].Address = "10.0.0.1", "2001:db8::2", "10.0.0.3"
		}, uniquePort, "loadBalancer.kinds[1]", plan.Error, "cannot forward between IPv4 and IPv6"},
		{"f5-bigip with a balancer name", func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"nginx", "f5-bigip"} }, uniquePort, "loadBalancer.kinds[1]", plan.Warning, "lb.example.com is a name: f5-bigip.tmsh has its virtual servers listen on 0.0.0.0"},
		{"nftables with names", func(p *plan.Plan) { p.LoadBalancer.Kinds = []string{"nftables"} }, uniquePort, "loadBalancer.kinds[0]", plan.Warning, "IP addresses"},
		{"two ports to one node", func(p *plan.Plan) { p.Nodes[1].Address = "octo1.example.com"; p.Nodes[1].ListenPort = 10943 }, uniquePort, "nodes[1].address", plan.Error, "both point at octo1.example.com:10943"},
		{"future plan version", func(p *plan.Plan) { p.Version = 2 }, validPlan, "version", plan.Error, "version 2"},
		{"tenant tag format", func(p *plan.Plan) { p.Tentacle.TenantTags = []string{"Europe"} }, validPlan, "tentacle.tenantTags[0]", plan.Error, "TagSet/Tag"},
		{"tenants but untenanted", func(p *plan.Plan) { p.Tentacle.Tenants = []string{"Acme"} }, validPlan, "tentacle.tenantedDeploymentParticipation", plan.Warning, "Untenanted"},
		{"bad participation", func(p *plan.Plan) { p.Tentacle.TenantedDeploymentParticipation = "Sometimes" }, validPlan, "tentacle.tenantedDeploymentParticipation", plan.Error, "Untenanted"},
		{"polling connections", func(p *plan.Plan) { p.Tentacle.PollingConnectionCount = 1000 }, validPlan, "tentacle.pollingConnectionCount", plan.Error, "1 to 512"},
		{"too long", func(p *plan.Plan) { p.Tentacle.Name = strings.Repeat("x", 201) }, validPlan, "tentacle.name", plan.Error, "limit is 200"},
		{"unique-port node moved to its balancer port", func(p *plan.Plan) { p.Nodes[1].ListenPort = 0 }, uniquePort, "nodes[1].listenPort", plan.Warning, "The script for Node2 moves the node's polling listener from 10943 to 10944"},
		{"unique-port explicit listen port equal to the balancer's", func(p *plan.Plan) { p.Nodes[2].ListenPort = 10945 }, uniquePort, "nodes[2].listenPort", plan.Warning, "set its node port (listenPort) to 10943"},
		{"unique-port custom listen port", func(p *plan.Plan) { p.Nodes[2].ListenPort = 20000 }, uniquePort, "nodes[2].listenPort", plan.Warning, "from 10943 to 20000"},
		{"unique-address port moves every node", func(p *plan.Plan) { p.Nodes[0].Port, p.Nodes[1].Port, p.Nodes[2].Port = 10950, 10950, 10950 }, validPlan, "nodes[0].port", plan.Warning, "Tentacles and Kubernetes agents that poll Node1 directly on 10943 stop reaching it"},
		{"multi-node listen port", func(p *plan.Plan) { p.Nodes[0].ListenPort = 10950 }, multiNode, "nodes[0].listenPort", plan.Warning, "drains the live node"},
		{"balancer ignored", func(p *plan.Plan) { p.LoadBalancer.Address = "lb.example.com" }, validPlan, "loadBalancer", plan.Warning, "ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.base()
			tt.edit(&p)
			got := p.Validate()
			for _, prob := range got {
				if prob.Field == tt.field && prob.Severity == tt.severity && strings.Contains(prob.Message, tt.contains) {
					return
				}
			}
			t.Errorf("Validate() = %v, want a %s on %s containing %q", got, tt.severity, tt.field, tt.contains)
		})
	}
}

func TestValidateReportsEverythingAtOnce(t *testing.T) {
	p := uniquePort()
	p.Nodes[2].Port = 10944
	p.Server.Thumbprint = "nope"
	p.Tentacle.Roles = nil
	got := p.Validate().Errors()
	var fields []string
	for _, prob := range got {
		fields = append(fields, prob.Field)
	}
	want := []string{"server.thumbprint", "nodes[2].port", "tentacle.roles"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("error fields (-want +got):\n%s", diff)
	}
}

func TestNormalizedDefaults(t *testing.T) {
	p := plan.Plan{Topology: " Multi-Node ", Server: plan.Server{Thumbprint: "ab:cd"}, Nodes: []plan.Node{{Address: "[2001:DB8::1]"}, {Name: " n2 ", Address: "Octo2.Example.COM.", Port: 10944, ListenPort: 10944}}}
	got := p.Normalized()
	want := plan.Plan{
		Version:      1,
		Topology:     plan.MultiNode,
		Server:       plan.Server{Thumbprint: "ABCD", Instance: "OctopusServer"},
		Nodes:        []plan.Node{{Name: "Node1", Address: "2001:db8::1", Port: 10943}, {Name: "n2", Address: "octo2.example.com", Port: 10944}},
		LoadBalancer: plan.LoadBalancer{Port: 10943},
		Tentacle:     plan.Tentacle{OS: "linux", Instance: "Tentacle", Kind: "target"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalized() (-want +got):\n%s", diff)
	}
	if p.Nodes[0].Name != "" {
		t.Errorf("Normalized changed its receiver's nodes")
	}
}

func TestAddressesPerTopology(t *testing.T) {
	tests := []struct {
		name string
		p    plan.Plan
		want []string
	}{
		{"unique address", validPlan(), []string{"https://octo1.example.com:10943", "https://octo2.example.com:10943", "https://octo3.example.com:10943"}},
		{"unique port", uniquePort(), []string{"https://lb.example.com:10943", "https://lb.example.com:10944", "https://lb.example.com:10945"}},
		{"multi node", multiNode(), []string{"https://lb.example.com:10943"}},
		{"ipv6", func() plan.Plan {
			p := validPlan()
			p.Nodes = p.Nodes[:1]
			p.Nodes[0].Address = "2001:db8::1"
			return p
		}(), []string{"https://[2001:db8::1]:10943"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.p.Normalized().Addresses()); diff != "" {
				t.Errorf("Addresses() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	p := uniquePort()
	p.Nodes[2].ListenPort = 0 // no listenPort: the node listens on its balancer port
	got := p.Normalized().Routes()
	want := []plan.Route{
		{ListenPort: 10943, Backends: []plan.Backend{{Node: 0, Name: "Node1", Address: "octo1.example.com", Port: 10943}}},
		{ListenPort: 10944, Backends: []plan.Backend{{Node: 1, Name: "Node2", Address: "octo2.example.com", Port: 10943}}},
		{ListenPort: 10945, Backends: []plan.Backend{{Node: 2, Name: "Node3", Address: "octo3.example.com", Port: 10945}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Routes() (-want +got):\n%s", diff)
	}
	if got := validPlan().Normalized().Routes(); got != nil {
		t.Errorf("unique-address Routes() = %v, want none", got)
	}
	mn := multiNode().Normalized().Routes()
	if len(mn) != 1 || len(mn[0].Backends) != 3 || mn[0].ListenPort != 10943 {
		t.Errorf("multi-node Routes() = %v, want one port to all three nodes", mn)
	}
}

func TestConfigPath(t *testing.T) {
	tests := []struct {
		t    plan.Tentacle
		want string
	}{
		{plan.Tentacle{OS: plan.Linux, Instance: "Tentacle"}, "/etc/octopus/Tentacle/tentacle-Tentacle.config"},
		{plan.Tentacle{OS: plan.Windows, Instance: "Tentacle"}, `C:\Octopus\Tentacle.config`},
		{plan.Tentacle{OS: plan.Windows, Instance: "Worker A"}, `C:\Octopus\Worker A\Tentacle-Worker A.config`},
	}
	for _, tt := range tests {
		if got := tt.t.ConfigPath(); got != tt.want {
			t.Errorf("%+v.ConfigPath() = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestListenMode(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *plan.Plan)
		want string
	}{
		{"every node on 10943", func(p *plan.Plan) {}, plan.ListenKeep},
		{"plan without listenPort", func(p *plan.Plan) {
			for i := range p.Nodes {
				p.Nodes[i].ListenPort = 0
			}
		}, plan.ListenMove},
		{"one node moved", func(p *plan.Plan) { p.Nodes[2].ListenPort = 10945 }, plan.ListenMove},
		{"custom listen port is not a move to the balancer port", func(p *plan.Plan) { p.Nodes[2].ListenPort = 20000 }, plan.ListenKeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := uniquePort()
			tt.edit(&p)
			if got := p.ListenMode(); got != tt.want {
				t.Errorf("ListenMode() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizedKeepsListenPortMeaning(t *testing.T) {
	// A plan without listenPort means the node listens on its balancer
	// port; Normalized must not change what any node listens on.
	p := uniquePort()
	p.Nodes[1].ListenPort = 0
	q := p.Normalized()
	for i := range p.Nodes {
		if got, want := q.NodeListenPort(i), p.NodeListenPort(i); got != want {
			t.Errorf("node %d: NodeListenPort after Normalized = %d, want %d", i, got, want)
		}
	}
	if got, want := q.NodeListenPort(1), 10944; got != want {
		t.Errorf("NodeListenPort(1) = %d, want %d (no listenPort means the balancer port)", got, want)
	}
}

// TestF5BIGIPWarnsOnlyForABalancerName: the warning that f5-bigip.tmsh
// listens on 0.0.0.0 appears for a balancer given by name, not by address.
func TestF5BIGIPWarnsOnlyForABalancerName(t *testing.T) {
	for addr, want := range map[string]bool{"lb.example.com": true, "203.0.113.10": false, "2001:db8::10": false} {
		p := uniquePort()
		p.LoadBalancer = plan.LoadBalancer{Address: addr, Kinds: []string{"f5-bigip"}}
		got := false
		for _, pr := range p.Validate() {
			got = got || pr.Field == "loadBalancer.kinds[0]" && strings.Contains(pr.Message, "0.0.0.0")
		}
		if got != want {
			t.Errorf("balancer %s: warning about 0.0.0.0 = %v, want %v", addr, got, want)
		}
	}
}
