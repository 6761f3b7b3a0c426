package rollout

import (
	"context"
	"fmt"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Defaults of Options.
const (
	DefaultPoll          = 4 * time.Second // TaskRepository.WaitForCompletion's interval
	DefaultTaskTimeout   = 30 * time.Minute
	DefaultHealthTimeout = 5 * time.Minute // ExecuteHealthCheck's default
)

// Options is one rollout.
type Options struct {
	Client    *octopus.Client
	Pack      Pack
	SpaceID   string
	Selection Selection
	// Batch is the size of every batch after the canary; MaxFailures how
	// many failed machines a batch may have before the rollout stops (the
	// canary may have none).
	Batch, MaxFailures Size
	// DryRun lists the machines and batches and changes nothing: no task,
	// no state file.
	DryRun    bool
	StatePath string
	// Poll is the interval between task reads; TaskTimeout bounds each
	// batch's tasks and HealthTimeout the health check (zero: defaults).
	Poll, TaskTimeout, HealthTimeout time.Duration
	// HealthDelay is how long to wait before the health check, so the
	// restarts the update scripts scheduled have happened; negative means
	// none, zero the default (the scripts' restart delay and 15 s more).
	HealthDelay time.Duration
	// Now is the clock of the state file (nil: time.Now).
	Now func() time.Time
}

// Summary is how a rollout ended.
type Summary struct {
	Tentacles, Agents                     int
	OK, Failed, Offline, Skipped, Earlier int
	Batches, BatchesRun                   int
	Stopped                               bool
	HealthTask                            string
	HealthFailed                          int
}

// Complete reports whether every selected polling Tentacle is done and
// the health check found nothing wrong.
func (s Summary) Complete() bool {
	return s.Failed+s.Offline+s.Skipped+s.HealthFailed == 0 && !s.Stopped
}

type runner struct {
	Options
	emit  func(report.RolloutEvent)
	state *State
	sum   Summary
	// changed are the machines this run updated: the health check's.
	changed []Machine
}

// Run finds the polling Tentacles, runs the update in batches, saves the
// state after each batch and ends with a health check of the machines it
// changed. emit receives every event as it happens; the caller masks it.
func Run(ctx context.Context, o Options, emit func(report.RolloutEvent)) (Summary, error) {
	r := &runner{Options: o, emit: emit}
	if r.Poll <= 0 {
		r.Poll = DefaultPoll
	}
	if r.TaskTimeout <= 0 {
		r.TaskTimeout = DefaultTaskTimeout
	}
	if r.HealthDelay == 0 {
		r.HealthDelay = time.Duration(bundle.DefaultRestartDelaySeconds+15) * time.Second
	}
	if r.HealthTimeout <= 0 {
		r.HealthTimeout = DefaultHealthTimeout
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	fleet, err := Discover(ctx, r.Client, r.SpaceID, r.Selection)
	if err != nil {
		return r.sum, err
	}
	if r.state, err = LoadState(r.StatePath); err != nil {
		return r.sum, err
	}
	if err := r.state.Claim(r.StatePath, r.Pack.ServerURL, r.SpaceID, r.Pack.Digest); err != nil {
		return r.sum, err
	}
	runnable, aside := r.sort(fleet)
	batches := Plan(runnable, r.Batch)
	r.sum.Batches = len(batches)
	r.emit(report.RolloutEvent{Kind: report.RolloutFound, Batches: len(batches), Message: r.found(fleet, runnable, batches)})
	for _, ev := range aside {
		r.emit(ev)
	}
	for _, a := range fleet.Agents {
		r.emit(report.RolloutEvent{Kind: report.RolloutAgent, Machine: a.Name, MachineID: a.ID,
			Message: "a Kubernetes agent is not updated by a script task: use " + AgentScript + " with its helm release"})
	}
	if r.DryRun {
		for i, b := range batches {
			r.emit(report.RolloutEvent{Kind: report.RolloutBatch, Batch: i + 1, Batches: len(batches), Status: report.MachinePlanned,
				Machines: names(b), Message: batchLabel(i, b)})
		}
		return r.sum, nil
	}
	if err := r.state.Save(r.StatePath); err != nil {
		return r.sum, err
	}
	for i, b := range batches {
		failed, err := r.batch(ctx, i, len(batches), b)
		r.sum.BatchesRun++
		if serr := r.state.Save(r.StatePath); err == nil {
			err = serr
		}
		if err != nil {
			return r.sum, err
		}
		allowed := r.MaxFailures.AllowedOf(len(b))
		if i == 0 {
			allowed = 0
		}
		if failed > allowed {
			r.sum.Stopped = true
			what := fmt.Sprintf("batch %d had %d failed machine(s), over -max-failures %s (%d of %d)", i+1, failed, r.MaxFailures, allowed, len(b))
			if i == 0 {
				what = "the canary failed"
			}
			r.emit(report.RolloutEvent{Kind: report.RolloutStop, Batch: i + 1, Batches: len(batches),
				Message: what + fmt.Sprintf("; %d batch(es) not run. Fix the cause and run the same command again: machines done are skipped", len(batches)-i-1)})
			break
		}
	}
	if err := r.health(ctx); err != nil {
		return r.sum, err
	}
	r.emit(report.RolloutEvent{Kind: report.RolloutDone, Status: doneStatus(r.sum), Message: fmt.Sprintf(
		"%d ok, %d failed, %d offline, %d skipped, %d done earlier; %d of %d batches run; state in %s",
		r.sum.OK, r.sum.Failed, r.sum.Offline, r.sum.Skipped, r.sum.Earlier, r.sum.BatchesRun, r.sum.Batches, r.StatePath)})
	return r.sum, nil
}

func doneStatus(s Summary) string {
	if s.Complete() {
		return string(report.Pass)
	}
	return string(report.Fail)
}

// sort records the machines that will not run (done earlier, disabled,
// offline, OS unknown) and returns those that will, and the events that
// report the others.
func (r *runner) sort(f Fleet) (runnable []Machine, aside []report.RolloutEvent) {
	r.sum.Tentacles, r.sum.Agents = len(f.Tentacles), len(f.Agents)
	for _, m := range f.Tentacles {
		status, message := "", ""
		switch {
		case r.state.Done(m.ID):
			r.sum.Earlier++
			aside = append(aside, report.RolloutEvent{Kind: report.RolloutMachine, Machine: m.Name, MachineID: m.ID, Status: report.MachineDone,
				Message: "done by an earlier run, skipped"})
			continue
		case m.Disabled:
			status, message = report.MachineSkipped, "disabled in Octopus: enable it and run again"
		case m.Offline():
			status, message = report.MachineOffline, "Octopus reports it Unavailable: not run; a re-run retries it"
		case m.Syntax == "":
			status, message = report.MachineSkipped, "Octopus does not know its OS yet: run a health check on it, then run again"
		default:
			runnable = append(runnable, m)
			continue
		}
		if status == report.MachineOffline {
			r.sum.Offline++
		} else {
			r.sum.Skipped++
		}
		aside = append(aside, report.RolloutEvent{Kind: report.RolloutMachine, Machine: m.Name, MachineID: m.ID, Status: status, Message: message})
		if !r.DryRun {
			r.state.Set(m, status, "", message, r.Now())
		}
	}
	return runnable, aside
}

func (r *runner) found(f Fleet, runnable []Machine, batches [][]Machine) string {
	bash, ps := 0, 0
	for _, m := range f.Tentacles {
		switch m.Syntax {
		case octopus.Bash:
			bash++
		case octopus.PowerShell:
			ps++
		}
	}
	msg := fmt.Sprintf("%d polling Tentacle(s) in %s (%d Bash, %d PowerShell), %d Kubernetes agent(s)", len(f.Tentacles), r.SpaceID, bash, ps, len(f.Agents))
	if !r.Selection.Empty() {
		msg += " selected by " + r.Selection.String()
	}
	return msg + fmt.Sprintf("; %d to update in %d batch(es): a canary, then %s at a time", len(runnable), len(batches), r.Batch)
}

func names(ms []Machine) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func batchLabel(i int, b []Machine) string {
	label := fmt.Sprintf("%d machine(s)", len(b))
	if i == 0 {
		label = "canary, " + label
	}
	return label
}
