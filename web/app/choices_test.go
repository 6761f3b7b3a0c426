package app_test

import (
	"net/url"
	"slices"
	"testing"
)

func TestUseChoicesFromACheck(t *testing.T) {
	app := mustApp(t)
	v := url.Values{
		"step": {"4"}, "plan": {validPlan}, "op": {"use-choices"},
		"use.server.space":            {"Platform Team"},
		"use.tentacle.environments":   {"Staging", "production"},
		"use.tentacle.roles":          {"api"},
		"use.tentacle.name":           {"not-a-choice"},
		"use.tentacle.subscriptionId": {"poll://aaaaaaaaaaaaaaaaaaaa/"},
	}
	doc := mustDoc(t, app.post(t, "/wizard", v))
	if step := doc.Find("form#wizard").AttrOr("data-step", ""); step != "3" {
		t.Fatalf("after using choices the wizard is on step %s, want 3 (Tentacle)", step)
	}
	p := planOf(t, doc)
	if p.Server.Space != "Platform Team" {
		t.Errorf("space = %q, want the ticked one", p.Server.Space)
	}
	if !slices.Contains(p.Tentacle.Environments, "Staging") || len(p.Tentacle.Environments) != 2 {
		t.Errorf("environments = %v, want Production (kept once, whatever its case) and Staging", p.Tentacle.Environments)
	}
	if !slices.Contains(p.Tentacle.Roles, "api") {
		t.Errorf("roles = %v, want api added", p.Tentacle.Roles)
	}
	if p.Tentacle.Name == "not-a-choice" || p.Tentacle.SubscriptionID == "poll://aaaaaaaaaaaaaaaaaaaa/" {
		t.Errorf("a use. field outside the offered lists changed the plan: %+v", p.Tentacle)
	}

	v = url.Values{"step": {"4"}, "plan": {validPlan}, "op": {"use-choices"}}
	doc = mustDoc(t, app.post(t, "/wizard", v))
	if step := doc.Find("form#wizard").AttrOr("data-review", ""); step != "true" {
		t.Errorf("nothing ticked: the wizard left the review step (data-review %q)", step)
	}
}
