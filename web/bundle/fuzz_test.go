//go:build !js

package bundle_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// FuzzFiles builds plans from arbitrary names and values: generation never
// panics, and every valid plan yields well-formed XML holding a decodable
// JSON array, and shell scripts that bash -n accepts.
func FuzzFiles(f *testing.F) {
	f.Add(uint8(0), uint8(3), "Node 1", "octo1.example.com", uint16(10943), "web01", "web", "Production", "Tentacle", "Default", false, false)
	f.Add(uint8(1), uint8(2), "n'1", "10.0.0.1", uint16(10944), "it's $(x)", "role`", "Prod\"", "Inst $HOME", "Sp;ace", true, true)
	f.Add(uint8(2), uint8(4), "<node>", "2001:db8::1", uint16(443), "a--b", "r&d", "e|nv", "x", "", false, true)
	f.Add(uint8(3), uint8(2), "Node'1", "polling0.example.com", uint16(10943), "web $(x)", "web", "Prod", "Tentacle", "Default", true, false)
	bash, bashErr := exec.LookPath("bash")
	f.Fuzz(func(t *testing.T, topo, n uint8, nodeName, addr string, port uint16, name, role, env, instance, space string, windows, worker bool) {
		p := plan.Plan{
			Version:      1,
			Topology:     plan.Topologies()[int(topo)%len(plan.Topologies())],
			Server:       plan.Server{URL: "https://octopus.example.com", Thumbprint: "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", Space: space, Version: "2026.4.6909"},
			LoadBalancer: plan.LoadBalancer{Address: "lb.example.com", Kinds: plan.LoadBalancerKinds},
			Tentacle: plan.Tentacle{Name: name, Instance: instance, Roles: []string{role}, Environments: []string{env}, WorkerPools: []string{role},
				SubscriptionID: "poll://g3662re9njtelsyfhm7t/"},
		}
		if windows {
			p.Tentacle.OS = plan.Windows
		}
		if worker {
			p.Tentacle.Kind = plan.Worker
		}
		if p.Topology == plan.UniqueAddress {
			p.LoadBalancer = plan.LoadBalancer{}
		}
		for i := 0; i < int(n%6)+1; i++ {
			a := addr
			if i > 0 {
				a = "10.1.0." + string(rune('0'+i))
			}
			node := plan.Node{Name: nodeName + strings.Repeat("x", i), Address: a, Port: int(port) + i}
			if p.Topology.RoutesByName() {
				// The fuzzed address is node 1's host name; the balancer
				// reaches the nodes by IP address.
				if i > 0 {
					node.Address = "polling" + string(rune('0'+i)) + ".example.com"
				}
				node.BackendAddress = "10.2.0." + string(rune('1'+i))
			}
			p.Nodes = append(p.Nodes, node)
		}
		if p.Topology.RoutesByName() {
			p.LoadBalancer.Kinds = plan.SNIKinds
		}
		files, err := bundle.Files(p)
		if p.Validate().HasErrors() {
			if err == nil {
				t.Fatal("Files accepted an invalid plan")
			}
			return
		}
		if err != nil {
			t.Fatalf("Files(valid plan): %v", err)
		}
		byPath := contents(files)
		_, value := setValue(t, []byte(byPath["tentacle/trusted-servers.xml"]))
		var entries []bundle.TrustedServer
		if err := json.Unmarshal([]byte(value), &entries); err != nil || len(entries) != len(p.Normalized().Addresses()) {
			t.Fatalf("trusted servers value %q: %v", value, err)
		}
		if bashErr != nil {
			return
		}
		dir := t.TempDir()
		for _, path := range []string{"tentacle/register.sh", "loadbalancer/azure-lb.sh"} {
			content, ok := byPath[path]
			if !ok {
				continue
			}
			file := filepath.Join(dir, filepath.Base(path))
			if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			out, err := exec.CommandContext(ctx, bash, "-n", file).CombinedOutput()
			cancel()
			if err != nil {
				t.Fatalf("bash -n %s: %v\n%s\n%s", path, err, out, content)
			}
		}
	})
}
