package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// runTable holds the runs of one kind (registrations, rollouts) going on
// and those that ended a short while ago. It is the one state the app keeps
// between requests, and only on a host that can run them: a running
// process must be found again by the browser that started it (POST
// /register/start, then GET /register/events/:id). A run holds its events
// (E) and its outcome (O), never the API key: the key lives only in the
// goroutine that does the work and is dropped when it returns. Runs are
// looked up by a random id, one runs at a time, and a finished run is
// forgotten after runKeep.
type runTable[E, O any] struct {
	base context.Context
	mu   sync.Mutex
	runs map[string]*run[E, O]
	now  func() time.Time
	// timeout cancels a run that takes longer; crashed is the outcome of a
	// run whose work panicked.
	timeout time.Duration
	crashed func(p any) O
}

const (
	// runKeep is how long a finished run can still be watched.
	runKeep = 10 * time.Minute
	// runTimeout cancels a registration that takes longer: every step has
	// its own timeout, so this only bounds the unexpected.
	runTimeout = 30 * time.Minute
)

// errBusy is returned when a run of the kind is going on already: two
// registrations would change the same Tentacle.config, two rollouts would
// queue tasks on the same machines.
var errBusy = errors.New("web: a registration is running already")

// regTable and work are the registrations' table and work.
type (
	regTable = runTable[report.Event, runResult]
	work     = runWork[report.Event, runResult]
)

// newRunTable is the registrations' table; base (nil: background) bounds
// every run, so stopping the server cancels one in progress.
func newRunTable(base context.Context, now func() time.Time) *regTable {
	return newTable[report.Event](base, now, runTimeout, func(p any) runResult {
		return runResult{Headline: "The run stopped unexpectedly.", Advice: fmt.Sprintf("Internal error: %v. Read the wizard's log, then run again: finished steps are skipped.", p)}
	})
}

func newTable[E, O any](base context.Context, now func() time.Time, timeout time.Duration, crashed func(any) O) *runTable[E, O] {
	if base == nil {
		base = context.Background()
	}
	return &runTable[E, O]{base: base, runs: map[string]*run[E, O]{}, now: now, timeout: timeout, crashed: crashed}
}

// run is one run.
type run[E, O any] struct {
	mu      sync.Mutex
	events  []E
	changed chan struct{} // closed and replaced at every change
	outcome *O
	ended   time.Time
	done    chan struct{} // closed when the run ends
	// cancel stops the run's work with a cause (stop).
	cancel context.CancelCauseFunc
}

// runWork is a run's work with everything it needs bound (the plan, the
// key); it reports events to emit and returns the outcome.
type runWork[E, O any] func(ctx context.Context, emit func(E)) O

// start runs w in the background under id, unless a run is going on.
// Finished runs older than runKeep are forgotten here and in get.
func (t *runTable[E, O]) start(id string, w runWork[E, O]) (*run[E, O], error) {
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
	ctx, cancel := context.WithCancelCause(t.base)
	r := &run[E, O]{changed: make(chan struct{}), done: make(chan struct{}), cancel: cancel}
	t.runs[id] = r
	go func() {
		defer cancel(nil)
		ctx, stop := context.WithTimeout(ctx, t.timeout)
		defer stop()
		var o O
		defer func() {
			if p := recover(); p != nil {
				o = t.crashed(p)
			}
			r.finish(o, t.now())
		}()
		o = w(ctx, r.add)
	}()
	return r, nil
}

// get finds a run that has not been forgotten.
func (t *runTable[E, O]) get(id string) (*run[E, O], bool) {
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

// stop cancels the run id with cause, so its work ends where it is (the
// registration kills the running Tentacle command and reports the step as
// cancelled "because "+cause). It reports whether a run going on was found.
func (t *runTable[E, O]) stop(id string, cause error) bool {
	r, ok := t.get(id)
	if !ok || !r.endedAt().IsZero() {
		return false
	}
	r.cancel(cause)
	return true
}

func (r *run[E, O]) add(ev E) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *run[E, O]) finish(o O, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcome, r.ended = &o, now
	close(r.changed)
	r.changed = make(chan struct{})
	close(r.done)
}

func (r *run[E, O]) endedAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ended
}

// sent is how many events the run has.
func (r *run[E, O]) sent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// since returns the events from index i on, the outcome once the run has
// ended, and a channel closed at the next change.
func (r *run[E, O]) since(i int) ([]E, *O, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var evs []E
	if i < len(r.events) {
		evs = append(evs, r.events[max(i, 0):]...)
	}
	return evs, r.outcome, r.changed
}

// latestSteps keeps the last event of each step, in step order of first
// appearance: what a page shows once the run is over.
func latestSteps(events []report.Event) []report.Event {
	var out []report.Event
	at := map[int]int{}
	for _, ev := range events {
		if i, ok := at[ev.Step]; ok {
			out[i] = ev
			continue
		}
		at[ev.Step] = len(out)
		out = append(out, ev)
	}
	return out
}
