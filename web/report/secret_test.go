package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

const key = "API-CANARYSECRET0123456789"

func TestSecretMask(t *testing.T) {
	tests := []struct {
		name, secret, in, want string
	}{
		{"absent", key, "nothing to hide", "nothing to hide"},
		{"once", key, "--apiKey " + key, "--apiKey API-***"},
		{"twice, in a word", key, "x" + key + "y " + key, "xAPI-***y API-***"},
		{"zero secret masks nothing", "", "--apiKey " + key, "--apiKey " + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.Secret(tt.secret).Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSecretBoundaries(t *testing.T) {
	s := report.Secret(key)
	var got report.Event
	s.Emitter(func(ev report.Event) { got = ev })(report.Event{Name: key, Command: "c " + key, Output: "o " + key, Message: "m " + key})
	if want := (report.Event{Name: "API-***", Command: "c API-***", Output: "o API-***", Message: "m API-***"}); got != want {
		t.Errorf("Emitter passed %+v, want %+v", got, want)
	}
	p := s.Preflight(report.Preflight{Checks: []report.Check{{Name: key, Target: key, Message: key}}})
	if c := p.Checks[0]; c.Name != "API-***" || c.Target != "API-***" || c.Message != "API-***" {
		t.Errorf("Preflight check = %+v, want every text masked", c)
	}
	base := errors.New("registration: step failed")
	err := s.Error(fmt.Errorf("%w: poll-server --apiKey %s", base, key))
	if err.Error() != "registration: step failed: poll-server --apiKey API-***" || !errors.Is(err, base) {
		t.Errorf("Error = %q (errors.Is %v), want masked text that still wraps the cause", err, errors.Is(err, base))
	}
	var b bytes.Buffer
	fmt.Fprintf(s.Writer(&b), "Tentacle printed %s\n", key)
	if b.String() != "Tentacle printed API-***\n" {
		t.Errorf("Writer wrote %q", b.String())
	}
}
