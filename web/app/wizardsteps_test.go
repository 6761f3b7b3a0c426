package app

import (
	"context"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestWizardStepRegistry says what a new step still lacks: a name, a
// view that renders with its heading ("Step n of N"), and field prefixes
// that give every field key exactly one step, the one whose Read reads it.
func TestWizardStepRegistry(t *testing.T) {
	for i, s := range wizardSteps {
		n := i + 1
		if s.Name == "" || s.View == nil {
			t.Errorf("step %d: no name or view: %+v", n, s)
			continue
		}
		if s.Read != nil && len(s.FieldPrefixes) == 0 {
			t.Errorf("step %d (%s): reads fields but names no FieldPrefixes", n, s.Name)
		}
		w := templates.Wizard{Plan: plan.Plan{Topology: plan.UniqueAddress, Tentacle: plan.Tentacle{Kind: plan.Target}}}
		stepPage(&w, n, nil)
		var b strings.Builder
		if err := stepBody(w, n).Render(context.Background(), &b); err != nil {
			t.Errorf("step %d (%s): view: %v", n, s.Name, err)
		}
		if want := "Step " + strconv.Itoa(n) + " of " + strconv.Itoa(len(wizardSteps)); !strings.Contains(b.String(), want) {
			t.Errorf("step %d (%s): the view does not say %q (StepHeading)", n, s.Name, want)
		}
	}
	if rv := wizardSteps[reviewStep()-1]; rv.Read != nil {
		t.Errorf("the review step (the last) reads fields; it only shows the plan")
	}

	// Every field a step's form reads belongs to that step, and to one only.
	keys := map[string]int{}
	for i, s := range wizardSteps {
		if s.Read == nil {
			continue
		}
		var p plan.Plan
		form := reflect.TypeOf(s.Read(url.Values{}, &p))
		for j := range form.NumField() {
			keys[form.Field(j).Tag.Get("form")] = i + 1
		}
	}
	// Fields only problems name; they show on the step that edits them.
	for key, want := range map[string]string{"version": "topology", "plan": "topology", "nodes": "nodes.name", "loadBalancer.kinds": "loadBalancer.kinds", "tentacle.kind": "tentacle.kind"} {
		keys[key] = keys[want]
	}
	for key, want := range keys {
		matched := 0
		for _, s := range wizardSteps {
			for _, prefix := range s.FieldPrefixes {
				if strings.HasPrefix(key, prefix) {
					matched++
				}
			}
		}
		if matched != 1 {
			t.Errorf("field %q matches %d steps' FieldPrefixes, want exactly 1", key, matched)
		}
		if got := stepOf(key); got != want {
			t.Errorf("stepOf(%q) = %d, want %d (the step that reads it)", key, got, want)
		}
	}
}

// TestStepShape: the form's step and go fields take the table's step
// numbers and nothing else, with a field error that says so.
func TestStepShape(t *testing.T) {
	a := &App{check: sync.OnceValue(newValidator)}
	for n := firstStep; n <= reviewStep(); n++ {
		probs, err := a.shape(controlForm{Step: strconv.Itoa(n), Go: strconv.Itoa(n)})
		if err != nil || len(probs) > 0 {
			t.Errorf("shape(step %d) = %v, %v; want no problems", n, probs, err)
		}
	}
	for _, bad := range []string{"0", strconv.Itoa(reviewStep() + 1), "x", "-1"} {
		probs, err := a.shape(controlForm{Step: "1", Go: bad})
		want := "The wizard has steps 1 to " + strconv.Itoa(reviewStep()) + "; this form names another."
		if err != nil || len(probs) != 1 || probs[0].Field != "go" || probs[0].Message != want {
			t.Errorf("shape(go %q) = %v, %v; want one problem on go: %q", bad, probs, err, want)
		}
	}
}

// TestStepViews: the progress list's states come from the table's order.
func TestStepViews(t *testing.T) {
	probs := plan.Problems{{Field: "server.url", Severity: plan.Error, Message: "x"}}
	server := stepOf("server.url")
	got := stepViews(reviewStep(), probs)
	if len(got) != len(wizardSteps) || got[server-1].State != templates.StepError || got[server-1].Errors != 1 || got[reviewStep()-1].State != templates.StepCurrent {
		t.Errorf("stepViews(review, an error on step %d) = %+v", server, got)
	}
	got = stepViews(firstStep, probs)
	if got[server-1].State != templates.StepTodo || got[0].State != templates.StepCurrent {
		t.Errorf("stepViews(first, an error on step %d) = %+v", server, got)
	}
}
