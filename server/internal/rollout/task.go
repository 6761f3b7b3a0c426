package rollout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// maxReadFailures is how many task reads in a row may fail (a server node
// restarting, a proxy hiccup) before following gives up.
const maxReadFailures = 5

// follow polls the tasks (GET /api/tasks/{id}) until each is complete, as
// TaskRepository.WaitForCompletion does, and cancels those still running
// after timeout. It returns the tasks' last state and the Ids it cancelled.
func follow(ctx context.Context, c *octopus.Client, ids []string, poll, timeout time.Duration) (map[string]octopus.Task, map[string]bool, error) {
	last := map[string]octopus.Task{}
	deadline := time.Now().Add(timeout)
	failures := 0 // reads failed in a row
	for {
		pending := 0
		for _, id := range ids {
			if t, ok := last[id]; ok && octopus.TaskCompleted(t.State) {
				continue
			}
			t, err := c.Task(ctx, id)
			switch {
			case ctx.Err() != nil:
				return last, nil, ctx.Err()
			case err != nil && (errors.Is(err, octopus.ErrUnauthorized) || errors.Is(err, octopus.ErrNotFound) || failures >= maxReadFailures):
				return last, nil, fmt.Errorf("rollout: follow task %s: %s (the task goes on in Octopus; run the same command again to pick up from the last finished batch)", id, octopus.Reason(err))
			case err != nil:
				// A node restarting or a proxy hiccup: read again next time.
				failures++
				pending++
				continue
			}
			failures = 0
			last[id] = t
			if !octopus.TaskCompleted(t.State) {
				pending++
			}
		}
		if pending == 0 {
			return last, nil, nil
		}
		if time.Now().After(deadline) {
			cancelled := map[string]bool{}
			for _, id := range ids {
				if t, ok := last[id]; !ok || !octopus.TaskCompleted(t.State) {
					// Best effort: the machines are reported failed either way.
					_ = c.CancelTask(ctx, id)
					cancelled[id] = true
				}
			}
			return last, cancelled, nil
		}
		select {
		case <-ctx.Done():
			return last, nil, ctx.Err()
		case <-time.After(poll):
		}
	}
}

// outcome is one machine's result in a task.
type outcome struct {
	status  string // report.MachineOK or report.MachineFailed
	message string
	log     string
}

// scriptResult is the one JSON line update-tentacle prints.
type scriptResult struct {
	OK      *bool    `json:"ok"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Error   string   `json:"error"`
}

// outcomes reads each machine's result from a task's details. Octopus
// gives each machine its own node in the log tree, named after the
// machine (OctopusClients types the tree, ActivityElement, but not its
// naming: the match is by name, and without a node the task's own state
// stands for every machine in it).
func outcomes(d octopus.TaskDetails, task octopus.Task, machines []Machine) map[string]outcome {
	out := map[string]outcome{}
	for _, m := range machines {
		node, ok := findNode(d.ActivityLogs, m.Name)
		if !ok {
			if task.State == octopus.TaskSuccess {
				out[m.ID] = outcome{status: report.MachineOK, message: "the task succeeded (its log has no part for this machine)"}
			} else {
				out[m.ID] = outcome{status: report.MachineFailed, message: "the task ended " + task.State + " (its log has no part for this machine)", log: task.ErrorMessage}
			}
			continue
		}
		var lines []octopus.LogElement
		collect(node, &lines)
		res, hasResult := resultLine(lines)
		o := outcome{status: report.MachineOK, message: "updated"}
		if node.Status != "Success" && node.Status != "SuccessWithWarning" {
			o = outcome{status: report.MachineFailed, message: "the script ended " + node.Status, log: failureLine(lines)}
		}
		if hasResult {
			if res.OK != nil && !*res.OK && o.status == report.MachineOK {
				o = outcome{status: report.MachineFailed, message: "the script reported a failure", log: res.Error}
			}
			if o.status == report.MachineOK {
				o.message = describe(res)
			}
		}
		out[m.ID] = o
	}
	return out
}

func findNode(nodes []octopus.Activity, name string) (octopus.Activity, bool) {
	for _, n := range nodes {
		if strings.EqualFold(strings.TrimSpace(n.Name), strings.TrimSpace(name)) {
			return n, true
		}
		if found, ok := findNode(n.Children, name); ok {
			return found, true
		}
	}
	return octopus.Activity{}, false
}

func collect(n octopus.Activity, lines *[]octopus.LogElement) {
	*lines = append(*lines, n.LogElements...)
	for _, c := range n.Children {
		collect(c, lines)
	}
}

// resultLine finds the last log line that is the script's JSON result.
func resultLine(lines []octopus.LogElement) (scriptResult, bool) {
	for i := len(lines) - 1; i >= 0; i-- {
		text := strings.TrimSpace(lines[i].MessageText)
		if !strings.HasPrefix(text, "{") {
			continue
		}
		var r scriptResult
		if json.Unmarshal([]byte(text), &r) == nil && r.OK != nil {
			return r, true
		}
	}
	return scriptResult{}, false
}

// failureLine is the line that explains a failure: the last Error line
// (the cause a script wrote to stderr), else the last Fatal one (the
// server's summary), else the last line.
func failureLine(lines []octopus.LogElement) string {
	for _, category := range []string{"Error", "Fatal"} {
		for i := len(lines) - 1; i >= 0; i-- {
			if strings.EqualFold(lines[i].Category, category) && strings.TrimSpace(lines[i].MessageText) != "" {
				return strings.TrimSpace(lines[i].MessageText)
			}
		}
	}
	if len(lines) > 0 {
		return strings.TrimSpace(lines[len(lines)-1].MessageText)
	}
	return ""
}

func describe(r scriptResult) string {
	var parts []string
	if len(r.Added) > 0 {
		parts = append(parts, "added "+strings.Join(r.Added, " "))
	}
	if len(r.Removed) > 0 {
		parts = append(parts, "removed "+strings.Join(r.Removed, " "))
	}
	if len(parts) == 0 {
		return "already up to date"
	}
	return strings.Join(parts, "; ")
}
