package templates

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTargetKindFields says what the Tentacle step lacks for a kind of
// plan.TargetKinds: its choice, a block of class for-<kind> holding the
// fields of exactly the lists it takes, and the stylesheet's rule that
// shows that block only when the kind is chosen.
func TestTargetKindFields(t *testing.T) {
	var b strings.Builder
	w := Wizard{Plan: plan.Plan{Tentacle: plan.Tentacle{Kind: plan.TargetKinds[0].Kind}}}
	if err := TentacleStep(w).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	css, err := os.ReadFile("../static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range plan.TargetKinds {
		if doc.Find("#"+ID("tentacle.kind-"+k.Kind)).Length() != 1 {
			t.Errorf("kind %q: no choice %s on the Tentacle step", k.Kind, ID("tentacle.kind-"+k.Kind))
		}
		block := doc.Find(".for-" + k.Kind)
		if block.Length() != 1 {
			t.Errorf("kind %q: no block of class for-%s in tentacle.templ", k.Kind, k.Kind)
			continue
		}
		for _, l := range plan.TentacleLists {
			in := block.Find(`[name="`+l.Field+`"]`).Length() > 0
			if in != k.Takes(l.Field) {
				t.Errorf("kind %q: field %s in its block = %v, takes it = %v", k.Kind, l.Field, in, k.Takes(l.Field))
			}
		}
		if !strings.Contains(string(css), "#"+ID("tentacle.kind-"+k.Kind)+":checked") {
			t.Errorf("kind %q: static/app.css has no rule for #%s:checked that hides the other kinds' fields", k.Kind, ID("tentacle.kind-"+k.Kind))
		}
	}
}
