package app

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
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
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	w.Flush()
	noWriteDeadline(c)
	ctx := c.Request().Context()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	var buf bytes.Buffer
	for {
		events, out, changed := r.since(next)
		buf.Reset()
		for _, ev := range events {
			next++
			if err := writeEvent(ctx, &buf, "line", next, templates.RolloutLineEvent(ev)); err != nil {
				return err
			}
		}
		if out != nil {
			if err := writeEvent(ctx, &buf, "done", 0, templates.RolloutDoneEvent(*out)); err != nil {
				return err
			}
		}
		if buf.Len() > 0 {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return nil // the browser left
			}
			w.Flush()
		}
		if out != nil {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if _, err := w.Write([]byte(": still running\n\n")); err != nil {
				return nil
			}
			w.Flush()
		}
	}
}
