package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
	if doc.Find("section#preview").Length() != 1 || doc.Find("form").Length() != 0 {
		t.Fatal("POST /preview is not the preview panel alone")
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
// band (the subscription id's).
func previewForm(preview *goquery.Document, form url.Values) url.Values {
	v := cloneValues(form)
	v.Set("shown", preview.Find(`input[name=shown]`).AttrOr("value", ""))
	v.Set("tab", preview.Find(`input[name=tab]`).AttrOr("value", ""))
	preview.Find(`input[hx-swap-oob][name]`).Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return v
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
