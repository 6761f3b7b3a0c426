package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// onTentacleStep opens validPlan and goes to step 3, as a browser would.
func (a testApp) onTentacleStep(tb testing.TB) *goquery.Document {
	tb.Helper()
	doc := mustDoc(tb, a.post(tb, "/wizard", url.Values{"step": {"1"}, "op": {"load"}, "plan": {validPlan}}))
	doc = mustDoc(tb, a.press(tb, doc, browserForm(doc), "go", "3"))
	if got := doc.Find("form#wizard").AttrOr("data-step", ""); got != "3" {
		tb.Fatalf("on step %s, want 3", got)
	}
	return doc
}

// uploadFleet posts a CSV with the Tentacle step's Upload machines button.
func (a testApp) uploadFleet(tb testing.TB, doc *goquery.Document, csv string) (*goquery.Document, int) {
	tb.Helper()
	rec := a.postMultipart(tb, "/wizard", withOp(browserForm(doc), "fleet-upload"), "fleetfile", "machines.csv", []byte(csv))
	return mustDoc(tb, rec), rec.Code
}

// fleetRow is the table row of CSV row n.
func fleetRow(doc *goquery.Document, n string) *goquery.Selection {
	return doc.Find(`[data-testid="fleet-row"][data-row="` + n + `"]`)
}

func TestFleetCSVShowsProblemsBesideTheirCells(t *testing.T) {
	app := mustApp(t)
	doc := app.onTentacleStep(t)
	doc, code := app.uploadFleet(t, doc, "name,os,kind,environments,roles,workerPools\n"+
		"web01,linux,target,Production,web,\n"+
		"web02,,server,,,\n"+
		"build-07,windows,worker,,,\n"+
		"WEB01,,,,,\n")
	if code != http.StatusOK {
		t.Fatalf("upload = %d", code)
	}
	if got := testid(doc, "fleet-row").Length(); got != 4 {
		t.Fatalf("the table has %d rows, want 4", got)
	}
	for _, c := range []struct{ row, cell, want string }{
		{"3", "fleet-error-kind", "not \"server\""},
		{"4", "fleet-error-workerPools", ""},
		{"5", "fleet-error-name", "web01 too"},
	} {
		got := fleetRow(doc, c.row).Find(`[data-testid="` + c.cell + `"]`)
		if got.Length() != 1 || !strings.Contains(got.Text(), c.want) {
			t.Errorf("row %s: %s = %q (%d), want one saying %q", c.row, c.cell, got.Text(), got.Length(), c.want)
		}
	}
	if fleetRow(doc, "2").Find(".problem-error").Length() != 0 {
		t.Errorf("row 2 has errors: %s", fleetRow(doc, "2").Text())
	}
	// Values a machine leaves empty come from the Tentacle step.
	if cell := fleetRow(doc, "5").Find(`[data-testid="fleet-cell-environments"]`); !cell.HasClass("fleet-inherited") || !strings.Contains(cell.Text(), "Production") {
		t.Errorf("row 5's environments = %q, want Production inherited", cell.Text())
	}
	// The summary links to the cell, on this step.
	link := testid(doc, "error-summary").Find(`a[href="#f-fleet-1-kind"]`)
	if link.Length() != 1 || !strings.Contains(link.Text(), "Machine 2, Kind") {
		t.Errorf("no summary link to machine 2's kind: %s", testid(doc, "error-summary").Text())
	}
	p := planOf(t, doc)
	if len(p.Fleet) != 4 {
		t.Fatalf("the plan has %d machines, want 4", len(p.Fleet))
	}
	ids := map[string]bool{}
	for _, m := range p.Fleet {
		if !plan.ValidSubscriptionID(m.SubscriptionID) || ids[m.SubscriptionID] {
			t.Errorf("machine %s has id %q: not its own", m.Name, m.SubscriptionID)
		}
		ids[m.SubscriptionID] = true
	}
	// Next does not pass the errors.
	rec := app.press(t, doc, browserForm(doc), "go", "4")
	if next := mustDoc(t, rec); rec.Code != http.StatusUnprocessableEntity || next.Find("form#wizard").AttrOr("data-step", "") != "3" {
		t.Errorf("Next with fleet errors = %d on step %s, want 422 on 3", rec.Code, next.Find("form#wizard").AttrOr("data-step", ""))
	}
}

func TestFleetCSVWithItsOwnProblemsChangesNothing(t *testing.T) {
	app := mustApp(t)
	doc := app.onTentacleStep(t)
	doc, _ = app.uploadFleet(t, doc, "name,kind\nweb01,target\nweb02,target,extra\n")
	if !strings.Contains(testid(doc, "alert").Text(), "Nothing was imported from machines.csv") {
		t.Errorf("alert = %q", testid(doc, "alert").Text())
	}
	if testid(doc, "fleet-rejected").Length() != 1 {
		t.Error("the refused file is not marked as not imported")
	}
	if got := fleetRow(doc, "3").Find(`[data-testid="fleet-error-row"]`).Text(); !strings.Contains(got, "Row 3 has 3 cells") {
		t.Errorf("row 3's problem = %q", got)
	}
	if p := planOf(t, doc); p.HasFleet() {
		t.Errorf("a refused CSV put %d machines into the plan", len(p.Fleet))
	}
	// A header without names is a problem of the file.
	doc, _ = app.uploadFleet(t, doc, "host,kind\nweb01,target\n")
	if got := testid(doc, "fleet-problem").Text(); !strings.Contains(got, "no name column") {
		t.Errorf("file problem = %q", got)
	}
	// No file at all.
	rec := app.postMultipart(t, "/wizard", withOp(browserForm(doc), "fleet-upload"), "", "", nil)
	if got := testid(mustDoc(t, rec), "alert").Text(); !strings.Contains(got, "Choose a CSV file") {
		t.Errorf("alert without a file = %q", got)
	}
}

const goodFleet = "name,os,kind,workerPools\nweb01,,,\nweb02,,,\nbuild-07,windows,worker,Windows Builders\n"

func TestFleetKeptAcrossStepsExportAndDownload(t *testing.T) {
	app := mustApp(t)
	doc, _ := app.uploadFleet(t, app.onTentacleStep(t), goodFleet)
	want := planOf(t, doc).Fleet
	if len(want) != 3 || !strings.Contains(testid(doc, "notice").Text(), "Imported 3 machines") {
		t.Fatalf("fleet = %d machines, notice %q", len(want), testid(doc, "notice").Text())
	}
	for _, step := range []string{"1", "2", "3", "4"} {
		doc = mustDoc(t, app.press(t, doc, browserForm(doc), "go", step))
		if got := planOf(t, doc).Fleet; len(got) != 3 || got[2].SubscriptionID != want[2].SubscriptionID || got[2].WorkerPools[0] != "Windows Builders" {
			t.Fatalf("on step %s the fleet is %+v, want %+v", step, got, want)
		}
	}
	// The review lists the machines and their ids.
	rows := testid(doc, "fleet-review-row")
	if rows.Length() != 3 {
		t.Fatalf("review lists %d machines", rows.Length())
	}
	rows.Each(func(i int, r *goquery.Selection) {
		if got := testid(goquery.NewDocumentFromNode(r.Nodes[0]), "fleet-review-id").Text(); got != want[i].SubscriptionID {
			t.Errorf("review row %d id = %q, want %q", i, got, want[i].SubscriptionID)
		}
	})
	if !strings.Contains(testid(doc, "fleet-download-text").Text(), "3 machines") {
		t.Errorf("download text = %q", testid(doc, "fleet-download-text").Text())
	}
	// Export keeps it.
	exported, probs := plan.Decode(app.post(t, "/plan.json", browserForm(doc)).Body.Bytes())
	if probs.HasErrors() || len(exported.Fleet) != 3 || exported.Fleet[0].SubscriptionID != want[0].SubscriptionID {
		t.Errorf("exported fleet = %+v (%s)", exported.Fleet, probs)
	}
	// The download is the fleet bundle.
	v := browserForm(doc)
	v.Set("format", "zip")
	rec := app.post(t, "/download", v)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "tentacle-ha-fleet.zip") {
		t.Fatalf("download = %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	files := unzip(t, rec.Body.Bytes(), "tentacle-ha-fleet/")
	for _, path := range []string{"tentacles/web01/register.sh", "tentacles/web02/trusted-servers.xml", "tentacles/build-07/register.ps1", "tentacle/register-any.sh"} {
		if _, ok := files[path]; !ok {
			t.Errorf("the download has no %s", path)
		}
	}
	if !strings.Contains(files["tentacles/web02/register.sh"], want[1].SubscriptionID) {
		t.Error("web02's register.sh does not carry its id")
	}
	// Remove takes the fleet out.
	doc = mustDoc(t, app.press(t, doc, browserForm(doc), "go", "3"))
	doc = mustDoc(t, app.press(t, doc, browserForm(doc), "op", "fleet-remove"))
	if planOf(t, doc).HasFleet() || testid(doc, "fleet-table").Length() != 0 {
		t.Error("Remove left the fleet in the plan")
	}
}

func TestImportedPlanWithFleetShowsTheTable(t *testing.T) {
	app := mustApp(t)
	withFleet := strings.Replace(validPlan, `"tentacle":`, `"fleet": [{"name": "app01"}, {"name": "app02", "roles": ["api"]}], "tentacle":`, 1)
	fresh := app.open(t)
	doc := mustDoc(t, app.postMultipart(t, "/wizard", withOp(fresh.form, "import"), "planfile", "plan.json", []byte(withFleet)))
	first := planOf(t, doc).Fleet
	if len(first) != 2 || !plan.ValidSubscriptionID(first[0].SubscriptionID) || first[0].SubscriptionID == first[1].SubscriptionID {
		t.Fatalf("imported fleet = %+v, want two machines with ids of their own", first)
	}
	doc = mustDoc(t, app.press(t, doc, browserForm(doc), "go", "3"))
	if got := testid(doc, "fleet-row").Length(); got != 2 {
		t.Fatalf("step 3 shows %d machines, want 2", got)
	}
	if got := fleetRow(doc, "3").Find(`[data-testid="fleet-cell-roles"]`).Text(); !strings.Contains(got, "api") {
		t.Errorf("app02's roles = %q", got)
	}
	if again := planOf(t, doc).Fleet; again[1].SubscriptionID != first[1].SubscriptionID {
		t.Errorf("the id changed between posts: %s, then %s", first[1].SubscriptionID, again[1].SubscriptionID)
	}
}
