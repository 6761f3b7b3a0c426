package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// afterPreview is the form once htmx swapped a preview in: its hidden
// fields, and the errors shown as the preview left them.
func afterPreview(preview *goquery.Document, form url.Values) url.Values {
	v := previewForm(preview, form)
	for _, name := range []string{"errorShown", "summaryShown"} {
		v.Del(name)
		preview.Find(`[hx-swap-oob=true] input[name=` + name + `]`).Each(func(_ int, s *goquery.Selection) {
			v.Add(name, s.AttrOr("value", ""))
		})
	}
	return v
}

func TestPreviewTakesFixedErrorsAway(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.name", "web01")
	p.form.Set("tentacle.roles", "web")
	p.form.Set("tentacle.tenantTags", "bad")
	p = app.click(t, p, "go", "4")
	if p.step(t) != "3" {
		t.Fatalf("Next with errors went to step %s", p.step(t))
	}
	// A warning names its field too: it goes once it no longer applies.
	if got := p.form["errorShown"]; strings.Join(got, ",") != "tentacle.environments,tentacle.tenantTags,tentacle.tenantedDeploymentParticipation" {
		t.Errorf("the form says it shows the errors of %v", got)
	}
	if got := p.form["summaryShown"]; len(got) != 2 {
		t.Errorf("the form says the summary lists %v", got)
	}

	// Environments fixed, a new error on the connection count: the fixed
	// error goes, the new one waits for Next, the other stays.
	v := cloneValues(p.form)
	v.Set("tentacle.environments", "Production")
	v.Set("tentacle.pollingConnectionCount", "abc")
	rec := app.post(t, "/preview", v)
	doc := mustDoc(t, rec)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /preview = %d", rec.Code)
	}
	// The emptied list stays, hidden, for the field's next problem.
	if env := doc.Find(`ul#f-tentacle-environments-problems[hx-swap-oob=true][hidden]`); env.Length() != 1 || env.Children().Length() != 0 {
		t.Error("the fixed environments error is not taken away")
	}
	tags := doc.Find(`ul#f-tentacle-tenantTags-problems[hx-swap-oob=true]`)
	if !strings.Contains(tags.Find(`[data-testid="error-tentacle.tenantTags"]`).Text(), "Line 1: ") {
		t.Errorf("the tenant tags error is not shown again: %q", tags.Text())
	}
	if doc.Find(`#f-tentacle-pollingConnectionCount-problems`).Length() != 0 {
		t.Error("a new error shows before Next")
	}
	summary := doc.Find(`#error-summary[hx-swap-oob=true]`)
	if items := summary.Find(`[data-testid=summary-item]`); items.Length() != 1 || items.AttrOr("data-key", "") != "tentacle.tenantTags" {
		t.Errorf("the summary lists %d items, want the tenant tags alone: %q", items.Length(), summary.Text())
	}
	if !strings.Contains(summary.Text(), "Fix 1 error to continue") {
		t.Errorf("summary heading: %q", summary.Find("h2").Text())
	}
	if _, focus := summary.Attr("autofocus"); focus {
		t.Error("the summary takes the focus from the field being typed in")
	}

	// Tenant tags fixed too: the list and the summary go.
	v = afterPreview(doc, v)
	v.Set("tentacle.tenantTags", "Region/Europe")
	doc = mustDoc(t, app.post(t, "/preview", v))
	if doc.Find(`ul#f-tentacle-tenantTags-problems[hx-swap-oob=true][hidden]`).Children().Length() != 0 || doc.Find(`ul#f-tentacle-tenantTags-problems`).Length() != 1 || doc.Find(`#error-summary[hx-swap-oob=delete]`).Length() != 1 {
		t.Error("the last fixed error does not take the list and the summary away")
	}

	// No error shown: nothing to take away.
	v = afterPreview(doc, v)
	if n := mustDoc(t, app.post(t, "/preview", v)).Find(`[hx-swap-oob=delete], .problem-error, #error-summary`).Length(); n != 0 {
		t.Errorf("a preview with no errors shown swaps %d error elements", n)
	}
}
