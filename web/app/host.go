package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Checker runs the preflight checks of a valid plan on the host: every
// polled address, and with an API key (may be empty) the Octopus API. It
// must bound its own network calls; the app also cancels ctx after
// checkTimeout. The key must not appear in the report.
type Checker func(ctx context.Context, p plan.Plan, apiKey string) report.Preflight

// Registrar registers the Tentacle of a valid plan on the host, step by
// step, reporting each step to emit as it starts and ends (commands with
// the key masked). It returns an error when a step failed or the run could
// not start; the events say which step and what to do.
type Registrar func(ctx context.Context, p plan.Plan, apiKey string, emit func(report.Event)) (Registered, error)

// Registered is what a registration leaves behind.
type Registered struct {
	// Backup is where Tentacle.config was copied before the first change.
	Backup string
	// Trusted are the addresses the Tentacle polls afterwards.
	Trusted []string
	// Health is the machine's health in Octopus, when it could be asked.
	Health string
	// ExistingSubscriptionID is set when the run stopped because the
	// Tentacle already polls this cluster under another subscription id:
	// the id it has, which the plan should use instead.
	ExistingSubscriptionID string
}

// checkTimeout bounds a whole Check.
const checkTimeout = 2 * time.Minute

// hostTools is what a host added to the app: the checker, the registrar
// with its runs, and the access rules that must come with them.
type hostTools struct {
	checker   Checker
	registrar Registrar
	tentacle  string
	access    *access // nil: every request is welcome, as on any other host
	runs      *regTable
}

func newHostTools(cfg Config, log *slog.Logger) hostTools {
	h := hostTools{tentacle: cfg.Tentacle}
	if cfg.AccessToken == "" {
		if cfg.Checker != nil || cfg.Registrar != nil {
			log.Warn("web: Checker and Registrar are off: they need an AccessToken")
		}
		return h
	}
	h.access = newAccess(cfg.AccessToken, cfg.ListenAddr)
	h.checker, h.registrar = cfg.Checker, cfg.Registrar
	if h.registrar != nil {
		h.runs = newRunTable(cfg.Context, time.Now)
	}
	return h
}

// view is what pages show of the host.
func (h hostTools) view() templates.Host {
	return templates.Host{CanCheck: h.checker != nil, CanRegister: h.registrar != nil, Tentacle: h.tentacle, HowToEnable: howToEnable}
}

// howToEnable is the command that starts a host that can check and
// register: the one place that says how to get them.
const howToEnable = "tentacle-ha serve -allow-register"

// csrf is the token every post must carry, or "" when none is asked.
func (h hostTools) csrf() string {
	if h.access == nil {
		return ""
	}
	return h.access.csrf
}

// unavailable answers a Check or Register post on a host that cannot run it.
func unavailable(what string) error {
	return echo.NewHTTPError(http.StatusNotFound, what+" is not available here: run the self-hosted server with -allow-register on the Tentacle host ("+howToEnable+").")
}

// handleCheck serves POST /check: the preflight checks of the plan the
// check form carries, with the API key typed beside the button. htmx gets
// the result alone; a plain post gets the review step with the result.
func (a *App) handleCheck(c echo.Context) error {
	if a.host.checker == nil {
		return unavailable("Check")
	}
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	in.step = reviewStep()
	key, keyProblem := apiKeyOf(c.Request().PostForm)
	v := &templates.CheckView{WithKey: key != ""}
	invalid := len(in.shape) > 0 || in.plan.Validate().HasErrors()
	switch {
	case invalid:
		v.Alert = "Fix the plan's errors first: the check runs against the plan as it will be registered."
	case keyProblem != "":
		v.Alert = keyProblem
	default:
		noWriteDeadline(c)
		ctx, cancel := context.WithTimeout(c.Request().Context(), checkTimeout)
		defer cancel()
		v.Report = report.Secret(key).Preflight(a.host.checker(ctx, in.plan, key))
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		return a.render(c, http.StatusOK, templates.CheckResult(v, templ.Attributes{}))
	}
	out := outcome{step: reviewStep(), status: http.StatusOK, focus: "check-result"}
	if invalid {
		out.showErrors, out.status, out.focus = true, http.StatusUnprocessableEntity, "error-summary"
	}
	w, err := a.wizardView(in, out)
	if err != nil {
		return err
	}
	w.Check = v
	return a.render(c, out.status, wizardPage(w))
}

// apiKeyOf reads the API key of a check or registration post. The key
// reaches the Tentacle command line as one argument, so it must be one
// word; the problem never quotes it.
func apiKeyOf(v url.Values) (key, problem string) {
	key = strings.TrimSpace(v.Get("apiKey"))
	switch {
	case key == "":
		return "", ""
	case len(key) > 256, strings.HasPrefix(key, "-"), strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", "That is not an Octopus API key: a key is one word, such as API-ABCDEFGHIJKLMNOPQRSTUVWXYZ1. Copy it again from your profile in Octopus (My API Keys)."
	}
	return key, ""
}

// noWriteDeadline lifts the server's write timeout for an answer that
// takes as long as the work behind it (a check, a registration stream);
// the work itself is bounded instead. Writers without deadlines (tests,
// the Worker) are left as they are.
func noWriteDeadline(c echo.Context) {
	_ = http.NewResponseController(c.Response()).SetWriteDeadline(time.Time{})
}
