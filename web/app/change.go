package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// "Change an existing cluster": step 1 loads the cluster's current plan
// (the from plan), the wizard edits the new plan as usual, and the review
// shows the change and its change pack (bundle.ChangeFiles), file by file
// against the current plan's bundle. The current plan travels in the
// hidden field "from", as the new one does in "plan".
const (
	opChangeFrom  = "change-from"
	opChangeClear = "change-clear"
)

// changeArchive names the change pack's download and its folder.
const changeArchive = "tentacle-ha-change"

// readFrom reads the current plan a change post carries, if any.
func (a *App) readFrom(v url.Values) (*plan.Plan, error) {
	raw := v.Get("from")
	if raw == "" {
		return nil, nil
	}
	p, probs := plan.Decode([]byte(raw))
	if probs.HasErrors() {
		return nil, badRequest("The current plan this form carries is damaged. Start again at /.", errors.New(probs.String()))
	}
	return &p, nil
}

// changeOp applies step 1's change buttons: load the current plan from a
// file or pasted text, or stop preparing a change.
func (a *App) changeOp(c echo.Context, in *wizardInput, out *outcome, op string) error {
	out.step, out.focus = firstStep, "change-title"
	if op == opChangeClear {
		in.from = nil
		out.notice = "The wizard no longer prepares a change: the review offers the new plan's bundle only."
		return nil
	}
	data, name, err := fromUpload(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		out.alert = "Choose the current plan's plan.json, or paste it, first."
		out.focus = "change-file"
		return nil
	}
	p, probs := plan.Decode(data)
	if !probs.HasErrors() {
		probs = p.Validate()
	}
	if probs.HasErrors() {
		out.alert = "Could not use " + name + " as the current plan: " + problemText(probs) +
			" A change pack needs the cluster's current plan as it is valid: the plan.json of its bundle, or an exported plan."
		out.focus = "change-file"
		return nil
	}
	in.from = &p
	out.notice = "Loaded the current plan from " + name + ": " + clusterText(p) + "."
	if c.Request().PostForm.Get("fromCopy") != "" {
		q := p
		if q.Tentacle.SubscriptionID == "" {
			if q.Tentacle.SubscriptionID, err = plan.NewSubscriptionID(a.random); err != nil {
				return err
			}
		}
		if err := a.fleetIDs(q.Fleet); err != nil {
			return err
		}
		in.plan, in.shape, in.raw, in.ids = q, nil, nil, boundID(q)
		out.notice += " The new plan starts as a copy of it:"
	} else {
		out.notice += " The new plan is the one you had:"
	}
	out.notice += " change the topology here and the nodes on step 2; the review shows the change and its change pack."
	return nil
}

// fromUpload is the current plan's text: the file picked, else the text
// pasted, and what to call it.
func fromUpload(c echo.Context) ([]byte, string, error) {
	if form := c.Request().MultipartForm; form != nil && len(form.File["fromfile"]) > 0 && form.File["fromfile"][0].Size > 0 {
		fh := form.File["fromfile"][0]
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, plan.MaxPlanBytes+1))
		return data, fh.Filename, err
	}
	return []byte(c.Request().PostForm.Get("fromText")), "the pasted text", nil
}

// clusterText sums a plan's cluster up in a few words.
func clusterText(p plan.Plan) string {
	return string(p.Topology) + ", " + count(len(p.Nodes), "node", "nodes") + ", polled at " + strings.Join(p.Normalized().Addresses(), " ")
}

// changeView is what the page shows of a change: on step 1 the current
// plan, on the review the change itself with its files.
func (a *App) changeView(in *wizardInput, out outcome, valid bool) (*templates.ChangeView, error) {
	if in.from == nil {
		return nil, nil
	}
	js, err := json.Marshal(*in.from)
	if err != nil {
		return nil, err
	}
	v := &templates.ChangeView{FromJSON: string(js), From: clusterText(*in.from), CanRollout: a.rollout.runner != nil}
	if out.step != reviewStep() {
		return v, nil
	}
	if !valid {
		v.Alert = "Fix the new plan's errors first; then the change shows here."
		return v, nil
	}
	ch, err := bundle.NewChange(*in.from, in.plan)
	if err != nil {
		v.Alert = changeProblem(err)
		return v, nil
	}
	files, err := ch.Files()
	if err != nil {
		return nil, err
	}
	before, err := bundleOf(ch.From)
	if err != nil {
		v.Alert = changeProblem(err)
		return v, nil
	}
	describeChange(v, ch)
	v.Files = changeFiles(before, files)
	v.Ready = true
	return v, nil
}

// changeProblem says why no change pack can be made, in the user's words.
func changeProblem(err error) string {
	var inv *plan.InvalidError
	if errors.As(err, &inv) {
		return "The current plan has errors, so no change pack can be made: " + problemText(inv.Problems) + " Load a valid current plan on step 1."
	}
	return strings.TrimPrefix(err.Error(), "bundle: ") + "."
}

// bundleOf is the current plan's bundle, to compare the pack's files with;
// a plan without a subscription id gets a stand-in (no cluster file holds it).
func bundleOf(p plan.Plan) (map[string][]byte, error) {
	if !p.HasFleet() && p.Tentacle.SubscriptionID == "" {
		p.Tentacle.SubscriptionID = "poll://aaaaaaaaaaaaaaaaaaaa/"
	}
	for i := range p.Fleet {
		if p.Fleet[i].SubscriptionID == "" {
			p.Fleet[i].SubscriptionID = "poll://aaaaaaaaaaaaaaaaaaaa/"
		}
	}
	files, err := bundle.Files(p)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out, nil
}

// handleChangeDownload serves POST /change/download: the change pack of
// the current plan and the new one, as .zip or .tar.gz. A change that
// cannot be made gets the review step saying why.
func (a *App) handleChangeDownload(c echo.Context) error {
	in, err := a.readWizard(c)
	if err != nil {
		return err
	}
	if in.from == nil {
		return badRequest("This form carries no current plan: load it on step 1 (Change an existing cluster) first.", nil)
	}
	files, err := bundle.ChangeFiles(*in.from, in.plan)
	if err != nil || len(in.shape) > 0 {
		return a.renderWizard(c, in, outcome{step: reviewStep(), showErrors: true, status: http.StatusUnprocessableEntity, focus: "change-title"})
	}
	return sendNamedArchive(c, changeArchive, files, in.ctl.Format)
}

// sendNamedArchive sends files as name.zip or name.tar.gz, in a folder name/.
func sendNamedArchive(c echo.Context, name string, files []bundle.File, format string) error {
	var buf bytes.Buffer
	prefix, ctype := name+"/", "application/zip"
	var err error
	if strings.EqualFold(format, "tar.gz") {
		name, ctype = name+".tar.gz", "application/gzip"
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
