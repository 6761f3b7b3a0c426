package app

import (
	"context"
	"fmt"
	"time"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// rolloutRuns and rolloutWork are the rollouts through
// Octopus as runTable keeps them: found again by a random id, one at a
// time (two would queue tasks on the same machines), a finished one
// forgotten after runKeep; a run holds its events and outcome, never the
// API key.
type (
	rolloutRuns = runTable[report.RolloutEvent, templates.RolloutOutcome]
	rolloutWork = runWork[report.RolloutEvent, templates.RolloutOutcome]
)

// rolloutTimeout cancels a rollout that takes longer; each batch's tasks
// have their own timeout, so this only bounds the unexpected.
const rolloutTimeout = 6 * time.Hour

func newRolloutRuns(base context.Context, now func() time.Time) *rolloutRuns {
	return newTable[report.RolloutEvent](base, now, rolloutTimeout, func(p any) templates.RolloutOutcome {
		return templates.RolloutOutcome{Headline: "The rollout stopped unexpectedly.", Advice: fmt.Sprintf("Internal error: %v. Read the wizard's log, then run again: machines done are skipped.", p)}
	})
}
