//go:build !js

package bundle_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// TestHostileTmsh puts every payload of the hostile corpus into every plan
// field of both hostile bases and, where validation accepts it, generates
// f5-bigip.tmsh alone: it must pass the tmsh parser and checks and have
// the signature of the file made with the harmless value, so no payload
// adds a command, a property, a block or a member. TestHostileValues
// covers a sample of the same pairs among all files in a short run; this
// one needs no outside tool, so it takes every pair.
func TestHostileTmsh(t *testing.T) {
	gen := func(tb testing.TB, f hostileField, base string, v string) string {
		tb.Helper()
		p := withValue(hostileBases()[base], f, v).Normalized()
		p.LoadBalancer.Kinds = []string{"f5-bigip"}
		var b bytes.Buffer
		if err := bundle.WriteF5BIGIP(&b, p); err != nil {
			tb.Fatalf("%s %s: %v", base, f.name, err)
		}
		return b.String()
	}
	checked := 0
	f5, _ := bundle.BalancerOf("f5-bigip")
	for _, base := range slices.Sorted(maps.Keys(hostileBases())) {
		if !f5.Supports(hostileBases()[base].Topology) {
			continue // validation refuses f5-bigip for this topology
		}
		for _, f := range hostileFields {
			for _, pl := range mustPayloads(t) {
				p := withValue(hostileBases()[base], f, pl.value)
				if p.Validate().HasErrors() || f.host {
					continue
				}
				got := gen(t, f, base, pl.value)
				want, err := tmshSignature(gen(t, f, base, harmlessFor(f, pl.value)))
				if err != nil {
					t.Fatalf("%s %s harmless: %v", base, f.name, err)
				}
				sig, err := tmshSignature(got)
				if err == nil {
					_, err = tmshCheck(got)
				}
				switch {
				case err != nil:
					t.Errorf("%s %s %s: %v\n%s", base, f.name, pl.name, err, got)
				case sig != want:
					t.Errorf("%s %s %s: structure differs from the harmless value's:\n%s", base, f.name, pl.name, got)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d accepted (field, payload) pairs reached the generator", checked)
	}
	t.Logf("%d f5-bigip.tmsh files with hostile values parsed and compared", checked)
}

// TestF5BIGIPNames: names come from the plan's node names through the
// sanitiser, stay valid and distinct for names that clash once sanitised,
// and the description keeps what it can of the name.
func TestF5BIGIPNames(t *testing.T) {
	p := hostileBases()["linux"]
	p.LoadBalancer.Kinds = []string{"f5-bigip"}
	p.Nodes[0].Name = `Node "1" } create ltm virtual`
	p.Nodes[1].Name = "node-1-create ltm virtual"
	p.Nodes[2].Name = "42"
	if probs := p.Validate(); probs.HasErrors() {
		t.Fatalf("plan: %v", probs.Errors())
	}
	var b bytes.Buffer
	if err := bundle.WriteF5BIGIP(&b, p); err != nil {
		t.Fatal(err)
	}
	cfg, err := tmshCheck(b.String())
	if err != nil {
		t.Fatalf("tmshCheck: %v\n%s", err, b.String())
	}
	want := map[string]string{"/Common/octopus_node_1_create_ltm_virtual": "10.0.0.1", "/Common/octopus_node_1_create_ltm_virtual_2": "10.0.0.2", "/Common/octopus_node_42": "10.0.0.3"}
	if diff := cmp.Diff(want, cfg.nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if !strings.Contains(b.String(), `description "Octopus Server node Node _1_ _ create ltm virtual"`+"\n") {
		t.Errorf("no sanitised description for node 1 in:\n%s", b.String())
	}
}
