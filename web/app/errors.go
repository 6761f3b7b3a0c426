package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// problemsError is a plan a user can fix: the API answers 422 with the
// problems; pages show them beside their fields.
type problemsError struct {
	problems plan.Problems
}

func (e *problemsError) Error() string { return (&plan.InvalidError{Problems: e.problems}).Error() }

// tooLarge is the answer to every body over maxBody.
func tooLarge() error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is larger than %d KiB; a plan is far smaller.", maxBody>>10))
}

// problemsBody is the API's answer about a plan, valid or not.
type problemsBody struct {
	Problems plan.Problems `json:"problems"`
}

// messageBody is the API's answer to anything but a plan's problems.
type messageBody struct {
	Message   string `json:"message"`
	RequestID string `json:"requestId,omitempty"`
}

// handleError is the app's one error handler. Problems a user can fix are
// shown as such; every other error is logged with its request id and the
// user sees only "Internal error (request id ...)".
func (a *App) handleError(err error, c echo.Context) {
	rid := requestIDOf(c)
	status, msg, probs := http.StatusInternalServerError, "", plan.Problems(nil)
	var pe *problemsError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		status, msg, probs = http.StatusUnprocessableEntity, "The plan has errors.", pe.problems
	case errors.As(err, &he) && he.Code < http.StatusInternalServerError:
		status, msg = he.Code, userMessage(he)
		a.log.Info("request refused", "rid", rid, "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
	default:
		a.log.Error("internal error", "rid", rid, "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		msg = "Internal error (request id " + rid + "). The details are in the wizard's log."
	}
	if c.Response().Committed {
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	var werr error
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || wantsJSON(c.Request()) {
		if probs != nil {
			werr = c.JSON(status, problemsBody{Problems: probs})
		} else {
			werr = c.JSON(status, messageBody{Message: msg, RequestID: rid})
		}
	} else {
		page := templates.ErrorPage{Page: a.page(http.StatusText(status)), Status: status, Heading: http.StatusText(status), Message: msg, RequestID: rid}
		// An error page may answer a stranger (a refused request): it
		// carries no form, so no CSRF token either.
		page.CSRF = ""
		page.Stranger, _ = c.Get(strangerKey).(bool)
		for _, p := range probs {
			page.Message += " " + p.Field + ": " + p.Message
		}
		werr = a.render(c, status, templates.ErrorView(page))
	}
	if werr != nil {
		a.log.Error("error response", "rid", rid, "err", werr)
	}
}

// userMessage is an HTTP error's message in words a person can act on.
func userMessage(he *echo.HTTPError) string {
	if s, ok := he.Message.(string); ok && s != "" && s != http.StatusText(he.Code) {
		return s
	}
	switch he.Code {
	case http.StatusNotFound:
		return "There is no page here. The wizard starts at /."
	case http.StatusMethodNotAllowed:
		return "This address does not accept that kind of request."
	}
	if s, ok := he.Message.(string); ok && s != "" {
		return s
	}
	return http.StatusText(he.Code)
}

// badRequest is a 400 with a message for the user and the cause for the log.
func badRequest(msg string, cause error) error {
	he := echo.NewHTTPError(http.StatusBadRequest, msg)
	if cause != nil {
		he = he.SetInternal(cause)
	}
	return he
}
