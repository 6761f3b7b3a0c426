package app

import (
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// displayKey maps a problem's field path to the form field that shows it.
// Node fields keep their row ("nodes[1].port"); an item of a list field
// belongs to the list's field ("tentacle.roles[2]" to "tentacle.roles").
func displayKey(field string) string {
	if key, ok := fleetDisplayKey(field); ok {
		return key
	}
	if field == "loadBalancer" {
		return "loadBalancer.kinds"
	}
	if strings.HasPrefix(field, "nodes[") {
		return field
	}
	if i := strings.IndexByte(field, '['); i > 0 {
		return field[:i]
	}
	return field
}

// listItem returns the 1-based line of an item of a list field
// ("tentacle.roles[2]" is line 3), or 0.
func listItem(field string) int {
	if !strings.HasPrefix(field, "tentacle.") || !strings.HasSuffix(field, "]") {
		return 0
	}
	i := strings.LastIndexByte(field, '[')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(field[i+1 : len(field)-1])
	if err != nil {
		return 0
	}
	return n + 1
}

// anchor is the id of the control a summary links to for a field.
func anchor(key string, p plan.Plan) string {
	switch key {
	case "topology":
		return templates.ID("topology-" + string(plan.TopologyTable[0].Topology))
	case "tentacle.os":
		return templates.ID("tentacle.os-" + plan.Linux)
	case "tentacle.kind":
		return templates.ID("tentacle.kind-" + plan.TargetKinds[0].Kind)
	case "loadBalancer.kinds":
		return templates.ID("loadBalancer.kinds-" + plan.LoadBalancerKinds[0])
	case "nodes":
		if len(p.Nodes) > 0 {
			return templates.ID(templates.NodeKey(0, "name"))
		}
		return "add-node"
	case "version", "plan":
		return ""
	}
	return templates.ID(key)
}

// issue turns a problem into a summary entry.
func issue(pr plan.Problem, p plan.Plan) templates.Issue {
	key := displayKey(pr.Field)
	msg := pr.Message
	if n := listItem(pr.Field); n > 0 {
		msg = "Line " + strconv.Itoa(n) + ": " + msg
	}
	return templates.Issue{
		Step:    stepOf(key),
		Key:     key,
		Anchor:  anchor(key, p),
		Label:   templates.Label(key),
		Message: msg,
		Warning: pr.Severity == plan.Warning,
	}
}

// byKey groups problems by the form field that shows them, prefixing the
// messages of list items with their line.
func byKey(probs plan.Problems) map[string][]plan.Problem {
	out := make(map[string][]plan.Problem)
	for _, pr := range probs {
		key := displayKey(pr.Field)
		if n := listItem(pr.Field); n > 0 {
			pr.Message = "Line " + strconv.Itoa(n) + ": " + pr.Message
		}
		out[key] = append(out[key], pr)
	}
	return out
}

// errorsOn returns the errors that belong to step s.
func errorsOn(probs plan.Problems, s int) plan.Problems {
	var out plan.Problems
	for _, pr := range probs {
		if pr.Severity == plan.Error && stepOf(displayKey(pr.Field)) == s {
			out = append(out, pr)
		}
	}
	return out
}
