package app

import (
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// presetOp prefixes the wizard action that loads a preset: "preset-" and
// the preset's ID.
const presetOp = "preset-"

// Preset is a common shape of cluster and Tentacle, as a plan: step 1
// offers each one, and choosing one loads its plan through plan.Decode,
// the path an imported plan.json takes. Presets hold example values
// (example.com names, documentation addresses) that the user then edits;
// the server's URL and thumbprint and the machine's name stay empty, so a
// preset is never downloaded unchanged.
type Preset struct {
	ID, Label, Hint string
	Plan            string // plan JSON
}

// Presets are the presets step 1 offers, in order. Adding one is a row
// here; TestPresets loads every row and checks what it must leave empty.
var Presets = []Preset{
	{
		ID: "unique-port-3", Label: "3 nodes, one balancer, a port per node",
		Hint: "Unique port: NGINX and HAProxy forward 10943, 10944 and 10945 to the nodes, which keep listening on 10943.",
		Plan: `{"version": 1, "topology": "unique-port", "server": {"url": "", "thumbprint": ""},
			"nodes": [
				{"name": "Node1", "address": "octo1.example.com", "port": 10943, "listenPort": 10943},
				{"name": "Node2", "address": "octo2.example.com", "port": 10944, "listenPort": 10943},
				{"name": "Node3", "address": "octo3.example.com", "port": 10945, "listenPort": 10943}],
			"loadBalancer": {"address": "polling.example.com", "kinds": ["nginx", "haproxy"]},
			"tentacle": {"os": "linux", "instance": "", "name": "", "kind": "target", "environments": ["Production"], "roles": ["web"]}}`,
	},
	{
		ID: "aws-nlb-multi-node", Label: "Multi-node behind an AWS Network Load Balancer",
		Hint: "Multi-node: one NLB listener on 10943 in front of 3 nodes that share the queue through Redis (Octopus Server " + plan.MultiNodeMinVersion + " or later).",
		Plan: `{"version": 1, "topology": "multi-node", "server": {"url": "", "thumbprint": ""},
			"nodes": [
				{"name": "Node1", "address": "10.0.1.11", "port": 10943},
				{"name": "Node2", "address": "10.0.2.11", "port": 10943},
				{"name": "Node3", "address": "10.0.3.11", "port": 10943}],
			"loadBalancer": {"address": "polling.example.com", "port": 10943, "kinds": ["aws-nlb"]},
			"tentacle": {"os": "linux", "instance": "", "name": "", "kind": "target", "environments": ["Production"], "roles": ["web"]}}`,
	},
	{
		ID: "windows-worker-pool", Label: "Windows worker pool",
		Hint: "Unique address: a Windows worker polls each of 3 nodes at its own address, and joins a worker pool.",
		Plan: `{"version": 1, "topology": "unique-address", "server": {"url": "", "thumbprint": ""},
			"nodes": [
				{"name": "Node1", "address": "octo1.example.com", "port": 10943},
				{"name": "Node2", "address": "octo2.example.com", "port": 10943},
				{"name": "Node3", "address": "octo3.example.com", "port": 10943}],
			"tentacle": {"os": "windows", "instance": "", "name": "", "kind": "worker", "workerPools": ["Windows Workers"]}}`,
	},
	{
		// Octopus's Kubernetes agent HA page: "the Kubernetes agent must
		// have a URL for each individual node in the HA Cluster", listed in
		// agent.serverCommsAddresses as https://<url>:<port>/ per node, and
		// for choosing them it points to the polling HA page, whose two
		// recommendations are a unique address or a unique port per node
		// (plan.DocAgentHA, plan.DocPollingHA). One balancer with a port per
		// node is the shape a cluster reached from outside needs; multi-node
		// (one URL for all) is not what the agent page describes.
		ID: "kubernetes-agent", Label: "Kubernetes agent, 3 nodes behind one balancer",
		Hint: "Unique port: a Kubernetes agent (deployment target) installed with Octopus's Helm chart polls 10943, 10944 and 10945 on one balancer, a URL for each node.",
		Plan: `{"version": 1, "topology": "unique-port", "server": {"url": "", "thumbprint": ""},
			"nodes": [
				{"name": "Node1", "address": "octo1.example.com", "port": 10943, "listenPort": 10943},
				{"name": "Node2", "address": "octo2.example.com", "port": 10944, "listenPort": 10943},
				{"name": "Node3", "address": "octo3.example.com", "port": 10945, "listenPort": 10943}],
			"loadBalancer": {"address": "polling.example.com", "kinds": ["nginx", "haproxy"]},
			"tentacle": {"os": "linux", "instance": "", "name": "", "kind": "kubernetes-agent", "environments": ["Production"], "roles": ["k8s"]}}`,
	},
}

// presetChoices are the presets as step 1 shows them.
func presetChoices() []templates.Choice {
	out := make([]templates.Choice, len(Presets))
	for i, p := range Presets {
		out[i] = templates.Choice{Value: presetOp + p.ID, Label: p.Label, Hint: p.Hint}
	}
	return out
}

// usePreset loads preset id as the plan (op "preset-<id>") and goes on to
// the step of the server, whose URL and thumbprint come next.
func (a *App) usePreset(in *wizardInput, out *outcome, id string) error {
	var found *Preset
	for i := range Presets {
		if Presets[i].ID == id {
			found = &Presets[i]
		}
	}
	if found == nil {
		return badRequest("The wizard has no preset "+id+".", nil)
	}
	p, probs := plan.Decode([]byte(found.Plan))
	if probs.HasErrors() {
		// A row of Presets that does not decode is a programming error
		// TestPresets catches.
		return &plan.InvalidError{Problems: probs}
	}
	var err error
	if p.Tentacle.SubscriptionID, err = plan.NewSubscriptionID(a.random); err != nil {
		return err
	}
	in.plan, in.shape, in.raw, in.ids = p, nil, nil, boundID(p)
	out.step, out.focus = stepOf("server.url"), "step-title"
	out.notice = "Loaded the preset " + found.Label + ". Its names and addresses are examples: replace them with yours, and enter your server's URL and thumbprint."
	return nil
}
