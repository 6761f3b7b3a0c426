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
	// in unique-address, unique-port and unique-hostname, all of them in
	// multi-node.
	Nodes []int
}

// Address is the absolute https URL Tentacle stores, always with an
// explicit port (a missing port would mean 443 to Tentacle).
func (p Poll) Address() string { return "https://" + HostPort(p.Host, p.Port) }

// Route is one forwarding rule on the load balancer: traffic arriving on
// ListenPort (and, when ServerName is set, asking for that TLS server
// name) goes to the nodes' addresses and ports.
type Route struct {
	ListenPort int
	// ServerName is the TLS server name (SNI) that selects this route in
	// unique-hostname, where every route shares ListenPort; "" where the
	// port alone selects it.
	ServerName string
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
	case UniqueHostname:
		// Every node by its own name on the one balancer port. Halibut
		// passes the polled URI's host to SslStream.AuthenticateAsClient
		// as the target host (OctopusDeploy/Halibut,
		// source/Halibut/Transport/TcpConnectionFactory.cs), which .NET
		// sends as the TLS server name the balancer routes by.
		out := make([]Poll, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Poll{Host: n.Address, Port: p.LoadBalancer.Port, Nodes: []int{i}}
		}
		return out
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
// pass-through), one server name per node on the one port in
// unique-hostname (SNI), none in unique-address. Like Polls, it is per-topology
// behaviour, not a fact of the table.
func (p Plan) Routes() []Route {
	switch p.Topology {
	case UniquePort:
		out := make([]Route, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Route{ListenPort: n.Port, Backends: []Backend{p.NodeBackend(i)}}
		}
		return out
	case MultiNode:
		r := Route{ListenPort: p.LoadBalancer.Port}
		for i := range p.Nodes {
			r.Backends = append(r.Backends, p.NodeBackend(i))
		}
		return []Route{r}
	case UniqueHostname:
		out := make([]Route, len(p.Nodes))
		for i, n := range p.Nodes {
			out[i] = Route{ListenPort: p.LoadBalancer.Port, ServerName: n.Address, Backends: []Backend{p.NodeBackend(i)}}
		}
		return out
	}
	return nil
}

// NodeBackend is node i as the balancer's target: at its own address, or
// in unique-hostname at its BackendAddress (its address names the
// balancer).
func (p Plan) NodeBackend(i int) Backend {
	n := p.Nodes[i]
	addr := n.Address
	if p.Topology.RoutesByName() {
		addr = n.BackendAddress
	}
	return Backend{Node: i, Name: n.Name, Address: addr, Port: n.TargetPort()}
}
