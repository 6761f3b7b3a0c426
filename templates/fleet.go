package templates

import (
	"strconv"
	"strings"
)

// FleetView is the fleet of the Tentacle step: the machines of the plan,
// or of a CSV the wizard refused, each cell with its problems.
type FleetView struct {
	Rows []FleetRow
	// Rejected says the rows are an uploaded file's that was not taken
	// into the plan: the plan keeps the fleet it had.
	Rejected bool
	// File is the name of the CSV just uploaded.
	File string
	// Problems concern the file or the fleet as a whole.
	Problems []FleetProblem
}

// FleetRow is one machine.
type FleetRow struct {
	// Index counts from 0; CSV rows count from 2 (after the header).
	Index int
	Name  string
	Cells []FleetCell
	// Problems concern the row as a whole, or a field with no column.
	Problems []FleetProblem
}

// FleetCell is one machine's value in a column: its own, or (Inherited)
// what it takes from the Tentacle step.
type FleetCell struct {
	Column    string
	Value     string
	Inherited bool
	Problems  []FleetProblem
}

// FleetProblem is one problem of a cell, a row or the file.
type FleetProblem struct {
	Message string
	Warning bool
}

// FleetColumn is one column of the fleet table.
type FleetColumn struct {
	Key, Label string
}

// FleetColumns are the table's columns: the CSV's, then the id each
// machine gets.
var FleetColumns = []FleetColumn{
	{"name", "Name"}, {"os", "OS"}, {"kind", "Kind"}, {"environments", "Environments"},
	{"roles", "Roles"}, {"workerPools", "Worker pools"}, {"tenants", "Tenants"},
	{"instance", "Instance"}, {"subscriptionId", "Subscription id"},
}

// FleetKey is the field path of machine i's field, as plan.Validate
// names it: "fleet[2].roles".
func FleetKey(i int, column string) string {
	key := "fleet[" + strconv.Itoa(i) + "]"
	if column != "" {
		key += "." + column
	}
	return key
}

// Errors counts the errors of the fleet, its rows and its cells.
func (f FleetView) Errors() int {
	n := countErrors(f.Problems)
	for _, r := range f.Rows {
		n += countErrors(r.Problems)
		for _, c := range r.Cells {
			n += countErrors(c.Problems)
		}
	}
	return n
}

// HasErrors reports whether the row or any of its cells has an error.
func (r FleetRow) HasErrors() bool {
	if countErrors(r.Problems) > 0 {
		return true
	}
	for _, c := range r.Cells {
		if countErrors(c.Problems) > 0 {
			return true
		}
	}
	return false
}

func countErrors(ps []FleetProblem) int {
	n := 0
	for _, p := range ps {
		if !p.Warning {
			n++
		}
	}
	return n
}

// fleetLabel names a fleet field for summaries: "fleet[1].kind" is
// "Machine 2, Kind".
func fleetLabel(key string) (string, bool) {
	if key == "fleet" {
		return "Machines", true
	}
	rest, ok := strings.CutPrefix(key, "fleet[")
	if !ok {
		return "", false
	}
	idx, field, _ := strings.Cut(rest, "]")
	n, err := strconv.Atoi(idx)
	if err != nil {
		return "", false
	}
	label := "Machine " + strconv.Itoa(n+1)
	field = strings.TrimPrefix(field, ".")
	for _, c := range FleetColumns {
		if c.Key == field {
			return label + ", " + c.Label, true
		}
	}
	return label, true
}

func problemClass(p FleetProblem) string {
	if p.Warning {
		return "problem-warning"
	}
	return "problem-error"
}

// fleetKept says what fleet the plan keeps after a refused upload.
func fleetKept(w Wizard) string {
	if !w.Plan.HasFleet() {
		return "no machines"
	}
	return "its " + plural(len(w.Plan.Fleet), "machine", "machines")
}

func fleetErrorsText(f FleetView) string {
	if n := f.Errors(); n > 0 {
		return ", " + plural(n, "error", "errors") + " to fix"
	}
	return ""
}

// machineKind is how machine i registers, with what it inherits.
func machineKind(w Wizard, i int) string {
	return tentacleSummary(w.Plan.ForMachine(i))
}
