package app_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// reviewWith is the review step of validPlan, posted with extra fields.
func reviewWith(t *testing.T, a testApp, extra url.Values) *goquery.Document {
	t.Helper()
	v := url.Values{"step": {"1"}, "op": {"load"}, "plan": {validPlan}}
	for k, vs := range extra {
		v[k] = vs
	}
	rec := a.post(t, "/wizard", v)
	if rec.Code != http.StatusOK {
		t.Fatalf("load = %d", rec.Code)
	}
	return mustDoc(t, rec)
}

// TestReviewSetupSteps: the review step shows the README's numbered
// steps in order, every fenced command of the README as a command with a
// copy button (hidden until app.js shows it) naming its code, and the
// sections after the steps.
func TestReviewSetupSteps(t *testing.T) {
	a := mustApp(t)
	doc := reviewWith(t, a, nil)
	readme := wantFiles(t, validPlan)["README.md"]
	var wantTitles []string
	for _, m := range regexp.MustCompile(`(?m)^## \d+\. (.+)$`).FindAllStringSubmatch(readme, -1) {
		wantTitles = append(wantTitles, m[1])
	}
	var wantCommands []string
	for _, m := range regexp.MustCompile("(?ms)^( *)```[a-z]*\n(.*?)\n *```$").FindAllStringSubmatch(readme, -1) {
		wantCommands = append(wantCommands, regexp.MustCompile("(?m)^"+m[1]).ReplaceAllString(m[2], ""))
	}
	var titles, commands []string
	testid(doc, "setup-step").Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Find("h3").Text()) })
	testid(doc, "setup-steps").Find(`[data-testid="setup-command"]`).Each(func(_ int, s *goquery.Selection) {
		commands = append(commands, s.Text())
		id := s.AttrOr("id", "")
		button := s.Closest(".setup-code").Find("button.copy")
		if _, hidden := button.Attr("hidden"); button.AttrOr("data-copy", "") != id || id == "" || !hidden || button.AttrOr("type", "") != "button" {
			t.Errorf("command %q has no hidden copy button naming it", s.Text())
		}
	})
	if len(wantTitles) < 5 || !cmp.Equal(titles, wantTitles) {
		t.Errorf("steps = %q, want the README's %q", titles, wantTitles)
	}
	if diff := cmp.Diff(wantCommands, commands); diff != "" || len(commands) < 3 {
		t.Errorf("commands differ from the README's fenced blocks (-want +got):\n%s", diff)
	}
	register := testid(doc, "setup-step").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("h3").Text() == "Register the Tentacle" })
	if got := register.Find(`[data-testid="setup-command"]`).First().Text(); got != "sudo ./tentacle/register.sh" {
		t.Errorf("the Register step's first command = %q, want sudo ./tentacle/register.sh", got)
	}
	if testid(doc, "setup-more").Length() == 0 {
		t.Error("the README's sections after the steps are missing")
	}
	// A plan with errors has no bundle, so no steps.
	bad := strings.Replace(validPlan, "10944", "10943", 1)
	rec := a.post(t, "/wizard", url.Values{"step": {"1"}, "op": {"load"}, "plan": {bad}})
	if testid(mustDoc(t, rec), "setup-steps").Length() != 0 {
		t.Error("a plan with errors shows setup steps")
	}
}

// TestReviewPasteIsTheDownload: the paste's base64 is the very tar.gz the
// Download .tar.gz button gives, and neither it nor the page holds an API
// key a browser sent along with the review.
func TestReviewPasteIsTheDownload(t *testing.T) {
	a := mustApp(t)
	doc := reviewWith(t, a, url.Values{"apiKey": {canaryKey}})
	if strings.Contains(doc.Text(), "CANARY") {
		t.Fatal("the API key is in the review page")
	}
	bash := testid(doc, "setup-paste-bash").Text()
	body, ok := strings.CutPrefix(bash, "base64 -d > tentacle-ha-bundle.tgz <<'EOF'\n")
	body, _, found := strings.Cut(body, "\nEOF\n")
	if !ok || !found {
		t.Fatalf("the bash paste is not a here-document of base64:\n%.300s", bash)
	}
	tgz, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	form := formValues(doc, "wizard")
	form.Del("apiKey")
	form.Set("format", "tar.gz")
	dl := a.post(t, "/download", form)
	if dl.Code != http.StatusOK || !bytes.Equal(dl.Body.Bytes(), tgz) {
		t.Fatalf("the paste's archive (%d bytes) is not the download (%d, status %d)", len(tgz), dl.Body.Len(), dl.Code)
	}
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if strings.Contains(string(data), "CANARY") || strings.Contains(h.Name, "CANARY") {
			t.Errorf("the pasted bundle holds the API key in %s", h.Name)
		}
	}
	ps := testid(doc, "setup-paste-ps").Text()
	if !strings.Contains(ps, strings.TrimSuffix(body, "\n")) || !strings.Contains(ps, "-eq '"+testid(doc, "setup-sha").Text()+"'") {
		t.Error("the PowerShell paste does not carry the same archive and digest")
	}
	if !strings.Contains(bash, "echo '"+testid(doc, "setup-sha").Text()+"  tentacle-ha-bundle.tgz' | sha256sum -c -") {
		t.Error("the bash paste does not check the digest the page shows")
	}
	if testid(doc, "setup-paste-large").Length() != 0 {
		t.Error("a small bundle is called large")
	}
}

// TestReviewPasteLarge: a bundle past 48 KiB (a fleet of 200 machines)
// is called long, with what to do when a paste is cut short.
func TestReviewPasteLarge(t *testing.T) {
	var machines []string
	for i := range 200 {
		machines = append(machines, fmt.Sprintf(`{"name": "web%03d", "subscriptionId": "poll://fleet%015d/"}`, i, i))
	}
	js := strings.Replace(validPlan, `"subscriptionId": "poll://g3662re9njtelsyfhm7t/"}`, `"subscriptionId": "poll://g3662re9njtelsyfhm7t/"}, "fleet": [`+strings.Join(machines, ",")+`]`, 1)
	rec := mustApp(t).post(t, "/wizard", url.Values{"step": {"1"}, "op": {"load"}, "plan": {js}})
	doc := mustDoc(t, rec)
	if testid(doc, "setup-steps").Length() != 1 {
		t.Fatalf("no setup steps for the fleet (%d): %.300s", rec.Code, testid(doc, "error-summary").Text())
	}
	if got := testid(doc, "setup-paste-large").Text(); !strings.Contains(got, "cut long pastes short") || !strings.Contains(got, "download the bundle") {
		t.Errorf("a large bundle's paste says %q, want that it may be cut and to download instead", got)
	}
}
