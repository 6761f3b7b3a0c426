package bundle_test

import (
	"fmt"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// benchPlan is a unique-port plan with n nodes and every balancer kind.
func benchPlan(n int) plan.Plan {
	p := plan.Plan{
		Version:      1,
		Topology:     plan.UniquePort,
		Server:       plan.Server{URL: "https://octopus.example.com", Thumbprint: "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", Space: "Default"},
		LoadBalancer: plan.LoadBalancer{Address: "203.0.113.10", Kinds: plan.LoadBalancerKinds},
		Tentacle: plan.Tentacle{Name: "web01", Environments: []string{"Production"}, Roles: []string{"web"},
			SubscriptionID: "poll://g3662re9njtelsyfhm7t/"},
	}
	for i := 0; i < n; i++ {
		p.Nodes = append(p.Nodes, plan.Node{Name: fmt.Sprintf("Node%d", i+1), Address: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), Port: 10943 + i})
	}
	return p
}

func BenchmarkFiles(b *testing.B) {
	for _, n := range []int{3, 100} {
		p := benchPlan(n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bundle.Files(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkZip(b *testing.B) {
	files, err := bundle.Files(benchPlan(3))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := bundle.WriteZip(discard{}, "x/", files); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
