package rollout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// group is the part of a batch one task runs: one kind of machine
// (ad-hoc TargetType Machines for targets, Workers for workers) and one
// script syntax.
type group struct {
	targetType, syntax string
	machines           []Machine
}

func (g group) kind() string {
	if g.targetType == octopus.TargetWorkers {
		return "worker(s)"
	}
	return "deployment target(s)"
}

// groups splits a batch into its tasks, in a fixed order.
func groups(b []Machine) []group {
	var out []group
	for _, kind := range []string{octopus.TargetMachines, octopus.TargetWorkers} {
		for _, syntax := range []string{octopus.Bash, octopus.PowerShell} {
			g := group{targetType: kind, syntax: syntax}
			for _, m := range b {
				if m.Syntax == syntax && m.Worker == (kind == octopus.TargetWorkers) {
					g.machines = append(g.machines, m)
				}
			}
			if len(g.machines) > 0 {
				out = append(out, g)
			}
		}
	}
	return out
}

func machineIDs(ms []Machine) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// batch runs one batch: a task per group, followed to the end, then each
// machine's outcome from the task's details. It returns how many machines
// failed; an error means the rollout cannot go on (the key was refused,
// the run was interrupted).
func (r *runner) batch(ctx context.Context, i, total int, b []Machine) (int, error) {
	start := time.Now()
	r.emit(report.RolloutEvent{Kind: report.RolloutBatch, Batch: i + 1, Batches: total, Status: string(report.Running), Machines: names(b), Message: batchLabel(i, b)})
	failed, ok := 0, 0
	record := func(m Machine, o outcome, taskID string) {
		r.result(m, o, taskID)
		if o.status == report.MachineOK {
			ok++
		} else {
			failed++
		}
	}
	var ids []string
	byTask := map[string]group{}
	for _, g := range groups(b) {
		body := r.Pack.Bash
		if g.syntax == octopus.PowerShell {
			body = r.Pack.PowerShell
		}
		desc := fmt.Sprintf("Tentacle HA Wizard rollout: update-tentacle, batch %d of %d (%d %s machine(s))", i+1, total, len(g.machines), g.syntax)
		t, err := r.Client.CreateTask(ctx, octopus.AdHocScript(r.SpaceID, desc, g.targetType, g.syntax, body, machineIDs(g.machines)))
		switch {
		case ctx.Err() != nil:
			return failed, ctx.Err()
		case errors.Is(err, octopus.ErrUnauthorized):
			return failed, fmt.Errorf("rollout: queue a script task: %s (the user needs permission to run ad-hoc scripts in this space)", octopus.Reason(err))
		case err != nil:
			for _, m := range g.machines {
				record(m, outcome{status: report.MachineFailed, message: "Octopus refused the script task: " + octopus.Reason(err)}, "")
			}
			continue
		}
		r.emit(report.RolloutEvent{Kind: report.RolloutTask, Batch: i + 1, Batches: total, TaskID: t.Id, Syntax: g.syntax, Status: t.State,
			Machines: names(g.machines), Message: fmt.Sprintf("%d %s", len(g.machines), g.kind())})
		ids = append(ids, t.Id)
		byTask[t.Id] = g
	}
	final, cancelled, err := follow(ctx, r.Client, ids, r.Poll, r.TaskTimeout)
	if err != nil {
		return failed, err
	}
	for _, id := range ids {
		g, t := byTask[id], final[id]
		r.emit(report.RolloutEvent{Kind: report.RolloutTask, Batch: i + 1, Batches: total, TaskID: id, Syntax: g.syntax, Status: t.State, Message: t.ErrorMessage})
		if cancelled[id] {
			for _, m := range g.machines {
				record(m, outcome{status: report.MachineFailed, message: fmt.Sprintf("the task did not end within %s and was cancelled", r.TaskTimeout)}, id)
			}
			continue
		}
		d, err := r.Client.TaskDetails(ctx, id)
		if err != nil && ctx.Err() != nil {
			return failed, ctx.Err()
		}
		outs := outcomes(d, t, g.machines) // without details, the task's state stands for each machine
		for _, m := range g.machines {
			record(m, outs[m.ID], id)
		}
	}
	status := report.Pass
	if failed > 0 {
		status = report.Fail
	}
	r.emit(report.RolloutEvent{Kind: report.RolloutBatch, Batch: i + 1, Batches: total, Status: string(status), Duration: time.Since(start),
		Message: fmt.Sprintf("%d ok, %d failed", ok, failed)})
	return failed, nil
}

// result reports a machine's outcome and records it in the state.
func (r *runner) result(m Machine, o outcome, taskID string) {
	r.emit(report.RolloutEvent{Kind: report.RolloutMachine, Machine: m.Name, MachineID: m.ID, Syntax: m.Syntax, TaskID: taskID,
		Status: o.status, Message: o.message, Log: o.log})
	status := "done"
	if o.status == report.MachineOK {
		r.sum.OK++
		r.changed = append(r.changed, m)
	} else {
		status = "failed"
		r.sum.Failed++
	}
	r.state.Set(m, status, taskID, o.message, r.Now())
}

// health runs a health check task on the machines this run changed and
// reports each of them; a failed check is reported, not an error.
func (r *runner) health(ctx context.Context) error {
	if len(r.changed) == 0 {
		return nil
	}
	if r.HealthDelay > 0 {
		// The update scripts restart each Tentacle detached, a little
		// later: checking before that would find the old connections.
		r.emit(report.RolloutEvent{Kind: report.RolloutHealth, Status: string(report.Running),
			Message: fmt.Sprintf("waiting %s for the Tentacles' scheduled restarts before the health check", r.HealthDelay)})
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.HealthDelay):
		}
	}
	start := time.Now()
	t, err := r.Client.CreateTask(ctx, octopus.HealthCheck(r.SpaceID, fmt.Sprintf("Tentacle HA Wizard rollout: health check of %d updated machine(s)", len(r.changed)),
		r.HealthTimeout, time.Minute, machineIDs(r.changed)))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.sum.HealthFailed = len(r.changed)
		r.emit(report.RolloutEvent{Kind: report.RolloutHealth, Status: string(report.Fail), Message: "Octopus refused the health check task: " + octopus.Reason(err)})
		return nil
	}
	r.sum.HealthTask = t.Id
	r.emit(report.RolloutEvent{Kind: report.RolloutTask, TaskID: t.Id, Syntax: octopus.TaskHealth, Status: t.State, Machines: names(r.changed),
		Message: fmt.Sprintf("%d machine(s)", len(r.changed))})
	final, cancelled, err := follow(ctx, r.Client, []string{t.Id}, r.Poll, r.HealthTimeout+time.Minute)
	if err != nil {
		return err
	}
	t = final[t.Id]
	d, _ := r.Client.TaskDetails(ctx, t.Id)
	outs := outcomes(d, t, r.changed)
	for _, m := range r.changed {
		o := outs[m.ID]
		if cancelled[t.Id] {
			o = outcome{status: report.MachineFailed, message: "the health check did not end in time and was cancelled"}
		}
		if o.status != report.MachineOK {
			r.sum.HealthFailed++
		} else {
			o.message = "healthy"
		}
		r.emit(report.RolloutEvent{Kind: report.RolloutHealth, Machine: m.Name, MachineID: m.ID, TaskID: t.Id, Status: o.status, Message: o.message, Log: o.log})
	}
	status := report.Pass
	if r.sum.HealthFailed > 0 {
		status = report.Fail
	}
	r.emit(report.RolloutEvent{Kind: report.RolloutHealth, TaskID: t.Id, Status: string(status), Duration: time.Since(start),
		Message: fmt.Sprintf("task %s, %d of %d machine(s) healthy", t.State, len(r.changed)-r.sum.HealthFailed, len(r.changed))})
	return nil
}
