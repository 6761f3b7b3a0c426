package plan_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestKubernetesAgentRules: a Kubernetes agent takes a deployment target's
// lists, runs on Linux only, and is never a fleet machine; each refusal
// names the field to change.
func TestKubernetesAgentRules(t *testing.T) {
	agent := func() plan.Plan {
		p := validPlan()
		p.Tentacle.Kind = plan.KubernetesAgent
		return p
	}
	if errs := agent().Validate().Errors(); len(errs) > 0 {
		t.Errorf("Validate(kubernetes-agent with environments and roles) = %v, want no errors", errs)
	}
	p := agent()
	p.Tentacle.OS = plan.Windows
	assertMessage(t, p, "tentacle.os", "A Kubernetes agent runs in a pod on the cluster's Linux nodes, not on a Windows machine; choose linux, or register a Windows machine as a deployment target or worker.")
	p = agent()
	p.Tentacle.Environments = nil
	assertMessage(t, p, "tentacle.environments", "A Kubernetes agent needs at least one environment.")
	p = agent()
	p.Tentacle.WorkerPools = []string{"Pool"}
	assertMessage(t, p, "tentacle.workerPools", "Worker pools apply to workers and Kubernetes workers only; a Kubernetes agent ignores them.")
	p = validPlan()
	p.Tentacle.Kind, p.Tentacle.OS = plan.KubernetesWorker, plan.Windows
	p.Tentacle.Environments, p.Tentacle.Roles, p.Tentacle.WorkerPools = nil, nil, []string{"Pool"}
	assertMessage(t, p, "tentacle.os", "A Kubernetes worker runs in a pod on the cluster's Linux nodes, not on a Windows machine; choose linux, or register a Windows machine as a deployment target or worker.")

	p = validPlan()
	p.Fleet = []plan.Machine{{Name: "web01"}, {Name: "aks01", Kind: plan.KubernetesAgent}}
	assertMessage(t, p, "fleet[1].kind", "A Kubernetes agent is installed with Helm, not by a fleet's registration scripts; choose target or worker here and make a plan of its own for the agent.")
	p = agent()
	p.Fleet = []plan.Machine{{Name: "web01"}, {Name: "web02"}}
	assertMessage(t, p, "tentacle.kind", "A fleet is machines that run Tentacle; a Kubernetes agent is installed with Helm, one per cluster. Choose target or worker for the fleet, and make a plan of its own for each agent.")
}

// TestOctopusCloudRefused: an Octopus Cloud address is no cluster the user
// runs; the message names server.url and Octopus's polling address.
func TestOctopusCloudRefused(t *testing.T) {
	for _, tt := range []struct{ url, instance string }{
		{"https://acme.octopus.app", "acme"},
		{"https://Acme.Octopus.App/", "acme"},
		{"https://polling.acme.octopus.app", "acme"},
	} {
		p := validPlan()
		p.Server.URL = tt.url
		assertMessage(t, p, "server.url", "This is an Octopus Cloud instance: Octopus runs its nodes, so there is no HA cluster of yours to plan. Register the Tentacle with Octopus's own steps and --server-comms-address https://polling."+tt.instance+".octopus.app (port 443); see https://octopus.com/docs/infrastructure/deployment-targets/tentacle/polling-tentacles-over-port-443.")
	}
	for _, ok := range []string{"https://octopus.app.example.com", "https://myoctopus.app", "https://octopus.example.com"} {
		p := validPlan()
		p.Server.URL = ok
		for _, pr := range p.Validate() {
			if pr.Field == "server.url" && strings.Contains(pr.Message, "Octopus Cloud") {
				t.Errorf("Validate(server.url %s) = %q, want no Octopus Cloud message", ok, pr.Message)
			}
		}
	}
}

// TestDocLinks: every documentation link is https on octopus.com/docs,
// has a title, and appears once.
func TestDocLinks(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range plan.DocLinks {
		u, err := url.Parse(d.URL)
		if err != nil || u.Scheme != "https" || u.Host != "octopus.com" || !strings.HasPrefix(u.Path, "/docs/") || u.RawQuery != "" || u.Fragment != "" {
			t.Errorf("doc link %q: want https://octopus.com/docs/...", d.URL)
		}
		if d.Title == "" || seen[d.URL] {
			t.Errorf("doc link %q: no title, or listed twice", d.URL)
		}
		seen[d.URL] = true
	}
	for _, used := range []string{plan.TopologyDoc(plan.UniquePort), plan.TopologyDoc(plan.MultiNode), plan.TentacleInstallDoc(plan.Linux), plan.TentacleInstallDoc(plan.Windows)} {
		if !seen[used] {
			t.Errorf("%s is used but not in plan.DocLinks", used)
		}
	}
	for _, k := range plan.TargetKinds {
		if !seen[k.RegisterDoc()] {
			t.Errorf("kind %q: its page %s is not in plan.DocLinks", k.Kind, k.RegisterDoc())
		}
	}
}
