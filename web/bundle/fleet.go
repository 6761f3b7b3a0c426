package bundle

import (
	"fmt"
	"io"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// fleetEntries lists a fleet's bundle: the cluster's files once, then a
// folder per machine (tentacles/<name>/) with its registration script and
// trusted-servers.xml, and the scripts for any identical machine
// (tentacle/register-any.*).
func fleetEntries(p plan.Plan) []entry {
	es := []entry{
		{"README.md", 0o644, WriteFleetReadme},
		{"plan.json", 0o644, WritePlan},
		{"tentacle/register-any.sh", 0o755, WriteRegisterAnySh},
		{"tentacle/register-any.ps1", 0o644, WriteRegisterAnyPS1},
	}
	es = append(es, clusterEntries(p)...)
	for i, m := range p.Fleet {
		q := p.ForMachine(i)
		dir := MachineDir(m.Name)
		if q.Tentacle.OS == plan.Windows {
			es = append(es, entry{dir + "register.ps1", 0o644, forPlan(q, WriteRegisterPS1)})
		} else {
			es = append(es, entry{dir + "register.sh", 0o755, forPlan(q, WriteRegisterSh)})
		}
		es = append(es, entry{dir + "trusted-servers.xml", 0o644, forPlan(q, WriteTrustedServers)})
	}
	return es
}

// MachineDir is the folder of a fleet machine's files in the bundle.
func MachineDir(name string) string { return "tentacles/" + plan.FileStem(name) + "/" }

// forPlan writes g for q whatever plan it is given: a machine's files come
// from its own plan.
func forPlan(q plan.Plan, g Generator) Generator {
	return func(w io.Writer, _ plan.Plan) error { return g(w, q) }
}

// WriteFleetReadme writes README.md of a fleet: the cluster's steps once,
// then how to register the machines, one by one or with register-any.
func WriteFleetReadme(w io.Writer, p plan.Plan) error {
	r := &mdWriter{}
	r.p("# %d polling Tentacles → Octopus Server HA (%s)", len(p.Fleet), p.Topology)
	r.p("")
	r.p("%s Every file here comes from `plan.json`; change the plan and generate again rather than editing files by hand.", provenance(p))
	r.p("")
	checksumInstructions(r)
	r.p("%s %s", topologySummary(p), docLink(plan.TopologyDoc(p.Topology), "Octopus docs"))
	r.p("")
	next := stepper(r)
	prerequisites(r, p, next)
	clusterSteps(r, p, next)
	next("Register the machines")
	r.p("Each machine has its own folder with its script and its own subscription id: copy the folder to that machine only and run the script there (as root, or in an elevated PowerShell). Running it again is safe. Two Tentacles must never share a subscription id, so never run one machine's script on another.")
	r.p("")
	r.p("| Machine | OS | Kind | Folder | Subscription id |")
	r.p("|---|---|---|---|---|")
	for i, m := range p.Fleet {
		t := p.ForMachine(i).Tentacle
		script := "register.sh"
		if t.OS == plan.Windows {
			script = "register.ps1"
		}
		r.p("| %s | %s | %s | `%s%s` | `%s` |", mdCell(m.Name), t.OS, regKindNoun(t), MachineDir(m.Name), script, t.SubscriptionID)
	}
	r.p("")
	r.p("On Windows, a script downloaded from the internet carries the mark of the web, which the default execution policy refuses for an unsigned script: run `Unblock-File -Path .\\register.ps1` once, or `powershell -ExecutionPolicy Bypass -File .\\register.ps1`. Octopus docs: %s, %s, %s.", docLink(plan.DocRegisterWith, "register-with"), docLink(plan.DocRegisterWorker, "register-worker"), docLink(plan.DocPollServer, "poll-server"))
	r.p("")
	r.p("For machines that are alike (an image, an auto-scaling group, a cloud-init), `tentacle/register-any.sh` and `tentacle/register-any.ps1` register any machine with the fleet's common settings: the machine is named after its host name (or `TENTACLE_NAME`), and no subscription id is passed, so Tentacle makes one on the first registration and poll-server reuses it on every run after.")
	r.p("")
	next("Verify")
	r.p("- On each machine, `show-configuration` lists %s, all with that machine's subscription id.", regCount(len(p.Addresses()), "trusted server entry", "trusted server entries"))
	r.p("- In Octopus, run a health check on the machines; then put each node in maintenance mode in turn and check tasks still reach them (%s).", docLinks(plan.DocPollingHA))
	r.p("")
	_, err := io.WriteString(w, r.String())
	return err
}

// errFleetNoID is returned for a fleet machine without a subscription id.
func errFleetNoID(i int, name string) error {
	return fmt.Errorf("%w: fleet machine %d (%s)", ErrNoSubscriptionID, i+1, name)
}
