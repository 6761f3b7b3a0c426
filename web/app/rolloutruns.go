package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// rolloutRuns holds the rollouts through Octopus running and those that
// ended a short while ago, as runTable does registrations: found again by
// a random id, one at a time (two would queue tasks on the same machines),
// a finished one forgotten after runKeep. A run holds its events and its
// outcome, never the API key.
type rolloutRuns struct {
	base context.Context
	mu   sync.Mutex
	runs map[string]*rolloutRun
	now  func() time.Time
}

// rolloutTimeout cancels a rollout that takes longer; each batch's tasks
// have their own timeout, so this only bounds the unexpected.
const rolloutTimeout = 6 * time.Hour

func newRolloutRuns(base context.Context, now func() time.Time) *rolloutRuns {
	if base == nil {
		base = context.Background()
	}
	return &rolloutRuns{base: base, runs: map[string]*rolloutRun{}, now: now}
}

// rolloutRun is one rollout.
type rolloutRun struct {
	mu      sync.Mutex
	events  []report.RolloutEvent
	changed chan struct{} // closed and replaced at every change
	outcome *templates.RolloutOutcome
	ended   time.Time
	done    chan struct{}
}

// rolloutWork is a rollout with its pack and key bound.
type rolloutWork func(ctx context.Context, emit func(report.RolloutEvent)) templates.RolloutOutcome

// start runs w in the background under id, unless a rollout is going on.
func (t *rolloutRuns) start(id string, w rolloutWork) (*rolloutRun, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for key, r := range t.runs {
		switch ended := r.endedAt(); {
		case ended.IsZero():
			return nil, errBusy
		case now.Sub(ended) > runKeep:
			delete(t.runs, key)
		}
	}
	r := &rolloutRun{changed: make(chan struct{}), done: make(chan struct{})}
	t.runs[id] = r
	go func() {
		ctx, cancel := context.WithTimeout(t.base, rolloutTimeout)
		defer cancel()
		var o templates.RolloutOutcome
		defer func() {
			if p := recover(); p != nil {
				o = templates.RolloutOutcome{Headline: "The rollout stopped unexpectedly.", Advice: fmt.Sprintf("Internal error: %v. Read the wizard's log, then run again: machines done are skipped.", p)}
			}
			r.finish(o, t.now())
		}()
		o = w(ctx, r.add)
	}()
	return r, nil
}

// get finds a rollout that has not been forgotten.
func (t *rolloutRuns) get(id string) (*rolloutRun, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.runs[id]
	if !ok {
		return nil, false
	}
	if ended := r.endedAt(); !ended.IsZero() && t.now().Sub(ended) > runKeep {
		delete(t.runs, id)
		return nil, false
	}
	return r, true
}

func (r *rolloutRun) add(ev report.RolloutEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *rolloutRun) finish(o templates.RolloutOutcome, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcome, r.ended = &o, now
	close(r.changed)
	r.changed = make(chan struct{})
	close(r.done)
}

func (r *rolloutRun) endedAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ended
}

// since returns the events from index i on, the outcome once the rollout
// has ended, and a channel closed at the next change.
func (r *rolloutRun) since(i int) ([]report.RolloutEvent, *templates.RolloutOutcome, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var evs []report.RolloutEvent
	if i < len(r.events) {
		evs = append(evs, r.events[max(i, 0):]...)
	}
	return evs, r.outcome, r.changed
}
