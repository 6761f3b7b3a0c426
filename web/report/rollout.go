package report

import (
	"fmt"
	"strings"
	"time"
)

// RolloutKind says what a RolloutEvent reports.
type RolloutKind string

// What a rollout reports, in the order it happens.
const (
	RolloutFound   RolloutKind = "found"   // the machines found and what will happen
	RolloutAgent   RolloutKind = "agent"   // a Kubernetes agent: helm, not a task
	RolloutBatch   RolloutKind = "batch"   // a batch starts (Running) or ends
	RolloutTask    RolloutKind = "task"    // a server task was queued or ended
	RolloutMachine RolloutKind = "machine" // one machine's outcome
	RolloutHealth  RolloutKind = "health"  // the health check, and each machine in it
	RolloutStop    RolloutKind = "stop"    // the rollout stopped before the end
	RolloutDone    RolloutKind = "done"    // the summary
)

// Machine outcomes of a rollout.
const (
	MachineOK      = "ok"
	MachineFailed  = "failed"
	MachineOffline = "offline" // Octopus reports it Unavailable: not run, retried next time
	MachineSkipped = "skipped" // not run: disabled, or its OS is unknown
	MachineDone    = "done"    // done by an earlier run (the state file says so)
	MachinePlanned = "planned" // a dry run's listing
)

// RolloutEvent is one line of a rollout through Octopus tasks.
type RolloutEvent struct {
	Kind RolloutKind `json:"kind"`
	// Batch counts from 1; Batches is the number planned.
	Batch   int `json:"batch,omitempty"`
	Batches int `json:"batches,omitempty"`
	// Machine and MachineID name one machine; Machines several.
	Machine   string   `json:"machine,omitempty"`
	MachineID string   `json:"machineId,omitempty"`
	Machines  []string `json:"machines,omitempty"`
	// Syntax is Bash or PowerShell; TaskID the server task.
	Syntax string `json:"syntax,omitempty"`
	TaskID string `json:"taskId,omitempty"`
	// Status is a machine outcome, a task state, or pass/fail/running.
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	// Log is the task log line that explains a failure.
	Log      string        `json:"log,omitempty"`
	Duration time.Duration `json:"durationNs,omitempty"`
}

// Line renders the event as one line of text (a failure's log line on a
// second, indented line).
func (ev RolloutEvent) Line() string {
	var b strings.Builder
	who := ev.Machine
	if ev.MachineID != "" {
		who += " (" + ev.MachineID + ")"
	}
	switch ev.Kind {
	case RolloutMachine, RolloutHealth:
		if who == "" {
			fmt.Fprintf(&b, "health  %s", ev.Status)
			if ev.TaskID != "" {
				fmt.Fprintf(&b, " %s", ev.TaskID)
			}
		} else {
			prefix := ""
			if ev.Kind == RolloutHealth {
				prefix = "health "
			}
			fmt.Fprintf(&b, "%s%-8s %s", prefix, ev.Status, who)
		}
	case RolloutBatch:
		fmt.Fprintf(&b, "batch %d/%d", ev.Batch, ev.Batches)
		if ev.Status != "" && ev.Status != string(Running) {
			fmt.Fprintf(&b, " %s", ev.Status)
		}
	case RolloutTask:
		fmt.Fprintf(&b, "task  %s %s %s", ev.TaskID, ev.Syntax, ev.Status)
	case RolloutAgent:
		fmt.Fprintf(&b, "agent    %s", who)
	default:
		b.WriteString(string(ev.Kind))
	}
	if ev.Duration > 0 {
		fmt.Fprintf(&b, " (%s)", ev.Duration.Round(time.Millisecond))
	}
	if ev.Message != "" {
		fmt.Fprintf(&b, ": %s", ev.Message)
	}
	if ev.Log != "" {
		fmt.Fprintf(&b, "\n         | %s", ev.Log)
	}
	return b.String()
}

// Rollout masks every text of a rollout event.
func (s Secret) Rollout(ev RolloutEvent) RolloutEvent {
	ev.Machine, ev.Message, ev.Log = s.Mask(ev.Machine), s.Mask(ev.Message), s.Mask(ev.Log)
	if ev.Machines != nil {
		ms := make([]string, len(ev.Machines))
		for i, m := range ev.Machines {
			ms[i] = s.Mask(m)
		}
		ev.Machines = ms
	}
	return ev
}

// RolloutEmitter wraps emit so that every event it passes on is masked.
func (s Secret) RolloutEmitter(emit func(RolloutEvent)) func(RolloutEvent) {
	if emit == nil {
		return nil
	}
	return func(ev RolloutEvent) { emit(s.Rollout(ev)) }
}
