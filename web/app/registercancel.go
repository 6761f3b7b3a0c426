package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// errCancelled is the cause of a run the operator cancelled: the step it
// stopped says "cancelled because you pressed Cancel"
// (server/internal/registration cancelReason).
var errCancelled = errors.New("you pressed Cancel")

// handleRegisterCancel serves POST /register/cancel: it cancels the run
// the form names, which kills the Tentacle command running and ends the
// run at that step. htmx gets 204 (the stream brings the cancelled step
// and the outcome); a plain post waits for the run to end and gets the
// Register page with its steps. A run that has ended already is not an
// error: the page shows how it ended.
func (a *App) handleRegisterCancel(c echo.Context) error {
	if a.host.runs == nil {
		return unavailable("Register")
	}
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	id := c.Request().PostForm.Get("run")
	r, ok := a.host.runs.get(id)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "This registration run is unknown or over: a run can be watched for 10 minutes after it ends. Start it again from the Register page.")
	}
	if a.host.runs.stop(id, errCancelled) {
		a.log.Info("registration cancelled", "run", id)
	}
	if isHTMX(c.Request()) {
		return c.NoContent(http.StatusNoContent)
	}
	select {
	case <-r.done:
	case <-c.Request().Context().Done():
		return nil
	}
	view, err := a.registerView(in, "register-outcome")
	if err != nil {
		return err
	}
	events, out, _ := r.since(0)
	view.Steps, view.Outcome = latestSteps(events), out.view()
	return a.render(c, http.StatusOK, templates.RegisterPage(view))
}

// cancelledOutcome says where a cancelled run stopped and what it left:
// the steps before it finished and stay done (each checks the Tentacle's
// state first, so a second run skips them), the cancelled step was killed
// before or while it ran. The registration tests cancel at every step and
// run again (server/internal/registration cancel_test.go).
func cancelledOutcome(o runResult, steps []report.Event) runResult {
	o.Cancelled, o.ExistingID = true, ""
	var at *report.Event
	for i, ev := range steps {
		if ev.Status == report.Fail || ev.Status == report.Running {
			at = &steps[i]
			break
		}
	}
	switch {
	case at != nil:
		o.Headline = "Cancelled at step " + templates.StepOf(at.Step, at.Total) + ": " + at.Name + "."
	case len(steps) > 0:
		last := steps[len(steps)-1]
		o.Headline = "Cancelled after step " + templates.StepOf(last.Step, last.Total) + ": " + last.Name + "."
		o.Advice = stepsDone(last.Step) + ". Running again is safe: each step checks what is done and skips it."
		return o
	default:
		o.Headline = "Cancelled before the first step."
		o.Advice = "Nothing was changed. Running again is safe."
		return o
	}
	done := "No step had finished, so"
	if at.Step > 1 {
		done = stepsDone(at.Step-1) + "; " + at.Name + " was stopped, and"
	}
	o.Advice = done + " the Tentacle is left part-way. Running again is safe: each step checks what is done and skips it."
	return o
}

// stepsDone says steps 1 to n finished.
func stepsDone(n int) string {
	if n == 1 {
		return "Step 1 finished and stays done"
	}
	return "Steps 1 to " + strconv.Itoa(n) + " finished and stay done"
}
