package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes is the one place every URL of the app is declared.
func (a *App) routes(e *echo.Echo) {
	e.Use(a.requestID, a.recoverPanic, a.secureHeaders, a.limitPosts, a.limitBody, a.guard)

	// HEAD answers like GET (net/http drops the body), so uptime checks
	// and link checkers see the page.
	e.Match([]string{http.MethodGet, http.MethodHead}, "/", a.handleStart)
	e.Match([]string{http.MethodGet, http.MethodHead}, accessPath, a.handleAccess)
	e.GET("/wizard", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/") })
	e.POST("/wizard", a.handleWizard)
	e.POST("/preview", a.handlePreview)
	e.POST("/download", a.handleDownload)
	e.POST("/plan.json", a.handleExport)
	e.POST("/share", a.handleShare)
	e.POST("/check", a.handleCheck)
	e.POST("/register", a.handleRegister)
	e.POST("/register/start", a.handleRegisterStart)
	e.POST("/register/use-id", a.handleRegisterUseID)
	e.POST("/register/cancel", a.handleRegisterCancel)
	e.GET("/register/events/:id", a.handleRegisterEvents)
	e.POST("/change/download", a.handleChangeDownload)
	e.POST("/rollout", a.handleRollout)
	e.POST("/rollout/start", a.handleRolloutStart)
	e.GET("/rollout/events/:id", a.handleRolloutEvents)
	e.Match([]string{http.MethodGet, http.MethodHead}, "/static/:name", a.handleStatic)
	e.Match([]string{http.MethodGet, http.MethodHead}, "/static/vendor/:name", a.handleStatic)
	e.GET("/favicon.ico", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, a.assets.urls().Icon) })

	api := e.Group("/api/v1")
	api.POST("/validate", a.handleAPIValidate)
	api.POST("/bundle", a.handleAPIBundle)
	api.POST("/files", a.handleAPIFiles)
}
