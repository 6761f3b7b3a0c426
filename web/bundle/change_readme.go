package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteChangeReadme writes change/README.md: what the change does and the
// steps in order (the nodes and the balancer first, so that an address
// works before any Tentacle polls it; then every Tentacle and Kubernetes
// agent; the retired nodes last), with the commands.
func WriteChangeReadme(w io.Writer, c Change) error {
	r := &mdWriter{}
	r.p("# Cluster change: %s → %s", c.From.Topology, c.To.Topology)
	r.p("")
	r.p("%s Octopus Server %s, thumbprint `%s`. `sha256sum -c SHA256SUMS` (in the pack's folder) checks every file.", mdCell(changeProvenance(c)), mdCell(c.To.Server.URL), c.To.Server.Thumbprint)
	r.p("")
	r.p("| Tentacles poll | | Nodes |")
	r.p("|---|---|---|")
	now, was := pollNodes(c.To), pollNodes(c.From)
	for _, a := range c.Added {
		r.p("| `%s` | **added** | %s |", a, mdCell(now[strings.ToLower(a)]))
	}
	for _, a := range c.Kept {
		r.p("| `%s` | kept | %s |", a, mdCell(now[strings.ToLower(a)]))
	}
	for _, a := range c.Removed {
		r.p("| `%s` | **removed** | %s |", a, mdCell(was[strings.ToLower(a)]))
	}
	r.p("")
	r.p("Nodes added: %s. Nodes changed: %s. Nodes retired: %s.", nodeList(c.To, c.AddedNodes), nodeList(c.To, c.ChangedNodes), nodeList(c.From, c.RetiredNodes))
	r.p("")
	step := 0
	next := func(title string) { step++; r.p("## %d. %s", step, title); r.p("") }
	if prepared := preparedNodes(c); len(prepared) > 0 {
		next("Prepare the nodes")
		if c.To.Topology == plan.MultiNode && c.From.Topology != plan.MultiNode {
			multiNodePrerequisites(r, c.To)
			r.p("")
		} else {
			r.p("Each script opens its node's polling port in Windows Firewall; where the node's listener moves it also drains the node, sets the port and restarts it (the bundle's README describes each step). Run them one node at a time, in an elevated PowerShell on each node:")
		}
		r.p("")
		r.p("```powershell")
		for _, i := range prepared {
			r.p(`.\octopus-server\%s    # on %s`, NodeScriptName(c.To.Nodes[i].Name), c.To.Nodes[i].Name)
		}
		r.p("```")
		r.p("")
	}
	if c.BalancerChanged {
		next("Configure the load balancer")
		changeBalancerSteps(r, c)
	}
	next("Update every polling Tentacle")
	changeTentacleSteps(r, c)
	next("Update the Kubernetes agents")
	r.p("`change/kubernetes-agent.sh` runs `helm upgrade --reuse-values --set agent.serverCommsAddresses={…}` for each agent release you name, with the chart reference you set in `AGENT_CHART`, %s (the agent's install command has it too). An agent keeps only its first address when its pod starts and adds the others with `poll-server`, so the script puts first an address the agent polls today; when no new address is one (node 1 replaced, a move to multi-node) it upgrades twice: the agent's current first address in front of the new ones, waited for with `--wait`, then the new ones alone.", AgentChartHint)
	r.p("")
	r.p("```bash")
	r.p("DRY_RUN=1 ./change/kubernetes-agent.sh my-agent other-agent   # prints the upgrades")
	r.p("./change/kubernetes-agent.sh my-agent other-agent")
	r.p("```")
	r.p("")
	if len(c.Removed) > 0 || len(c.RetiredNodes) > 0 {
		next("Retire what the new plan no longer has")
		changeRetireSteps(r, c)
	}
	next("Verify")
	r.p("- On a Tentacle: `Tentacle show-configuration` lists exactly the addresses above as trusted servers, all with the same subscription id.")
	r.p("- In Octopus, Infrastructure → the machine → Connectivity shows it polling every node; a health check of the machines succeeds (`tentacle-ha rollout` runs one on the machines it changed).")
	_, err := io.WriteString(w, r.String())
	return err
}

func nodeList(p plan.Plan, idx []int) string {
	if len(idx) == 0 {
		return "none"
	}
	names := make([]string, len(idx))
	for i, n := range idx {
		names[i] = mdCell(p.Nodes[n].Name)
	}
	return strings.Join(names, ", ")
}

func preparedNodes(c Change) []int {
	var out []int
	for i := range c.To.Nodes {
		if c.PreparesNode(i) {
			out = append(out, i)
		}
	}
	return out
}

func changeBalancerSteps(r *mdWriter, c Change) {
	r.p("Before any Tentacle polls a new address, the balancer must forward it: TCP pass-through only, no TLS offload.")
	if changeTransition(c) != nil {
		r.p("The new plan no longer forwards %s, which Tentacles poll until they are updated, so apply the files in `loadbalancer/transition/` now (every new route, and the retired ones still in place), and the files in `loadbalancer/` in the retire step.", strings.Join(c.Removed, ", "))
	} else if len(c.Removed) > 0 && c.To.Topology == plan.UniquePort {
		r.p("**Careful:** the new files no longer forward %s, and a Tentacle not yet updated loses that node when they are applied. Keep those routes on the balancer until the retire step.", strings.Join(c.Removed, ", "))
	}
	r.p("")
	for _, kind := range c.To.LoadBalancer.Kinds {
		r.p("%s", lbInstructions(kind, c.To))
		r.p("")
	}
	if len(c.To.LoadBalancer.Kinds) == 0 {
		r.p("The new plan chooses no balancer kind, so the pack has no balancer file: configure it by hand.")
		r.p("")
	}
}

func changeTentacleSteps(r *mdWriter, c Change) {
	r.p("`change/update-tentacle.sh` (Linux) and `change/update-tentacle.ps1` (Windows) run on **any** polling Tentacle of this cluster, whatever its name or subscription id, need **Tentacle %s or later** and no API key, and are safe to run again:", UpdateTentacleMinVersion)
	r.p("")
	r.p("1. They find the instance (`TENTACLE_INSTANCE`, else `Tentacle`, else the only instance there is) and read its trusted servers; a Tentacle that does not poll this cluster yet, or whose first trusted server is another server's (`poll-server --reuse-server-thumbprint` copies the first one's identity), is refused before any change.")
	r.p("2. `poll-server --reuse-server-thumbprint --server-comms-address <address>` for each new address.")
	r.p("3. Once every new address is trusted, `clear-trusted-servers --keep` with the new addresses **and every other server's addresses**, so the Tentacle keeps its other servers and never ends up trusting nothing. A trusted server without an address (a listening trust) makes that command fail, so the scripts then refuse before any change.")
	r.p("4. A **detached** restart (`service --stop --start` after %d seconds: a transient `systemd-run --on-active` timer on Linux, a one-shot scheduled task on Windows), so the script can run inside an Octopus task on the very Tentacle it restarts. `TENTACLE_RESTART=never` skips it, `always` forces it.", DefaultRestartDelaySeconds)
	r.p("5. The last line printed is the result: `{\"ok\":true,\"added\":[…],\"removed\":[…],\"restart\":\"scheduled\"}`.")
	r.p("")
	if c.To.Topology == plan.MultiNode && c.From.Topology != plan.MultiNode {
		r.p("This is Octopus's documented move to multi-node polling: `poll-server` the balancer `%s`, then `clear-trusted-servers --keep` it (Tentacle %s or later; never `configure --reset-trust`, which deletes the subscription id), then restart.", c.To.Addresses()[0], UpdateTentacleMinVersion)
		r.p("")
	}
	r.p("Through Octopus, on every polling Tentacle of the space, a canary first and then in batches, with a health check at the end (DIR is the folder of this pack; the API key only in the environment, never sent in a task):")
	r.p("")
	r.p("```bash")
	r.p("export OCTOPUS_API_KEY=API-...")
	r.p("tentacle-ha rollout -change DIR -dry-run")
	r.p("tentacle-ha rollout -change DIR -batch 10%%")
	r.p("```")
	r.p("")
	r.p("On one machine: `sudo ./change/update-tentacle.sh`, or in an elevated PowerShell `.\\change\\update-tentacle.ps1`. Over SSH and WinRM with Ansible: list the hosts as in `change/ansible/inventory.example.ini`, then `ansible-playbook -i inventory.ini change/ansible/playbook.yml`.")
	r.p("")
}

func changeRetireSteps(r *mdWriter, c Change) {
	r.p("Only once every Tentacle and agent is updated (the rollout ends with every machine done, and Connectivity shows no Tentacle polling a removed address):")
	r.p("")
	if changeTransition(c) != nil {
		r.p("- Apply the files in `loadbalancer/` (without the retired routes), as in the balancer step.")
	}
	for _, i := range c.RetiredNodes {
		n := c.From.Nodes[i]
		r.p("- Retire %s (`%s`): drain it (`Octopus.Server.exe node --instance %s --drain=true --wait=%d`), then stop or remove it; Octopus shows it offline in Configuration → Nodes until you delete it there.", mdCell(n.Name), plan.HostPort(n.Address, n.TargetPort()), mdCell(c.From.Server.Instance), DefaultDrainWaitSeconds)
	}
	if c.From.Topology != c.To.Topology {
		r.p("- The Tentacles no longer poll the nodes through %s; remove those firewall openings and balancer routes when nothing else uses them.", fmt.Sprintf("the %s addresses", c.From.Topology))
	}
	r.p("")
}
