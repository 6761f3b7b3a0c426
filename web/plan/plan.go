// Package plan is the model every host of the Tentacle HA wizard shares: an
// Octopus Server High Availability cluster, how Polling Tentacles reach its
// nodes, and the Tentacle to connect. A plan is JSON (version 1); Decode reads
// it strictly, Normalized fills in the documented defaults, and Validate
// reports every problem at once with a field path and a sentence a person can
// act on.
//
// The package imports the standard library only and builds for js/wasm, so
// the browser, the Worker and the self-hosted server run the same rules.
package plan

import (
	"net/netip"
	"strconv"
	"strings"
)

// Version is the only plan format version this package reads and writes.
const Version = 1

// Defaults the Octopus documentation and the Tentacle source use.
const (
	DefaultPort             = 10943
	DefaultTentacleInstance = "Tentacle"
	DefaultServerInstance   = "OctopusServer"
	DefaultSpace            = "Default"
	// MultiNodeMinVersion is the first Octopus Server release with
	// multi-node (Redis) support for polling Tentacles.
	MultiNodeMinVersion = "2026.4.6909"
	// MaxNodes bounds the work one plan can ask for; real clusters have a
	// handful of nodes.
	MaxNodes = 256
)

// Topology is how a Polling Tentacle reaches every node of the cluster.
type Topology string

// The topologies Octopus documents.
const (
	// UniqueAddress: every node has its own address and the same port.
	UniqueAddress Topology = "unique-address"
	// UniquePort: one load-balancer address, one port per node, NAT on the balancer.
	UniquePort Topology = "unique-port"
	// MultiNode: one address for all nodes (Octopus Server 2026.4.6909+ with Redis).
	MultiNode Topology = "multi-node"
	// UniqueHostname: one balancer port, a host name per node; the
	// balancer routes by the TLS server name (SNI) without terminating TLS.
	UniqueHostname Topology = "unique-hostname"
)

// Operating systems and Tentacle kinds.
const (
	Linux   = "linux"
	Windows = "windows"
	Target  = "target"
	Worker  = "worker"
	// KubernetesAgent is Octopus's Kubernetes agent (deployment target),
	// installed with the kubernetes-agent Helm chart.
	KubernetesAgent = "kubernetes-agent"
	// KubernetesWorker is the same chart registering a worker.
	KubernetesWorker = "kubernetes-worker"
)

// Load-balancer kinds the bundle has a generator for, in bundle order.
var LoadBalancerKinds = []string{"nginx", "haproxy", "nftables", "iptables", "aws-nlb", "azure-lb", "kubernetes", "f5-bigip"}

// SNIKinds are the kinds of LoadBalancerKinds that can route a connection
// by the TLS server name (SNI) it asks for without terminating TLS, which
// a topology whose row says RoutesByName needs. The others forward by
// port alone (nftables, iptables, the AWS and Azure layer-4 balancers).
// A new kind that reads SNI adds its name here; bundle.Balancer.Supports
// and the wizard's list of kinds follow.
var SNIKinds = []string{"nginx", "haproxy", "kubernetes"}

// TenantedParticipation values accepted by register-with.
var TenantedParticipation = []string{"Untenanted", "TenantedOrUntenanted", "Tenanted"}

// Plan is one HA polling setup: the cluster, how it is reached, and the Tentacle.
type Plan struct {
	Version      int          `json:"version"`
	Topology     Topology     `json:"topology"`
	Server       Server       `json:"server"`
	Nodes        []Node       `json:"nodes"`
	LoadBalancer LoadBalancer `json:"loadBalancer,omitzero"`
	Tentacle     Tentacle     `json:"tentacle"`
	// Fleet, when present, lists many machines that share the cluster and
	// inherit from Tentacle what they leave empty (see Machine).
	Fleet []Machine `json:"fleet,omitempty"`
}

// Server describes the Octopus Server cluster as a whole.
type Server struct {
	// URL is the web address used for registration (ports 80/443).
	URL string `json:"url"`
	// Thumbprint is the Octopus Server certificate's SHA-1, 40 uppercase hex digits.
	Thumbprint string `json:"thumbprint"`
	// Space is the space name (not its id) the Tentacle registers in.
	Space string `json:"space,omitempty"`
	// Version is the Octopus Server version, e.g. 2026.4.6909; it gates multi-node.
	Version string `json:"version,omitempty"`
	// Instance is the Octopus Server instance name on each node.
	Instance string `json:"instance,omitempty"`
}

// Node is one Octopus Server node.
type Node struct {
	Name string `json:"name"`
	// Address is the node's DNS name or IP literal, without scheme or port.
	// In unique-port and multi-node it is the address behind the balancer;
	// in unique-hostname it is the node's own host name, which Tentacles
	// poll and which resolves to the balancer (BackendAddress is behind it).
	Address string `json:"address"`
	// Port is the port the Tentacle polls: on the node itself in
	// unique-address, on the balancer in unique-port, and the node's listen
	// port behind the balancer in multi-node.
	Port int `json:"port"`
	// ListenPort is the port the node listens on when it differs from Port
	// (unique-port NAT to a different port); zero means Port.
	ListenPort int `json:"listenPort,omitempty"`
	// BackendAddress is where the balancer forwards the connections for
	// this node's host name in unique-hostname: the node's own IP address
	// or internal DNS name. Address cannot serve, as it resolves to the
	// balancer itself.
	BackendAddress string `json:"backendAddress,omitempty"`
	// WebURL is the node's own web address (not the balancer's), optional:
	// preflight asks each node that has one for its Redis status.
	WebURL string `json:"webUrl,omitempty"`
}

// LoadBalancer is the balancer in front of the nodes (unique-port, multi-node).
type LoadBalancer struct {
	Address string `json:"address,omitempty"`
	// Port is the single polling port of multi-node (10943 by default)
	// and unique-hostname (443 by default).
	Port  int      `json:"port,omitempty"`
	Kinds []string `json:"kinds,omitempty"`
}

// Tentacle is the Polling Tentacle (deployment target or worker) to connect.
type Tentacle struct {
	OS                              string   `json:"os"`
	Instance                        string   `json:"instance"`
	Name                            string   `json:"name"`
	Kind                            string   `json:"kind"`
	Environments                    []string `json:"environments,omitempty"`
	Roles                           []string `json:"roles,omitempty"`
	Tenants                         []string `json:"tenants,omitempty"`
	TenantTags                      []string `json:"tenantTags,omitempty"`
	TenantedDeploymentParticipation string   `json:"tenantedDeploymentParticipation,omitempty"`
	WorkerPools                     []string `json:"workerPools,omitempty"`
	Policy                          string   `json:"policy,omitempty"`
	SubscriptionID                  string   `json:"subscriptionId,omitempty"`
	PollingConnectionCount          int      `json:"pollingConnectionCount,omitempty"`
}

// ConfigPath is the config file Tentacle's own setup gives a new instance:
// the Linux package's /etc/octopus/<instance>/tentacle-<instance>.config,
// or Tentacle Manager's C:\Octopus\Tentacle.config (default instance) and
// C:\Octopus\<instance>\Tentacle-<instance>.config on Windows.
func (t Tentacle) ConfigPath() string {
	if t.OS == Windows {
		if t.Instance == DefaultTentacleInstance {
			return `C:\Octopus\Tentacle.config`
		}
		return `C:\Octopus\` + t.Instance + `\Tentacle-` + t.Instance + `.config`
	}
	return "/etc/octopus/" + t.Instance + "/tentacle-" + t.Instance + ".config"
}

// TargetPort is the port the node itself listens on.
func (n Node) TargetPort() int {
	if n.ListenPort != 0 {
		return n.ListenPort
	}
	return n.Port
}

// Normalized returns a copy with defaults filled in and values in their
// canonical form (trimmed, thumbprint uppercase, subscription id lower case,
// IPv6 literals as Tentacle's System.Uri writes them: see CanonicalIPv6).
// It never fails; Validate reports what is still wrong.
func (p Plan) Normalized() Plan {
	q := p
	if q.Version == 0 {
		q.Version = Version
	}
	q.Topology = Topology(strings.ToLower(strings.TrimSpace(string(q.Topology))))
	q.Server.URL = strings.TrimSpace(q.Server.URL)
	q.Server.Thumbprint = NormalizeThumbprint(q.Server.Thumbprint)
	q.Server.Space = strings.TrimSpace(q.Server.Space)
	q.Server.Version = strings.TrimSpace(q.Server.Version)
	q.Server.Instance = strings.TrimSpace(q.Server.Instance)
	if q.Server.Instance == "" {
		q.Server.Instance = DefaultServerInstance
	}

	q.Nodes = make([]Node, len(p.Nodes))
	for i, n := range p.Nodes {
		n.Name = strings.TrimSpace(n.Name)
		if n.Name == "" {
			n.Name = "Node" + strconv.Itoa(i+1)
		}
		n.Address = normalizeAddress(n.Address)
		n.BackendAddress = normalizeAddress(n.BackendAddress)
		n.WebURL = strings.TrimSpace(n.WebURL)
		if n.Port == 0 {
			n.Port = DefaultPort
		}
		if n.ListenPort == n.Port {
			n.ListenPort = 0
		}
		q.Nodes[i] = n
	}

	q.LoadBalancer.Address = normalizeAddress(q.LoadBalancer.Address)
	q.LoadBalancer.Kinds = cleanList(q.LoadBalancer.Kinds, strings.ToLower)
	if row, _ := q.Topology.Row(); row.BalancerPort && q.LoadBalancer.Port == 0 {
		q.LoadBalancer.Port = row.DefaultBalancerPort
	}
	if !q.Topology.BalancerPort() {
		q.LoadBalancer.Port = 0
	}

	t := &q.Tentacle
	t.OS = strings.ToLower(strings.TrimSpace(t.OS))
	if t.OS == "" {
		t.OS = Linux
	}
	t.Instance = strings.TrimSpace(t.Instance)
	if t.Instance == "" {
		t.Instance = DefaultTentacleInstance
	}
	t.Name = strings.TrimSpace(t.Name)
	t.Kind = strings.ToLower(strings.TrimSpace(t.Kind))
	if t.Kind == "" {
		t.Kind = Target
	}
	t.Environments = cleanList(t.Environments, nil)
	t.Roles = cleanList(t.Roles, nil)
	t.Tenants = cleanList(t.Tenants, nil)
	t.TenantTags = cleanList(t.TenantTags, nil)
	t.WorkerPools = cleanList(t.WorkerPools, nil)
	t.TenantedDeploymentParticipation = canonicalParticipation(t.TenantedDeploymentParticipation)
	t.Policy = strings.TrimSpace(t.Policy)
	t.SubscriptionID = strings.ToLower(strings.TrimSpace(t.SubscriptionID))
	q.Fleet = normalizeFleet(p.Fleet)
	return q
}

// NormalizeThumbprint removes the separators certificate viewers show
// (spaces, colons) and upper-cases the digits, as Halibut compares
// thumbprints case-sensitively against .NET's uppercase form.
func NormalizeThumbprint(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', ':', '\t', '\u200e', '\u200f':
			return -1
		}
		return r
	}, s)
	return strings.ToUpper(s)
}

func normalizeAddress(s string) string {
	// Each step can expose work for another ("A ." loses its dot, then
	// its space; "[::1] ." its dot, then its brackets), so repeat until
	// nothing changes: normalizing twice must change nothing, or Validate
	// and bundle.Files (which validates the normalized plan) disagree.
	// Every step shortens s or leaves it as it is.
	for range len(s) + 1 {
		t := normalizeAddressOnce(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func normalizeAddressOnce(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' && !strings.ContainsAny(s[1:len(s)-1], "[]") {
		s = s[1 : len(s)-1]
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() && a.Zone() == "" {
		return CanonicalIPv6(a)
	}
	return s
}

// cleanList trims items, drops empty ones and exact duplicates, keeping order.
func cleanList(in []string, f func(string) string) []string {
	var out []string
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if f != nil {
			s = f(s)
		}
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func canonicalParticipation(s string) string {
	s = strings.TrimSpace(s)
	for _, v := range TenantedParticipation {
		if strings.EqualFold(s, v) {
			return v
		}
	}
	return s
}
