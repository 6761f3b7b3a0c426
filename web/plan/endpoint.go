package plan

import (
	"strconv"
	"strings"
)

// Poll is one address a Tentacle polls: one entry of
// Tentacle.Communication.TrustedOctopusServers.
type Poll struct {
	// Host and Port make up Address.
	Host string
	Port int
	// Nodes are the indexes of the nodes reached through this address: one
	// in unique-address and unique-port, all of them in multi-node.
	Nodes []int
}

// Address is the absolute https URL Tentacle stores, always with an
// explicit port (a missing port would mean 443 to Tentacle).
func (p Poll) Address() string { return "https://" + HostPort(p.Host, p.Port) }

// Route is one forwarding rule on the load balancer: traffic arriving on
// ListenPort goes to the nodes' addresses and ports.
type Route struct {
	ListenPort int
	Backends   []Backend
}

// Backend is a node as a load-balancer target.
type Backend struct {
	Node    int
	Name    string
	Address string
	Port    int
}

// HostPort joins a host and a port, bracketing IPv6 literals.
func HostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + strconv.Itoa(port)
	}
	return host + ":" + strconv.Itoa(port)
}

// Polls lists the addresses the Tentacle polls, in registration order: the
// first is used with register-with, the rest with poll-server. Call it on
// a normalized plan. How a Tentacle reaches the nodes is what really
// differs between topologies, so this is a switch rather than a fact in
// TopologyTable.
func (p Plan) Polls() []Poll {
	switch p.Topology {
	case UniqueAddress:
		out := make([]Poll, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Poll{Host: n.Address, Port: n.Port, Nodes: []int{i}}
		}
		return out
	case UniquePort:
		out := make([]Poll, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Poll{Host: p.LoadBalancer.Address, Port: n.Port, Nodes: []int{i}}
		}
		return out
	case MultiNode:
		all := make([]int, len(p.Nodes))
		for i := range all {
			all[i] = i
		}
		return []Poll{{Host: p.LoadBalancer.Address, Port: p.LoadBalancer.Port, Nodes: all}}
	}
	return nil
}

// Addresses is Polls as the URLs Tentacle stores.
func (p Plan) Addresses() []string {
	polls := p.Polls()
	out := make([]string, len(polls))
	for i, poll := range polls {
		out[i] = poll.Address()
	}
	return out
}

// Routes lists the balancer's forwarding rules: one port per node in
// unique-port (NAT), one port to every node in multi-node (TCP
// pass-through), none in unique-address. Like Polls, it is per-topology
// behaviour, not a fact of the table.
func (p Plan) Routes() []Route {
	switch p.Topology {
	case UniquePort:
		out := make([]Route, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Route{ListenPort: n.Port, Backends: []Backend{p.backend(i)}}
		}
		return out
	case MultiNode:
		r := Route{ListenPort: p.LoadBalancer.Port}
		for i := range p.Nodes {
			r.Backends = append(r.Backends, p.backend(i))
		}
		return []Route{r}
	}
	return nil
}

func (p Plan) backend(i int) Backend {
	n := p.Nodes[i]
	return Backend{Node: i, Name: n.Name, Address: n.Address, Port: n.TargetPort()}
}
