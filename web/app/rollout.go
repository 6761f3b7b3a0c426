package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Rollout runs a change pack through Octopus on the host, as `server
// rollout -change DIR` does: the polling Tentacles of the space updated by
// script tasks, a canary first, then in batches, then a health check. It
// reports every event to emit as it happens and returns how it ended; an
// error means it could not start or go on (the events say how far it got).
// The key is for the Octopus API only.
type Rollout func(ctx context.Context, req RolloutRequest, apiKey string, emit func(report.RolloutEvent)) (RolloutResult, error)

// RolloutRequest is one rollout the wizard asks for.
type RolloutRequest struct {
	// Pack is the change pack (bundle.ChangeFiles): its scripts, and the
	// new plan whose server.url is the Octopus address.
	Pack []bundle.File
	// Space is a space name or Id; empty means the plan's server.space.
	Space string
	// Select, Batch and MaxFailures are rollout's -select, -batch and
	// -max-failures, as typed.
	Select, Batch, MaxFailures string
	DryRun                     bool
}

// RolloutResult is how a rollout ended.
type RolloutResult struct {
	// Complete: every selected polling Tentacle is done and healthy.
	Complete bool
	// StatePath is the state file a run again resumes from.
	StatePath string
}

// rolloutHost is what the host's Rollout adds: the runner and its runs.
type rolloutHost struct {
	runner Rollout
	runs   *rolloutRuns
}

// newRolloutHost turns the rollout on only with an access token, like
// Check and Register: a host that calls Octopus must not answer strangers.
func newRolloutHost(cfg Config) rolloutHost {
	if cfg.AccessToken == "" || cfg.Rollout == nil {
		return rolloutHost{}
	}
	return rolloutHost{runner: cfg.Rollout, runs: newRolloutRuns(cfg.Context, time.Now)}
}

// rolloutInput is a post of the Rollout page: the change, and the choices.
type rolloutInput struct {
	in    *wizardInput
	pack  []bundle.File
	added []string
	gone  []string
	req   RolloutRequest
}

// readRollout reads a rollout post. A change that cannot be made gets the
// review step with why, as a download would: then it returns no input and
// the rendering's error.
func (a *App) readRollout(c echo.Context) (*rolloutInput, error) {
	in, err := a.readWizard(c)
	if err != nil {
		return nil, err
	}
	if in.from == nil {
		return nil, badRequest("This form carries no current plan: load it on step 1 (Change an existing cluster) first.", nil)
	}
	ch, err := bundle.NewChange(*in.from, in.plan)
	var files []bundle.File
	if err == nil && len(in.shape) == 0 {
		files, err = ch.Files()
	}
	if err != nil || len(in.shape) > 0 {
		return nil, a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "change-title"})
	}
	v := c.Request().PostForm
	r := &rolloutInput{in: in, pack: files, added: ch.Added, gone: ch.Removed}
	r.req = RolloutRequest{Pack: files, Space: field(v, "space", in.plan.Server.Space), Select: field(v, "select", ""),
		Batch: field(v, "batch", "10%"), MaxFailures: field(v, "maxFailures", "0"), DryRun: v.Get("dryRun") != ""}
	if v.Get("rolloutForm") == "" {
		r.req.DryRun = true // the page's first showing: a dry run is the default
	}
	return r, nil
}

// field is a short text field of the Rollout page, or def when absent.
func field(v url.Values, name, def string) string {
	s, ok := v[name]
	if !ok || len(s) == 0 {
		return def
	}
	return strings.TrimSpace(s[0])
}

// handleRollout serves POST /rollout: the Rollout page for the change the
// review carries.
func (a *App) handleRollout(c echo.Context) error {
	if a.rollout.runner == nil {
		return unavailable("Roll out")
	}
	r, err := a.readRollout(c)
	if r == nil {
		return err
	}
	view, err := a.rolloutView(r, "step-title")
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, templates.RolloutPage(view))
}

// handleRolloutStart serves POST /rollout/start: it starts a rollout with
// the change and the API key of the post (the only place the key is sent).
// htmx gets the page at once, connected to the run's event stream; a plain
// post waits for the end and gets the page with every event.
func (a *App) handleRolloutStart(c echo.Context) error {
	if a.rollout.runner == nil {
		return unavailable("Roll out")
	}
	r, err := a.readRollout(c)
	if r == nil {
		return err
	}
	view, err := a.rolloutView(r, "rollout-api-key")
	if err != nil {
		return err
	}
	key, problem := apiKeyOf(c.Request().PostForm)
	if key == "" && problem == "" {
		problem = "Enter the API key of an Octopus user who may list the machines and run scripts in the space (a dry run reads the machines too)."
	}
	if problem == "" {
		problem = rolloutShape(r.req)
	}
	if problem != "" {
		view.KeyError = problem
		return a.render(c, http.StatusUnprocessableEntity, templates.RolloutPage(view))
	}
	id, err := a.runID()
	if err != nil {
		return err
	}
	run, err := a.rollout.runs.start(id, a.rolloutWork(r.req, key, id))
	if errors.Is(err, errBusy) {
		view.Alert = "A rollout is running already from this wizard; wait for it to end, then run again."
		return a.render(c, http.StatusConflict, templates.RolloutPage(view))
	}
	if err != nil {
		return err
	}
	if isHTMX(c.Request()) {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		view.Events, view.Focus = "/rollout/events/"+id, "run-title"
		return a.render(c, http.StatusAccepted, templates.RolloutPage(view))
	}
	noWriteDeadline(c)
	select {
	case <-run.done:
	case <-c.Request().Context().Done():
		return nil // the browser left; the rollout goes on and is logged
	}
	view.Lines, view.Outcome, _ = run.since(0)
	view.Focus = "rollout-outcome"
	return a.render(c, http.StatusOK, templates.RolloutPage(view))
}

// rolloutShape checks the lengths of the page's fields; their syntax is
// the host's to judge (the rollout says what is wrong before any task).
func rolloutShape(req RolloutRequest) string {
	for _, s := range []string{req.Space, req.Select, req.Batch, req.MaxFailures} {
		if len(s) > 1000 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' }) {
			return "The space, selection, batch and failure fields take one short line each."
		}
	}
	return ""
}

// rolloutWork binds the request and the key to the host's Rollout. Every
// event and error passes through the key's mask once, here.
func (a *App) rolloutWork(req RolloutRequest, key, id string) rolloutWork {
	secret := report.Secret(key)
	return func(ctx context.Context, emit func(report.RolloutEvent)) templates.RolloutOutcome {
		res, err := a.rollout.runner(ctx, req, key, secret.RolloutEmitter(emit))
		err = secret.Error(err)
		o := templates.RolloutOutcome{OK: err == nil && (res.Complete || req.DryRun), DryRun: req.DryRun, StatePath: res.StatePath}
		switch {
		case err != nil:
			o.Headline, o.Advice = "The rollout stopped.", strings.TrimPrefix(err.Error(), "rollout: ")
			a.log.Warn("rollout stopped", "run", id, "err", err.Error())
		case req.DryRun:
			o.Headline = "Dry run: the machines and batches above; nothing was changed."
		case res.Complete:
			o.Headline = "Every selected polling Tentacle is updated and healthy."
		default:
			o.Headline = "The rollout ended with machines not done: read the lines above."
			o.Advice = "Fix the cause and run it again: machines done are skipped, the rest retried."
		}
		if err == nil {
			a.log.Info("rollout done", "run", id, "dryRun", req.DryRun, "complete", res.Complete)
		}
		return o
	}
}

// rolloutView is the Rollout page for a post's change.
func (a *App) rolloutView(r *rolloutInput, focus string) (templates.RolloutView, error) {
	to, err := json.Marshal(r.in.plan)
	if err != nil {
		return templates.RolloutView{}, err
	}
	from, err := json.Marshal(*r.in.from)
	if err != nil {
		return templates.RolloutView{}, err
	}
	return templates.RolloutView{
		ReviewStep: reviewStep(),
		Page:       a.page("Roll out"), PlanJSON: string(to), FromJSON: string(from), ServerURL: r.in.plan.Server.URL,
		Added: r.added, Removed: r.gone, Space: r.req.Space, Select: r.req.Select, Batch: r.req.Batch,
		MaxFailures: r.req.MaxFailures, DryRun: r.req.DryRun, Focus: focus,
	}, nil
}
