package registration

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// TestCancelAtEachStepThenRerunConverges is what the wizard's Cancel
// button promises ("running again is safe"): a run cancelled as each
// Tentacle command starts stops at that step, saying it was cancelled and
// why, and a second run converges with the service running.
func TestCancelAtEachStepThenRerunConverges(t *testing.T) {
	pressed := errors.New("you pressed Cancel")
	// The commands of a first run, counted from a run without a cancel.
	probe := newHost(t)
	events, _, err := probe.run(probe.plan(3))
	if err != nil {
		t.Fatalf("a run without a cancel: %v", err)
	}
	var commands []string
	for _, ev := range events {
		if ev.Status == report.Running && ev.Command != "" {
			commands = append(commands, ev.Name)
		}
	}
	if len(commands) < 5 {
		t.Fatalf("a first run has %d commands: %v", len(commands), commands)
	}
	for k, name := range commands {
		t.Run(name, func(t *testing.T) {
			h := newHost(t)
			p := h.plan(3)
			ctx, cancel := context.WithCancelCause(t.Context())
			defer cancel(nil)
			var got []report.Event
			seen := 0
			_, err := Run(ctx, p, h.opts, func(ev report.Event) {
				got = append(got, ev)
				if ev.Status == report.Running && ev.Command != "" {
					if seen == k {
						cancel(pressed)
					}
					seen++
				}
			})
			h.mustNoCanary(got, err)
			var stopped *report.Event
			for i, ev := range got {
				if ev.Status == report.Fail {
					stopped = &got[i]
					break
				}
			}
			if stopped == nil || stopped.Name != name || !strings.Contains(stopped.Message, "cancelled because you pressed Cancel") {
				t.Fatalf("events %+v, want %s reported cancelled because you pressed Cancel", got, name)
			}
			switch {
			case errors.Is(err, ErrStepFailed):
			case err == nil:
				// Only the check in Octopus after the Tentacle side is
				// done may be cut short without failing the run.
				h.mustConverged(p, lbAddrs3)
			default:
				t.Fatalf("cancelled run: err = %v, want the step failed", err)
			}
			if _, _, err := h.run(p); err != nil {
				t.Fatalf("re-run after the cancel: %v", err)
			}
			h.mustConverged(p, lbAddrs3)
			h.mustRunning()
		})
	}
}
