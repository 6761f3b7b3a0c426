package bundle_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// readF5BIGIP reads the virtual servers back through their pools and
// nodes to the node addresses, with tmshCheck's checks on the way.
func readF5BIGIP(tb testing.TB, content string, _ plan.Plan) []lbListener {
	tb.Helper()
	cfg, err := tmshCheck(content)
	if err != nil {
		tb.Fatalf("f5-bigip.tmsh: %v\n%s", err, content)
	}
	var out []lbListener
	for _, v := range cfg.virtuals {
		l := lbListener{Port: v.port}
		for _, m := range cfg.pools[v.pool] {
			node, port, _ := strings.Cut(m, ":")
			l.Backends = append(l.Backends, plan.HostPort(cfg.nodes[node], mustAtoi(tb, port)))
		}
		out = append(out, l)
	}
	return out
}

// TestF5BIGIPGolden reads the F5 file of three golden cases and compares
// what it configures with expectations written out by hand from their
// JSON: node names from the plan's names, every node address in its pool,
// each virtual server's port to exactly its node's pool (one pool of all
// nodes for multi-node), IPv6 destinations with a period before the port,
// and the IPv4 wildcard for a balancer known by name.
func TestF5BIGIPGolden(t *testing.T) {
	cases := map[string]tmshConfig{
		"unique-port-all-kinds": {
			nodes: map[string]string{"/Common/octopus_node1": "10.0.1.11", "/Common/octopus_node2": "10.0.1.12", "/Common/octopus_node3": "10.0.1.13"},
			pools: map[string][]string{
				"/Common/octopus_node1_pool": {"/Common/octopus_node1:10943"},
				"/Common/octopus_node2_pool": {"/Common/octopus_node2:10944"},
				"/Common/octopus_node3_pool": {"/Common/octopus_node3:10945"},
			},
			virtuals: []tmshVirtual{
				{"/Common/octopus_node1_vs", "203.0.113.10", 10943, "/Common/octopus_node1_pool"},
				{"/Common/octopus_node2_vs", "203.0.113.10", 10944, "/Common/octopus_node2_pool"},
				{"/Common/octopus_node3_vs", "203.0.113.10", 10945, "/Common/octopus_node3_pool"},
			},
		},
		"multi-node": {
			nodes: map[string]string{"/Common/octopus_node1": "10.0.2.21", "/Common/octopus_node2": "10.0.2.22", "/Common/octopus_node3": "10.0.2.23"},
			pools: map[string][]string{
				"/Common/octopus_cluster_pool": {"/Common/octopus_node1:10943", "/Common/octopus_node2:10943", "/Common/octopus_node3:10943"},
			},
			virtuals: []tmshVirtual{{"/Common/octopus_cluster_vs", "0.0.0.0", 10943, "/Common/octopus_cluster_pool"}},
		},
		"unique-port-ipv6": {
			nodes: map[string]string{"/Common/octopus_node1": "2001:db8:1::11", "/Common/octopus_node2": "2001:db8:1::12"},
			pools: map[string][]string{
				"/Common/octopus_node1_pool": {"/Common/octopus_node1:10943"},
				"/Common/octopus_node2_pool": {"/Common/octopus_node2:10944"},
			},
			virtuals: []tmshVirtual{
				{"/Common/octopus_node1_vs", "2001:db8::10", 10943, "/Common/octopus_node1_pool"},
				{"/Common/octopus_node2_vs", "2001:db8::10", 10944, "/Common/octopus_node2_pool"},
			},
		},
		"unique-port-windows-worker": {
			nodes: map[string]string{"/Common/octopus_octo_a": "octo-a.corp.example", "/Common/octopus_octo_b": "octo-b.corp.example",
				"/Common/octopus_octo_c": "octo-c.corp.example", "/Common/octopus_octo_d": "octo-d.corp.example"},
			pools: map[string][]string{
				"/Common/octopus_octo_a_pool": {"/Common/octopus_octo_a:10943"},
				"/Common/octopus_octo_b_pool": {"/Common/octopus_octo_b:10943"},
				"/Common/octopus_octo_c_pool": {"/Common/octopus_octo_c:10943"},
				"/Common/octopus_octo_d_pool": {"/Common/octopus_octo_d:10943"},
			},
			virtuals: []tmshVirtual{
				{"/Common/octopus_octo_a_vs", "0.0.0.0", 10943, "/Common/octopus_octo_a_pool"},
				{"/Common/octopus_octo_b_vs", "0.0.0.0", 10944, "/Common/octopus_octo_b_pool"},
				{"/Common/octopus_octo_c_vs", "0.0.0.0", 10945, "/Common/octopus_octo_c_pool"},
				{"/Common/octopus_octo_d_vs", "0.0.0.0", 10946, "/Common/octopus_octo_d_pool"},
			},
		},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			var content []byte
			for _, f := range mustFiles(t, name) {
				if f.Path == "loadbalancer/f5-bigip.tmsh" {
					content = f.Content
				}
			}
			if content == nil {
				t.Fatal("the bundle has no loadbalancer/f5-bigip.tmsh: add f5-bigip to the case's kinds")
			}
			cfg, err := tmshCheck(string(content))
			if err != nil {
				t.Fatalf("tmshCheck: %v", err)
			}
			if diff := cmp.Diff(w, cfg, cmp.AllowUnexported(tmshConfig{}, tmshVirtual{})); diff != "" {
				t.Errorf("configuration (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTmshParserRejects proves the parser and checks refuse what a value
// that escaped its quoting, or a wrong generator, would write.
func TestTmshParserRejects(t *testing.T) {
	const (
		tx   = "create cli transaction\n"
		node = "create ltm node /Common/a address 10.0.0.1 description \"a\"\n"
		pool = "create ltm pool /Common/p monitor /Common/tcp members add { /Common/a:10943 }\n"
		vs   = "create ltm virtual /Common/v destination 10.0.0.9:10943 ip-protocol tcp profiles add { /Common/tcp } pool /Common/p source-address-translation { type automap }\n"
		end  = "submit cli transaction\nsave sys config\n"
		undo = "# undo: create cli transaction\n# undo: delete ltm virtual /Common/v\n# undo: delete ltm pool /Common/p\n# undo: delete ltm node /Common/a\n# undo: submit cli transaction\n# undo: save sys config\n"
	)
	good := tx + node + pool + vs + end + undo
	if _, err := tmshCheck(good); err != nil {
		t.Fatalf("the good file is refused: %v", err)
	}
	bad := map[string]string{
		"quote ends the description":     strings.Replace(good, `"a"`, `"a" x"`, 1),
		"brace closes no block":          strings.Replace(good, `"a"`, `"a" }`, 1),
		"block left open":                strings.Replace(good, "{ /Common/a:10943 }", "{ /Common/a:10943", 1),
		"brace in a string":              strings.Replace(good, `"a"`, `"a { b"`, 1),
		"backslash in a string":          strings.Replace(good, `"a"`, `"a\"`, 1),
		"Tcl substitution":               strings.Replace(good, `"a"`, `"[exec id]"`, 1),
		"second command on a line":       strings.Replace(good, `"a"`, `"a" ; delete ltm node /Common/a`, 1),
		"injected line":                  strings.Replace(good, node, node+"delete ltm node /Common/b\n", 1),
		"ssl profile":                    strings.Replace(good, "{ /Common/tcp }", "{ /Common/tcp /Common/clientssl }", 1),
		"no automap":                     strings.Replace(good, "type automap", "type none", 1),
		"udp":                            strings.Replace(good, "ip-protocol tcp", "ip-protocol udp", 1),
		"http monitor":                   strings.Replace(good, "monitor /Common/tcp", "monitor /Common/http", 1),
		"member of no node":              strings.Replace(good, "/Common/a:10943", "/Common/b:10943", 1),
		"pool of no virtual":             strings.Replace(good, "pool /Common/p source", "pool /Common/q source", 1),
		"IPv6 destination with colon":    strings.Replace(good, "10.0.0.9:10943", "2001:db8::9:10943", 1),
		"IPv4 destination with period":   strings.Replace(good, "10.0.0.9:10943", "10.0.0.9.10943", 1),
		"name with a space":              strings.Replace(good, "/Common/a address", "/Common/a b address", 1),
		"name outside /Common":           strings.ReplaceAll(good, "/Common/a", "/Other/a"),
		"no save":                        strings.Replace(good, "submit cli transaction\nsave sys config\n", "submit cli transaction\n", 1),
		"create outside the transaction": strings.Replace(good, tx+node, node+tx, 1),
		"property twice":                 strings.Replace(good, `description "a"`, `description "a" description "b"`, 1),
		"unknown property":               strings.Replace(good, `description "a"`, `description "a" rate-limit 5`, 1),
		"undo misses the node":           strings.Replace(good, "# undo: delete ltm node /Common/a\n", "", 1),
		"undo deletes the pool first":    strings.Replace(good, "# undo: delete ltm virtual /Common/v\n# undo: delete ltm pool /Common/p\n", "# undo: delete ltm pool /Common/p\n# undo: delete ltm virtual /Common/v\n", 1),
		"non-ASCII in a string":          strings.Replace(good, `"a"`, "\"a\u2028b\"", 1),
		"undo line in the middle":        strings.Replace(good, node, "# undo: delete ltm node /Common/a\n"+node, 1),
	}
	for name, src := range bad {
		if src == good {
			t.Errorf("%s: the replacement changed nothing", name)
			continue
		}
		if _, err := tmshCheck(src); err == nil {
			t.Errorf("%s: accepted:\n%s", name, src)
		}
	}
}
