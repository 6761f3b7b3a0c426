package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
)

// handleAccess serves GET /access: how to open a wizard that can register.
// The guard lets it through without the token, so the refusal page can
// link to it and the link is never refused again; it carries no form and
// no CSRF token.
func (a *App) handleAccess(c echo.Context) error {
	r := c.Request()
	addr := listenAddr(r)
	if ac := a.host.access; ac != nil && ac.listen != "" {
		addr = ac.listen
	}
	if addr == "" {
		addr = "127.0.0.1:8080" // server/serve.go's default -addr
	}
	page := templates.AccessHelp{Page: a.page("Opening the wizard"), Command: serveCommand(addr), Addr: addr, Guarded: a.host.access != nil}
	page.CSRF = ""
	return a.render(c, http.StatusOK, templates.AccessView(page))
}
