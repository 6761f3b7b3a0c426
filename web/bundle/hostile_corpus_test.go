//go:build !js

package bundle_test

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// payload is one hostile value of testdata/hostile/payloads.txt.
type payload struct{ name, value string }

// mustPayloads reads the hostile corpus.
func mustPayloads(tb testing.TB) []payload {
	tb.Helper()
	f, err := os.Open("testdata/hostile/payloads.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []payload
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		count := 1
		if i := strings.LastIndex(rest, "\" * "); i >= 0 {
			c, err := strconv.Atoi(rest[i+4:])
			if err != nil {
				tb.Fatalf("payloads.txt:%d: bad count: %v", n, err)
			}
			rest, count = rest[:i+1], c
		}
		value, err := strconv.Unquote(rest)
		if err != nil || seen[name] {
			tb.Fatalf("payloads.txt:%d: %q is not NAME \"Go string\" with a new name: %v", n, line, err)
		}
		seen[name] = true
		out = append(out, payload{name, strings.Repeat(value, count)})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// hostileField is a plan field a hostile value is put into, and the value
// that field holds in the harmless twin the structure is compared with.
type hostileField struct {
	name     string
	set      func(p *plan.Plan, v string)
	harmless string
	// host: an address field, which validation limits to a DNS name or an
	// IP literal; what it accepts must be one, and is not generated (the
	// tools would have to resolve it).
	host bool
}

// hostileFields are every string field of a plan. Fields validation reads
// strictly (thumbprint, addresses, version, subscription id) are included:
// their rejections are cheap and prove it.
var hostileFields = []hostileField{
	{"server.url", func(p *plan.Plan, v string) { p.Server.URL = "https://octopus.example.com/" + v }, "harmless", false},
	{"server.space", func(p *plan.Plan, v string) { p.Server.Space = v }, "harmless", false},
	{"server.instance", func(p *plan.Plan, v string) { p.Server.Instance = v }, "harmless", false},
	{"server.thumbprint", func(p *plan.Plan, v string) { p.Server.Thumbprint = v }, hostileThumbprint, false},
	{"server.version", func(p *plan.Plan, v string) { p.Server.Version = v }, "2026.4.6909", false},
	{"nodes[0].name", func(p *plan.Plan, v string) { p.Nodes[0].Name = v }, "harmless", false},
	{"nodes[1].name", func(p *plan.Plan, v string) { p.Nodes[1].Name = v }, "harmless", false},
	{"nodes[0].address", func(p *plan.Plan, v string) { p.Nodes[0].Address = v }, "10.0.0.1", true},
	{"nodes[0].backendAddress", func(p *plan.Plan, v string) { p.Nodes[0].BackendAddress = v }, "10.0.0.1", true},
	{"loadBalancer.address", func(p *plan.Plan, v string) { p.LoadBalancer.Address = v }, "lb.example.com", true},
	{"tentacle.name", func(p *plan.Plan, v string) { p.Tentacle.Name = v }, "harmless", false},
	{"tentacle.instance", func(p *plan.Plan, v string) { p.Tentacle.Instance = v }, "harmless", false},
	{"tentacle.environments[0]", func(p *plan.Plan, v string) { p.Tentacle.Environments = []string{v} }, "harmless", false},
	{"tentacle.roles[0]", func(p *plan.Plan, v string) { p.Tentacle.Roles = []string{v} }, "harmless", false},
	{"tentacle.tenants[0]", func(p *plan.Plan, v string) { p.Tentacle.Tenants = []string{v} }, "harmless", false},
	{"tentacle.tenantTags[0]", func(p *plan.Plan, v string) { p.Tentacle.TenantTags = []string{"Region/" + v} }, "harmless", false},
	{"tentacle.workerPools[0]", func(p *plan.Plan, v string) {
		p.Tentacle.Kind, p.Tentacle.WorkerPools = plan.Worker, []string{v}
		p.Tentacle.Environments, p.Tentacle.Roles, p.Tentacle.Tenants, p.Tentacle.TenantTags = nil, nil, nil, nil
		p.Tentacle.TenantedDeploymentParticipation = ""
	}, "harmless", false},
	{"tentacle.policy", func(p *plan.Plan, v string) { p.Tentacle.Policy = v }, "harmless", false},
	{"tentacle.tenantedDeploymentParticipation", func(p *plan.Plan, v string) { p.Tentacle.TenantedDeploymentParticipation = v }, "Tenanted", false},
	{"tentacle.subscriptionId", func(p *plan.Plan, v string) { p.Tentacle.SubscriptionID = v }, "poll://g3662re9njtelsyfhm7t/", false},
}

// optionalHostFields are address fields a plan may leave out where its
// topology does not use them: a blank value there is not an address
// accepted, but the field left empty (a topology that needs it refuses
// the blank, naming it).
var optionalHostFields = map[string]bool{"nodes[0].backendAddress": true}

const hostileThumbprint = "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"

// hostileBases are the plans a hostile value goes into: a Linux Tentacle
// behind a unique-port balancer and a Windows Tentacle behind a multi-node
// one, every balancer kind on, every list filled, nodes by IP address so
// every kind applies and no tool resolves a name; a Linux Tentacle
// behind a unique-hostname balancer ("sni"), every kind that routes by
// name on, whose host names reach the nginx map, the HAProxy ACLs and the
// Ingress hosts (nodes behind it by IP address); and a Kubernetes agent.
func hostileBases() map[string]plan.Plan {
	base := func(os string, topo plan.Topology) plan.Plan {
		p := plan.Plan{
			Version:      1,
			Topology:     topo,
			Server:       plan.Server{URL: "https://octopus.example.com/", Thumbprint: hostileThumbprint, Space: "Default", Version: "2026.4.6909"},
			LoadBalancer: plan.LoadBalancer{Address: "lb.example.com", Kinds: plan.LoadBalancerKinds},
			Tentacle: plan.Tentacle{OS: os, Name: "web01", Instance: "Tentacle", Kind: plan.Target,
				Environments: []string{"Production"}, Roles: []string{"web"}, Tenants: []string{"Acme"},
				TenantTags: []string{"Region/Europe"}, TenantedDeploymentParticipation: "TenantedOrUntenanted",
				Policy: "Default Machine Policy", SubscriptionID: "poll://g3662re9njtelsyfhm7t/"},
		}
		for i := range 3 {
			n := plan.Node{Name: "Node" + strconv.Itoa(i+1), Address: "10.0.0." + strconv.Itoa(i+1), Port: 10943}
			if topo == plan.UniquePort {
				n.Port += i
			}
			p.Nodes = append(p.Nodes, n)
		}
		return p
	}
	sni := base(plan.Linux, plan.UniqueHostname)
	sni.LoadBalancer.Kinds = plan.SNIKinds
	for i := range sni.Nodes {
		sni.Nodes[i].BackendAddress = sni.Nodes[i].Address
		sni.Nodes[i].Address = "polling" + strconv.Itoa(i+1) + ".example.com"
	}
	agent := base(plan.Linux, plan.UniquePort)
	agent.Tentacle.Kind = plan.KubernetesAgent
	agent.LoadBalancer.Kinds = []string{"nginx"}
	return map[string]plan.Plan{
		"linux":   base(plan.Linux, plan.UniquePort),
		"windows": base(plan.Windows, plan.MultiNode),
		"sni":     sni,
		// A Kubernetes agent's bundle: kubernetes-agent/values.yaml and
		// install.sh instead of the Tentacle files (one balancer kind: the
		// others are the linux base's).
		"kubernetes-agent": agent,
	}
}

// withValue is a copy of p with v in field f. A subscription id left
// empty is the base's, as callers pick one before generating.
func withValue(p plan.Plan, f hostileField, v string) plan.Plan {
	q := p
	q.Nodes = append([]plan.Node(nil), p.Nodes...)
	q.LoadBalancer.Kinds = append([]string(nil), p.LoadBalancer.Kinds...)
	f.set(&q, v)
	if strings.TrimSpace(q.Tentacle.SubscriptionID) == "" {
		q.Tentacle.SubscriptionID = p.Tentacle.SubscriptionID
	}
	return q
}

// harmlessFor is the value of the harmless twin of v: the field's harmless
// value, or nothing when v is blank and so leaves the field out.
func harmlessFor(f hostileField, v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return f.harmless
}

// hostName is what validation may accept in an address field.
var hostName = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^[0-9a-f:.]+$`)

// rejectsField reports whether probs has an error on field (or on the list
// the field is an item of, when cleaning emptied it).
func rejectsField(probs plan.Problems, field string) bool {
	for _, pr := range probs.Errors() {
		if pr.Field == field || pr.Field == strings.TrimSuffix(field, "[0]") {
			return true
		}
	}
	return false
}
