package app

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
)

// keepAlive is how often an idle event stream sends a comment, so a
// browser that left is noticed.
const keepAlive = 15 * time.Second

// handleRegisterEvents serves GET /register/events/:id: the run's steps as
// server-sent events, from the start (or after Last-Event-ID when the
// browser reconnects). Each "step" event is the step's row, rendered as
// the page renders it, marked to add itself to the list or, when the run
// reported the step before, to replace its row (hx-swap-oob: htmx's SSE
// extension places it); its id counts events. The last is "done", with
// the outcome.
func (a *App) handleRegisterEvents(c echo.Context) error {
	if a.host.runs == nil {
		return unavailable("Register")
	}
	r, ok := a.host.runs.get(c.Param("id"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "This registration run is unknown or over: a run can be watched for 10 minutes after it ends. Start it again from the Register page.")
	}
	next := resumeAfter(c.Request().Header.Get("Last-Event-ID"), r.sent())
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	w.Flush() // the browser knows the stream is open before the first step
	noWriteDeadline(c)
	ctx := c.Request().Context()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	var buf bytes.Buffer
	before, _, _ := r.since(0)
	reported := map[int]bool{} // the steps of the events the browser has
	for _, ev := range before[:next] {
		reported[ev.Step] = true
	}
	for {
		events, out, changed := r.since(next)
		buf.Reset()
		for _, ev := range events {
			next++
			if err := writeEvent(ctx, &buf, "step", next, templates.RegisterStepEvent(ev, reported[ev.Step])); err != nil {
				return err
			}
			reported[ev.Step] = true
		}
		if out != nil {
			if err := writeEvent(ctx, &buf, "done", 0, templates.RegisterDoneEvent(*out.view())); err != nil {
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

// resumeAfter is how many events a reconnecting browser already has: its
// Last-Event-ID when that names an event of this run, else 0, so the run
// is replayed from the start. An id out of range (negative, past the
// events sent, not a number) is stale or forged, not a reason to fail.
func resumeAfter(lastID string, sent int) int {
	n, err := strconv.Atoi(strings.TrimSpace(lastID))
	if err != nil || n < 0 || n > sent {
		return 0
	}
	return n
}

// writeEvent renders comp as one server-sent event: every line of the
// HTML a "data:" line, so the browser gets it back whole.
func writeEvent(ctx context.Context, buf *bytes.Buffer, name string, id int, comp templ.Component) error {
	var html strings.Builder
	if err := comp.Render(ctx, &html); err != nil {
		return err
	}
	if id > 0 {
		buf.WriteString("id: " + strconv.Itoa(id) + "\n")
	}
	buf.WriteString("event: " + name + "\n")
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(html.String())
	for _, line := range strings.Split(text, "\n") {
		buf.WriteString("data: " + line + "\n")
	}
	buf.WriteString("\n")
	return nil
}
