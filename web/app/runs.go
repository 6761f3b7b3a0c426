package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// runTable holds the registrations running and those that ended a short
// while ago. It is the one state the app keeps between requests, and only
// on a host with a Registrar: a running process must be found again by the
// browser that started it (POST /register/start, then GET
// /register/events/:id). A run holds its events and its outcome, never the
// API key: the key lives only in the goroutine that runs the registration
// and is dropped when it returns. Runs are looked up by a random id, one
// runs at a time, and a finished run is forgotten after runKeep.
type runTable struct {
	// base is cancelled when the host shuts down, ending any run.
	base context.Context
	mu   sync.Mutex
	runs map[string]*run
	now  func() time.Time
}

const (
	// runKeep is how long a finished run can still be watched.
	runKeep = 10 * time.Minute
	// runTimeout cancels a run that takes longer: every step has its
	// own timeout, so this only catches the unexpected.
	runTimeout = 30 * time.Minute
)

// errBusy is returned when a registration is running already: two at once
// would change the same Tentacle.config.
var errBusy = errors.New("web: a registration is running already")

func newRunTable(base context.Context, now func() time.Time) *runTable {
	if base == nil {
		base = context.Background()
	}
	return &runTable{base: base, runs: map[string]*run{}, now: now}
}

// run is one registration.
type run struct {
	mu      sync.Mutex
	events  []report.Event
	changed chan struct{} // closed and replaced at every change
	outcome *runResult
	ended   time.Time
	done    chan struct{} // closed when the run ends
}

// work is a registration with its plan and key bound; it reports events
// to emit and returns how the run ended.
type work func(ctx context.Context, emit func(report.Event)) runResult

// start runs w in the background under id, unless a run is going on.
func (t *runTable) start(id string, w work) (*run, error) {
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
	r := &run{changed: make(chan struct{}), done: make(chan struct{})}
	t.runs[id] = r
	go func() {
		ctx, cancel := context.WithTimeout(t.base, runTimeout)
		defer cancel()
		var o runResult
		defer func() {
			if p := recover(); p != nil {
				o = runResult{Headline: "The run stopped unexpectedly.", Advice: fmt.Sprintf("Internal error: %v. Read the wizard's log, then run again: finished steps are skipped.", p)}
			}
			r.finish(o, t.now())
		}()
		o = w(ctx, r.add)
	}()
	return r, nil
}

// get finds a run that has not been forgotten.
func (t *runTable) get(id string) (*run, bool) {
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

func (r *run) add(ev report.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *run) finish(o runResult, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcome, r.ended = &o, now
	close(r.changed)
	r.changed = make(chan struct{})
	close(r.done)
}

func (r *run) endedAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ended
}

// sent is how many events the run has emitted so far.
func (r *run) sent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// since returns the events from index i on, the outcome once the run has
// ended, and a channel closed at the next change.
func (r *run) since(i int) ([]report.Event, *runResult, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var evs []report.Event
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
