// Package report holds what the host-side tools hand back to a person: the
// preflight checks of a plan and the steps of a registration run. It is
// plain data so every host (server, browser, Worker) can render it, even
// those that cannot run the checks themselves.
package report

import (
	"fmt"
	"strings"
	"time"
)

// Status is the outcome of one check or step.
type Status string

// Outcomes.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Warn    Status = "warning"
	Skip    Status = "skipped"
	Running Status = "running"
)

// Check is one preflight check.
type Check struct {
	// Name says what was checked ("TLS handshake", "Server thumbprint").
	Name string `json:"name"`
	// Target is what it was checked against: an address, a URL, a node.
	Target   string        `json:"target"`
	Status   Status        `json:"status"`
	Message  string        `json:"message"`
	Duration time.Duration `json:"durationNs"`
}

// Choices are names offered in the wizard, read from the Octopus API.
type Choices struct {
	Spaces       []string `json:"spaces,omitempty"`
	Environments []string `json:"environments,omitempty"`
	Roles        []string `json:"roles,omitempty"`
	Tenants      []string `json:"tenants,omitempty"`
	WorkerPools  []string `json:"workerPools,omitempty"`
}

// Preflight is the result of checking a plan against the real network and API.
type Preflight struct {
	Checks  []Check  `json:"checks"`
	Choices *Choices `json:"choices,omitempty"`
}

// Count returns how many checks have status s.
func (p Preflight) Count(s Status) int {
	n := 0
	for _, c := range p.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Failed reports whether any check failed.
func (p Preflight) Failed() bool { return p.Count(Fail) > 0 }

// Summary is one line: "12 checks: 10 passed, 1 failed, 1 warning".
func (p Preflight) Summary() string {
	return fmt.Sprintf("%d checks: %d passed, %d failed, %d warnings, %d skipped",
		len(p.Checks), p.Count(Pass), p.Count(Fail), p.Count(Warn), p.Count(Skip))
}

// Text renders one line per check and the summary.
func (p Preflight) Text() string {
	var b strings.Builder
	for _, c := range p.Checks {
		fmt.Fprintf(&b, "%-7s %-24s %s: %s\n", strings.ToUpper(string(c.Status)), c.Name, c.Target, c.Message)
	}
	b.WriteString(p.Summary())
	b.WriteByte('\n')
	return b.String()
}

// Event is one update of a registration run, streamed as it happens.
type Event struct {
	// Step counts from 1; Total is the number of steps planned.
	Step  int    `json:"step"`
	Total int    `json:"total"`
	Name  string `json:"name"`
	// Command is the command line with secrets masked.
	Command  string        `json:"command,omitempty"`
	Output   string        `json:"output,omitempty"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"durationNs,omitempty"`
	// Message says what happened, or what to do after a failure.
	Message string `json:"message,omitempty"`
}
