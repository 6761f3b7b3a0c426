package app

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// startBody answers a registration started by the page's script.
type startBody struct {
	Events string `json:"events"`
}

// handleRegister serves POST /register: the Register page for the plan
// the review step carries. A plan with errors gets the review step with
// its errors instead.
func (a *App) handleRegister(c echo.Context) error {
	if a.host.registrar == nil {
		return unavailable("Register")
	}
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	if len(in.shape) > 0 || in.plan.Validate().HasErrors() {
		return a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "error-summary"})
	}
	view, err := a.registerView(in, "step-title")
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, templates.RegisterPage(view))
}

// handleRegisterStart serves POST /register/start: it starts a run with
// the plan and the API key of the post (the only place the key is sent).
// htmx (HX-Request) gets the Register page at once, connected to the run's
// event stream; a script (Accept: application/json) gets the stream's
// address; a plain post waits for the end and gets the Register page with
// every step. A refusal is the Register page saying why (JSON for a script).
func (a *App) handleRegisterStart(c echo.Context) error {
	if a.host.registrar == nil {
		return unavailable("Register")
	}
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	js, hx := wantsJSON(c.Request()), isHTMX(c.Request())
	if len(in.shape) > 0 || in.plan.Validate().HasErrors() {
		const fix = "The plan has errors: go back to the review step and fix them first."
		switch {
		case js:
			return echo.NewHTTPError(http.StatusUnprocessableEntity, fix)
		case hx:
			view, err := a.registerView(in, "")
			if err != nil {
				return err
			}
			view.Alert = fix
			return a.render(c, http.StatusUnprocessableEntity, templates.RegisterPage(view))
		}
		in.step = reviewStep()
		return a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "error-summary"})
	}
	key, problem := apiKeyOf(c.Request().PostForm)
	if key == "" && problem == "" {
		problem = "Enter the API key of an Octopus user who may register machines: Tentacle needs it to register."
	}
	view, err := a.registerView(in, "register-api-key")
	if err != nil {
		return err
	}
	if problem != "" {
		if js {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, problem)
		}
		view.KeyError = problem
		return a.render(c, http.StatusUnprocessableEntity, templates.RegisterPage(view))
	}
	id, err := a.runID()
	if err != nil {
		return err
	}
	r, err := a.host.runs.start(id, a.registration(in.plan, key, id))
	if errors.Is(err, errBusy) {
		const busy = "A registration is running already on this machine; wait for it to end, then run again."
		if js {
			return echo.NewHTTPError(http.StatusConflict, busy)
		}
		view.Alert = busy
		return a.render(c, http.StatusConflict, templates.RegisterPage(view))
	}
	if err != nil {
		return err
	}
	stream := "/register/events/" + id
	switch {
	case js:
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return c.JSON(http.StatusAccepted, startBody{Events: stream})
	case hx:
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		view.Events, view.RunID, view.Focus = stream, id, "run-title"
		return a.render(c, http.StatusAccepted, templates.RegisterPage(view))
	}
	noWriteDeadline(c)
	select {
	case <-r.done:
	case <-c.Request().Context().Done():
		return nil // the browser left; the run goes on and is logged
	}
	events, out, _ := r.since(0)
	view.Steps, view.Outcome, view.Focus = latestSteps(events), out.view(), "register-outcome"
	return a.render(c, http.StatusOK, templates.RegisterPage(view))
}

// registration binds the plan and the key to the host's Registrar. The
// key stays in this closure, which only the run's goroutine holds.
func (a *App) registration(p plan.Plan, key, id string) work {
	return func(ctx context.Context, emit func(report.Event)) runResult {
		// The one boundary where the key is masked: every event and the
		// error the host gives back pass through it.
		secret := report.Secret(key)
		var events []report.Event
		res, err := a.host.registrar(ctx, p, key, secret.Emitter(func(ev report.Event) {
			events = append(events, ev)
			emit(ev)
		}))
		err = secret.Error(err)
		o := outcomeOf(p, latestSteps(events), res, err)
		if err != nil && errors.Is(context.Cause(ctx), errCancelled) {
			o = cancelledOutcome(o, latestSteps(events))
		}
		if err != nil {
			a.log.Warn("registration stopped", "run", id, "machine", p.Tentacle.Name, "err", err)
		} else {
			a.log.Info("registration done", "run", id, "machine", p.Tentacle.Name)
		}
		return o
	}
}

// outcomeOf says how a run ended.
func outcomeOf(p plan.Plan, steps []report.Event, res Registered, err error) runResult {
	o := runResult{OK: err == nil, Backup: res.Backup}
	if err != nil && res.ExistingSubscriptionID != p.Tentacle.SubscriptionID && plan.ValidSubscriptionID(res.ExistingSubscriptionID) {
		o.ExistingID = res.ExistingSubscriptionID
	}
	var failed *report.Event
	for i, ev := range steps {
		switch ev.Status {
		case report.Warn:
			o.Warnings++
			o.WarningNotes = append(o.WarningNotes, "Step "+templates.StepOf(ev.Step, ev.Total)+", "+ev.Name+": "+ev.Message)
		case report.Fail:
			failed = &steps[i]
			if err == nil {
				// A step that failed without stopping the run (the check in
				// Octopus after the Tentacle side, cut short by Cancel) is
				// told as a warning, never under a plain "Registered".
				o.Warnings++
				o.WarningNotes = append(o.WarningNotes, "Step "+templates.StepOf(ev.Step, ev.Total)+", "+ev.Name+": "+ev.Message)
			}
		}
	}
	if err == nil {
		o.Headline = fmt.Sprintf("%s is registered and polls %s as planned.", p.Tentacle.Name, count(len(res.Trusted), "address", "addresses"))
		if res.Health != "" {
			o.Headline += " Octopus reports it " + res.Health + "."
		}
		return o
	}
	var inv *plan.InvalidError
	switch {
	case failed != nil:
		o.Headline = "The run stopped at step " + templates.StepOf(failed.Step, failed.Total) + ": " + failed.Name + "."
		o.Advice = failed.Message
	case errors.As(err, &inv):
		o.Headline, o.Advice = "The run did not start.", "The plan has errors: "+problemText(inv.Problems)
	default:
		o.Headline, o.Advice = "The run did not start.", err.Error()
	}
	if o.Backup != "" {
		o.Advice = strings.Replace(o.Advice, " The configuration before this run is saved at "+o.Backup+".", "", 1)
	}
	return o
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// registerView is the Register page for a post's valid plan.
func (a *App) registerView(in *wizardInput, focus string) (templates.Register, error) {
	p := in.plan
	js, err := json.Marshal(p)
	if err != nil {
		return templates.Register{}, err
	}
	return templates.Register{
		Page:      a.page("Register"),
		Plan:      p,
		PlanJSON:  string(js),
		Addresses: p.Normalized().Addresses(),
		Tentacle:  a.host.tentacle,
		Focus:     focus,

		Subscription: in.ids,
		ReviewStep:   reviewStep(),
	}, nil
}

// runID is a new run's id: 128 random bits.
func (a *App) runID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(a.random, b[:]); err != nil {
		return "", fmt.Errorf("web: run id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// wantsJSON reports whether a script (not a form) asked.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// isHTMX reports whether htmx made the request, to swap a part of the page.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }
