package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

const existingID = "poll://k7tentacle2already4x/"

// registrarFunc is a Registrar built from a function field, so each test
// says what the run does.
type registrarFunc struct {
	run func(p plan.Plan, emit func(report.Event)) (app.Registered, error)
	got []string // the subscription id of every plan it was given
}

func (f *registrarFunc) register(ctx context.Context, p plan.Plan, key string, emit func(report.Event)) (app.Registered, error) {
	f.got = append(f.got, p.Tentacle.SubscriptionID)
	return f.run(p, emit)
}

// alreadyPolls stops the way the registration driver does when the
// Tentacle polls this cluster under another id.
func alreadyPolls(p plan.Plan, emit func(report.Event)) (app.Registered, error) {
	emit(report.Event{Step: 1, Total: 1, Name: "Register with " + p.Addresses()[0], Status: report.Fail,
		Message: "This Tentacle already polls " + p.Addresses()[0] + " as " + existingID + ", not as " + p.Tentacle.SubscriptionID + "."})
	return app.Registered{Backup: backupPath, ExistingSubscriptionID: existingID}, errors.New("registration: another subscription id")
}

func TestRegisterOffersTheExistingID(t *testing.T) {
	fr := &registrarFunc{run: func(p plan.Plan, emit func(report.Event)) (app.Registered, error) {
		if p.Tentacle.SubscriptionID == existingID {
			return app.Registered{Backup: backupPath, Trusted: p.Addresses()}, nil
		}
		return alreadyPolls(p, emit)
	}}
	h := mustHostApp(t, nil, fr.register)
	form := formValues(h.registerPage(t), "register-form")
	form.Set("apiKey", canaryKey)
	doc := mustDoc(t, h.post(t, "/register/start", form))
	button := testid(doc, "use-existing-id")
	if button.Length() != 1 || strings.TrimSpace(button.Text()) != "Use the id this Tentacle already has" {
		t.Fatalf("a run stopped on another id offers no button; outcome %q", testid(doc, "register-outcome").Text())
	}
	if !strings.Contains(testid(doc, "existing-id").Text(), "This Tentacle already polls the cluster as "+existingID+": put that id into the plan and run again") {
		t.Errorf("the offer says %q", testid(doc, "existing-id").Text())
	}

	// The button submits the page's use-id form with the id as its value.
	rec := h.post(t, "/register/use-id", submitWith(doc, button))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /register/use-id = %d: %s", rec.Code, rec.Body)
	}
	doc = mustDoc(t, rec)
	if testid(doc, "register-page").Length() != 1 || testid(doc, "register-outcome").Length() != 0 {
		t.Error("using the id does not return to the confirm step of Register")
	}
	if got := testid(doc, "register-subscription-id").Text(); got != existingID {
		t.Errorf("the confirm step shows id %q, want %s", got, existingID)
	}
	if got := testid(doc, "notice").Text(); !strings.HasPrefix(got, "The plan now uses "+existingID+", the id this Tentacle already has.") {
		t.Errorf("notice = %q", got)
	}
	if _, ok := testid(doc, "notice").Attr("autofocus"); !ok {
		t.Error("the notice does not take the focus")
	}

	// Running again registers with that id.
	form = formValues(doc, "register-form")
	form.Set("apiKey", canaryKey)
	doc = mustDoc(t, h.post(t, "/register/start", form))
	if got := testid(doc, "register-outcome").AttrOr("data-status", ""); got != "pass" || testid(doc, "use-existing-id").Length() != 0 {
		t.Errorf("the run with the Tentacle's id ended %q", got)
	}
	if want := []string{sharedID, existingID}; strings.Join(fr.got, " ") != strings.Join(want, " ") {
		t.Errorf("the registrar was given ids %v, want %v", fr.got, want)
	}

	// Back in the wizard the id counts as typed: a rename keeps it.
	click := func(p page, button, value string) page {
		v := cloneValues(p.form)
		v.Set(button, value)
		doc := mustDoc(t, h.post(t, "/wizard", v))
		return page{doc: doc, form: browserForm(doc)}
	}
	p := click(page{form: formValues(doc, "back-form")}, "go", "3")
	p.form.Set("tentacle.name", "web09")
	p = click(p, "go", "3")
	if got := idOf(t, p); got != existingID || typedWarning(p.doc) == "" {
		t.Errorf("after a rename the Tentacle's id became %s (warning %q), want it kept with the warning", got, typedWarning(p.doc))
	}
}

func TestRegisterStreamOffersTheExistingID(t *testing.T) {
	fr := &registrarFunc{run: alreadyPolls}
	h := mustHostApp(t, nil, fr.register)
	form := formValues(h.registerPage(t), "register-form")
	form.Set("apiKey", canaryKey)
	req := postRequest("/register/start", form)
	req.Header.Set("Accept", "application/json")
	rec := h.send(t, req)
	events := strings.TrimSuffix(strings.TrimPrefix(rec.Body.String(), `{"events":"`), "\"}\n")
	if rec.Code != http.StatusAccepted {
		t.Fatalf("start = %d %s", rec.Code, rec.Body)
	}
	body := h.get(t, events).Body.String()
	if !strings.Contains(body, `form="use-id-form" name="existingSubscriptionId" value="`+existingID+`"`) {
		t.Errorf("the stream's end offers no button for %s:\n%s", existingID, body)
	}
}

func TestRegisterUseIDRefusals(t *testing.T) {
	h := mustHostApp(t, nil, (&registrarFunc{run: alreadyPolls}).register)
	use := formValues(h.registerPage(t), "use-id-form")
	for _, tt := range []struct {
		name, id string
		csrf     bool
		code     int
		want     string
	}{
		{"not an id", "poll://short/", true, http.StatusBadRequest, "existingSubscriptionId"},
		{"missing", "", true, http.StatusBadRequest, "existingSubscriptionId"},
		{"without the CSRF token", existingID, false, http.StatusForbidden, "security token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := cloneValues(use)
			v.Set("existingSubscriptionId", tt.id)
			if !tt.csrf {
				v.Set("csrf", "")
			}
			rec := h.post(t, "/register/use-id", v)
			if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("POST /register/use-id = %d, want %d naming %q: %s", rec.Code, tt.code, tt.want, rec.Body)
			}
		})
	}
	// A host that cannot register has no such page.
	app := mustApp(t)
	if rec := app.post(t, "/register/use-id", use); rec.Code != http.StatusNotFound {
		t.Errorf("use-id without -allow-register = %d, want 404", rec.Code)
	}
}

// submitWith is what a browser sends when button is pressed: the controls
// of the form it names and its own name and value.
func submitWith(doc *goquery.Document, button *goquery.Selection) url.Values {
	v := formValues(doc, button.AttrOr("form", ""))
	v.Set(button.AttrOr("name", ""), button.AttrOr("value", ""))
	return v
}

func postRequest(path string, v url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
