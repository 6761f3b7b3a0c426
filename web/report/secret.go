package report

import (
	"io"
	"strings"
)

// Masked is what a secret reads as wherever it would otherwise show.
const Masked = "API-***"

// Secret is one secret (an Octopus API key) that must never show: wrap each
// boundary through which text leaves a component once (an event emitter, an
// output writer, a returned error, a report) rather than masking field by
// field. The zero Secret masks nothing.
type Secret string

// Mask returns text with every occurrence of the secret replaced by Masked.
func (s Secret) Mask(text string) string {
	if s == "" {
		return text
	}
	return strings.ReplaceAll(text, string(s), Masked)
}

// Event masks every text of ev.
func (s Secret) Event(ev Event) Event {
	ev.Name, ev.Command = s.Mask(ev.Name), s.Mask(ev.Command)
	ev.Output, ev.Message = s.Mask(ev.Output), s.Mask(ev.Message)
	return ev
}

// Emitter wraps emit so that every event it passes on is masked.
func (s Secret) Emitter(emit func(Event)) func(Event) {
	if emit == nil {
		return nil
	}
	return func(ev Event) { emit(s.Event(ev)) }
}

// Preflight masks every text of a preflight report.
func (s Secret) Preflight(p Preflight) Preflight {
	checks := make([]Check, len(p.Checks))
	for i, c := range p.Checks {
		c.Name, c.Target, c.Message = s.Mask(c.Name), s.Mask(c.Target), s.Mask(c.Message)
		checks[i] = c
	}
	p.Checks = checks
	return p
}

// Error masks err's text; errors.Is and errors.As still see the original.
func (s Secret) Error(err error) error {
	if err == nil || s == "" || !strings.Contains(err.Error(), string(s)) {
		return err
	}
	return &maskedError{msg: s.Mask(err.Error()), err: err}
}

type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

var _ interface{ Unwrap() error } = (*maskedError)(nil)

// Writer wraps w so that the secret never reaches it. Each Write is masked
// on its own, so a caller must not split the secret across writes: line
// writers such as fmt.Fprintf and a json.Encoder never do.
func (s Secret) Writer(w io.Writer) io.Writer {
	if s == "" {
		return w
	}
	return secretWriter{w: w, s: s}
}

type secretWriter struct {
	w io.Writer
	s Secret
}

func (sw secretWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(sw.w, sw.s.Mask(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
