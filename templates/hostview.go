package templates

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Host says what the host serving the page can do besides generating
// files. Only the self-hosted server started with -allow-register can run
// the checks and the registration; every other host shows them as
// unavailable, with how to get them.
type Host struct {
	CanCheck    bool
	CanRegister bool
	// Tentacle is the Tentacle binary the registration runs.
	Tentacle string
	// HowToEnable is the command that starts a host that can check and
	// register, shown where they are unavailable.
	HowToEnable string
}

// CheckView is the result of the review step's Check.
type CheckView struct {
	Report report.Preflight
	// WithKey says an API key was given, so the API checks ran.
	WithKey bool
	// Alert replaces the report when the check could not run.
	Alert string
}

// Register is the Register page: the plan to confirm, the API key, and
// the steps of a run as they happen (or, without JavaScript, once it ended).
type Register struct {
	Page
	Plan      plan.Plan
	PlanJSON  string
	Addresses []string
	Tentacle  string
	// Steps are the run's steps, the latest state of each.
	Steps   []report.Event
	Outcome *RegisterOutcome
	// KeyError is shown beside the API key field.
	KeyError string
	Alert    string
	Notice   string
	Focus    string
	// Events is the address of the run's event stream while the run goes
	// on: the page connects to it (htmx's SSE extension); RunID is the
	// run's id, which the Cancel form posts.
	Events string
	RunID  string
	// Subscription is carried back to the wizard with the plan.
	Subscription IDState
	// ReviewStep is the number of the wizard's review step, which the
	// page's forms go back to.
	ReviewStep int
}

// streamAttrs connect the run's section to the event stream while a run
// goes on. Every event's data places itself (hx-swap-oob), so the section
// swaps nothing in itself; "done" ends the stream.
func (r Register) streamAttrs() templ.Attributes {
	if r.Events == "" || r.Outcome != nil {
		return templ.Attributes{}
	}
	return templ.Attributes{"hx-ext": "sse", "sse-connect": r.Events, "sse-swap": "step,done", "sse-close": "done", "hx-swap": "none"}
}

// RegisterOutcome is how a run ended.
type RegisterOutcome struct {
	OK bool
	// Headline is one sentence: what was done, or where it stopped.
	Headline string
	// Advice says what to do after a failure.
	Advice string
	// Backup is where Tentacle.config was copied before the first change.
	Backup   string
	Warnings int
	// WarningNotes say which steps warned and why: the headline counts
	// them and they are quoted under it, so the outcome never reads as a
	// plain success above a warning.
	WarningNotes []string
	// Cancelled: the run stopped because the operator pressed Cancel.
	Cancelled bool
	// ExistingID is the subscription id the Tentacle already polls this
	// cluster with, when the run stopped because the plan has another.
	ExistingID string
}

// FocusAttrs gives the element with id the focus when the page loads.
func (r Register) FocusAttrs(id string) templ.Attributes {
	if r.Focus != "" && r.Focus == id {
		return templ.Attributes{"autofocus": true}
	}
	return templ.Attributes{}
}

// bodyAttrs sends the CSRF token with every htmx request of the page.
func bodyAttrs(p Page) templ.Attributes {
	if p.CSRF == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"hx-headers": `{"X-CSRF-Token":"` + p.CSRF + `"}`}
}

// statusLabel is a status in words, for badges.
func statusLabel(s report.Status) string {
	switch s {
	case report.Pass:
		return "Pass"
	case report.Fail:
		return "Fail"
	case report.Warn:
		return "Warning"
	case report.Skip:
		return "Skipped"
	case report.Running:
		return "Running"
	}
	return string(s)
}

// duration is a short, readable duration: "12 ms", "1.4 s".
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Millisecond:
		return "under 1 ms"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}

// StepOf is "3 of 12", or "13" once a run has more steps than it
// planned (a step added on the way, such as installing a missing service).
func StepOf(step, total int) string {
	if total >= step {
		return itoa(step) + " of " + itoa(total)
	}
	return itoa(step)
}

// UsePrefix starts the names of the check result's choice boxes: a box
// named UsePrefix+"tentacle.roles" adds its value to that plan field.
const UsePrefix = "use."

// ChoiceGroup is one list of names Octopus offers and the plan field it fills.
type ChoiceGroup struct {
	Label, Field string
	Names        []string
}

// choiceGroups are the non-empty lists of a Choices, in a fixed order.
func choiceGroups(c *report.Choices) []ChoiceGroup {
	if c == nil {
		return nil
	}
	var out []ChoiceGroup
	for _, g := range []ChoiceGroup{
		{"Spaces", "server.space", c.Spaces}, {"Environments", "tentacle.environments", c.Environments},
		{"Roles", "tentacle.roles", c.Roles}, {"Tenants", "tentacle.tenants", c.Tenants},
		{"Worker pools", "tentacle.workerPools", c.WorkerPools},
	} {
		if len(g.Names) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// StepID is the element id of a registration step's row.
func StepID(step int) string { return "register-step-" + itoa(step) }
