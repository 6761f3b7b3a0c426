package app

import (
	"encoding/json"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// renderWizard renders the wizard page for an outcome.
func (a *App) renderWizard(c echo.Context, in *wizardInput, out outcome) error {
	w, err := a.wizardView(in, out)
	if err != nil {
		return err
	}
	return a.render(c, out.status, wizardPage(w))
}

// wizardPage is the page of a complete view: the shown step's component
// gets w as it is now, so it is made here, last.
func wizardPage(w templates.Wizard) templ.Component {
	w.Body = stepBody(w, w.Step)
	return templates.WizardPage(w)
}

// wizardView builds the page's view. Request-shape problems and the plan's
// problems end in the same place: beside their field, and in the summary.
// Errors show beside the fields once the user tried to move on; warnings
// always show.
func (a *App) wizardView(in *wizardInput, out outcome) (templates.Wizard, error) {
	p := in.plan
	js, err := json.Marshal(p)
	if err != nil {
		return templates.Wizard{}, err
	}
	probs := combine(in.shape, p.Validate())
	w := templates.Wizard{
		Page:        a.page(stepRow(out.step).Name),
		Plan:        p,
		PlanJSON:    string(js),
		Raw:         in.raw,
		Notice:      out.notice,
		Alert:       out.alert,
		ShareURL:    out.shareURL,
		Focus:       out.focus,
		Archive:     bundle.ArchiveName(p),
		CanDownload: !probs.HasErrors(),
		Host:        a.host.view(),

		Subscription: in.ids,
		Presets:      presetChoices(),
	}
	stepPage(&w, out.step, probs)
	shaped := map[string]bool{}
	for _, pr := range in.shape {
		shaped[pr.Field] = true
	}
	var beside plan.Problems
	for _, pr := range probs {
		key := displayKey(pr.Field)
		if stepOf(key) != out.step {
			continue
		}
		if pr.Severity == plan.Warning || out.showErrors || shaped[pr.Field] {
			beside = append(beside, pr)
		}
	}
	w.Problems = byKey(beside)
	review := w.Review
	for _, pr := range probs {
		iss := issue(pr, p)
		switch {
		case pr.Severity == plan.Warning && review:
			w.Warnings = append(w.Warnings, iss)
		case pr.Severity == plan.Error && (review || (iss.Step == out.step && (out.showErrors || shaped[pr.Field]))):
			w.Summary = append(w.Summary, iss)
		}
	}
	tab := in.ctl.Show
	if tab == "" {
		tab = in.ctl.Tab
	}
	w.Preview, err = preview(a.previews, p, in.ctl.Shown, tab, !review)
	if err != nil {
		return w, err
	}
	w.Files = len(w.Preview.Files)
	if review && w.CanDownload {
		if w.Setup, err = setupView(a.previews, p); err != nil {
			return w, err
		}
	}
	w.Addresses = p.Normalized().Addresses()
	w.Fleet = fleetView(p, probs, in.upload)
	if w.Change, err = a.changeView(in, out, w.CanDownload); err != nil {
		return w, err
	}
	return w, err
}

// combine puts the shape problems first and drops the plan's problems on
// the same fields: a port that is not a number has no other problem.
func combine(shape, domain plan.Problems) plan.Problems {
	if len(shape) == 0 {
		return domain
	}
	seen := map[string]bool{}
	out := append(plan.Problems(nil), shape...)
	for _, pr := range shape {
		seen[pr.Field] = true
	}
	for _, pr := range domain {
		if !seen[pr.Field] {
			out = append(out, pr)
		}
	}
	return out
}
