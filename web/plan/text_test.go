package plan_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// errorFields is the field of every error, in order.
func errorFields(probs plan.Problems) []string {
	var out []string
	for _, p := range probs.Errors() {
		out = append(out, p.Field)
	}
	return out
}

func TestValidateRefusesText(t *testing.T) {
	long := strings.Repeat("a", plan.MaxValueBytes+1)
	tests := []struct {
		name     string
		change   func(p *plan.Plan)
		field    string
		contains string
	}{
		{"invalid UTF-8 in the machine name", func(p *plan.Plan) { p.Tentacle.Name = "web\xff01" }, "tentacle.name", "not valid UTF-8"},
		{"invalid UTF-8 in an address", func(p *plan.Plan) { p.Nodes[1].Address = "octo\xc3.example.com" }, "nodes[1].address", "not valid UTF-8"},
		{"invalid UTF-8 in the server address", func(p *plan.Plan) { p.Server.URL = "https://octopus.example.com/\xed\xa0\x80" }, "server.url", "not valid UTF-8"},
		{"replacement character left by a decoder", func(p *plan.Plan) { p.Tentacle.Roles = []string{"web\uFFFD"} }, "tentacle.roles[0]", "not valid UTF-8"},
		{"U+FFFE", func(p *plan.Plan) { p.Tentacle.Roles = []string{"web", "a\uFFFEb"} }, "tentacle.roles[1]", "U+FFFE, which Unicode reserves as a non-character"},
		{"U+FFFF", func(p *plan.Plan) { p.Server.Space = "Default\uFFFF" }, "server.space", "U+FFFF"},
		{"U+FDD0", func(p *plan.Plan) { p.Nodes[0].Name = "Node\uFDD0" }, "nodes[0].name", "U+FDD0"},
		{"U+1FFFE", func(p *plan.Plan) { p.Tentacle.Policy = "Default\U0001FFFE" }, "tentacle.policy", "U+1FFFE"},
		{"U+2028", func(p *plan.Plan) { p.Tentacle.Name = "web\u2028image: evil" }, "tentacle.name", "U+2028"},
		{"U+2029", func(p *plan.Plan) { p.Tentacle.Environments = []string{"Prod\u2029x"} }, "tentacle.environments[0]", "U+2029"},
		{"U+0085", func(p *plan.Plan) { p.Tentacle.Tenants = []string{"a\u0085b"} }, "tentacle.tenants[0]", "U+0085"},
		{"U+FEFF", func(p *plan.Plan) { p.Tentacle.TenantTags = []string{"Region/\uFEFFEurope"} }, "tentacle.tenantTags[0]", "byte order mark"},
		{"NUL", func(p *plan.Plan) { p.Nodes[2].Name = "Node\x003" }, "nodes[2].name", "U+0000"},
		{"line feed", func(p *plan.Plan) { p.Tentacle.Name = "web\n01" }, "tentacle.name", "line break"},
		{"escape", func(p *plan.Plan) { p.Server.Space = "a\x1b[2Jb" }, "server.space", "U+001B"},
		{"delete", func(p *plan.Plan) { p.Tentacle.Policy = "a\x7fb" }, "tentacle.policy", "U+007F"},
		{"C1 control", func(p *plan.Plan) { p.Tentacle.Roles = []string{"a\u009bb"} }, "tentacle.roles[0]", "U+009B"},
		{"right-to-left override", func(p *plan.Plan) { p.Tentacle.Name = "web\u202Eexe.ps1" }, "tentacle.name", "U+202E"},
		{"control in the topology", func(p *plan.Plan) { p.Topology = "unique-address\x00" }, "topology", "U+0000"},
		{"line separator in the subscription id", func(p *plan.Plan) { p.Tentacle.SubscriptionID = "poll://g3662re9n\u2028jtelsyfhm7t/" }, "tentacle.subscriptionId", "U+2028"},
		{"long server address", func(p *plan.Plan) { p.Server.URL = "https://octopus.example.com/" + long }, "server.url", "limit is 200 bytes"},
		{"long node name", func(p *plan.Plan) { p.Nodes[0].Name = long }, "nodes[0].name", "201 bytes long"},
		{"long role", func(p *plan.Plan) { p.Tentacle.Roles = []string{long} }, "tentacle.roles[0]", "limit is 200 bytes"},
		{"long thumbprint", func(p *plan.Plan) { p.Server.Thumbprint = strings.Repeat("A", 300) }, "server.thumbprint", "300 bytes long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.change(&p)
			probs := p.Validate()
			if diff := cmp.Diff([]string{tt.field}, errorFields(probs)); diff != "" {
				t.Fatalf("Validate() = %v, want one error, on %s (-want +got):\n%s", probs, tt.field, diff)
			}
			if msg := probs.Errors()[0].Message; !strings.Contains(msg, tt.contains) {
				t.Errorf("Validate() message = %q, want it to contain %q", msg, tt.contains)
			}
		})
	}
}

func TestValidateRefusesLongLists(t *testing.T) {
	tests := []struct {
		name     string
		change   func(p *plan.Plan)
		field    string
		contains string
	}{
		{"257 nodes", func(p *plan.Plan) { p.Nodes = nodes(plan.MaxNodes + 1) }, "nodes", "at most 256 nodes; this one has 257"},
		{"101 roles", func(p *plan.Plan) { p.Tentacle.Roles = names("role", plan.MaxListItems+1) }, "tentacle.roles", "at most 100 entries in this list; this one has 101"},
		{"20000 tenant tags", func(p *plan.Plan) { p.Tentacle.TenantTags = names("bad tag", 20000) }, "tentacle.tenantTags", "this one has 20000"},
		{"101 environments", func(p *plan.Plan) { p.Tentacle.Environments = names("env", 101) }, "tentacle.environments", "at most 100"},
		{"101 balancer kinds", func(p *plan.Plan) {
			*p = uniquePort()
			p.LoadBalancer.Kinds = names("kind", 101)
		}, "loadBalancer.kinds", "at most 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.change(&p)
			probs := p.Validate()
			if diff := cmp.Diff([]string{tt.field}, errorFields(probs)); diff != "" {
				t.Fatalf("Validate() = %.300v, want one error, on %s (-want +got):\n%s", probs, tt.field, diff)
			}
			if msg := probs.Errors()[0].Message; !strings.Contains(msg, tt.contains) {
				t.Errorf("Validate() message = %q, want it to contain %q", msg, tt.contains)
			}
		})
	}
}

func TestValidateRefusesNames(t *testing.T) {
	tests := []struct {
		name     string
		change   func(p *plan.Plan)
		fields   []string
		contains string
	}{
		{"tentacle instance climbs out", func(p *plan.Plan) { p.Tentacle.Instance = "../../etc/cron.d/x" }, []string{"tentacle.instance"}, `contain ".."`},
		{"tentacle instance with dots only", func(p *plan.Plan) { p.Tentacle.Instance = ".." }, []string{"tentacle.instance"}, `".."`},
		{"tentacle instance is a dot", func(p *plan.Plan) { p.Tentacle.Instance = "." }, []string{"tentacle.instance"}, `be "."`},
		{"tentacle instance with a slash", func(p *plan.Plan) { p.Tentacle.Instance = "a/b" }, []string{"tentacle.instance"}, `contain "/"`},
		{"tentacle instance with a backslash", func(p *plan.Plan) { p.Tentacle.Instance = `a\b` }, []string{"tentacle.instance"}, `contain "\\"`},
		{"tentacle instance with a dollar", func(p *plan.Plan) { p.Tentacle.Instance = "Inst$HOME" }, []string{"tentacle.instance"}, `remove "$"`},
		{"tentacle instance with a quote", func(p *plan.Plan) { p.Tentacle.Instance = "it's" }, []string{"tentacle.instance"}, `remove "'"`},
		{"tentacle instance not ASCII", func(p *plan.Plan) { p.Tentacle.Instance = "Tentaclé" }, []string{"tentacle.instance"}, `remove "é"`},
		{"server instance with a slash", func(p *plan.Plan) { p.Server.Instance = "Octopus/Server" }, []string{"server.instance"}, `contain "/"`},
		{"server instance climbs out", func(p *plan.Plan) { p.Server.Instance = `..\Windows` }, []string{"server.instance"}, `".."`},
		{"node names that make one file", func(p *plan.Plan) {
			p.Nodes[0].Name, p.Nodes[1].Name, p.Nodes[2].Name = "Node 1", "Node-1", "Node/1"
		}, []string{"nodes[1].name", "nodes[2].name"}, "octopus-server/Node-1.ps1"},
		{"node names that make one file but for case", func(p *plan.Plan) { p.Nodes[0].Name, p.Nodes[1].Name = "Node 1", "node-1" }, []string{"nodes[1].name"}, `"node-1" and "Node 1" (node 1)`},
		{"node names that clean to nothing", func(p *plan.Plan) { p.Nodes[0].Name, p.Nodes[1].Name = "..", "..." }, []string{"nodes[1].name"}, "octopus-server/node.ps1"},
		{"the same node name twice is one error", func(p *plan.Plan) { p.Nodes[0].Name, p.Nodes[1].Name = "Node1", "NODE1" }, []string{"nodes[1].name"}, "already used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.change(&p)
			probs := p.Validate()
			if diff := cmp.Diff(tt.fields, errorFields(probs)); diff != "" {
				t.Fatalf("Validate() = %v, want errors on %v (-want +got):\n%s", probs, tt.fields, diff)
			}
			if msg := probs.Errors()[0].Message; !strings.Contains(msg, tt.contains) {
				t.Errorf("Validate() message = %q, want it to contain %q", msg, tt.contains)
			}
		})
	}
}

func TestValidateAcceptsAtTheLimits(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *plan.Plan)
	}{
		{"256 nodes", func(p *plan.Plan) { p.Nodes = nodes(plan.MaxNodes) }},
		{"100 roles", func(p *plan.Plan) { p.Tentacle.Roles = names("role", plan.MaxListItems) }},
		{"200-byte name", func(p *plan.Plan) { p.Tentacle.Name = strings.Repeat("é", plan.MaxValueBytes/2) }},
		{"instance with every allowed kind of character", func(p *plan.Plan) { p.Tentacle.Instance = "Worker Pool_A-2.x" }},
		{"server instance with a space", func(p *plan.Plan) { p.Server.Instance = "Octopus Server 2" }},
		{"node names that differ in punctuation only where files can tell", func(p *plan.Plan) { p.Nodes[0].Name, p.Nodes[1].Name = "Node.1", "Node-1" }},
		{"letters from other scripts", func(p *plan.Plan) {
			p.Tentacle.Name, p.Tentacle.Roles = "サーバー01", []string{"Ünïcode", "web 🚀"}
		}},
		{"zero-width joiner in an emoji", func(p *plan.Plan) { p.Tentacle.Environments = []string{"👩\u200d💻 Dev"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.change(&p)
			if probs := p.Validate(); probs.HasErrors() {
				t.Errorf("Validate() = %.300v, want no errors", probs)
			}
		})
	}
}

func TestFileStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Node1", "Node1"},
		{"Node 1", "Node-1"},
		{"Node/1", "Node-1"},
		{`..\..\x`, "-..-x"},
		{"..", "node"},
		{"", "node"},
		{"nœud", "n-ud"},
	}
	for _, tt := range tests {
		if got := plan.FileStem(tt.in); got != tt.want {
			t.Errorf("FileStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func nodes(n int) []plan.Node {
	out := make([]plan.Node, n)
	for i := range out {
		out[i] = plan.Node{Name: "Node" + strconv.Itoa(i+1), Address: "octo" + strconv.Itoa(i+1) + ".example.com", Port: plan.DefaultPort}
	}
	return out
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i+1)
	}
	return out
}
