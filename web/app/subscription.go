package app

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// One machine, one subscription id. Octopus hands a Tentacle's work to
// whichever Tentacle polls with its id, so the wizard gives a renamed
// machine a new id, unless the user typed the id (then it stays, with a
// warning). The form carries the id the wizard generated and the name it
// generated it for in two hidden fields (templates.IDState); nothing is
// kept between posts.

// idForm is the shape of those hidden fields.
type idForm struct {
	Generated string `form:"subscriptionIdGenerated" validate:"max=1000"`
	For       string `form:"subscriptionIdGeneratedFor" validate:"max=1000"`
}

// readIDState reads the hidden fields. A post without them (a script, a
// form of an older page) counts the carried plan's id as generated for its
// machine: renaming gives a new id, the safe side.
func (a *App) readIDState(v url.Values, p plan.Plan) (templates.IDState, error) {
	if !v.Has(templates.IDGeneratedField) {
		return boundID(p), nil
	}
	f := idForm{Generated: v.Get(templates.IDGeneratedField), For: v.Get(templates.IDGeneratedForField)}
	probs, err := a.shape(f)
	if err != nil {
		return templates.IDState{}, err
	}
	if len(probs) > 0 {
		return templates.IDState{}, badRequest("This form's "+probs[0].Field+" field is not one the wizard sent. Start again at /.", errors.New(probs.String()))
	}
	return templates.IDState{Generated: f.Generated, For: f.For}, nil
}

// boundID treats p's id as the one generated for p's machine: a plan
// opened from a share link or a file is for that machine only, and
// renaming it makes it another machine's plan, with its own id.
func boundID(p plan.Plan) templates.IDState {
	return templates.IDState{Generated: p.Tentacle.SubscriptionID, For: p.Tentacle.Name}
}

// oneIDPerMachine settles the post's subscription id. A cleared id falls
// back to the generated one (else the one the form carried), so the
// preview does not change with every keystroke; a plan without an id, or
// whose generated id belongs to another machine name, gets a new one.
func (a *App) oneIDPerMachine(in *wizardInput, carried string) error {
	t := &in.plan.Tentacle
	if t.SubscriptionID == "" {
		t.SubscriptionID = cmp.Or(in.ids.Generated, carried)
	}
	renamed := strings.TrimSpace(t.Name) != strings.TrimSpace(in.ids.For)
	if t.SubscriptionID != "" && (in.ids.Typed(t.SubscriptionID) || !renamed) {
		return nil
	}
	return a.renewID(in)
}

// renewID gives the plan a new subscription id, generated for its machine.
func (a *App) renewID(in *wizardInput) error {
	id, err := plan.NewSubscriptionID(a.random)
	if err != nil {
		return err
	}
	in.plan.Tentacle.SubscriptionID = id
	in.ids = templates.IDState{Generated: id, For: in.plan.Tentacle.Name, Renewed: true}
	return nil
}

// machineOnly is the notice after a plan was opened or imported.
func machineOnly(p plan.Plan) string {
	if p.HasFleet() {
		return "It holds " + count(len(p.Fleet), "machine", "machines") + ", each with its own subscription id (step 3 lists them)."
	}
	name := p.Tentacle.Name
	if name == "" {
		name = "one machine"
	}
	return "This plan is for " + name + " only: another machine must not reuse its subscription id, " + p.Tentacle.SubscriptionID +
		". For another machine, change the machine name on step 3 and the wizard gives it an id of its own."
}

// handleRegisterUseID serves POST /register/use-id: the button a run offers
// when the Tentacle already polls this cluster under another id. The
// Register page comes back, ready to confirm, with that id in the plan.
func (a *App) handleRegisterUseID(c echo.Context) error {
	if a.host.registrar == nil {
		return unavailable("Register")
	}
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	id := strings.TrimSpace(c.Request().PostForm.Get("existingSubscriptionId"))
	if !plan.ValidSubscriptionID(id) {
		return echo.NewHTTPError(http.StatusBadRequest, "existingSubscriptionId: "+
			"a subscription id is poll:// followed by 20 lower-case letters or digits and /, such as poll://g3662re9njtelsyfhm7t/. Run the registration again to be offered the id this Tentacle has.")
	}
	in.plan.Tentacle.SubscriptionID = id
	if len(in.shape) > 0 || in.plan.Validate().HasErrors() {
		return a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "error-summary"})
	}
	view, err := a.registerView(in, "register-notice")
	if err != nil {
		return err
	}
	view.Notice = "The plan now uses " + id + ", the id this Tentacle already has. Confirm and start the registration again; download the bundle again too, so its files carry this id."
	return a.render(c, http.StatusOK, templates.RegisterPage(view))
}
