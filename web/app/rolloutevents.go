package app

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// handleRolloutEvents serves GET /rollout/events/:id: the rollout's events
// as server-sent events, from the start (or after Last-Event-ID when the
// browser reconnects). Each "line" event is one event's row, marked to add
// itself to the list (htmx's SSE extension places it); the last is "done",
// with the outcome.
func (a *App) handleRolloutEvents(c echo.Context) error {
	if a.rollout.runs == nil {
		return unavailable("Roll out")
	}
	r, ok := a.rollout.runs.get(c.Param("id"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "This rollout is unknown or over: a rollout can be watched for 10 minutes after it ends. Start it again from the review of the change.")
	}
	before, _, _ := r.since(0)
	next := resumeAfter(c.Request().Header.Get("Last-Event-ID"), len(before))
	return streamRun(c, r, next, func(ev report.RolloutEvent) (string, templ.Component) {
		return "line", templates.RolloutLineEvent(ev)
	}, func(o templates.RolloutOutcome) templ.Component { return templates.RolloutDoneEvent(o) })
}
