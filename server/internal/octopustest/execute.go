package octopustest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// maxParallel is how many machines of one task run at once.
const maxParallel = 4

// hangLimit ends a hanging task that nobody cancels, so no goroutine
// outlives a test by long.
const hangLimit = time.Minute

// execute runs a task: each machine's part in parallel, then the task's
// final state. It takes the lock only to publish progress.
func (s *Server) execute(t *task, machines []FleetMachine, env []string) {
	s.mu.Lock()
	t.State, t.started = "Executing", time.Now()
	t.children = make([]activity, len(machines))
	for i, m := range machines {
		t.children[i] = activity{Name: m.Name, Status: "Running"}
	}
	s.mu.Unlock()

	var wg sync.WaitGroup
	slots := make(chan struct{}, maxParallel)
	results := make([]activity, len(machines))
	timedOut := false
	var tmu sync.Mutex
	for i, m := range machines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			a, to := s.runOn(t, m, env)
			results[i] = a
			if to {
				tmu.Lock()
				timedOut = true
				tmu.Unlock()
			}
		}()
	}
	wg.Wait()

	s.mu.Lock()
	defer s.mu.Unlock()
	t.children = results
	failed := 0
	for _, a := range results {
		if a.Status != "Success" {
			failed++
		}
	}
	switch {
	case t.State == "Cancelling":
		t.State, t.errorMsg = "Canceled", "The task was canceled"
	case timedOut:
		t.State, t.errorMsg = "TimedOut", "The task timed out"
	case failed > 0:
		t.State, t.errorMsg = "Failed", fmt.Sprintf("%d of %d machines failed", failed, len(results))
	default:
		t.State = "Success"
	}
	t.Finished = time.Now()
}

// runOn is one machine's part of a task, and whether it timed out.
func (s *Server) runOn(t *task, m FleetMachine, env []string) (activity, bool) {
	a := activity{Name: m.Name}
	fail := func(line string) (activity, bool) {
		a.Status, a.Logs = "Failed", append(a.Logs, logLine{"Error", line})
		return a, false
	}
	if m.health() == "Unavailable" {
		return fail(fmt.Sprintf("The machine %s is unavailable: no polling request from it before the timeout", m.Name))
	}
	if t.Name == "Health" {
		if m.Unhealthy {
			return fail(fmt.Sprintf("The health check of %s failed: the Tentacle answered with an error", m.Name))
		}
		a.Status, a.Logs = "Success", []logLine{{"Info", "Tentacle version 8.3.2840 is healthy"}}
		return a, false
	}
	switch {
	case m.Fail != "":
		return fail(m.Fail)
	case m.Hang:
		select {
		case <-t.cancel:
		case <-time.After(hangLimit):
		}
		a.Status, a.Logs = "Canceled", []logLine{{"Warning", "The script was canceled"}}
		return a, false
	case m.TimeOut:
		a.Status, a.Logs = "Canceled", []logLine{{"Error", "The script did not finish before the task's timeout"}}
		return a, true
	case t.Syntax == "PowerShell":
		// PowerShell does not run here: the body is recorded (TaskRecord)
		// and the machine reported as if it had run it.
		a.Status, a.Logs = "Success", []logLine{{"Info", fmt.Sprintf("fake: PowerShell body of %d bytes recorded, not run", len(t.ScriptBody))}}
		return a, false
	}
	cmd := exec.Command("bash", "-c", t.ScriptBody)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + m.Home, "TentacleMachineConfigurationHomeDirectory=" + m.Home}, env...)
	cmd.Env = append(cmd.Env, m.Env...)
	cmd.Dir = m.Home
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	a.Logs = append(lines("Info", stdout.String()), lines("Error", stderr.String())...)
	if err != nil {
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		a.Status = "Failed"
		a.Logs = append(a.Logs, logLine{"Fatal", fmt.Sprintf("The remote script failed with exit code %d", code)})
		return a, false
	}
	a.Status = "Success"
	return a, false
}

func lines(category, text string) []logLine {
	var out []logLine
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if l != "" {
			out = append(out, logLine{category, l})
		}
	}
	return out
}
