package app

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// wizardInput is one wizard post, read: the plan so far (the hidden field)
// with the fields of the step the post came from laid over it.
type wizardInput struct {
	ctl   controlForm
	step  int
	plan  plan.Plan
	shape plan.Problems       // request-shape problems of the step's fields
	raw   map[string]string   // what was typed into those fields
	alert string              // a problem with the post as a whole
	use   map[string][]string // names ticked in a check result, by plan field
	ids   templates.IDState   // the id the wizard generated, and for which name
	// upload is a fleet CSV the wizard refused (fleet.go); from is the
	// cluster's current plan when the wizard prepares a change (change.go).
	upload *fleetUpload
	from   *plan.Plan
}

// handleWizard serves POST /wizard: every button of the wizard (Next,
// Back, the step list, the node table, import, share) without JavaScript
// and with it.
func (a *App) handleWizard(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	out, err := a.navigate(c, in)
	if err != nil {
		return err
	}
	return a.renderWizard(c, in, out)
}

// handlePreview serves POST /preview: the preview panel alone, which htmx
// asks for as the user types.
func (a *App) handlePreview(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	pv, err := preview(a.previews, in.plan, in.ctl.Shown, in.ctl.Tab, in.step < reviewStep())
	if err != nil {
		return err
	}
	if pv.OnScreen = onScreen(pv.Files, in.ctl.Panes); pv.OnScreen != nil {
		if err := pv.RenderPanes(c.Request().Context()); err != nil {
			return err
		}
	}
	if pv.OnScreen != nil && pv.Kept() == 0 {
		// Every pane changed (a new machine name is in every file's
		// header): htmx swaps one whole panel faster than a pane at a time.
		pv.OnScreen = nil
	}
	if pv.OnScreen != nil {
		// The page holds these files' panes: swap the preview's top and,
		// out of band, only the panes that changed.
		h := c.Response().Header()
		h.Set("HX-Retarget", "#preview-top")
		h.Set("HX-Reswap", "outerHTML")
	}
	w := templates.Wizard{Plan: in.plan, Subscription: in.ids}
	stepPage(&w, in.step, nil)
	shown := errorsShown(in.ctl)
	w.Problems, w.Summary = errorsNow(in, shown)
	return a.render(c, http.StatusOK, templates.PreviewUpdate(pv, w, shown))
}

// handleDownload serves POST /download: the bundle as .zip or .tar.gz,
// named after the machine. A plan with errors gets the review step with
// its errors instead.
func (a *App) handleDownload(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	files, err := bundle.Files(in.plan)
	if _, invalid := isInvalid(err); invalid || len(in.shape) > 0 {
		return a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "error-summary"})
	}
	if err != nil {
		return err
	}
	return sendArchive(c, in.plan, files, in.ctl.Format)
}

// handleExport serves POST /plan.json: the plan so far as a file to keep
// or import later; errors do not matter here.
func (a *App) handleExport(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := in.plan.Normalized().Encode(&buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="plan.json"`)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}

// handleShare serves POST /share: the share box with a link that opens
// the plan so far, which htmx swaps into the page (without JavaScript,
// Copy share link posts the form to /wizard and the page comes back with
// the same box).
func (a *App) handleShare(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	link, err := shareURL(c, in.plan)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return a.render(c, http.StatusOK, templates.ShareBox(templates.Wizard{ShareURL: link, Focus: "share-url"}))
}

// readWizard reads a wizard post.
func (a *App) readWizard(c echo.Context) (*wizardInput, error) {
	v, err := parseForm(c)
	if err != nil {
		return nil, err
	}
	ctl := readControl(v)
	probs, err := a.shape(ctl)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, badRequest("This form is not one the wizard sent. Start again at /.", errors.New(probs.String()))
	}
	in := &wizardInput{ctl: ctl, step: number(ctl.Step), use: choicesFrom(v)}
	if ctl.Plan == "" {
		in.plan, err = a.newPlan()
		if err != nil {
			return nil, err
		}
	} else {
		p, probs := plan.Decode([]byte(ctl.Plan))
		switch {
		case probs.HasErrors() && ctl.Op == "load":
			in.alert = "This share link holds a plan the wizard cannot read (" + problemText(probs) + "). Ask for a new link, or import the plan.json instead."
			if p, err = a.newPlan(); err != nil {
				return nil, err
			}
		case probs.HasErrors():
			return nil, badRequest("The plan this form carries is damaged. Start again at /.", errors.New(probs.String()))
		}
		in.plan = p
	}
	if err := a.fleetIDs(in.plan.Fleet); err != nil {
		return nil, err
	}
	if in.from, err = a.readFrom(v); err != nil {
		return nil, err
	}
	if in.ids, err = a.readIDState(v, in.plan); err != nil {
		return nil, err
	}
	if ctl.Op == "load" {
		in.ids = boundID(in.plan)
	}
	carried := in.plan.Tentacle.SubscriptionID
	if ctl.Op != "load" && ctl.Op != "import" {
		in.shape, in.raw, err = a.readStep(in.step, v, &in.plan)
		if err != nil {
			return nil, err
		}
	}
	if err := a.oneIDPerMachine(in, carried); err != nil {
		return nil, err
	}
	return in, nil
}

// newPlan is the plan a new wizard starts from: the documented defaults,
// three empty node rows (a cluster as every diagram draws it) and a fresh
// subscription id.
func (a *App) newPlan() (plan.Plan, error) {
	var id string
	if !a.prerender {
		var err error
		if id, err = plan.NewSubscriptionID(a.random); err != nil {
			return plan.Plan{}, err
		}
	}
	return plan.Plan{
		Version:  plan.Version,
		Topology: plan.UniqueAddress,
		Nodes:    make([]plan.Node, 3),
		Tentacle: plan.Tentacle{OS: plan.Linux, Kind: plan.Target, SubscriptionID: id},
	}, nil
}

// problemText joins problems into one sentence list.
func problemText(probs plan.Problems) string {
	var b bytes.Buffer
	for i, pr := range probs.Errors() {
		if i > 0 {
			b.WriteString(" ")
		}
		if pr.Field != "plan" {
			b.WriteString(pr.Field + ": ")
		}
		b.WriteString(pr.Message)
	}
	return b.String()
}
