package plan

// NodeListenPort is the port node i listens on for polling Tentacles: its
// port without a load balancer (unique-address, where listenPort does not
// apply), otherwise its
// listenPort, or its port when listenPort is not set. A plan without
// listenPort has always meant the latter, and still does.
func (p Plan) NodeListenPort(i int) int {
	n := p.Nodes[i]
	if !p.Topology.HasLoadBalancer() {
		return n.Port
	}
	return n.TargetPort()
}

// MovesListener reports whether node i's script moves the node's polling
// listener off Octopus's default port 10943, which drains and restarts a
// live node.
func (p Plan) MovesListener(i int) bool { return p.NodeListenPort(i) != DefaultPort }

// NodeListenModes are the wizard's two ways for unique-port nodes to listen.
const (
	// ListenKeep: every node keeps listening on 10943 and the balancer
	// translates ports; the node scripts touch only the firewall.
	ListenKeep = "keep"
	// ListenMove: the nodes listen on the balancer's ports, as Octopus's
	// documentation describes; the node scripts move them.
	ListenMove = "move"
)

// ListenMode is how a unique-port plan's nodes listen: ListenMove when any
// node's script would move it to its balancer port, else ListenKeep.
func (p Plan) ListenMode() string {
	for i, n := range p.Nodes {
		if n.Port != DefaultPort && n.Port != 0 && p.NodeListenPort(i) == n.Port {
			return ListenMove
		}
	}
	return ListenKeep
}

// listenMove warns that node i's script will move a live node's listener.
func (v *validator) listenMove(field string, i int) {
	p, n := v.p, v.p.Nodes[i]
	port := p.NodeListenPort(i)
	if port == DefaultPort || !validPort(port) {
		return
	}
	fix := "Give it port %[2]d to leave the node where it is."
	switch {
	case p.Topology == UniquePort:
		field += ".listenPort"
		fix = "To leave the node on %[2]d and let the balancer translate the port, set its node port (listenPort) to %[2]d."
	case p.Topology == MultiNode && n.ListenPort != 0:
		field += ".listenPort"
		fix = "Set its listen port to %[2]d to leave the node where it is."
	default:
		field += ".port"
	}
	v.warnf(field, "The script for %[1]s moves the node's polling listener from %[2]d to %[3]d: it drains the live node, restarts it and ends the drain. Tentacles and Kubernetes agents that poll %[1]s directly on %[2]d stop reaching it (a node that already listens on %[3]d is left alone). "+fix,
		n.Name, DefaultPort, port)
}
