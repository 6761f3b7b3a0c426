package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteReadme writes the bundle's README.md: the steps for this plan in
// order (firewall, balancer, Tentacle, restart, verify) with the commands.
func WriteReadme(w io.Writer, p plan.Plan) error {
	r := &mdWriter{}
	t := p.Tentacle
	k := t.KindRow()
	polls := p.Polls()
	machine := "Polling Tentacle"
	if k.Helm {
		machine = k.Noun
	}
	r.p("# %s %s → Octopus Server HA (%s)", machine, t.Name, p.Topology)
	r.p("")
	r.p("%s Every file here comes from `plan.json`; change the plan and generate again rather than editing files by hand.", provenance(p))
	r.p("")
	checksumInstructions(r)
	r.p("%s %s", topologySummary(p), docLink(plan.TopologyDoc(p.Topology), "Octopus docs"))
	r.p("")
	r.p("| Node | Node address | %s polls |", machineWord(k))
	r.p("|---|---|---|")
	for i, n := range p.Nodes {
		r.p("| %s | `%s` | `%s` |", mdCell(n.Name), plan.HostPort(n.Address, n.TargetPort()), pollFor(p, polls, i))
	}
	r.p("")
	if !k.Helm {
		r.p("Every entry the Tentacle stores has the same thumbprint `%s` and the same subscription id `%s`.", p.Server.Thumbprint, t.SubscriptionID)
		r.p("")
	}

	next := stepper(r)
	prerequisites(r, p, next)
	clusterSteps(r, p, next)

	if k.Helm {
		agentInstall(r, p, next)
		agentInstructions(r, p)
		_, err := io.WriteString(w, r.String())
		return err
	}

	next("Register the Tentacle")
	registerInstructions(r, p)

	next("Restart")
	r.p("New trusted servers take effect after the Tentacle service restarts (%s); the script restarts it. By hand (`--restart` would leave a stopped service stopped):", docLink(plan.DocPollServer, "poll-server"))
	r.p("")
	r.p("```")
	r.p("%s service --instance %s --stop --start", tentacleCmd(t.OS), quoteFor(t.OS, t.Instance))
	r.p("```")
	r.p("")

	next("Verify")
	r.p("- `%s show-configuration --instance %s` lists %d trusted server entr%s, all with subscription id `%s`.", tentacleCmd(t.OS), quoteFor(t.OS, t.Instance), len(polls), plural(len(polls), "y", "ies"), t.SubscriptionID)
	r.p("- In Octopus, Infrastructure → %s → %s → Connectivity shows the Tentacle polling every node.", kindArea(t), mdCell(t.Name))
	r.p("- Run a health check on the machine; then put each node in maintenance mode in turn and check tasks still reach the Tentacle (%s).", docLink(plan.DocPollingHA, docTitle(plan.DocPollingHA)))
	r.p("")

	r.p("## Other ways to apply the same setup")
	r.p("")
	r.p("- `tentacle/trusted-servers.xml`: the `%s` setting to paste into the Tentacle's config file by hand (then restart). The Tentacle must already be registered with this subscription id.", TrustedServersKey)
	_, err := io.WriteString(w, r.String())
	return err
}

func topologySummary(p plan.Plan) string {
	switch p.Topology {
	case plan.UniquePort:
		return fmt.Sprintf("Topology **unique port**: the Tentacle polls the load balancer `%s` on one port per node, and the balancer forwards each port to exactly one node (NAT).", p.LoadBalancer.Address)
	case plan.MultiNode:
		return fmt.Sprintf("Topology **multi-node**: the Tentacle polls one address, `%s`, and the balancer passes TCP through to any node; Octopus Server (%s or later, with Redis) hands the work to the right node.", plan.HostPort(p.LoadBalancer.Address, p.LoadBalancer.Port), plan.MultiNodeMinVersion)
	}
	return "Topology **unique address**: the Tentacle polls every node directly at its own address; no load balancer is involved."
}

func pollFor(p plan.Plan, polls []plan.Poll, node int) string {
	for _, poll := range polls {
		for _, n := range poll.Nodes {
			if n == node {
				return poll.Address()
			}
		}
	}
	return ""
}

func lbInstructions(kind string, p plan.Plan) string {
	if b, ok := BalancerOf(kind); ok {
		return b.Apply(p)
	}
	return "- " + kind
}

func applyNginx(plan.Plan) string {
	return "- **nginx** (`loadbalancer/nginx.conf`, a `stream {}` block): install the stream module (`apt-get install libnginx-mod-stream`), copy the file to `/etc/nginx/octopus-polling.conf`, add `include /etc/nginx/octopus-polling.conf;` at the top level of `/etc/nginx/nginx.conf` (outside `http {}`), then `nginx -t && systemctl reload nginx`."
}

func applyHAProxy(plan.Plan) string {
	return "- **HAProxy** (`loadbalancer/haproxy.cfg`): `haproxy -c -f haproxy.cfg`, merge it into `/etc/haproxy/haproxy.cfg`, then `systemctl reload haproxy`."
}

func applyNftables(plan.Plan) string {
	return "- **nftables** (`loadbalancer/nftables.nft`): `sysctl -w net.ipv4.ip_forward=1` (persist it in `/etc/sysctl.d/`), `nft -c -f nftables.nft` to check, then `nft -f nftables.nft`."
}

func applyIptables(p plan.Plan) string {
	t := iptablesToolFor(p)
	return "- **iptables** (`loadbalancer/iptables.rules`): `sysctl -w " + t.forwarding + "`, check with `" + t.restore + " --test < iptables.rules`. On a balancer with no other NAT rules apply it with `" + t.restore + " < iptables.rules`: that replaces the whole nat table, so running it again is safe. On a host with other NAT rules (Docker, a VPN) use `" + t.restore + " --noflush < iptables.rules`, which keeps them but appends these rules again on every run: before applying it again, delete the rules the last run added with `" + iptablesDeleteLoop(t.cmd) + "`, then apply it."
}

func applyAWSNLB(plan.Plan) string {
	return "- **AWS Network Load Balancer** (`loadbalancer/aws-nlb.tf`): set the variables, then `terraform init && terraform plan && terraform apply`. Keep listeners on TCP, not TLS."
}

func applyAzureLB(plan.Plan) string {
	return "- **Azure Load Balancer** (`loadbalancer/azure-lb.sh`): `az login`, set the variables at the top of the script (or in the environment), then `bash azure-lb.sh`."
}

func applyKubernetes(plan.Plan) string {
	return "- **Kubernetes** (`loadbalancer/kubernetes.yaml`): `kubectl apply --dry-run=server -f kubernetes.yaml`, then `kubectl apply -f kubernetes.yaml`."
}

func registerInstructions(r *mdWriter, p plan.Plan) {
	t := p.Tentacle
	cmd := regCommand(t)
	polls := p.Polls()
	r.p("The script creates the instance `%s` if needed, makes a certificate, turns listening off, runs `%s` once against `%s` with `--comms-style TentacleActive` and the plan's subscription id%s, and restarts the service. Running it again is safe: it keeps the same subscription id and adds no duplicate entries. Octopus docs: %s, %s.", t.Instance, cmd, polls[0].Address(), otherPolls(p, polls), docLink(t.KindRow().RegisterDoc(), cmd), docLink(plan.DocPollServer, "poll-server"))
	r.p("")
	if t.OS == plan.Windows {
		r.p("In an elevated PowerShell on the Tentacle host (the script asks for the API key when `$env:OCTOPUS_API_KEY` is not set; it never writes it down). A script downloaded from the internet carries Windows' mark of the web, which the default execution policy (RemoteSigned) refuses for an unsigned script: unblock it once, or run it with the policy bypassed for this one process:")
		r.p("")
		r.p("```powershell")
		r.p(`Unblock-File -Path .\tentacle\register.ps1`)
		r.p(`.\tentacle\register.ps1`)
		r.p("# or, without changing the file or the machine's policy:")
		r.p(`powershell -ExecutionPolicy Bypass -File .\tentacle\register.ps1`)
		r.p("```")
	} else {
		r.p("As root on the Tentacle host (the script asks for the API key when `OCTOPUS_API_KEY` is not set; it never writes it down):")
		r.p("")
		r.p("```bash")
		r.p("sudo ./tentacle/register.sh")
		r.p("```")
	}
	r.p("")
	r.p("`TENTACLE` overrides the Tentacle binary's path (default `%s`).", tentacleExe(t.OS))
	r.p("")
}

func tentacleExe(os string) string {
	if os == plan.Windows {
		return `C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe`
	}
	return "/opt/octopus/tentacle/Tentacle"
}

// tentacleCmd is the binary as typed in a shell: PowerShell needs & and
// quotes for a path with spaces.
func tentacleCmd(os string) string {
	if os == plan.Windows {
		return "& " + PS(tentacleExe(os))
	}
	return tentacleExe(os)
}

// quoteFor quotes s as one word of the Tentacle host's shell; PowerShell
// gets a single-quoted string, in which nothing expands.
func quoteFor(os, s string) string {
	if os == plan.Windows {
		return PS(s)
	}
	return Sh(s)
}

// otherPolls says what the script does with the addresses after the first.
func otherPolls(p plan.Plan, polls []plan.Poll) string {
	switch {
	case p.Topology == plan.MultiNode:
		return " (no `poll-server`: the balancer is its only address, and Octopus hands the work to whichever node the Tentacle reaches)"
	case len(polls) == 1:
		return " (no `poll-server`: the plan has one node)"
	}
	return ", then `poll-server` for every other address"
}

func kindArea(t plan.Tentacle) string { return t.KindRow().Area }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdCell escapes text for a Markdown table cell or inline text.
func mdCell(s string) string {
	return mdEscape.Replace(s)
}

// mdWriter collects Markdown lines.
type mdWriter struct{ strings.Builder }

func (m *mdWriter) p(format string, args ...any) {
	fmt.Fprintf(m, format, args...)
	m.WriteByte('\n')
}

var mdEscape = strings.NewReplacer("|", `\|`, "`", "'", "*", `\*`, "_", `\_`, "<", "&lt;")

// stepper numbers the README's sections.
func stepper(r *mdWriter) func(title string) {
	step := 0
	return func(title string) { step++; r.p("## %d. %s", step, title); r.p("") }
}

// clusterSteps are the README's steps on the cluster's side: firewalls,
// nodes, balancer. A fleet's README has them once for every machine.
func clusterSteps(r *mdWriter, p plan.Plan, next func(string)) {
	polls := p.Polls()

	from := "the Tentacle host"
	if p.Tentacle.KindRow().Helm {
		from = "the Kubernetes cluster's nodes (the agent's pods)"
	} else if p.HasFleet() {
		from = "every Tentacle host"
	}
	next("Open the firewalls")
	r.p("- From %s to the Octopus web address `%s` (port 80 or 443): registration uses the REST API.", from, p.Server.URL)
	for _, poll := range polls {
		r.p("- From %s to `%s` (TCP %d): polling (%s).", from, plan.HostPort(poll.Host, poll.Port), poll.Port, docLink(plan.DocPollingMode, "polling mode"))
	}
	r.p("- On each node, its polling port: the node's script opens it in Windows Firewall (next step).")
	r.p("")

	next("Prepare the Octopus Server nodes")
	r.p("Octopus docs: %s.", docLink(plan.TopologyDoc(p.Topology), docTitle(plan.TopologyDoc(p.Topology))))
	r.p("")
	nodeInstructions(r, p)

	if p.Topology.HasLoadBalancer() {
		next("Configure the load balancer")
		r.p("Octopus docs: %s.", docLink(plan.TopologyDoc(p.Topology), docTitle(plan.TopologyDoc(p.Topology))))
		r.p("")
		r.p("The balancer must pass TCP through untouched: Tentacle and Octopus Server trust each other by certificate thumbprint, so TLS offload breaks polling.")
		if p.Topology == plan.MultiNode {
			r.p("Any node can serve any Tentacle once every node uses Redis (previous step), so the balancer needs no session affinity.")
		} else {
			r.p("Each balancer port goes to exactly one node; a round-robin pool would leave nodes unpolled.")
		}
		r.p("")
		for _, kind := range p.LoadBalancer.Kinds {
			r.p("%s", lbInstructions(kind, p))
			r.p("")
		}
		if len(p.LoadBalancer.Kinds) == 0 {
			r.p("No balancer kind was chosen in the plan, so no configuration file is included.")
			r.p("")
		}
	}

}
