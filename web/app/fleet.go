package app

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// The Tentacle step's fleet: a CSV of machines uploaded into the plan's
// fleet. The fleet is part of the plan, so it travels in the plan's hidden
// field, in share links and in exported plans like everything else.
const (
	opFleetUpload = "fleet-upload"
	opFleetRemove = "fleet-remove"
)

// fleetUpload is a CSV the wizard refused: its machines are shown with
// their problems, and the plan keeps the fleet it had.
type fleetUpload struct {
	file     string
	machines []plan.Machine
	probs    plan.Problems
}

// fleetOp applies the fleet's buttons.
func (a *App) fleetOp(c echo.Context, in *wizardInput, out *outcome, op string) error {
	out.step = stepOf("fleet")
	if op == opFleetRemove {
		n := len(in.plan.Fleet)
		in.plan.Fleet = nil
		out.notice = "Removed the " + count(n, "machine", "machines") + ": the plan is for one machine again, the one above."
		out.focus = "fleet-file"
		return nil
	}
	return a.uploadFleet(c, in, out)
}

// uploadFleet reads the CSV the user picked. A file with problems of its
// own (a bad header, a row with too many cells) changes nothing; one that
// reads is the plan's fleet, and plan.Validate's problems show in the
// table until they are fixed.
func (a *App) uploadFleet(c echo.Context, in *wizardInput, out *outcome) error {
	out.focus = "fleet-file"
	form := c.Request().MultipartForm
	if form == nil || len(form.File["fleetfile"]) == 0 || form.File["fleetfile"][0].Size == 0 {
		out.alert = "Choose a CSV file of machines first: a header row (" + strings.Join(plan.FleetColumns, ",") + ") and a row per machine."
		return nil
	}
	fh := form.File["fleetfile"][0]
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBody))
	if err != nil {
		return err
	}
	machines, probs := plan.ReadFleetCSV(bytes.NewReader(data))
	if err := a.fleetIDs(machines); err != nil {
		return err
	}
	trial := in.plan
	trial.Fleet = machines
	if probs.HasErrors() {
		in.upload = &fleetUpload{file: fh.Filename, machines: machines, probs: append(probs, fleetOnly(trial.Validate())...)}
		out.alert = "Nothing was imported from " + fh.Filename + ": it has problems of its own (marked below). Fix them and upload it again."
		return nil
	}
	in.plan.Fleet = machines
	out.notice = fmt.Sprintf("Imported %s from %s; each has its own subscription id.", count(len(machines), "machine", "machines"), fh.Filename)
	out.focus = "fleet-title"
	if fleetOnly(in.plan.Validate()).HasErrors() {
		out.notice += " Fix the problems marked in the table (in the CSV, then upload it again) before you go on."
		out.showErrors = true
	}
	return nil
}

// fleetIDs gives every machine without a subscription id its own, once:
// from then on the plan carries it.
func (a *App) fleetIDs(fleet []plan.Machine) error {
	for i := range fleet {
		if strings.TrimSpace(fleet[i].SubscriptionID) != "" {
			continue
		}
		id, err := plan.NewSubscriptionID(a.random)
		if err != nil {
			return err
		}
		fleet[i].SubscriptionID = id
	}
	return nil
}

// fleetOnly keeps the problems of the fleet.
func fleetOnly(probs plan.Problems) plan.Problems {
	var out plan.Problems
	for _, pr := range probs {
		if pr.Field == "fleet" || strings.HasPrefix(pr.Field, "fleet[") {
			out = append(out, pr)
		}
	}
	return out
}

// fleetView is the table of the plan's machines with their problems, or
// of a refused upload's.
func fleetView(p plan.Plan, probs plan.Problems, up *fleetUpload) templates.FleetView {
	var v templates.FleetView
	if up != nil {
		p.Fleet, probs = up.machines, up.probs
		v.Rejected, v.File = true, up.file
	}
	for i, m := range p.Fleet {
		t := p.ForMachine(i).Tentacle
		row := templates.FleetRow{Index: i, Name: m.Name}
		for _, col := range templates.FleetColumns {
			own, inherited := fleetCell(m, t, col.Key)
			cell := templates.FleetCell{Column: col.Key, Value: own}
			if own == "" && inherited != "" {
				cell.Value, cell.Inherited = inherited, true
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	for _, pr := range fleetOnly(probs) {
		fp := templates.FleetProblem{Message: pr.Message, Warning: pr.Severity == plan.Warning}
		i, col, item, ok := fleetField(pr.Field)
		switch {
		case !ok || i >= len(v.Rows):
			v.Problems = append(v.Problems, fp)
		case columnAt(col) < 0:
			if col != "" {
				fp.Message = templates.Label(templates.FleetKey(i, col)) + " (" + col + "): " + fp.Message
			}
			v.Rows[i].Problems = append(v.Rows[i].Problems, fp)
		default:
			if item > 0 {
				fp.Message = "Item " + strconv.Itoa(item) + ": " + fp.Message
			}
			cell := &v.Rows[i].Cells[columnAt(col)]
			cell.Problems = append(cell.Problems, fp)
		}
	}
	return v
}

// fleetCell is a machine's own value in a column and what it inherits.
func fleetCell(m plan.Machine, t plan.Tentacle, col string) (own, inherited string) {
	list := func(s []string) string { return strings.Join(s, "; ") }
	switch col {
	case "name":
		return m.Name, ""
	case "os":
		return m.OS, t.OS
	case "kind":
		return m.Kind, t.Kind
	case "environments":
		return list(m.Environments), list(t.Environments)
	case "roles":
		return list(m.Roles), list(t.Roles)
	case "workerPools":
		return list(m.WorkerPools), list(t.WorkerPools)
	case "tenants":
		return list(m.Tenants), list(t.Tenants)
	case "instance":
		return m.Instance, t.Instance
	case "subscriptionId":
		return m.SubscriptionID, ""
	}
	return "", ""
}

// fleetField splits "fleet[2].roles[1]" into (2, "roles", 2): the machine,
// its field and the 1-based item of a list ("fleet[2]" has no field).
func fleetField(field string) (i int, col string, item int, ok bool) {
	rest, found := strings.CutPrefix(field, "fleet[")
	if !found {
		return 0, "", 0, false
	}
	idx, rest, found := strings.Cut(rest, "]")
	i, err := strconv.Atoi(idx)
	if !found || err != nil || i < 0 {
		return 0, "", 0, false
	}
	col = strings.TrimPrefix(rest, ".")
	if name, n, list := strings.Cut(col, "["); list {
		col = name
		if k, err := strconv.Atoi(strings.TrimSuffix(n, "]")); err == nil {
			item = k + 1
		}
	}
	return i, col, item, true
}

func columnAt(col string) int {
	for i, c := range templates.FleetColumns {
		if c.Key == col {
			return i
		}
	}
	return -1
}

// fleetDisplayKey is where a fleet problem shows: the cell of its column
// ("fleet[2].roles[1]" in "fleet[2].roles"), else its row ("fleet[2]").
func fleetDisplayKey(field string) (string, bool) {
	i, col, _, ok := fleetField(field)
	if !ok {
		return "", false
	}
	if columnAt(col) < 0 {
		return templates.FleetKey(i, ""), true
	}
	return templates.FleetKey(i, col), true
}
