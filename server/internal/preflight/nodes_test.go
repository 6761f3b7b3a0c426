package preflight

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

func TestNodeCount(t *testing.T) {
	tests := []struct {
		name  string
		nodes []octopustest.Node
		multi bool
		want  report.Check
	}{
		{"as many as the plan", []octopustest.Node{{Name: "Node1", MaxConcurrentTasks: 5}, {Name: "Node2", MaxConcurrentTasks: 5}},
			false, report.Check{Status: report.Pass, Message: "Octopus lists 2 nodes that process tasks (Node1, Node2), as many as the plan"}},
		{"offline and UI-only nodes are not counted", []octopustest.Node{{Name: "Node1", MaxConcurrentTasks: 5}, {Name: "Old", MaxConcurrentTasks: 5, IsOffline: true}, {Name: "Web", MaxConcurrentTasks: 0}, {Name: "Node2", MaxConcurrentTasks: 1, IsInMaintenanceMode: true}},
			false, report.Check{Status: report.Pass, Message: "Octopus lists 2 nodes that process tasks (Node1, Node2 (in maintenance mode)), as many as the plan; not counted: Old (offline, last seen 2026-08-01T07:30:00.000+00:00), Web (runs no tasks: MaxConcurrentTasks 0)"}},
		{"one more in Octopus", []octopustest.Node{{Name: "Node1", MaxConcurrentTasks: 5}, {Name: "Node2", MaxConcurrentTasks: 5}, {Name: "Node3", MaxConcurrentTasks: 5}},
			false, report.Check{Status: report.Warn, Message: "Octopus lists 3 nodes that process tasks (Node1, Node2, Node3) but the plan has 2 (Node1, Node2): a Tentacle that does not poll every node misses the tasks queued on the others"}},
		{"one fewer in Octopus, multi-node", []octopustest.Node{{Name: "Node1", MaxConcurrentTasks: 5}, {Name: "Node2", IsOffline: true, MaxConcurrentTasks: 5}},
			true, report.Check{Status: report.Warn, Message: "Octopus lists 1 nodes that process tasks (Node1) but the plan has 2 (Node1, Node2): the balancer's configuration forwards to the plan's nodes only; not counted: Node2 (offline, last seen 2026-08-01T07:30:00.000+00:00)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := octopustest.New(t)
			api.Set(func(s *octopustest.Server) { s.APIKey, s.Nodes = canaryKey, tt.nodes })
			p := cluster(api.URL, api.Thumbprint, 10943, 10944)
			if tt.multi {
				p.Topology = plan.MultiNode
			}
			got := find(apiOnly(t, api, p), "Cluster nodes")
			if len(got) != 1 || got[0].Status != tt.want.Status || got[0].Message != tt.want.Message {
				t.Errorf("Cluster nodes = %+v\nwant %s %q", got, tt.want.Status, tt.want.Message)
			}
		})
	}
}

// TestRedisOnEachNode gives nodes their own web URLs (each its own fake
// server) and expects one Redis check per node, none of them sent the key.
func TestRedisOnEachNode(t *testing.T) {
	type row struct {
		Status          report.Status
		Target, Message string
	}
	tests := []struct {
		name   string
		redis  []*octopustest.Redis // nil: that node has no webUrl
		byNode bool
		want   []row
	}{
		{"no web URLs: one check through server.url", []*octopustest.Redis{nil, nil}, false, []row{
			{report.Pass, "server", "Redis is enabled and reachable (checked one node only: the one that answered at server.url, through the balancer if it is one; give each node's own web URL, nodes[].webUrl, to check every node)"},
		}},
		{"every node its own", []*octopustest.Redis{{IsEnabled: true, IsConfigured: true, IsReachable: true}, {}, {IsEnabled: true, IsConfigured: true}}, true, []row{
			{report.Pass, "node0", "Node1: Redis is enabled and reachable"},
			{report.Fail, "node1", "Node2: multi-node polling is not turned on: configure the Redis connection string on every node (--multiNodePollingTentaclesRedisConnectionString)"},
			{report.Fail, "node2", "Node3: Redis is configured but not reachable from the server"},
		}},
		{"some nodes without", []*octopustest.Redis{{IsEnabled: true, IsConfigured: true, IsReachable: true}, nil, nil}, true, []row{
			{report.Pass, "node0", "Node1: Redis is enabled and reachable"},
			{report.Skip, "nodes without a web URL", "not checked on Node2, Node3: give each node's own web URL (nodes[].webUrl) to check it"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := octopustest.New(t)
			api.Set(func(s *octopustest.Server) { s.APIKey = canaryKey })
			ports := make([]int, len(tt.redis))
			for i := range ports {
				ports[i] = 10943 + i
			}
			p := cluster(api.URL, api.Thumbprint, ports...)
			p.Topology = plan.MultiNode
			targets := map[string]string{"server": api.URL, "nodes without a web URL": "nodes without a web URL"}
			var nodes []*octopustest.Server
			for i, r := range tt.redis {
				if r == nil {
					continue
				}
				n := octopustest.New(t)
				n.Set(func(s *octopustest.Server) { s.APIKey, s.Redis = canaryKey, *r })
				p.Nodes[i].WebURL = n.URL
				targets["node"+string(rune('0'+i))] = n.URL
				nodes = append(nodes, n)
			}
			var want []row
			for _, w := range tt.want {
				want = append(want, row{w.Status, targets[w.Target], w.Message})
			}
			var got []row
			for _, c := range find(apiOnly(t, api, p), "Multi-node (Redis)") {
				got = append(got, row{c.Status, c.Target, c.Message})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Redis checks (-want +got):\n%s", diff)
			}
			for i, n := range nodes {
				if keyed := n.Keyed(); len(keyed) != 0 {
					t.Errorf("node %d's web URL was sent the API key on %v", i, keyed)
				}
				if diff := cmp.Diff([]string{"/api/serverstatus/redis"}, n.Paths()); diff != "" {
					t.Errorf("node %d was asked (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// TestAPIRedirectRefused: a server.url that redirects to another port
// fails the API check with the reason, and the other port never sees the key.
func TestAPIRedirectRefused(t *testing.T) {
	elsewhere := octopustest.New(t)
	api := octopustest.New(t)
	api.Set(func(s *octopustest.Server) { s.APIKey, s.RedirectTo = canaryKey, elsewhere.URL })
	p := cluster(api.URL, api.Thumbprint, 10943)
	got := find(apiOnly(t, api, p), "Web port (API)")
	want := "GET /api failed: the server redirected to " + elsewhere.URL + "; redirects to another scheme, host or port are not followed, so the API key is never sent there: if that is the server's address, put it in server.url. Registration talks to the REST API over the web port (80/443): check the URL and the firewall."
	if len(got) != 1 || got[0].Status != report.Fail || got[0].Message != want {
		t.Errorf("Web port (API) = %+v\nwant fail %q", got, want)
	}
	if paths := elsewhere.Paths(); len(paths) != 0 {
		t.Errorf("the redirect was followed to %v", paths)
	}
}
