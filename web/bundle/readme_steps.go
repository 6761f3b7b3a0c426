package bundle

import (
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// docLink is a Markdown link to an Octopus documentation page of
// plan.DocLinks.
func docLink(url, text string) string { return "[" + text + "](" + url + ")" }

// docLinks links each page once, with its title, separated by commas.
func docLinks(urls ...string) string {
	var out []string
	seen := map[string]bool{}
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			out = append(out, docLink(u, plan.DocTitle(u)))
		}
	}
	return strings.Join(out, ", ")
}

// machineWord is what the README calls the machine of kind k in a table
// heading.
func machineWord(k plan.TargetKind) string {
	if k.Helm {
		return "Agent"
	}
	return "Tentacle"
}

// PSCheckSums is one PowerShell line that checks every file against
// SHA256SUMS with Get-FileHash, as sha256sum -c does: each line of
// SHA256SUMS is the hash, two spaces and the path (sums in bundle.go);
// Get-FileHash gives the hash in upper case and -eq compares ignoring case.
const PSCheckSums = `Get-Content SHA256SUMS | ForEach-Object { $sum, $file = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash -eq $sum) { "OK       $file" } else { Write-Error "CHANGED  $file" } }`

// checksumInstructions says how to check the files against SHA256SUMS on
// Linux and in Windows PowerShell.
func checksumInstructions(r *mdWriter) {
	r.p("Check that nothing changed on the way, in the bundle's folder: on Linux `sha256sum -c SHA256SUMS`; in PowerShell on Windows (no `sha256sum` there), compare `Get-FileHash` with each line:")
	r.p("")
	r.p("```powershell")
	r.p("%s", PSCheckSums)
	r.p("```")
	r.p("")
}

// prerequisites is the README's first step: what must be in place before
// the plan's scripts run, with Octopus's pages for each.
func prerequisites(r *mdWriter, p plan.Plan, next func(string)) {
	next("Before you start")
	k := p.Tentacle.KindRow()
	kinds := []plan.TargetKind{k}
	if p.HasFleet() {
		kinds = fleetKinds(p)
	}
	if k.Helm {
		r.p("- `kubectl` and `helm` 3.8 or later (it reads `oci://` charts) on the machine you run `install.sh` from, both pointed at the cluster the agent deploys to (%s).", docLinks(plan.DocAgentInstall))
	} else {
		var installs []string
		for _, os := range fleetOSes(p) {
			installs = append(installs, docLinks(plan.TentacleInstallDoc(os)))
		}
		r.p("- Tentacle installed on %s, as Octopus's install docs show: %s. The script creates and configures the instance itself, so skip the setup wizard's registration (or leave the default instance unregistered).", hostNoun(p), strings.Join(installs, ", "))
	}
	holds := "holds all of these"
	for _, k := range kinds {
		if k.Takes("tentacle.tenants") {
			holds = "holds these, all but TenantView"
		}
	}
	r.p("- An Octopus API key (%s) whose user may register the machine in the space `%s`. %s Octopus's built-in **Environment Manager** role %s (%s). The scripts ask for the key or read `OCTOPUS_API_KEY`; no file here holds it.", docLink(plan.DocAPIKey, "create one"), spaceName(p), permissionsSentence(kinds), holds, docLink(plan.DocPermissions, "default permissions"))
	r.p("")
}

// permissionsSentence names the space permissions registering each kind
// needs, in Octopus's names (default-permissions page, plan.DocPermissions):
// a deployment target is a machine (MachineCreate, MachineEdit for a
// registration again with --force, MachineView) in environments
// (EnvironmentView) under a machine policy (MachinePolicyView), TenantView
// for its tenants; a worker joins worker pools (WorkerEdit "Edit workers
// and worker pools", WorkerView).
func permissionsSentence(kinds []plan.TargetKind) string {
	var parts []string
	seen := map[string]bool{}
	for _, k := range kinds {
		if seen[k.Noun] {
			continue
		}
		seen[k.Noun] = true
		if k.Takes("tentacle.workerPools") {
			parts = append(parts, "a "+k.Noun+" needs WorkerEdit, WorkerView and MachinePolicyView")
		} else {
			parts = append(parts, "a "+k.Noun+" needs MachineCreate, MachineEdit, MachineView, EnvironmentView and MachinePolicyView (TenantView too with tenants)")
		}
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func spaceName(p plan.Plan) string {
	if p.Server.Space != "" {
		return mdCell(p.Server.Space)
	}
	return plan.DefaultSpace
}

func hostNoun(p plan.Plan) string {
	if p.HasFleet() {
		return "every machine"
	}
	return "the Tentacle host"
}

// fleetOSes are the operating systems of the plan's machines, Linux first.
func fleetOSes(p plan.Plan) []string {
	if !p.HasFleet() {
		return []string{p.Tentacle.OS}
	}
	has := map[string]bool{}
	for i := range p.Fleet {
		has[p.ForMachine(i).Tentacle.OS] = true
	}
	var out []string
	for _, os := range []string{plan.Linux, plan.Windows} {
		if has[os] {
			out = append(out, os)
		}
	}
	return out
}

// fleetKinds are the kinds of the fleet's machines, in table order.
func fleetKinds(p plan.Plan) []plan.TargetKind {
	has := map[string]bool{}
	for i := range p.Fleet {
		has[p.ForMachine(i).Tentacle.Kind] = true
	}
	var out []plan.TargetKind
	for _, k := range plan.TargetKinds {
		if has[k.Kind] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		out = append(out, p.Tentacle.KindRow())
	}
	return out
}

// agentInstall is the README's steps of a Kubernetes agent: install it
// with kubernetes-agent/install.sh, then verify.
func agentInstall(r *mdWriter, p plan.Plan, next func(string)) {
	t := p.Tentacle
	k := t.KindRow()
	next("Install the " + k.Noun)
	r.p("The %s registers itself with Octopus when its Helm chart (the Kubernetes agent's) installs it, so there is no Tentacle script here: `kubernetes-agent/values.yaml` holds the chart's values and `kubernetes-agent/install.sh` installs it. Octopus docs: %s.", k.Noun, docLinks(plan.DocAgentHA, k.RegisterDoc()))
	r.p("")
	r.p("Copy into `AGENT_CHART` %s (the install command Octopus shows for a new agent has it too).", AgentChartHint)
	r.p("")
	r.p("Setting `agent.acceptEula` to `Y` accepts Octopus's Customer Agreement (%s). Neither file sets it for you: read the agreement, then set `AGENT_ACCEPT_EULA=Y` yourself. With `kubectl` and `helm` pointed at the cluster:", AgentEULA)
	r.p("")
	r.p("```bash")
	r.p("export AGENT_CHART='<the oci:// chart reference from that page>'")
	r.p("AGENT_ACCEPT_EULA=Y ./kubernetes-agent/install.sh")
	r.p("```")
	r.p("")
	r.p("The script asks for the API key (or reads `OCTOPUS_API_KEY`), stores it in the Secret `%s-api-key` of the namespace `%s` through a pipe (never in a command line or a file), and runs:", AgentRelease(p), AgentNamespace(p))
	r.p("")
	r.p("```bash")
	for _, l := range agentInstallLines(p, "Y") {
		r.p("%s", strings.Replace(l, "--values values.yaml", "--values kubernetes-agent/values.yaml", 1))
	}
	r.p("```")
	r.p("")
	r.p("- `--version '%s'` pins the chart's major version, as Octopus's docs ask, so a new major version with other values cannot arrive unnoticed; set `AGENT_CHART_VERSION` to pin an exact one.", AgentChartVersion)
	r.p("- `agent.serverCommsAddresses` is **plural**, a list with every node's address; the singular `agent.serverCommsAddress` holds one address and stays empty. Octopus's HA page warns: \"The new property name is `agent.serverCommsAddresses`. Note that \"Addresses\" is plural.\" An agent installed with the singular key polls one node only.")
	r.p("- The agent makes its own certificate and subscription id; the plan's subscription id is not used for it.")
	r.p("")
	next("Verify")
	r.p("- `kubectl get pods --namespace %s` shows the agent's pod running.", AgentNamespace(p))
	r.p("- In Octopus, Infrastructure → %s → %s → Connectivity shows the agent polling every node.", t.KindRow().Area, mdCell(t.Name))
	r.p("- Run a health check on the agent; then put each node in maintenance mode in turn and check tasks still reach it (%s).", docLinks(plan.DocAgentHA))
	r.p("")
	r.p("## Later changes")
	r.p("")
}
