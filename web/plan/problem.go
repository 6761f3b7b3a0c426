package plan

import (
	"strconv"
	"strings"
)

// Severity says whether a problem blocks generation.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is one thing wrong with a plan, addressed to the field that
// causes it ("nodes[1].port", "server.thumbprint").
type Problem struct {
	Field    string   `json:"field"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Fix is the value the message suggests for the field, when it
	// suggests one: a value that passes validation itself.
	Fix string `json:"fix,omitempty"`
}

// Problems is everything Validate found, in field order of the plan.
type Problems []Problem

// HasErrors reports whether any problem is an error.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ps Problems) Errors() Problems { return ps.only(Error) }

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems { return ps.only(Warning) }

func (ps Problems) only(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// ByField groups messages by field path, errors before warnings.
func (ps Problems) ByField() map[string][]Problem {
	out := make(map[string][]Problem)
	for _, s := range []Severity{Error, Warning} {
		for _, p := range ps {
			if p.Severity == s {
				out[p.Field] = append(out[p.Field], p)
			}
		}
	}
	return out
}

// String renders one problem a line as "field: message", warnings marked.
func (ps Problems) String() string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Field)
		b.WriteString(": ")
		if p.Severity == Warning {
			b.WriteString("warning: ")
		}
		b.WriteString(p.Message)
		b.WriteByte('\n')
	}
	return b.String()
}

// InvalidError is returned by code that needs a valid plan and got one
// with errors.
type InvalidError struct{ Problems Problems }

func (e *InvalidError) Error() string {
	n := len(e.Problems.Errors())
	if n == 1 {
		return "plan: 1 error: " + e.Problems.Errors()[0].Field + ": " + e.Problems.Errors()[0].Message
	}
	return "plan: " + strconv.Itoa(n) + " errors"
}
