package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func TestPreviewMarksChangedLines(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.name", "web42")
	rec := app.post(t, "/preview", p.form)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /preview = %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	if doc.Find("div#preview-top").Length() != 1 || doc.Find("form").Length() != 0 {
		t.Fatal("POST /preview from a page with the same files is not the preview's top and panes alone")
	}
	panel := testid(doc, "panel-tentacle/trusted-servers.xml")
	if !strings.Contains(panel.Find(".chg").Text(), "web42") {
		t.Errorf("changed lines of trusted-servers.xml = %q, want the new machine name", panel.Find(".chg").Text())
	}
	if testid(doc, "tab-tentacle/register.sh").Find(".tab-badge").Length() != 1 {
		t.Error("register.sh's tab does not show its changed lines")
	}
	// The same plan again: nothing changed.
	again := mustDoc(t, app.post(t, "/preview", previewForm(doc, p.form)))
	if n := again.Find(".chg").Length(); n != 0 {
		t.Errorf("an unchanged plan marks %d lines changed", n)
	}
}

// previewForm is the form after a preview swap: the new hidden fields of
// the preview replace the old, and so do the fields it swaps in out of
// band (the subscription id's, the panes').
func previewForm(preview *goquery.Document, form url.Values) url.Values {
	v := cloneValues(form)
	v.Set("shown", preview.Find(`input[name=shown]`).AttrOr("value", ""))
	v.Set("tab", preview.Find(`input[name=tab]`).AttrOr("value", ""))
	preview.Find(`input[hx-swap-oob][name]`).Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	sent := map[string]string{}
	preview.Find(`input[name=pane]`).Each(func(_ int, s *goquery.Selection) {
		id, _, _ := strings.Cut(s.AttrOr("value", ""), " ")
		sent[id] = s.AttrOr("value", "")
	})
	if preview.Find("section#preview").Length() == 1 {
		v.Del("pane")
	}
	for i, pane := range v["pane"] {
		id, _, _ := strings.Cut(pane, " ")
		if now, ok := sent[id]; ok {
			v["pane"][i] = now
			delete(sent, id)
		}
	}
	preview.Find(`input[name=pane]`).Each(func(_ int, s *goquery.Selection) {
		id, _, _ := strings.Cut(s.AttrOr("value", ""), " ")
		if _, left := sent[id]; left {
			v.Add("pane", s.AttrOr("value", ""))
		}
	})
	return v
}

// TestPreviewSendsOnlyChangedPanes: a preview from a page that holds the
// same files answers with the preview's top (retargeted) and the panes
// whose content or marks changed, out of band; any other page gets the
// whole panel.
func TestPreviewSendsOnlyChangedPanes(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	if n, tabs := len(p.form["pane"]), p.doc.Find("#preview [role=tab]").Length(); n != tabs || n == 0 {
		t.Fatalf("step 3 posts %d panes for %d files' tabs, want one a file", n, tabs)
	}
	// The page's preview marks what its step changed; the first
	// keystroke's marks are others, the second's the same files'.
	// (A new machine name gets a new subscription id, which most files
	// hold; a role is in fewer.)
	p.form.Set("tentacle.roles", "web")
	form := previewForm(mustDoc(t, app.post(t, "/preview", p.form)), p.form)
	form.Set("tentacle.roles", "web\napp")
	rec := app.post(t, "/preview", form)
	if got := rec.Header().Get("HX-Retarget"); got != "#preview-top" {
		t.Errorf("HX-Retarget = %q, want #preview-top", got)
	}
	doc := mustDoc(t, rec)
	var sent []string
	doc.Find(".panel").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("hx-swap-oob", "") != "true" {
			t.Errorf("pane %s is not swapped out of band", s.AttrOr("id", ""))
		}
		sent = append(sent, s.AttrOr("data-testid", ""))
	})
	// The files that hold the roles (register.sh passes --role, the agent's
	// values list them) and the checksums of those.
	want := []string{"panel-plan.json", "panel-tentacle/register.sh", "panel-SHA256SUMS"}
	if !cmp.Equal(sent, want) {
		t.Errorf("panes sent after a new role = %v, want %v", sent, want)
	}

	// A new machine name is in every file's header: every pane changed,
	// and one swap of the whole panel replaces them.
	renamed := cloneValues(form)
	renamed.Set("tentacle.name", "web42")
	rec = app.post(t, "/preview", renamed)
	if rec.Header().Get("HX-Retarget") != "" || mustDoc(t, rec).Find("section#preview").Length() != 1 {
		t.Error("a preview in which every pane changed is not the whole panel")
	}

	// A page whose panes are others (one missing) gets the whole panel.
	other := cloneValues(form)
	other["pane"] = other["pane"][1:]
	rec = app.post(t, "/preview", other)
	if rec.Header().Get("HX-Retarget") != "" {
		t.Error("a page with other panes is retargeted")
	}
	if full := mustDoc(t, rec); full.Find("section#preview").Length() != 1 || full.Find(".panel").Length() != len(form["pane"]) || full.Find("[hx-swap-oob].panel").Length() != 0 {
		t.Error("a page with other panes does not get the whole preview panel")
	}
}

// TestPreviewPanesAddUpToTheWholePanel types a sequence of edits as a
// page with JavaScript would, applying each answer to the page's preview
// as htmx does (the top replaced, out-of-band panes replaced by id), and
// compares the result after every edit with the whole panel the same post
// gets when the page names no panes (a page without JavaScript, the first
// preview).
func TestPreviewPanesAddUpToTheWholePanel(t *testing.T) {
	// The mirror gets the same posts without the panes; with the same
	// random source it picks the same ids.
	app, mirror := mustApp(t), mustApp(t)
	p := app.toTentacle(t)
	mirror.toTentacle(t)
	screen := p.doc.Find("section#preview")
	form := p.form
	var partial []int
	// The first edit completes the Tentacle (no field left to an example
	// value), so the rest are not drafts.
	edits := []map[string]string{
		{"tentacle.name": "web42", "tentacle.environments": "Production", "tentacle.roles": "web"},
		{"tentacle.roles": "web\napp"},
		{"tentacle.roles": "web\napp"},
		{"tentacle.environments": "Production\nStaging"},
		{"tentacle.name": "web43"},
		{"tentacle.name": "web43"},
	}
	for i, e := range edits {
		for field, value := range e {
			form.Set(field, value)
		}
		answer := mustDoc(t, app.post(t, "/preview", form))
		whole := cloneValues(form)
		whole.Del("pane")
		want := mustDoc(t, mirror.post(t, "/preview", whole)).Find("section#preview")
		if whole := answer.Find("section#preview"); whole.Length() == 1 {
			// Every pane changed: the whole panel, as htmx's target.
			screen = whole
		} else {
			partial = append(partial, i)
			screen.Find("#preview-top").ReplaceWithSelection(answer.Find("#preview-top"))
			answer.Find(".panel[hx-swap-oob]").Each(func(_ int, s *goquery.Selection) {
				s.RemoveAttr("hx-swap-oob")
				screen.Find("#" + s.AttrOr("id", "")).ReplaceWithSelection(s)
			})
		}
		got, _ := goquery.OuterHtml(screen)
		w, _ := goquery.OuterHtml(want)
		if got != w {
			t.Fatalf("edit %d (%v): the page's preview after the answer differs from the whole panel:\n%s", i, e, cmp.Diff(w, got))
		}
		form = previewForm(answer, form)
	}
	// The same roles again (only the role files' marks go) and another
	// environment keep the panes of files that hold neither (the
	// trusted-servers.xml, the server nodes' scripts).
	if !slices.Contains(partial, 2) || !slices.Contains(partial, 3) {
		t.Errorf("the answers to edits %v were the top and panes, want 2 and 3 among them", partial)
	}
}

func TestTabsWithoutJavaScript(t *testing.T) {
	app := mustApp(t)
	p := app.open(t)
	p = app.click(t, p, "show", "README.md")
	if testid(p.doc, "tab-README.md").AttrOr("aria-selected", "") != "true" {
		t.Error("the README tab is not selected after pressing it")
	}
	if _, hidden := testid(p.doc, "panel-README.md").Attr("hidden"); hidden {
		t.Error("the README panel is hidden after pressing its tab")
	}
	if p.step(t) != "1" {
		t.Errorf("a tab moved the wizard to step %s", p.step(t))
	}
}

func TestTypedTextIsEscaped(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	evil := `"><script>alert(1)</script><b x="`
	p.form.Set("tentacle.name", evil)
	p.form.Set("tentacle.environments", "</textarea><script>alert(2)</script>")
	rec := app.press(t, p.doc, p.form, "go", "4")
	if body := rec.Body.String(); strings.Contains(body, "<script>alert") {
		t.Fatal("typed text reaches the page as markup")
	}
	doc := mustDoc(t, rec)
	if got := doc.Find("#f-tentacle-name").AttrOr("value", ""); got != evil {
		t.Errorf("the machine name field shows %q, want what was typed", got)
	}
	if doc.Find("script:not([src])").Length() != 0 {
		t.Error("the page has an inline script")
	}
}

// TestPreviewDraftComesWhole: the preview's section says whether example
// values stand in, and a partial answer does not swap the section; so a
// post that turns the plan into a draft gets the whole panel even when no
// file's text changes (the example is the very value that was typed).
func TestPreviewDraftComesWhole(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.name", "web42")
	p.form.Set("tentacle.roles", "web")
	p.form.Set("tentacle.environments", "example-environment")
	form := previewForm(mustDoc(t, app.post(t, "/preview", p.form)), p.form)
	form = previewForm(mustDoc(t, app.post(t, "/preview", form)), form) // marks gone
	form.Set("tentacle.environments", "")
	rec := app.post(t, "/preview", form)
	doc := mustDoc(t, rec)
	if rec.Header().Get("HX-Retarget") != "" || doc.Find("section#preview").Length() != 1 {
		t.Fatal("a post that makes the plan a draft is not answered with the whole panel")
	}
	if testid(doc, "preview-draft").Length() != 1 {
		t.Error("the draft's panel does not say example values stand in")
	}
}

// TestPreviewManyPanes: a fleet's preview may hold thousands of files, so
// the pane fields have no count limit of their own; ones that name no
// file on the page get the whole panel.
func TestPreviewManyPanes(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	form := cloneValues(p.form)
	form["pane"] = nil
	for i := range 3000 {
		form.Add("pane", "file-"+strconv.Itoa(i)+"-x 0")
	}
	rec := app.post(t, "/preview", form)
	if rec.Code != http.StatusOK || mustDoc(t, rec).Find("section#preview").Length() != 1 {
		t.Fatalf("a preview post with 3,000 pane fields = %d, want 200 and the whole panel", rec.Code)
	}
	rec = app.post(t, "/wizard", form)
	if rec.Code != http.StatusOK {
		t.Fatalf("a wizard post with 3,000 pane fields = %d, want 200", rec.Code)
	}
}
