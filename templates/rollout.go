package templates

import (
	"github.com/a-h/templ"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// RolloutView is the Rollout page: the change to roll out, the choices
// of `server rollout` (space, selection, batches, dry run), the API key,
// and the events of a run as they happen (or, without JavaScript, once it
// ended).
type RolloutView struct {
	Page
	// ReviewStep is the number of the wizard's review step, which the
	// forms back to the wizard name.
	ReviewStep         int
	PlanJSON, FromJSON string
	ServerURL          string
	// Added and Removed are the addresses the Tentacles add and drop.
	Added, Removed                    []string
	Space, Select, Batch, MaxFailures string
	DryRun                            bool
	KeyError, Alert, Focus            string
	// Events is the address of the run's event stream while it goes on.
	Events  string
	Lines   []report.RolloutEvent
	Outcome *RolloutOutcome
}

// RolloutOutcome is how a rollout ended.
type RolloutOutcome struct {
	OK, DryRun       bool
	Headline, Advice string
	// StatePath is the state file a run again resumes from.
	StatePath string
}

// FocusAttrs gives the element with id the focus when the page loads.
func (r RolloutView) FocusAttrs(id string) templ.Attributes {
	if r.Focus != "" && r.Focus == id {
		return templ.Attributes{"autofocus": true}
	}
	return templ.Attributes{}
}

// streamAttrs connect the run's section to its event stream while it goes
// on; every event's data places itself (hx-swap-oob).
func (r RolloutView) streamAttrs() templ.Attributes {
	if r.Events == "" || r.Outcome != nil {
		return templ.Attributes{}
	}
	return templ.Attributes{"hx-ext": "sse", "sse-connect": r.Events, "sse-swap": "line,done", "sse-close": "done", "hx-swap": "none"}
}

// rolloutStatus is the badge status of an event, if it has one.
func rolloutStatus(ev report.RolloutEvent) report.Status {
	switch ev.Status {
	case report.MachineOK, string(report.Pass), "Success":
		return report.Pass
	case report.MachineFailed, string(report.Fail), "Failed", "TimedOut", "Canceled":
		return report.Fail
	case report.MachineOffline, report.MachineSkipped:
		return report.Warn
	case report.MachinePlanned, report.MachineDone:
		return report.Skip
	}
	return ""
}

func rolloutKeyDescribedby(keyError string) string {
	if keyError != "" {
		return "rollout-api-key-hint rollout-api-key-problems"
	}
	return "rollout-api-key-hint"
}
