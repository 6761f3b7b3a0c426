package app

import "github.com/tentacle-ha-wizard/wizard/web/plan"

// keepListening writes listenPort 10943 into every node without one: the
// wizard's unique-port default, in which the balancer translates ports and
// the node scripts touch only the firewall.
func keepListening(nodes []plan.Node) {
	for i := range nodes {
		if nodes[i].ListenPort == 0 {
			nodes[i].ListenPort = plan.DefaultPort
		}
	}
}

// applyListenMode applies step 2's choice of how unique-port nodes listen
// to the nodes just read from the form. Only a changed choice acts (the
// plan carried so far, p, says what it was): it overrides the node ports
// typed with it, clearing them (the nodes listen on their balancer ports)
// or setting them to 10943.
func applyListenMode(p *plan.Plan, mode string, nodes []plan.Node) {
	if p.Topology != plan.UniquePort || mode == "" || mode == p.ListenMode() {
		return
	}
	for i := range nodes {
		nodes[i].ListenPort = 0
	}
	if mode == plan.ListenKeep {
		keepListening(nodes)
	}
}
