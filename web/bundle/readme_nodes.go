package bundle

import (
	"fmt"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// nodeInstructions is the README step that runs the octopus-server/
// scripts: what each one changes on its node, which depends on the
// topology and on whether a node's listener moves.
func nodeInstructions(r *mdWriter, p plan.Plan) {
	var moved []string
	for i, n := range p.Nodes {
		if p.MovesListener(i) {
			moved = append(moved, mdCell(n.Name))
		}
	}
	switch {
	case p.Topology == plan.MultiNode:
		multiNodePrerequisites(r, p)
	case len(moved) == 0:
		r.p("Each node's script in `octopus-server/` opens the node's polling port in Windows Firewall and changes nothing else: no node is restarted.%s Run each one in an elevated PowerShell on its node:", keepNote(p))
	default:
		r.p("The script%s of %s move%s the node's polling listener from %d to %s (`Octopus.Server.exe configure --commsListenPort`), as Octopus's documentation describes. %s drains its node (`node --drain=true --wait=%d`: it takes no new tasks and running tasks get %d seconds to finish; `OCTOPUS_DRAIN_WAIT_SECONDS` changes that), sets the port, restarts the node (`service --stop --start`), waits until it listens on the new port and ends the drain (`node --drain=false`). A node that already listens there is left alone.",
			plural(len(moved), "", "s"), strings.Join(moved, ", "), plural(len(moved), "s", ""), plan.DefaultPort, movedTo(p), plural(len(moved), "It", "Each one"), DefaultDrainWaitSeconds, DefaultDrainWaitSeconds)
		r.p("")
		r.p("**Run the scripts one node at a time**, each only after the previous one has finished, so the other nodes keep running tasks. Tentacles and Kubernetes agents that poll a moved node directly on %d stop reaching it once its script has run.%s The other scripts only open the firewall.", plan.DefaultPort, stayNote(p))
	}
	r.p("")
	r.p("```powershell")
	if p.Topology == plan.MultiNode {
		r.p(`$env:OCTOPUS_CLUSTER_SHARED = '\\OctoShared\OctopusData'    # your cluster shared directory`)
	}
	for _, n := range p.Nodes {
		r.p(`.\octopus-server\%s    # on %s`, NodeScriptName(n.Name), n.Name)
	}
	r.p("```")
	r.p("")
}

func keepNote(p plan.Plan) string {
	if p.Topology == plan.UniquePort {
		return fmt.Sprintf(" The nodes keep listening on %d; the balancer translates each balancer port to it.", plan.DefaultPort)
	}
	return ""
}

func stayNote(p plan.Plan) string {
	if p.Topology == plan.UniquePort {
		return fmt.Sprintf(" To leave the nodes on %[1]d instead, set each node's `listenPort` to %[1]d and generate again: the balancer then translates the ports and no node is restarted.", plan.DefaultPort)
	}
	return ""
}

func movedTo(p plan.Plan) string {
	ports := map[int]bool{}
	var list []string
	for i := range p.Nodes {
		if port := p.NodeListenPort(i); p.MovesListener(i) && !ports[port] {
			ports[port] = true
			list = append(list, fmt.Sprint(port))
		}
	}
	if p.Topology == plan.UniquePort && len(list) > 1 {
		return "its balancer port (" + strings.Join(list, ", ") + ")"
	}
	return strings.Join(list, ", ")
}

// multiNodePrerequisites lists what Octopus's multi-node polling document
// requires, then what each node's script does.
func multiNodePrerequisites(r *mdWriter, p plan.Plan) {
	r.p("Multi-node support for polling Tentacles needs, before any Tentacle polls the balancer:")
	r.p("")
	r.p("- Octopus Server %s or later on every node.", plan.MultiNodeMinVersion)
	r.p("- **Redis** that every node can reach; Octopus recommends 8.0 or later. Octopus uses it as a short-lived queue, not a database: turn persistence off (no RDB snapshots, no AOF), use no replication or automatic failover, and set `maxmemory-policy noeviction`. One Redis started as `redis-server --save \"\" --appendonly no --maxmemory-policy noeviction --requirepass <password>` meets this; a managed Redis needs a tier without persistence and replicas.")
	r.p("- A **cluster shared directory** every node can read and write: Octopus writes larger files to its `DataStreams` folder. The scripts set it (`Octopus.Server.exe path --clusterShared`) from `OCTOPUS_CLUSTER_SHARED`; if the nodes already have one, give that same path (`Octopus.Server.exe show-configuration` shows it).")
	r.p("- A TCP load balancer that passes `%s` through to every node that processes tasks, without ending TLS (next step); UI-only nodes need not be behind it.", plan.HostPort(p.LoadBalancer.Address, p.LoadBalancer.Port))
	r.p("")
	r.p("Each node's script opens the node's polling port in Windows Firewall, sets the cluster shared directory, drains the node (`node --drain=true --wait=%d`; `OCTOPUS_DRAIN_WAIT_SECONDS` changes the wait), stores the Redis connection string with `Octopus.Server.exe configure --multiNodePollingTentaclesRedisConnectionString` (the same string on every node), restarts the node (`service --stop --start`), waits until it listens again, checks `GET /api/serverstatus/redis` on that node and ends the drain (`node --drain=false`). The connection string can hold the Redis password: the script reads it from `OCTOPUS_REDIS_CONNECTION_STRING` or asks for it with hidden input, passes it only to Octopus.Server.exe (which masks it in its output) and never prints it or writes it to a file.", DefaultDrainWaitSeconds)
	r.p("")
	r.p("**Run the scripts one node at a time**, each only after the previous one has finished, so the other nodes keep running tasks. Tentacles that poll every node keep working meanwhile.")
	r.p("")
	r.p("`/api/serverstatus/redis` needs no API key and answers for the node that serves the request, so each script asks its own node (`OCTOPUS_NODE_URL`, default `http://localhost`); through the balancer you would see one node only. `IsEnabled`, `IsConfigured` and `IsReachable` must all be `true` on every node. On the Octopus Server Linux container or the Helm chart, set `OCTOPUS_MULTI_NODE_POLLING_TENTACLES_REDIS_CONNECTION_STRING` and the cluster shared volume instead of running these scripts; that environment variable also wins over the configured value where it is set.")
}

// agentInstructions is the README section on the Kubernetes agent's
// values, including the two-step upgrade when the first address changes.
func agentInstructions(r *mdWriter, p plan.Plan) {
	addrs := p.Addresses()
	// Octopus's HA page upgrades with helm upgrade --atomic --reuse-values
	// --set agent.serverCommsAddresses="{...}" (plan.DocAgentHA); the
	// version stays pinned to the major version installed.
	upgrade := "helm upgrade --atomic " + Sh(AgentRelease(p)) + " \"$AGENT_CHART\" --namespace " + Sh(AgentNamespace(p)) + " --version '" + AgentChartVersion + "' --reuse-values --set "
	set := func(list []string) string {
		return Sh("agent.serverCommsAddresses={" + strings.Join(list, ",") + "}")
	}
	r.p("### Kubernetes agent: when the nodes change")
	r.p("")
	r.p("`--reuse-values` keeps every other value of the release (the name, the environments, the API key's Secret, `agent.acceptEula`); only the addresses change. Octopus docs: %s.", docLinks(plan.DocAgentHA))
	r.p("")
	r.p("When the agent starts it keeps only the **first** address of `agent.serverCommsAddresses` (`clear-trusted-servers --keep <first address>`) and adds the others with `poll-server`, which copies the agent's identity from a server it already trusts. So the first address must be one the installed agent already polls.")
	r.p("")
	r.p("- If it does (nodes were added, or a node other than the first removed), one upgrade is enough:")
	r.p("")
	r.p("  ```bash")
	r.p("  %s%s", upgrade, set(addrs))
	r.p("  ```")
	r.p("")
	r.p("- If it does not (node 1 was removed or changed address, or the cluster moved to multi-node), upgrade in two steps. First keep an address the agent polls today in front and add the new ones, then wait until the agent's pod has restarted and Connectivity in Octopus shows it polling them:")
	r.p("")
	r.p("  ```bash")
	r.p("  %s%s", upgrade, set(append([]string{"<an address the agent polls today>"}, addrs...)))
	r.p("  ```")
	r.p("")
	r.p("  Then drop the old addresses:")
	r.p("")
	r.p("  ```bash")
	r.p("  %s%s", upgrade, set(addrs))
	r.p("  ```")
}
