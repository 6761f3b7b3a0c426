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
	"github.com/tentacle-ha-wizard/wizard/web/report"
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
	before, _, _ := r.since(0)
	reported := map[int]bool{} // the steps of the events the browser has
	for _, ev := range before[:next] {
		reported[ev.Step] = true
	}
	return streamRun(c, r, next, func(ev report.Event) (string, templ.Component) {
		comp := templates.RegisterStepEvent(ev, reported[ev.Step])
		reported[ev.Step] = true
		return "step", comp
	}, func(o runResult) templ.Component { return templates.RegisterDoneEvent(*o.view()) })
}

// streamRun writes a run's events as server-sent events from index next
// on, each named and rendered by event, then the outcome as "done", and
// ends; an idle stream sends a comment every keepAlive, so a browser that
// left is noticed.
func streamRun[E, O any](c echo.Context, r *run[E, O], next int, event func(E) (string, templ.Component), done func(O) templ.Component) error {
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	w.Flush() // the browser knows the stream is open before the first event
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
			name, comp := event(ev)
			if err := writeEvent(ctx, &buf, name, next, comp); err != nil {
				return err
			}
		}
		if out != nil {
			if err := writeEvent(ctx, &buf, "done", 0, done(*out)); err != nil {
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
