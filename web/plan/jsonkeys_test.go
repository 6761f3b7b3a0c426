package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// repeatJSON is n copies of item as a JSON list.
func repeatJSON(item string, n int) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

func TestDecodeRefusesKeys(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    plan.Problem
		wantKey *plan.KeyError // what CheckKeys returns; nil for a problem that is not about a key
	}{
		{"duplicate key", `{"topology": "unique-port", "topology": "multi-node"}`,
			plan.Problem{Field: "plan", Severity: plan.Error, Message: `The plan has a duplicate key "topology": keep one, so that everyone who reads the plan reads the same value.`},
			&plan.KeyError{Object: "plan", Key: "topology"}},
		{"key that matches only by case", `{"topology": "unique-port", "TOPOLOGY": "multi-node"}`,
			plan.Problem{Field: "plan", Severity: plan.Error, Message: `Unknown key "TOPOLOGY" (did you mean "topology"?): keys are case-sensitive.`},
			&plan.KeyError{Object: "plan", Key: "TOPOLOGY", Want: "topology"}},
		{"capitalized key alone", `{"Version": 1}`,
			plan.Problem{Field: "plan", Severity: plan.Error, Message: `Unknown key "Version" (did you mean "version"?): keys are case-sensitive.`},
			&plan.KeyError{Object: "plan", Key: "Version", Want: "version"}},
		{"Kelvin sign folds to k", `{"tentacle": {"\u212aind": "worker"}}`,
			plan.Problem{Field: "tentacle", Severity: plan.Error, Message: "Unknown key \"\u212aind\" in tentacle (did you mean \"kind\"?): keys are case-sensitive."},
			&plan.KeyError{Object: "tentacle", Key: "\u212aind", Want: "kind"}},
		{"duplicate key in a nested object", `{"version": 1, "tentacle": {"name": "web01", "kind": "target", "name": "evil"}}`,
			plan.Problem{Field: "tentacle", Severity: plan.Error, Message: `The plan has a duplicate key "name" in tentacle: keep one, so that everyone who reads the plan reads the same value.`},
			&plan.KeyError{Object: "tentacle", Key: "name"}},
		{"duplicate key in a node", `{"nodes": [{"address": "a"}, {"address": "b", "port": 1, "address": "c"}]}`,
			plan.Problem{Field: "nodes[1]", Severity: plan.Error, Message: `The plan has a duplicate key "address" in nodes[1]: keep one, so that everyone who reads the plan reads the same value.`},
			&plan.KeyError{Object: "nodes[1]", Key: "address"}},
		{"duplicate key after a value of the wrong type", `{"version": "one", "version": 1}`,
			plan.Problem{Field: "plan", Severity: plan.Error, Message: `The plan has a duplicate key "version": keep one, so that everyone who reads the plan reads the same value.`},
			&plan.KeyError{Object: "plan", Key: "version"}},
		{"unknown key in a nested object", `{"server": {"url": "https://o", "colour": "blue"}}`,
			plan.Problem{Field: "server", Severity: plan.Error, Message: `Unknown field "colour"; check its spelling against the plan format (field names are case-sensitive).`},
			nil},
		{"257 nodes", `{"nodes": ` + repeatJSON(`{}`, 257) + `}`,
			plan.Problem{Field: "nodes", Severity: plan.Error, Message: "A plan can have at most 256 nodes; this one has more."},
			nil},
		{"300000 nodes", `{"version": 1, "nodes": ` + repeatJSON(`{}`, 300000) + `}`,
			plan.Problem{Field: "nodes", Severity: plan.Error, Message: "A plan can have at most 256 nodes; this one has more."},
			nil},
		{"101 roles", `{"tentacle": {"roles": ` + repeatJSON(`"r"`, 101) + `}}`,
			plan.Problem{Field: "tentacle.roles", Severity: plan.Error, Message: "A plan can have at most 100 entries in this list; this one has more."},
			nil},
		{"101 kinds after a wrong type", `{"version": [[[1]]], "loadBalancer": {"kinds": ` + repeatJSON(`"nginx"`, 101) + `}}`,
			plan.Problem{Field: "loadBalancer.kinds", Severity: plan.Error, Message: "A plan can have at most 100 entries in this list; this one has more."},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := plan.Decode([]byte(tt.in))
			if diff := cmp.Diff(plan.Problems{tt.want}, probs); diff != "" {
				t.Errorf("Decode(%.60q) problems (-want +got):\n%s", tt.in, diff)
			}
			err := plan.CheckKeys([]byte(tt.in))
			var ke *plan.KeyError
			if errors.As(err, &ke) != (tt.wantKey != nil) {
				t.Fatalf("CheckKeys(%.60q) = %v, want %v", tt.in, err, tt.wantKey)
			}
			if diff := cmp.Diff(tt.wantKey, ke); diff != "" {
				t.Errorf("CheckKeys(%.60q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestDecodeAcceptsListsAtTheLimits(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"256 nodes", `{"nodes": ` + repeatJSON(`{"address": "a"}`, 256) + `}`},
		{"100 roles", `{"tentacle": {"roles": ` + repeatJSON(`"r"`, 100) + `}}`},
		{"same key in two objects", `{"server": {"version": "1"}, "version": 1, "nodes": [{"name": "a"}, {"name": "a"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, probs := plan.Decode([]byte(tt.in)); probs.HasErrors() {
				t.Errorf("Decode(%.60q) = %v, want no errors", tt.in, probs)
			}
			if err := plan.CheckKeys([]byte(tt.in)); err != nil {
				t.Errorf("CheckKeys(%.60q) = %v, want nil", tt.in, err)
			}
		})
	}
}
