package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// loadCurrent loads validPlan as the current plan on step 1 of a new
// wizard, from a file, the new plan starting as a copy of it.
func (a testApp) loadCurrent(tb testing.TB) *goquery.Document {
	tb.Helper()
	fresh := a.open(tb)
	v := withOp(fresh.form, "change-from")
	v.Set("fromCopy", "on")
	doc := mustDoc(tb, a.postMultipart(tb, "/wizard", v, "fromfile", "current.json", []byte(validPlan)))
	if testid(doc, "from-field").Length() != 1 {
		tb.Fatalf("the page carries no current plan: %s", testid(doc, "alert").Text())
	}
	return doc
}

// addNode3 goes to step 2, adds Node3 on port 10945 and goes to the review.
func (a testApp) addNode3(tb testing.TB, doc *goquery.Document) *goquery.Document {
	tb.Helper()
	doc = mustDoc(tb, a.press(tb, doc, browserForm(doc), "go", "2"))
	v := browserForm(doc)
	v.Add("nodes.name", "Node3")
	v.Add("nodes.address", "10.0.1.13")
	v.Add("nodes.port", "10945")
	v.Add("nodes.listenPort", "10943")
	v.Add("nodes.webUrl", "")
	rec := a.press(tb, doc, v, "go", "4")
	doc = mustDoc(tb, rec)
	if got := doc.Find("form#wizard").AttrOr("data-step", ""); got != "4" {
		tb.Fatalf("Next to the review = %d on step %s: %s", rec.Code, got, testid(doc, "error-summary").Text())
	}
	return doc
}

func TestChangeReviewShowsTheChangeAndItsDiff(t *testing.T) {
	app := mustApp(t)
	doc := app.loadCurrent(t)
	if !strings.Contains(testid(doc, "notice").Text(), "Loaded the current plan from current.json") || testid(doc, "change-from").Length() != 1 {
		t.Errorf("notice = %q", testid(doc, "notice").Text())
	}
	if got := planOf(t, doc); got.Server.URL != "https://octopus.example.com" || len(got.Nodes) != 2 {
		t.Errorf("the new plan is not a copy of the current one: %+v", got.Server)
	}
	doc = app.addNode3(t, doc)
	if testid(doc, "from-field").Length() != 1 {
		t.Fatal("the current plan was lost between steps")
	}
	if got := testid(doc, "change-added").Text(); got != "https://203.0.113.10:10945" {
		t.Errorf("added = %q", got)
	}
	if got := testid(doc, "change-kept").Text(); !strings.Contains(got, ":10943") || !strings.Contains(got, ":10944") {
		t.Errorf("kept = %q", got)
	}
	if got := testid(doc, "change-nodes-added").Text(); got != "Node3" {
		t.Errorf("nodes added = %q", got)
	}
	if got := testid(doc, "change-steps").Find("li").Length(); got < 3 {
		t.Errorf("%d steps, want the node, the balancer and the Tentacles", got)
	}
	files := map[string]*goquery.Selection{}
	testid(doc, "change-file").Each(func(_ int, s *goquery.Selection) { files[s.AttrOr("data-path", "")] = s })
	for path, status := range map[string]string{
		"plan.json": "changed", "change/update-tentacle.sh": "new", "change/README.md": "new",
		"loadbalancer/nginx.conf": "changed", "octopus-server/Node3.ps1": "new",
	} {
		f, ok := files[path]
		if !ok {
			t.Errorf("no %s in the change's files (have %d)", path, len(files))
			continue
		}
		if got := f.AttrOr("data-status", ""); got != status {
			t.Errorf("%s is %s, want %s", path, got, status)
		}
	}
	if f := files["plan.json"]; f != nil {
		added := f.Find(`[data-kind="add"]`).Text()
		if !strings.Contains(added, "Node3") || f.Find(`[data-kind="gap"]`).Length() == 0 {
			t.Errorf("plan.json's diff adds %q and leaves out nothing unchanged", added)
		}
		if f.Find(`[data-kind="del"]`).Length() == 0 && !strings.Contains(added, "10945") {
			t.Error("plan.json's diff shows no new port")
		}
	}
	if _, ok := files["SHA256SUMS"]; ok {
		t.Error("SHA256SUMS is listed among the changed files")
	}
	if testid(doc, "rollout-unavailable").Length() != 1 {
		t.Error("a host without a Rollout does not say how to get it")
	}

	// The download is the change pack, byte for byte.
	v := browserForm(doc)
	v.Set("format", "tar.gz")
	rec := app.post(t, "/change/download", v)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `filename="tentacle-ha-change.tar.gz"`) {
		t.Fatalf("change download = %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	got := untar(t, rec.Body.Bytes(), "tentacle-ha-change/")
	from, _ := plan.Decode([]byte(validPlan))
	want, err := bundle.ChangeFiles(from, planOf(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("the download has %d files, want %d", len(got), len(want))
	}
	for _, f := range want {
		if got[f.Path] != string(f.Content) {
			t.Errorf("%s differs from bundle.ChangeFiles'", f.Path)
		}
	}
}

func TestChangeOfAnotherClusterSaysWhy(t *testing.T) {
	app := mustApp(t)
	doc := app.loadCurrent(t)
	doc = mustDoc(t, app.press(t, doc, browserForm(doc), "go", "2"))
	v := browserForm(doc)
	v.Set("server.thumbprint", strings.Repeat("AB", 20))
	doc = mustDoc(t, app.press(t, doc, v, "go", "4"))
	if got := testid(doc, "change-alert").Text(); !strings.Contains(got, "different clusters") || !strings.Contains(got, "update-trust") {
		t.Errorf("change alert = %q", got)
	}
	if testid(doc, "change-download-zip").Length() != 0 {
		t.Error("a change that cannot be made offers its download")
	}
	v = browserForm(doc)
	v.Set("format", "zip")
	if rec := app.post(t, "/change/download", v); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("download of an impossible change = %d, want 422", rec.Code)
	}
}

func TestChangeFromPastedTextAndBadPlans(t *testing.T) {
	app := mustApp(t)
	fresh := app.open(t)
	v := withOp(fresh.form, "change-from")
	v.Set("fromText", validPlan)
	v.Del("fromCopy")
	doc := mustDoc(t, app.post(t, "/wizard", v))
	if !strings.Contains(testid(doc, "notice").Text(), "the pasted text") || testid(doc, "from-field").Length() != 1 {
		t.Errorf("pasting the current plan: notice %q", testid(doc, "notice").Text())
	}
	if got := planOf(t, doc); got.Server.URL != "" {
		t.Errorf("without the copy box the new plan became %q's", got.Server.URL)
	}
	// Stop preparing the change.
	doc = mustDoc(t, app.press(t, doc, browserForm(doc), "op", "change-clear"))
	if testid(doc, "from-field").Length() != 0 {
		t.Error("the current plan is still carried")
	}
	for name, text := range map[string]string{
		"not JSON":  "nodes: 3",
		"invalid":   `{"version": 1, "topology": "unique-address"}`,
		"no answer": "",
	} {
		v := withOp(browserForm(doc), "change-from")
		v.Set("fromText", text)
		got := mustDoc(t, app.post(t, "/wizard", v))
		if testid(got, "alert").Length() != 1 || testid(got, "from-field").Length() != 0 {
			t.Errorf("%s: alert %q, carried %d", name, testid(got, "alert").Text(), testid(got, "from-field").Length())
		}
	}
	// A damaged current plan in the form is refused.
	v = browserForm(doc)
	v.Set("from", "{")
	v.Set("go", "2")
	if rec := app.post(t, "/wizard", v); rec.Code != http.StatusBadRequest {
		t.Errorf("a damaged from = %d, want 400", rec.Code)
	}
}
