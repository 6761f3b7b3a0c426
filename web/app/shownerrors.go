package app

import (
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// errorsShown reads what the page shows of the errors from its post.
func errorsShown(ctl controlForm) templates.ErrorsShown {
	shown := templates.ErrorsShown{Summary: len(ctl.SummaryShown) > 0}
	seen := map[string]bool{}
	for _, key := range ctl.ErrorShown {
		if !seen[key] {
			seen[key] = true
			shown.Fields = append(shown.Fields, key)
		}
	}
	return shown
}

// errorsNow are the problems now of the fields whose errors show, and the
// summary of the errors now of the fields the summary lists: what a
// preview shows again. Errors of other fields wait for the next Next.
func errorsNow(in *wizardInput, shown templates.ErrorsShown) (map[string][]plan.Problem, []templates.Issue) {
	beside := map[string]bool{}
	for _, key := range shown.Fields {
		beside[key] = true
	}
	listed := map[string]bool{}
	for _, key := range in.ctl.SummaryShown {
		listed[key] = true
	}
	var show plan.Problems
	var summary []templates.Issue
	for _, pr := range combine(in.shape, in.plan.Validate()) {
		key := displayKey(pr.Field)
		if beside[key] {
			show = append(show, pr)
		}
		if listed[key] && pr.Severity == plan.Error {
			summary = append(summary, issue(pr, in.plan))
		}
	}
	return byKey(show), summary
}
