package report_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

func TestSecretMasksRolloutEvents(t *testing.T) {
	s := report.Secret("API-CANARYROLLOUTEVENT0000000000")
	var got report.RolloutEvent
	emit := s.RolloutEmitter(func(ev report.RolloutEvent) { got = ev })
	emit(report.RolloutEvent{Kind: report.RolloutMachine, Machine: "web01", Status: report.MachineFailed, Message: "key API-CANARYROLLOUTEVENT0000000000 refused",
		Log: "--apiKey API-CANARYROLLOUTEVENT0000000000", Machines: []string{"API-CANARYROLLOUTEVENT0000000000"}})
	line := got.Line()
	if strings.Contains(line, "CANARY") || strings.Contains(got.Machines[0], "CANARY") {
		t.Errorf("a rollout event shows the key: %q %q", line, got.Machines)
	}
	if want := "failed   web01: key API-*** refused\n         | --apiKey API-***"; line != want {
		t.Errorf("Line() = %q, want %q", line, want)
	}
}
