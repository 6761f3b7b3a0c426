package plan

// TopologyRow is one topology: what the wizard, validation and the
// generators know of it as facts comes from its row in TopologyTable.
// Adding a topology is one row here, its addresses and routes in
// Polls/Routes (endpoint.go: how a Tentacle reaches the nodes really
// differs per topology), a diagram in templates (topologyDiagrams) and a
// golden case; the registry tests name what is missing.
type TopologyRow struct {
	Topology Topology
	// Label is how the wizard names it (the title of its card).
	Label string
	// Summary says in one paragraph how the Tentacle reaches the nodes.
	Summary string
	// HasLoadBalancer: a balancer stands in front of the nodes, so the
	// plan needs loadBalancer.address and kinds, and a node's listenPort
	// applies.
	HasLoadBalancer bool
	// BalancerPort: the balancer listens on one polling port for every
	// node (loadBalancer.port, DefaultBalancerPort when left out).
	BalancerPort        bool
	DefaultBalancerPort int
	// RoutesByName: the balancer tells the nodes apart by the TLS server
	// name (SNI) a Tentacle asks for, so only the kinds of SNIKinds can
	// serve it, and every node needs a host name of its own.
	RoutesByName bool
	// MinVersion is the first Octopus Server release that supports it;
	// empty for every release.
	MinVersion string
}

// TopologyTable lists the topologies in the order the wizard offers them.
var TopologyTable = []TopologyRow{
	{
		Topology: UniqueAddress, Label: "Unique address per node",
		Summary: "Every node has its own address and the same polling port, 10943. The Tentacle polls each node directly; no load balancer is involved.",
	},
	{
		Topology: UniquePort, Label: "Unique port per node (NAT)", HasLoadBalancer: true,
		Summary: "One load-balancer address with a different port for each node: 10943, 10944, 10945. The balancer forwards each port to exactly one node, and the Tentacle polls every port.",
	},
	{
		Topology: MultiNode, Label: "Multi-node (one address)", HasLoadBalancer: true, BalancerPort: true, DefaultBalancerPort: DefaultPort, MinVersion: MultiNodeMinVersion,
		Summary: "One address for the whole cluster; the balancer passes TCP through to any node. Needs Octopus Server " + MultiNodeMinVersion + " or later with Redis, which lets any node hand a Tentacle its work.",
	},
	{
		// The shape of Octopus's own Helm chart: an Ingress per node with
		// the host polling<N>.<host> and ssl-passthrough (OctopusDeploy/
		// helm-charts, charts/octopus-deploy/templates/ingress.yaml). 443 by
		// default: it is for sites where only 443 is open.
		Topology: UniqueHostname, Label: "Unique host name per node (SNI)", HasLoadBalancer: true, BalancerPort: true, DefaultBalancerPort: 443, RoutesByName: true,
		Summary: "One balancer port, often 443, and a host name for each node, all resolving to the balancer: polling1, polling2, polling3. The balancer reads the name the Tentacle asks for (TLS SNI) and passes the connection, still encrypted, to that node.",
	},
}

// Topologies lists the topologies' names in the order the wizard offers them.
func Topologies() []Topology {
	out := make([]Topology, len(TopologyTable))
	for i, r := range TopologyTable {
		out[i] = r.Topology
	}
	return out
}

// Row returns the topology's row in TopologyTable; ok is false for a
// topology the table does not know.
func (t Topology) Row() (row TopologyRow, ok bool) {
	for _, r := range TopologyTable {
		if r.Topology == t {
			return r, true
		}
	}
	return TopologyRow{}, false
}

// HasLoadBalancer reports whether the topology puts a balancer in front of the nodes.
func (t Topology) HasLoadBalancer() bool {
	r, _ := t.Row()
	return r.HasLoadBalancer
}

// BalancerPort reports whether the balancer listens on one polling port
// (loadBalancer.port) for every node.
func (t Topology) BalancerPort() bool {
	r, _ := t.Row()
	return r.BalancerPort
}

// RoutesByName reports whether the balancer routes by the TLS server name.
func (t Topology) RoutesByName() bool {
	r, _ := t.Row()
	return r.RoutesByName
}

// topologiesFor lists the topologies Octopus Server version got supports.
func topologiesFor(got ServerVersion) []string {
	var names []string
	for _, r := range TopologyTable {
		min, ok := ParseServerVersion(r.MinVersion)
		if r.MinVersion == "" || (ok && !got.Less(min)) {
			names = append(names, string(r.Topology))
		}
	}
	return names
}

// topologyChoices names every topology for a sentence:
// "unique-address, unique-port, multi-node or unique-hostname".
func topologyChoices() string { return sentenceList(Topologies()) }
