package app

import (
	"net/url"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// The Read functions of wizardSteps: each reads its step's fields into
// the form struct whose tags check their shape (form.go), and lays them
// over the plan.

// readTopology reads the topology step's fields.
func readTopology(v url.Values, p *plan.Plan) any {
	f := topologyForm{Topology: v.Get("topology")}
	f.apply(p)
	return f
}

// readServer reads the server step's fields.
func readServer(v url.Values, p *plan.Plan) any {
	f := serverForm{
		URL: v.Get("server.url"), Thumbprint: v.Get("server.thumbprint"), Space: v.Get("server.space"),
		Version: v.Get("server.version"), Instance: v.Get("server.instance"),
		NodeName: v["nodes.name"], NodeAddress: v["nodes.address"], NodePort: trimAll(v["nodes.port"]),
		NodeListenPort: trimAll(v["nodes.listenPort"]),
		NodeWebURL:     v["nodes.webUrl"],
		NodeBackend:    v["nodes.backendAddress"],
		LBAddress:      v.Get("loadBalancer.address"), LBPort: strings.TrimSpace(v.Get("loadBalancer.port")),
		LBKinds: v["loadBalancer.kinds"], ListenMode: v.Get("listenMode"),
	}
	f.apply(p)
	return f
}

// readTentacle reads the Tentacle step's fields.
func readTentacle(v url.Values, p *plan.Plan) any {
	f := tentacleForm{
		OS: v.Get("tentacle.os"), Instance: v.Get("tentacle.instance"), Name: v.Get("tentacle.name"),
		Kind: v.Get("tentacle.kind"), Environments: v.Get("tentacle.environments"), Roles: v.Get("tentacle.roles"),
		Tenants: v.Get("tentacle.tenants"), TenantTags: v.Get("tentacle.tenantTags"),
		Participation: v.Get("tentacle.tenantedDeploymentParticipation"), WorkerPools: v.Get("tentacle.workerPools"),
		Policy: v.Get("tentacle.policy"), SubscriptionID: v.Get("tentacle.subscriptionId"),
		Connections: strings.TrimSpace(v.Get("tentacle.pollingConnectionCount")),
	}
	f.apply(p)
	return f
}

func (f topologyForm) apply(p *plan.Plan) {
	if f.Topology == string(plan.UniquePort) && p.Topology != plan.UniquePort {
		keepListening(p.Nodes)
	}
	if f.Topology != "" {
		p.Topology = plan.Topology(f.Topology)
	}
}

func (f serverForm) apply(p *plan.Plan) {
	p.Server.URL, p.Server.Thumbprint, p.Server.Space = f.URL, f.Thumbprint, f.Space
	p.Server.Version, p.Server.Instance = f.Version, f.Instance
	n := max(len(f.NodeName), len(f.NodeAddress), len(f.NodePort))
	if n > plan.MaxNodes {
		n = plan.MaxNodes
	}
	nodes := make([]plan.Node, n)
	for i := range nodes {
		nodes[i] = plan.Node{Name: at(f.NodeName, i), Address: at(f.NodeAddress, i), Port: number(at(f.NodePort, i)), ListenPort: number(at(f.NodeListenPort, i)), WebURL: at(f.NodeWebURL, i), BackendAddress: at(f.NodeBackend, i)}
	}
	applyListenMode(p, f.ListenMode, nodes)
	p.Nodes = nodes
	p.LoadBalancer.Address = f.LBAddress
	p.LoadBalancer.Port = number(f.LBPort)
	p.LoadBalancer.Kinds = nil
	for _, k := range f.LBKinds {
		if validKind(k) {
			p.LoadBalancer.Kinds = append(p.LoadBalancer.Kinds, k)
		}
	}
}

func (f tentacleForm) apply(p *plan.Plan) {
	t := &p.Tentacle
	if f.OS != "" {
		t.OS = f.OS
	}
	if f.Kind != "" {
		t.Kind = f.Kind
	}
	t.Instance, t.Name, t.Policy = f.Instance, f.Name, f.Policy
	t.Environments, t.Roles, t.Tenants = splitLines(f.Environments), splitLines(f.Roles), splitLines(f.Tenants)
	t.TenantTags, t.WorkerPools = splitLines(f.TenantTags), splitLines(f.WorkerPools)
	t.TenantedDeploymentParticipation = f.Participation
	t.SubscriptionID = strings.TrimSpace(f.SubscriptionID)
	t.PollingConnectionCount = number(f.Connections)
}

func validKind(k string) bool {
	for _, known := range plan.LoadBalancerKinds {
		if k == known {
			return true
		}
	}
	return false
}
