package app

import "github.com/tentacle-ha-wizard/wizard/templates"

// runResult is how a registration run ended: the run table keeps it, and
// the Register page and the stream's "done" event show it (view).
type runResult struct {
	OK bool
	// Headline is one sentence: what was done, or where it stopped.
	Headline string
	// Advice says what to do after a failure.
	Advice string
	// Backup is where Tentacle.config was copied before the first change.
	Backup   string
	Warnings int
	// WarningNotes say which steps warned and why, one line each.
	WarningNotes []string
	// Cancelled: the operator pressed Cancel; Headline and Advice say
	// where the run stopped and what state it left.
	Cancelled bool
	// ExistingID is the subscription id the Tentacle already polls this
	// cluster with, when the run stopped because the plan has another.
	ExistingID string
}

// view is the result as the Register page shows it; nil for a run that
// has not ended.
func (r *runResult) view() *templates.RegisterOutcome {
	if r == nil {
		return nil
	}
	return &templates.RegisterOutcome{
		OK: r.OK, Headline: r.Headline, Advice: r.Advice, Backup: r.Backup,
		Warnings: r.Warnings, ExistingID: r.ExistingID, WarningNotes: r.WarningNotes, Cancelled: r.Cancelled,
	}
}
