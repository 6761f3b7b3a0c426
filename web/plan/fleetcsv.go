package plan

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// FleetColumns are the columns a fleet CSV may have, in the order the
// wizard documents them; list columns separate their items with ";".
var FleetColumns = []string{"name", "os", "kind", "environments", "roles", "workerPools", "tenants", "instance"}

// ReadFleetCSV reads machines from CSV: a header row naming some of
// FleetColumns (any order, any case; name is required), then one machine a
// row. Problems name the row and column (fleet[i].column for machine i, on
// CSV row i+2) so a table can show them beside the cell; a problem on the
// file as a whole is on "fleet".
func ReadFleetCSV(r io.Reader) ([]Machine, Problems) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, Problems{{Field: "fleet", Severity: Error, Message: "The CSV is empty: give a header row (" + strings.Join(FleetColumns, ",") + ") and a row per machine."}}
	}
	if err != nil {
		return nil, Problems{{Field: "fleet", Severity: Error, Message: "The CSV cannot be read: " + csvReason(err)}}
	}
	cols, probs := fleetHeader(header)
	if probs != nil {
		return nil, probs
	}
	var fleet []Machine
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, append(probs, Problem{Field: "fleet", Severity: Error, Message: fmt.Sprintf("Row %d cannot be read: %s", row, csvReason(err))})
		}
		if len(fleet) == MaxFleet {
			return nil, append(probs, Problem{Field: "fleet", Severity: Error, Message: fmt.Sprintf("The CSV has more than %d machines; split it.", MaxFleet)})
		}
		if len(rec) != len(cols) {
			probs = append(probs, Problem{Field: fmt.Sprintf("fleet[%d]", len(fleet)), Severity: Error,
				Message: fmt.Sprintf("Row %d has %d cells; the header has %d columns.", row, len(rec), len(cols))})
		}
		var m Machine
		for i, cell := range rec {
			if i < len(cols) {
				setFleetCell(&m, cols[i], cell)
			}
		}
		fleet = append(fleet, m)
	}
	if len(fleet) == 0 {
		probs = append(probs, Problem{Field: "fleet", Severity: Error, Message: "The CSV has a header but no machines."})
	}
	return fleet, probs
}

func fleetHeader(header []string) ([]string, Problems) {
	var probs Problems
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range FleetColumns {
			if strings.EqualFold(h, c) {
				cols[i] = c
			}
		}
		switch {
		case cols[i] == "":
			probs = append(probs, Problem{Field: "fleet", Severity: Error, Message: fmt.Sprintf("Column %d of the header, %q, is not one of %s.", i+1, h, strings.Join(FleetColumns, ", "))})
		case seen[cols[i]]:
			probs = append(probs, Problem{Field: "fleet", Severity: Error, Message: fmt.Sprintf("The header names the column %s twice.", cols[i])})
		}
		seen[cols[i]] = true
	}
	if !seen["name"] {
		probs = append(probs, Problem{Field: "fleet", Severity: Error, Message: "The header has no name column: every machine needs a name."})
	}
	return cols, probs
}

func setFleetCell(m *Machine, col, cell string) {
	list := func() []string {
		if strings.TrimSpace(cell) == "" {
			return nil
		}
		return strings.Split(cell, ";")
	}
	switch col {
	case "name":
		m.Name = cell
	case "os":
		m.OS = cell
	case "kind":
		m.Kind = cell
	case "instance":
		m.Instance = cell
	case "environments":
		m.Environments = list()
	case "roles":
		m.Roles = list()
	case "workerPools":
		m.WorkerPools = list()
	case "tenants":
		m.Tenants = list()
	}
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error() + fmt.Sprintf(" (line %d, column %d)", pe.Line, pe.Column)
	}
	return err.Error()
}
