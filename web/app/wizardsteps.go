package app

import (
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// wizardStep is one step of the wizard. A step's number is its position in
// wizardSteps, from 1; the last step is the review. Everything the app
// knows of steps (which step edits a field, the form's step check,
// navigation, the progress list, "Step n of N") comes from the table, so
// adding a step is its templ component and one row here; the registry
// test names what is missing.
type wizardStep struct {
	// Name is the step's short name in the progress list and the title.
	Name string
	// FieldPrefixes say which field keys are edited on the step: a key
	// belongs to the step with a prefix it starts with, and to one only.
	FieldPrefixes []string
	// Read lays the step's form fields over p and returns the form, whose
	// validate tags check the request's shape; nil for a step without
	// fields of its own.
	Read func(v url.Values, p *plan.Plan) any
	// View is the step's component.
	View func(templates.Wizard) templ.Component
}

// wizardSteps are the steps in order.
var wizardSteps = []wizardStep{
	{Name: "Topology", FieldPrefixes: []string{"topology", "version", "plan"}, Read: readTopology, View: templates.TopologyStep},
	{Name: "Server and nodes", FieldPrefixes: []string{"server.", "nodes", "loadBalancer", "listenMode"}, Read: readServer, View: templates.ServerStep},
	{Name: "Tentacle", FieldPrefixes: []string{"tentacle.", "fleet"}, Read: readTentacle, View: templates.TentacleStep},
	{Name: "Review and download", View: templates.ReviewStep},
}

// firstStep is the number of the first step.
const firstStep = 1

// reviewStep is the number of the review step: the last.
func reviewStep() int { return len(wizardSteps) }

// isStep reports whether n is the number of a step.
func isStep(n int) bool { return n >= firstStep && n <= len(wizardSteps) }

// stepRow is step n's row; n must be a step's number.
func stepRow(n int) wizardStep { return wizardSteps[n-1] }

// stepOf is the wizard step on which a field is edited; a key no step
// names (none the wizard makes) is the first step's.
func stepOf(key string) int {
	for i, s := range wizardSteps {
		for _, prefix := range s.FieldPrefixes {
			if strings.HasPrefix(key, prefix) {
				return i + 1
			}
		}
	}
	return firstStep
}

// stepViews is the progress list with step current shown: each step's
// number, name, state and count of errors (of probs).
func stepViews(current int, probs plan.Problems) []templates.StepView {
	errs := make([]int, len(wizardSteps)+1)
	for _, pr := range probs {
		if pr.Severity == plan.Error {
			errs[stepOf(displayKey(pr.Field))]++
		}
	}
	out := make([]templates.StepView, len(wizardSteps))
	for i, s := range wizardSteps {
		n := i + 1
		state := templates.StepTodo
		switch {
		case n == current:
			state = templates.StepCurrent
		case errs[n] > 0 && (n < current || current == reviewStep()):
			state = templates.StepError
		case n < current:
			state = templates.StepDone
		}
		out[i] = templates.StepView{Number: n, Name: s.Name, State: state, Errors: errs[n]}
	}
	return out
}

// stepPage fills in what a page shows of the steps besides the current
// step's component: its number, the progress list, whether it is the
// review and whether it edits the subscription id.
func stepPage(w *templates.Wizard, n int, probs plan.Problems) {
	w.Step, w.Steps, w.Review = n, stepViews(n, probs), n == reviewStep()
	w.IDOnStep = stepOf("tentacle.subscriptionId") == n
}

// stepBody is step n's component for the complete view w (the component
// renders w, so it is made last: see wizardPage).
func stepBody(w templates.Wizard, n int) templ.Component { return stepRow(n).View(w) }
