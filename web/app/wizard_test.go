package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// page is one rendered wizard page and what its form would submit.
type page struct {
	doc  *goquery.Document
	form url.Values
	code int
}

func (a testApp) open(tb testing.TB) page {
	tb.Helper()
	rec := a.get(tb, "/")
	doc := mustDoc(tb, rec)
	return page{doc: doc, form: browserForm(doc), code: rec.Code}
}

// click submits the page with a button, as a browser without JavaScript.
func (a testApp) click(tb testing.TB, p page, button, value string) page {
	tb.Helper()
	rec := a.press(tb, p.doc, p.form, button, value)
	if rec.Code != http.StatusOK && rec.Code != http.StatusUnprocessableEntity {
		tb.Fatalf("pressing %s=%s = %d: %s", button, value, rec.Code, rec.Body)
	}
	doc := mustDoc(tb, rec)
	return page{doc: doc, form: browserForm(doc), code: rec.Code}
}

// toTentacle walks a unique-address plan to step 3.
func (a testApp) toTentacle(tb testing.TB) page {
	tb.Helper()
	p := a.click(tb, a.open(tb), "go", "2")
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6")
	p.form["nodes.address"] = []string{"octo1.example.com", "octo2.example.com", "octo3.example.com"}
	p = a.click(tb, p, "go", "3")
	if p.step(tb) != "3" {
		tb.Fatalf("could not reach step 3: %s", testid(p.doc, "error-summary").Text())
	}
	return p
}

func (p page) step(tb testing.TB) string {
	tb.Helper()
	return p.doc.Find("form#wizard").AttrOr("data-step", "")
}

func TestWalkWithoutJavaScript(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)

	// Step 1: choose unique port; the node ports are numbered for it.
	p.form.Set("topology", "unique-port")
	p = app.click(t, p, "go", "2")
	if p.step(t) != "2" {
		t.Fatalf("Next from topology went to step %s, want 2", p.step(t))
	}
	if got := p.form["nodes.port"]; !cmp.Equal(got, []string{"10943", "10944", "10945"}) {
		t.Errorf("unique-port node ports = %v, want [10943 10944 10945]", got)
	}
	if testid(p.doc, "fill-ports").Length() != 1 {
		t.Error("unique-port step 2 has no fill-ports button")
	}

	// Step 2 with a bad thumbprint and no balancer: errors, no advance.
	p.form.Set("server.url", "https://octopus.example.com")
	p.form.Set("server.thumbprint", "77751F90")
	p.form["nodes.address"] = []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}
	p.form["loadBalancer.kinds"] = []string{"nginx", "haproxy"}
	p = app.click(t, p, "go", "3")
	if p.code != http.StatusUnprocessableEntity || p.step(t) != "2" {
		t.Fatalf("Next with errors = %d step %s, want 422 on step 2", p.code, p.step(t))
	}
	summary := testid(p.doc, "error-summary")
	if !strings.Contains(summary.Text(), "Server thumbprint") || !strings.Contains(summary.Text(), "Load balancer address") {
		t.Errorf("error summary = %q, want the thumbprint and balancer address", summary.Text())
	}
	if href := summary.Find(`a[href="#f-server-thumbprint"]`); href.Length() != 1 {
		t.Error("the summary does not link to the thumbprint field")
	}
	if got := testid(p.doc, "error-server.thumbprint").Text(); !strings.Contains(got, "40 hexadecimal digits") {
		t.Errorf("error beside the thumbprint = %q", got)
	}
	if p.doc.Find("#f-server-thumbprint").AttrOr("aria-invalid", "") != "true" {
		t.Error("the thumbprint field is not marked aria-invalid")
	}
	if _, ok := summary.Attr("autofocus"); !ok {
		t.Error("the error summary does not take the focus")
	}

	// Fix them; a warning remains but never blocks.
	p.form.Set("server.thumbprint", "77:75:1f:90:f9:ee:dc:ee:0c:0c:d8:4f:7a:3c:c7:26:ad:12:3f:a6")
	p.form.Set("loadBalancer.address", "203.0.113.10")
	p = app.click(t, p, "go", "3")
	if p.step(t) != "3" {
		t.Fatalf("Next after fixing = step %s, want 3; summary %q", p.step(t), testid(p.doc, "error-summary").Text())
	}

	// Step 3, then review.
	p.form.Set("tentacle.name", "web01")
	p.form.Set("tentacle.environments", "Production\nStaging")
	p.form.Set("tentacle.roles", "web")
	p = app.click(t, p, "go", "4")
	if p.step(t) != "4" {
		t.Fatalf("Next from the Tentacle = step %s, want 4; summary %q", p.step(t), testid(p.doc, "error-summary").Text())
	}
	if _, disabled := testid(p.doc, "download-zip").Attr("disabled"); disabled {
		t.Fatal("download is disabled on a valid plan")
	}
	if got := testid(p.doc, "poll-addresses").Text(); !strings.Contains(got, "https://203.0.113.10:10944") {
		t.Errorf("review lists poll addresses %q", got)
	}
	final := planOf(t, p.doc)

	// Download both archives by form post: the same files as bundle.Files.
	files, err := bundle.Files(final)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, f := range files {
		want[f.Path] = string(f.Content)
	}
	for format, read := range map[string]func(testing.TB, []byte, string) map[string]string{"zip": unzip, "tar.gz": untar} {
		v := cloneValues(p.form)
		v.Set("format", format)
		rec := app.post(t, "/download", v)
		if rec.Code != http.StatusOK {
			t.Fatalf("download %s = %d", format, rec.Code)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "tentacle-ha-web01."+format) {
			t.Errorf("download %s Content-Disposition = %q", format, cd)
		}
		if diff := cmp.Diff(want, read(t, rec.Body.Bytes(), "tentacle-ha-web01/")); diff != "" {
			t.Errorf("download %s differs from bundle.Files (-want +got):\n%s", format, diff)
		}
	}

	// Back keeps everything and does not validate.
	p = app.click(t, p, "go", "2")
	if p.step(t) != "2" || p.form.Get("loadBalancer.address") != "203.0.113.10" {
		t.Errorf("Back to step 2 = step %s, balancer %q", p.step(t), p.form.Get("loadBalancer.address"))
	}
}

func TestStepListStopsAtFirstError(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)
	p = app.click(t, p, "go", "4")
	if p.step(t) != "2" || testid(p.doc, "error-summary").Length() != 1 {
		t.Errorf("jumping to review from an empty plan = step %s, want step 2 with errors", p.step(t))
	}
	if got := p.doc.Find(".step-item.step-done").Length(); got != 1 {
		t.Errorf("done steps = %d, want 1 (topology)", got)
	}
}

func TestNodeTable(t *testing.T) {
	app := mustApp(t)
	p := app.click(t, app.open(t), "go", "2")
	if got := p.doc.Find(`[data-testid="node-row"]`).Length(); got != 3 {
		t.Fatalf("a new plan has %d node rows, want 3 (as every diagram draws)", got)
	}
	p.form["nodes.name"] = []string{"a", "b"}
	p.form["nodes.address"] = []string{"a.example.com", "b.example.com"}
	p.form["nodes.port"] = []string{"", ""}

	p = app.click(t, p, "op", "add-node")
	if got := p.doc.Find(`[data-testid="node-row"]`).Length(); got != 3 {
		t.Fatalf("rows after add = %d, want 3", got)
	}
	if _, ok := p.doc.Find("#f-nodes-2-address").Attr("autofocus"); !ok {
		t.Error("the new row's address (the field it needs) does not take the focus")
	}
	p.form["nodes.name"] = []string{"a", "b", "c"}
	p = app.click(t, p, "op", "up-node-2")
	if got := p.form["nodes.name"]; !cmp.Equal(got, []string{"a", "c", "b"}) {
		t.Errorf("names after moving row 3 up = %v", got)
	}
	p = app.click(t, p, "op", "down-node-0")
	if got := p.form["nodes.name"]; !cmp.Equal(got, []string{"c", "a", "b"}) {
		t.Errorf("names after moving row 1 down = %v", got)
	}
	p = app.click(t, p, "op", "remove-node-1")
	if got := p.form["nodes.name"]; !cmp.Equal(got, []string{"c", "b"}) {
		t.Errorf("names after removing row 2 = %v", got)
	}
	if _, ok := p.doc.Find(`#up-node-0`).Attr("disabled"); !ok {
		t.Error("the first row can move up")
	}

	// Fill ports (unique-port only).
	p = app.click(t, p, "go", "1")
	p.form.Set("topology", "unique-port")
	p = app.click(t, p, "go", "2")
	p.form["nodes.port"] = []string{"20000", "20000", "20000"}
	p = app.click(t, p, "op", "fill-ports")
	if got := p.form["nodes.port"]; !cmp.Equal(got, []string{"10943", "10944", "10945"}) {
		t.Errorf("ports after fill = %v", got)
	}
}

func TestShapeErrorsBesideTheField(t *testing.T) {
	app := mustApp(t)
	p := app.click(t, app.open(t), "go", "2")
	p.form["nodes.port"] = []string{"abc", "10943"}
	p = app.click(t, p, "go", "3")
	if p.step(t) != "2" {
		t.Fatalf("a port of abc advanced to step %s", p.step(t))
	}
	if got := testid(p.doc, "error-nodes[0].port").Text(); !strings.Contains(got, "whole number from 1 to 65535") {
		t.Errorf("error beside node 1 port = %q", got)
	}
	if got := p.doc.Find("#f-nodes-0-port").AttrOr("value", ""); got != "abc" {
		t.Errorf("node 1 port shows %q, want what was typed (abc)", got)
	}
	if !strings.Contains(testid(p.doc, "error-summary").Text(), "Node 1 port") {
		t.Error("the summary does not name Node 1 port")
	}
}

func TestListItemErrors(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.tenantTags", "Region/Europe\nnot-a-tag")
	p.form.Set("tentacle.kind", "worker")
	p = app.click(t, p, "go", "4")
	if got := testid(p.doc, "error-tentacle.tenantTags").Text(); !strings.Contains(got, "Line 2: Write a tenant tag") {
		t.Errorf("error beside tenant tags = %q", got)
	}
	if testid(p.doc, "error-tentacle.workerPools").Length() != 1 {
		t.Error("a worker without pools has no error beside worker pools")
	}
}

func TestSubscriptionID(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	first := p.form.Get("tentacle.subscriptionId")
	p = app.click(t, p, "op", "new-id")
	second := p.form.Get("tentacle.subscriptionId")
	if second == first || !plan.ValidSubscriptionID(second) {
		t.Errorf("Generate gave %q after %q", second, first)
	}
	p.form.Set("tentacle.subscriptionId", "")
	p = app.click(t, p, "go", "3")
	if got := p.form.Get("tentacle.subscriptionId"); got != second {
		t.Errorf("a cleared id came back as %q, want the one carried (%q)", got, second)
	}
}
