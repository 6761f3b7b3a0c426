package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// ErrDifferentCluster is a change between plans of two clusters: their
// server thumbprints differ, and a Tentacle trusts a cluster by that
// thumbprint, so no change pack can move it from one to the other.
var ErrDifferentCluster = errors.New("bundle: the plans describe two different clusters")

// Change is what moving a cluster from one plan to another changes, from
// the Tentacles' point of view (the addresses they poll) and the cluster's
// (nodes and balancer).
type Change struct {
	// From and To are the two plans, normalized.
	From, To plan.Plan
	// Added, Kept and Removed are polled addresses: To's new ones, those
	// of both plans, and From's that To no longer lists.
	Added, Kept, Removed []string
	// AddedNodes and ChangedNodes are indexes into To.Nodes: nodes new in
	// To (matched by name, ignoring case), and nodes whose address or ports
	// differ. RetiredNodes are indexes into From.Nodes.
	AddedNodes, ChangedNodes, RetiredNodes []int
	// BalancerChanged reports that To's balancer forwards differently.
	BalancerChanged bool
}

// NewChange compares two plans of one cluster. Both must be valid; plans
// of different clusters (server thumbprints differ) give
// ErrDifferentCluster.
func NewChange(from, to plan.Plan) (Change, error) {
	from, to = from.Normalized(), to.Normalized()
	for _, side := range []struct {
		name string
		p    plan.Plan
	}{{"current", from}, {"new", to}} {
		if probs := side.p.Validate(); probs.HasErrors() {
			return Change{}, fmt.Errorf("bundle: the %s plan: %w", side.name, &plan.InvalidError{Problems: probs})
		}
	}
	if from.Server.Thumbprint != to.Server.Thumbprint {
		return Change{}, fmt.Errorf("%w: the current plan's server.thumbprint is %s and the new plan's %s. A change pack moves the Tentacles of one cluster to its new nodes, and a Tentacle knows its cluster by this thumbprint. If the cluster got a new certificate, run Tentacle's update-trust --oldThumbprint %s --newThumbprint %s on each Tentacle; to connect Tentacles to another cluster, generate a bundle from the new plan instead",
			ErrDifferentCluster, from.Server.Thumbprint, to.Server.Thumbprint, from.Server.Thumbprint, to.Server.Thumbprint)
	}
	c := Change{From: from, To: to}
	was, now := from.Addresses(), to.Addresses()
	for _, a := range now {
		if containsFold(was, a) {
			c.Kept = append(c.Kept, a)
		} else {
			c.Added = append(c.Added, a)
		}
	}
	for _, a := range was {
		if !containsFold(now, a) {
			c.Removed = append(c.Removed, a)
		}
	}
	for i, n := range to.Nodes {
		j := nodeByName(from, n.Name)
		switch {
		case j < 0:
			c.AddedNodes = append(c.AddedNodes, i)
		case n.Address != from.Nodes[j].Address || n.Port != from.Nodes[j].Port || to.NodeListenPort(i) != from.NodeListenPort(j):
			c.ChangedNodes = append(c.ChangedNodes, i)
		}
	}
	for j, n := range from.Nodes {
		if nodeByName(to, n.Name) < 0 {
			c.RetiredNodes = append(c.RetiredNodes, j)
		}
	}
	c.BalancerChanged = to.Topology.HasLoadBalancer() && (from.Topology != to.Topology ||
		from.LoadBalancer.Address != to.LoadBalancer.Address || from.LoadBalancer.Port != to.LoadBalancer.Port ||
		!reflect.DeepEqual(from.LoadBalancer.Kinds, to.LoadBalancer.Kinds) || !reflect.DeepEqual(from.Routes(), to.Routes()))
	return c, nil
}

// TopologyChanged reports a move between topologies, say to multi-node.
func (c Change) TopologyChanged() bool { return c.From.Topology != c.To.Topology }

// PreparesNode reports whether To's node i gets its octopus-server script
// in the pack: it is new or changed, or every node is when the topology
// changes (multi-node configures Redis on each).
func (c Change) PreparesNode(i int) bool {
	return c.TopologyChanged() || containsInt(c.AddedNodes, i) || containsInt(c.ChangedNodes, i)
}

// changePlaceholderID stands in for a new plan without a subscription id
// when the cluster files are generated: none of them holds it.
const changePlaceholderID = "poll://aaaaaaaaaaaaaaaaaaaa/"

// ChangeFiles generates the change pack that moves a cluster from one plan
// to the other: the new plan (plan.json), change/ (the README of the steps,
// update-tentacle.sh and .ps1 for every polling Tentacle, the Kubernetes
// agent's helm upgrades, an Ansible playbook), the new plan's balancer
// files when the balancer changes and the node scripts of the nodes to
// prepare, then SHA256SUMS. The same two plans give the same bytes.
func ChangeFiles(from, to plan.Plan) ([]File, error) {
	c, err := NewChange(from, to)
	if err != nil {
		return nil, err
	}
	return c.Files()
}

// Files generates the change pack of c (see ChangeFiles).
func (c Change) Files() ([]File, error) {
	gens := []struct {
		path  string
		mode  int64
		write func(io.Writer, Change) error
	}{
		{"plan.json", 0o644, func(w io.Writer, c Change) error { return WritePlan(w, c.To) }},
		{"change/README.md", 0o644, WriteChangeReadme},
		{"change/update-tentacle.sh", 0o755, WriteUpdateTentacleSh},
		{"change/update-tentacle.ps1", 0o644, WriteUpdateTentaclePS1},
		{"change/kubernetes-agent.sh", 0o755, WriteAgentChangeSh},
		{"change/ansible/playbook.yml", 0o644, WriteChangePlaybook},
		{"change/ansible/inventory.example.ini", 0o644, WriteChangeInventory},
	}
	var files []File
	for _, g := range gens {
		var b bytes.Buffer
		if err := g.write(&b, c); err != nil {
			return nil, fmt.Errorf("bundle: write %s: %w", g.path, err)
		}
		files = append(files, File{Path: g.path, Mode: g.mode, Content: b.Bytes()})
	}
	cluster, err := changeClusterFiles(c)
	if err != nil {
		return nil, err
	}
	files = append(files, cluster...)
	return append(files, File{Path: "SHA256SUMS", Mode: 0o644, Content: sums(files)}), nil
}

// changeClusterFiles are the new plan's loadbalancer/ files (when the
// balancer changes) and octopus-server/ scripts (for the nodes to
// prepare), exactly as its bundle has them.
func changeClusterFiles(c Change) ([]File, error) {
	p := c.To
	p.Fleet = nil
	if p.Tentacle.SubscriptionID == "" {
		p.Tentacle.SubscriptionID = changePlaceholderID
	}
	all, err := Files(p)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for i, n := range p.Nodes {
		if c.PreparesNode(i) {
			want["octopus-server/"+NodeScriptName(n.Name)] = true
		}
	}
	var lb, transition, nodes []File
	for _, f := range all {
		switch {
		case c.BalancerChanged && strings.HasPrefix(f.Path, "loadbalancer/"):
			lb = append(lb, f)
		case want[f.Path]:
			nodes = append(nodes, f)
		}
	}
	if t := changeTransition(c); t != nil {
		if t.Tentacle.SubscriptionID == "" {
			t.Tentacle.SubscriptionID = changePlaceholderID
		}
		between, err := Files(*t)
		if err != nil {
			return nil, err
		}
		for _, f := range between {
			if rest, ok := strings.CutPrefix(f.Path, "loadbalancer/"); ok {
				f.Path = "loadbalancer/transition/" + rest
				transition = append(transition, f)
			}
		}
	}
	out := append(append(lb, transition...), nodes...)
	return out, nil
}

// changeTransition is the balancer between the two plans of a unique-port
// change that removes addresses: the new plan's routes plus the removed
// ones, which Tentacles not yet updated still poll. Nil when there is none
// (no route removed, another topology, or the two collide).
func changeTransition(c Change) *plan.Plan {
	if !c.BalancerChanged || len(c.Removed) == 0 || c.From.Topology != plan.UniquePort || c.To.Topology != plan.UniquePort {
		return nil
	}
	t := c.To
	t.Fleet = nil
	t.Nodes = append([]plan.Node(nil), c.To.Nodes...)
	polls := c.From.Polls()
	for _, poll := range polls {
		if !containsFold(c.Removed, poll.Address()) {
			continue
		}
		for _, i := range poll.Nodes {
			n := c.From.Nodes[i]
			n.Name += "-retiring"
			n.ListenPort = c.From.NodeListenPort(i)
			t.Nodes = append(t.Nodes, n)
		}
	}
	if t.Validate().HasErrors() {
		return nil
	}
	return &t
}

func nodeByName(p plan.Plan, name string) int {
	for i, n := range p.Nodes {
		if strings.EqualFold(n.Name, name) {
			return i
		}
	}
	return -1
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}
