package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func TestExportImportRoundTrip(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.name", "web07")
	p.form.Set("tentacle.roles", "web\napi")

	rec := app.post(t, "/plan.json", p.form)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `filename="plan.json"`) {
		t.Fatalf("export = %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	exported := rec.Body.Bytes()
	got, probs := plan.Decode(exported)
	if probs.HasErrors() || got.Tentacle.Name != "web07" || len(got.Tentacle.Roles) != 2 {
		t.Fatalf("exported plan = %+v (%s)", got.Tentacle, probs)
	}

	// Import it into a new wizard: it lands on step 3 (environments are
	// still missing) with its errors shown.
	fresh := app.open(t)
	rec = app.postMultipart(t, "/wizard", withOp(fresh.form, "import"), "planfile", "plan.json", exported)
	doc := mustDoc(t, rec)
	if got := doc.Find("form#wizard").AttrOr("data-step", ""); got != "3" {
		t.Errorf("imported plan lands on step %s, want 3 (environments missing)", got)
	}
	if !strings.Contains(testid(doc, "notice").Text(), "Imported plan.json") {
		t.Errorf("notice = %q", testid(doc, "notice").Text())
	}
	if testid(doc, "error-tentacle.environments").Length() != 1 {
		t.Error("the imported plan's missing environments are not shown")
	}
	if got := planOf(t, doc); got.Tentacle.Name != "web07" {
		t.Errorf("imported machine name = %q", got.Tentacle.Name)
	}
}

func withOp(v url.Values, op string) url.Values {
	v = cloneValues(v)
	v.Set("op", op)
	return v
}

func TestImportBadFiles(t *testing.T) {
	app := mustApp(t)
	fresh := app.click(t, app.open(t), "go", "1") // the first post picks the id
	before := planOf(t, fresh.doc)
	tests := []struct {
		name, file, want string
	}{
		{"not JSON", "PK\x03\x04 binary", "not valid JSON (line 1, column"},
		{"unknown field", `{"version": 1, "nodez": []}`, `Unknown field "nodez"`},
		{"wrong type", `{"version": 1, "nodes": {}}`, "nodes: Expected a list"},
		{"empty", ``, "Choose a plan.json file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := app.postMultipart(t, "/wizard", withOp(fresh.form, "import"), "planfile", "bad.json", []byte(tt.file))
			doc := mustDoc(t, rec)
			if got := testid(doc, "alert").Text(); !strings.Contains(got, tt.want) {
				t.Errorf("alert = %q, want %q", got, tt.want)
			}
			if got := planOf(t, doc); got.Tentacle.SubscriptionID != before.Tentacle.SubscriptionID {
				t.Error("a bad import replaced the plan")
			}
		})
	}
}

func TestShareLinkWithoutJavaScript(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p = app.click(t, p, "op", "share")
	link := testid(p.doc, "share-url").AttrOr("value", "")
	if !strings.HasPrefix(link, "http://example.com/#plan=") {
		t.Fatalf("share link = %q, want the plan in the fragment", link)
	}
	if _, hidden := testid(p.doc, "share-box").Attr("hidden"); hidden {
		t.Error("the share box is hidden")
	}
	// htmx posts the same form to /share and swaps the box it answers in.
	req := httptest.NewRequest(http.MethodPost, "/share", strings.NewReader(p.form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	rec := app.do(t, req)
	box := mustDoc(t, rec)
	if rec.Code != http.StatusOK || box.Find("form, main").Length() != 0 || box.Find("#share-box").Length() != 1 {
		t.Fatalf("POST /share = %d, want the share box alone: %s", rec.Code, rec.Body)
	}
	if got := testid(box, "share-url").AttrOr("value", ""); got != link {
		t.Errorf("POST /share gives the link %q, want the plain post's %q", got, link)
	}
	if _, hidden := testid(box, "share-box").Attr("hidden"); hidden {
		t.Error("the share box from /share is hidden")
	}
	if _, focus := testid(box, "share-url").Attr("autofocus"); !focus {
		t.Error("the link from /share does not take the focus")
	}
}

func TestOpenSharedPlan(t *testing.T) {
	app := mustApp(t)
	fresh := app.open(t)
	v := withOp(fresh.form, "load")
	v.Set("plan", validPlan)
	doc := mustDoc(t, app.post(t, "/wizard", v))
	if got := doc.Find("form#wizard").AttrOr("data-review", ""); got != "true" {
		t.Errorf("a valid shared plan does not open on the review step (data-review %q)", got)
	}
	if got := planOf(t, doc); got.Tentacle.SubscriptionID != "poll://g3662re9njtelsyfhm7t/" {
		t.Errorf("shared plan subscription id = %q", got.Tentacle.SubscriptionID)
	}
	v.Set("plan", `{"version": 1, "nodes": 3}`)
	doc = mustDoc(t, app.post(t, "/wizard", v))
	if got := testid(doc, "alert").Text(); !strings.Contains(got, "share link holds a plan the wizard cannot read") {
		t.Errorf("a broken shared plan gives alert %q", got)
	}
}

func TestDownloadInvalidPlanShowsReview(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)
	v := cloneValues(p.form)
	v.Set("format", "zip")
	rec := app.post(t, "/download", v)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("download of an empty plan = %d, want 422", rec.Code)
	}
	doc := mustDoc(t, rec)
	if doc.Find(`form#wizard[data-review="true"]`).Length() != 1 || testid(doc, "error-summary").Length() != 1 {
		t.Error("download of an invalid plan does not show the review with its errors")
	}
	if _, disabled := testid(doc, "download-zip").Attr("disabled"); !disabled {
		t.Error("download is enabled for an invalid plan")
	}
}
