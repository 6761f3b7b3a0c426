package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// fileBody is one generated file in the API's answer.
type fileBody struct {
	Path    string `json:"path"`
	Content string `json:"content"`
}

// filesBody answers POST /api/v1/files.
type filesBody struct {
	Files []fileBody `json:"files"`
}

// handleAPIValidate serves POST /api/v1/validate: 200 with the warnings
// when the plan has no error, 422 with every problem when it has.
func (a *App) handleAPIValidate(c echo.Context) error {
	p, err := readPlanBody(c)
	if err != nil {
		return err
	}
	probs := p.Validate()
	if probs.HasErrors() {
		return &problemsError{problems: probs}
	}
	if probs == nil {
		probs = plan.Problems{}
	}
	return c.JSON(http.StatusOK, problemsBody{Problems: probs})
}

// handleAPIBundle serves POST /api/v1/bundle?format=zip|tar.gz (in any
// case): the bundle of a valid plan (422 otherwise). A plan without a
// subscription id gets a new one, recorded in the bundle's plan.json.
func (a *App) handleAPIBundle(c echo.Context) error {
	format := strings.ToLower(c.QueryParam("format"))
	if format != "" && format != "zip" && format != "tar.gz" {
		return badRequest(`format must be "zip" or "tar.gz".`, nil)
	}
	p, files, err := a.bundleOf(c)
	if err != nil {
		return err
	}
	return sendArchive(c, p, files, format)
}

// handleAPIFiles serves POST /api/v1/files: the bundle's files as JSON.
func (a *App) handleAPIFiles(c echo.Context) error {
	_, files, err := a.bundleOf(c)
	if err != nil {
		return err
	}
	body := filesBody{Files: make([]fileBody, len(files))}
	for i, f := range files {
		body.Files[i] = fileBody{Path: f.Path, Content: string(f.Content)}
	}
	return c.JSON(http.StatusOK, body)
}

// bundleOf reads the plan of an API request and generates its files.
func (a *App) bundleOf(c echo.Context) (plan.Plan, []bundle.File, error) {
	p, err := readPlanBody(c)
	if err != nil {
		return p, nil, err
	}
	if probs := p.Validate(); probs.HasErrors() {
		return p, nil, &problemsError{problems: probs}
	}
	if p, err = p.WithSubscriptionID(a.random); err != nil {
		return p, nil, err
	}
	files, err := bundle.Files(p)
	if probs, ok := isInvalid(err); ok {
		return p, nil, &problemsError{problems: probs}
	}
	return p, files, err
}

// readPlanBody reads a plan from a JSON body: 413 when too large, 400 when
// it is not JSON or has a duplicate or wrongly cased key, 422 when it is
// JSON but not a plan.
func readPlanBody(c echo.Context) (plan.Plan, error) {
	data, err := io.ReadAll(c.Request().Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return plan.Plan{}, tooLarge()
		}
		return plan.Plan{}, badRequest("The request body could not be read.", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return plan.Plan{}, badRequest(`The request body is empty; send a plan as JSON, such as {"version": 1, ...}.`, nil)
	}
	if !json.Valid(data) {
		p, probs := plan.Decode(data)
		msg := "The request body is not valid JSON."
		if len(probs) > 0 {
			msg = probs[0].Message
		}
		return p, badRequest(msg, nil)
	}
	// A duplicate key, or one that matches a field only by case, means
	// readers disagree on what the document says: not a plan at all.
	if err := plan.CheckKeys(data); err != nil {
		if ke, ok := errors.AsType[*plan.KeyError](err); ok {
			return plan.Plan{}, badRequest(ke.Message(), err)
		}
		return plan.Plan{}, err
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		return p, &problemsError{problems: probs}
	}
	return p, nil
}

// sendArchive answers with the bundle as an archive named after the
// machine: tentacle-ha-web01.zip or .tar.gz.
func sendArchive(c echo.Context, p plan.Plan, files []bundle.File, format string) error {
	var buf bytes.Buffer
	name := bundle.ArchiveName(p)
	prefix := bundle.ArchivePrefix(p)
	ctype := "application/zip"
	var err error
	if strings.EqualFold(format, "tar.gz") {
		name += ".tar.gz"
		ctype = "application/gzip"
		err = bundle.WriteTarGz(&buf, prefix, files)
	} else {
		name += ".zip"
		err = bundle.WriteZip(&buf, prefix, files)
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}
