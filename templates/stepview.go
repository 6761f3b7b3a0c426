package templates

import "github.com/a-h/templ"

// StepView is one step of the wizard as the progress list shows it. The
// app owns the steps (their numbers, names and order); a page gets them
// here.
type StepView struct {
	Number int
	Name   string
	State  StepState
	// Errors counts the plan's errors on the step.
	Errors int
}

// StepState is how the progress list shows a step.
type StepState string

// The states of a step in the progress list.
const (
	StepCurrent StepState = "current"
	StepDone    StepState = "done"
	StepError   StepState = "error" // passed (or reviewed) with errors
	StepTodo    StepState = "todo"
)

// StepAttrs marks the current step in the progress list.
func (s StepView) StepAttrs() templ.Attributes {
	if s.State == StepCurrent {
		return templ.Attributes{"aria-current": "step"}
	}
	return templ.Attributes{}
}

// StepName is the name of step n, or "".
func (w Wizard) StepName(n int) string {
	for _, s := range w.Steps {
		if s.Number == n {
			return s.Name
		}
	}
	return ""
}

// LastStep is the number of the last step (the review).
func (w Wizard) LastStep() int { return len(w.Steps) }
