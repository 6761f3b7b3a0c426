package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

const (
	typedID  = "poll://aaaaaaaaaaaaaaaaaaaa/"
	sharedID = "poll://g3662re9njtelsyfhm7t/" // validPlan's, for web01
)

// mustBeNew fails unless id is a valid id none of the earlier ones.
func mustBeNew(tb testing.TB, what, id string, earlier ...string) {
	tb.Helper()
	if !plan.ValidSubscriptionID(id) {
		tb.Errorf("%s: id %q is not a subscription id", what, id)
	}
	for _, e := range earlier {
		if id == e {
			tb.Errorf("%s: id %s was used before, want a new one", what, id)
		}
	}
}

// idOf is the subscription id a page shows and carries, which must agree.
func idOf(tb testing.TB, p page) string {
	tb.Helper()
	shown := p.doc.Find("#f-tentacle-subscriptionId").AttrOr("value", "")
	if carried := planOf(tb, p.doc).Tentacle.SubscriptionID; carried != shown {
		tb.Fatalf("the id field shows %q but the plan carries %q", shown, carried)
	}
	return shown
}

func typedWarning(doc *goquery.Document) string {
	return testid(doc, "warning-typed-subscription-id").Text()
}

func TestRenameGivesNewIDWithoutJavaScript(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	ids := []string{idOf(t, p)}
	for _, tt := range []struct {
		name  string
		renew bool
	}{
		{"web01", true},
		{"web01", false}, // the same name again: the same id
		{"web02", true},
		{" web02 ", false}, // spaces around it do not make another machine
	} {
		p.form.Set("tentacle.name", tt.name)
		p = app.click(t, p, "go", "3")
		got := idOf(t, p)
		if tt.renew {
			mustBeNew(t, "named "+tt.name, got, ids...)
		} else if got != ids[len(ids)-1] {
			t.Errorf("naming the machine %q again changed its id to %s", tt.name, got)
		}
		if w := typedWarning(p.doc); w != "" {
			t.Errorf("a generated id has the typed-id warning %q", w)
		}
		ids = append(ids, got)
	}
	if got := testid(p.doc, "id-generated-for").AttrOr("value", ""); got != "web02" {
		t.Errorf("the form says its id was generated for %q, want web02", got)
	}
	// Moving on with a new name renames too, and every file has the id.
	p.form.Set("tentacle.name", "web03")
	p.form.Set("tentacle.environments", "Production")
	p.form.Set("tentacle.roles", "web")
	p = app.click(t, p, "go", "4")
	got := testid(p.doc, "review-subscription-id").Text()
	mustBeNew(t, "review after renaming to web03", got, ids...)
	if xml := testid(p.doc, "panel-tentacle/trusted-servers.xml").Text(); !strings.Contains(xml, got) {
		t.Errorf("trusted-servers.xml does not carry the new id %s", got)
	}
}

func TestTypedIDKeptWithWarning(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.subscriptionId", typedID)
	p.form.Set("tentacle.name", "web01")
	p = app.click(t, p, "go", "3")
	for _, name := range []string{"web01", "web02"} {
		p.form.Set("tentacle.name", name)
		p = app.click(t, p, "go", "3")
		if got := idOf(t, p); got != typedID {
			t.Errorf("a typed id became %s after naming the machine %s", got, name)
		}
		if w := typedWarning(p.doc); !strings.Contains(w, "Use it for this one machine only: another Tentacle polling with the same id would take this machine's tasks.") {
			t.Errorf("warning beside a typed id = %q", w)
		}
	}
	if d := p.doc.Find("#f-tentacle-subscriptionId").AttrOr("aria-describedby", ""); !strings.Contains(d, "subscription-id-typed") {
		t.Errorf("the id field is not described by its warning: aria-describedby=%q", d)
	}
	// Generate replaces it; the warning goes, and renaming renews again.
	p = app.click(t, p, "op", "new-id")
	generated := idOf(t, p)
	mustBeNew(t, "Generate", generated, typedID)
	if w := typedWarning(p.doc); w != "" {
		t.Errorf("a generated id keeps the typed-id warning %q", w)
	}
	p.form.Set("tentacle.name", "web03")
	p = app.click(t, p, "go", "3")
	mustBeNew(t, "renaming after Generate", idOf(t, p), typedID, generated)
}

// TestRenameGivesNewIDWithPreview follows the htmx path: the preview
// answers with the id's fields out of band, and the page's form takes them.
func TestRenameGivesNewIDWithPreview(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	form := cloneValues(p.form)
	form.Set("tentacle.name", "web01")
	doc := mustDoc(t, app.post(t, "/preview", form))
	first := p.form.Get("tentacle.subscriptionId")
	second := doc.Find(`#f-tentacle-subscriptionId[hx-swap-oob="true"]`).AttrOr("value", "")
	mustBeNew(t, "preview after a rename", second, first)
	if !strings.Contains(testid(doc, "panel-tentacle/trusted-servers.xml").Text(), second) {
		t.Error("the preview's files do not carry the new id")
	}
	form = previewForm(doc, form)
	if got := form.Get("tentacle.subscriptionId"); got != second {
		t.Errorf("the form after the swap posts id %q, want %s", got, second)
	}
	// Typing on in another field keeps the id and swaps in no id field.
	form.Set("tentacle.roles", "web")
	doc = mustDoc(t, app.post(t, "/preview", form))
	if n := doc.Find(`#f-tentacle-subscriptionId`).Length(); n != 0 {
		t.Error("a preview without a rename replaces the id field")
	}
	if !strings.Contains(testid(doc, "panel-tentacle/trusted-servers.xml").Text(), second) {
		t.Error("the id changed without a rename")
	}
	// A typed id: the warning appears as it is typed, and a rename keeps it.
	form = previewForm(doc, form)
	form.Set("tentacle.subscriptionId", typedID)
	form.Set("tentacle.name", "web02")
	doc = mustDoc(t, app.post(t, "/preview", form))
	if doc.Find(`#subscription-id-typed[hx-swap-oob="true"]`).Length() != 1 || !strings.Contains(typedWarning(doc), "You typed this id") {
		t.Errorf("the preview of a typed id brings no warning: %q", typedWarning(doc))
	}
	if doc.Find(`#f-tentacle-subscriptionId`).Length() != 0 || !strings.Contains(testid(doc, "panel-tentacle/trusted-servers.xml").Text(), typedID) {
		t.Error("a rename replaced a typed id")
	}
	// On another step the preview sends the hidden fields only.
	form.Set("step", "2")
	doc = mustDoc(t, app.post(t, "/preview", form))
	if doc.Find("#subscription-id-typed, #f-tentacle-subscriptionId").Length() != 0 || testid(doc, "id-generated").Length() != 1 {
		t.Error("a step 2 preview swaps in step 3's fields, or not the hidden ones")
	}
}

func TestReviewSaysWhyTheIDIsPerMachine(t *testing.T) {
	app := mustApp(t)
	v := withOp(app.open(t).form, "load")
	v.Set("plan", validPlan)
	doc := mustDoc(t, app.post(t, "/wizard", v))
	if got := testid(doc, "review-subscription-id").Text(); got != sharedID {
		t.Errorf("review shows id %q, want %s", got, sharedID)
	}
	const want = "Octopus queues a Tentacle's work under its subscription id and hands it to whichever Tentacle polls with that id, so two machines sharing one would run each other's tasks: every machine needs its own."
	if got := testid(doc, "review-subscription-why").Text(); got != want {
		t.Errorf("review's sentence = %q, want %q", got, want)
	}
}

func TestOpenedPlanIsForItsMachineOnly(t *testing.T) {
	const notice = "This plan is for web01 only: another machine must not reuse its subscription id, poll://g3662re9njtelsyfhm7t/. For another machine, change the machine name on step 3 and the wizard gives it an id of its own."
	app := mustApp(t)
	for _, tt := range []struct{ name, lead string }{
		{"share link", "Opened the plan from the share link. "},
		{"import", "Imported plan.json. "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fresh := app.open(t)
			var rec *httptest.ResponseRecorder
			if tt.name == "import" {
				rec = app.postMultipart(t, "/wizard", withOp(fresh.form, "import"), "planfile", "plan.json", []byte(validPlan))
			} else {
				v := withOp(fresh.form, "load")
				v.Set("plan", validPlan)
				rec = app.post(t, "/wizard", v)
			}
			doc := mustDoc(t, rec)
			if got := testid(doc, "notice").Text(); got != tt.lead+notice {
				t.Errorf("notice = %q, want %q", got, tt.lead+notice)
			}
			p := page{doc: doc, form: browserForm(doc)}
			if got := planOf(t, doc).Tentacle.SubscriptionID; got != sharedID {
				t.Fatalf("the opened plan's id = %s, want it kept (%s)", got, sharedID)
			}
			// Another machine from the same plan gets its own id.
			p = app.click(t, p, "go", "3")
			p.form.Set("tentacle.name", "web02")
			p = app.click(t, p, "go", "3")
			if got := idOf(t, p); got == sharedID || !strings.HasPrefix(got, "poll://") {
				t.Errorf("renaming the opened plan's machine gave id %s, want a new one", got)
			}
		})
	}
}

func TestOpenedPlanKeepsIDOnOtherSteps(t *testing.T) {
	app := mustApp(t)
	fresh := app.open(t)
	v := withOp(fresh.form, "load")
	v.Set("plan", validPlan)
	p := page{doc: mustDoc(t, app.post(t, "/wizard", v))}
	p.form = browserForm(p.doc)
	for _, step := range []string{"1", "2", "3", "4"} {
		p = app.click(t, p, "go", step)
		if got := planOf(t, p.doc).Tentacle.SubscriptionID; got != sharedID || p.code != http.StatusOK {
			t.Errorf("on step %s the plan's id is %s (%d), want %s", step, got, p.code, sharedID)
		}
	}
}

func TestDamagedIDFieldsAreRefused(t *testing.T) {
	app := mustApp(t)
	v := cloneValues(app.open(t).form)
	v.Set("subscriptionIdGeneratedFor", strings.Repeat("x", 1001))
	rec := app.post(t, "/wizard", v)
	msg := testid(mustDoc(t, rec), "error-message").Text()
	if rec.Code != http.StatusBadRequest || !strings.HasPrefix(msg, "This form's subscriptionIdGeneratedFor field is not one the wizard sent.") {
		t.Errorf("a damaged hidden id field = %d: %q", rec.Code, msg)
	}
}
