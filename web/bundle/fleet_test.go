//go:build !js

package bundle_test

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// fleetOf50 is the fleet-mixed cluster with 50 Linux machines read from CSV.
func fleetOf50(t *testing.T) plan.Plan {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("name,os,kind,environments,roles,workerPools,tenants,instance\n")
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&csv, "web%02d,linux,target,Production;Staging,web,,,\n", i)
	}
	machines, probs := plan.ReadFleetCSV(strings.NewReader(csv.String()))
	if len(probs) > 0 {
		t.Fatalf("ReadFleetCSV: %s", probs)
	}
	p := mustCase(t, "fleet-mixed")
	p.Fleet = machines
	p, err := p.WithSubscriptionID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if probs := p.Validate(); probs.HasErrors() {
		t.Fatalf("Validate: %s", probs)
	}
	return p
}

// TestFleetRegisterSh: 50 machines from a CSV get 50 ids, and each
// machine's own register.sh, run against its own fake Tentacle, ends with
// exactly the plan's addresses under that machine's id.
func TestFleetRegisterSh(t *testing.T) {
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	p := fleetOf50(t)
	files := contents(mustFilesOf(t, p))
	ids := map[string]bool{}
	for i, m := range p.Fleet {
		ids[m.SubscriptionID] = true
		mp := p.ForMachine(i)
		path := bundle.MachineDir(m.Name) + "register.sh"
		content, ok := files[path]
		if !ok {
			t.Fatalf("the bundle has no %s", path)
		}
		if !strings.Contains(content, "SUBSCRIPTION_ID='"+m.SubscriptionID+"'") {
			t.Errorf("%s does not use the machine's own id %s", path, m.SubscriptionID)
		}
		script := regScriptFile(t, []bundle.File{{Path: "tentacle/register.sh", Content: []byte(content)}})
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			r := newRegRig(t, bash, fake, script, mp)
			res := r.mustRun()
			r.checkConverged()
			r.checkRunning()
			r.checkNoKey(res)
		})
	}
	if len(ids) != 50 {
		t.Errorf("%d distinct subscription ids, want 50", len(ids))
	}
	for _, want := range []string{"README.md", "plan.json", "tentacle/register-any.sh", "tentacle/register-any.ps1", "loadbalancer/haproxy.cfg", "octopus-server/Node1.ps1"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the fleet bundle lacks %s", want)
		}
	}
	if _, ok := files["tentacle/register.sh"]; ok {
		t.Error("a fleet bundle has the single machine's tentacle/register.sh")
	}
}

// TestRegisterAnySh: the script for any machine registers it under its
// host name with the id Tentacle makes, and a re-run keeps that id.
func TestRegisterAnySh(t *testing.T) {
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	p := fleetOf50(t)
	script := regScriptFile(t, []bundle.File{{Path: "tentacle/register.sh", Content: []byte(contents(mustFilesOf(t, p))["tentacle/register-any.sh"])}})
	r := newRegRig(t, bash, fake, script, p.ForMachine(0))
	first := r.mustRun("TENTACLE_NAME=alpha")
	id := r.anyID()
	second := r.mustRun("TENTACLE_NAME=alpha")
	if got := r.anyID(); got != id {
		t.Errorf("the re-run changed the id from %s to %s", id, got)
	}
	regs := regCallsOf(r.calls(), "register-with")
	if len(regs) != 1 || regOptionValue(regs[0], "--name") != "alpha" || slices.Contains(regs[0], "--server-subscription-id") {
		t.Errorf("registrations %q, want one as alpha with no --server-subscription-id", regs)
	}
	r.checkRunning()
	r.checkNoKey(first, second)
}

// anyID checks the Tentacle polls exactly the plan's addresses under one
// id it made itself, and returns it.
func (r *regRig) anyID() string {
	r.t.Helper()
	var addrs []string
	ids := map[string]bool{}
	for _, e := range r.trusted() {
		if e.Address == nil || e.SubscriptionID == nil || e.CommunicationStyle != 2 {
			r.t.Fatalf("entry %+v is not a polling entry", e)
		}
		addrs = append(addrs, *e.Address)
		ids[*e.SubscriptionID] = true
	}
	want := r.plan.Addresses()
	slices.Sort(addrs)
	slices.Sort(want)
	if !slices.Equal(addrs, want) || len(ids) != 1 {
		r.t.Fatalf("trusted %q under ids %v, want %q under one id", addrs, ids, want)
	}
	for id := range ids {
		if !plan.ValidSubscriptionID(id) {
			r.t.Errorf("id %q is not a subscription id", id)
		}
		return id
	}
	return ""
}

func mustFilesOf(t *testing.T, p plan.Plan) []bundle.File {
	t.Helper()
	files, err := bundle.Files(p)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
