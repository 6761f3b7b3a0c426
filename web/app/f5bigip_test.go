package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestF5BIGIPKindOffered: the balancer kinds on step 2 come from
// bundle.Balancers, so F5 BIG-IP is offered with its label; ticked alone,
// the preview shows loadbalancer/f5-bigip.tmsh highlighted as a
// configuration (tmsh commands as keywords, # lines as comments).
func TestF5BIGIPKindOffered(t *testing.T) {
	app := mustApp(t)
	p := app.toUniquePortServer(t)
	box := p.doc.Find(`input[type=checkbox][name="loadBalancer.kinds"][value="f5-bigip"]`)
	if box.Length() != 1 {
		t.Fatal("step 2 has no loadBalancer.kinds checkbox for f5-bigip")
	}
	id := box.AttrOr("id", "")
	if label := strings.TrimSpace(p.doc.Find(`label[for="` + id + `"]`).Text()); label != "F5 BIG-IP LTM (tmsh)" {
		t.Errorf("label of the f5-bigip checkbox = %q, want %q", label, "F5 BIG-IP LTM (tmsh)")
	}

	p.form["loadBalancer.kinds"] = []string{"f5-bigip"}
	rec := app.post(t, "/preview", p.form)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /preview = %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	if testid(doc, "tab-loadbalancer/f5-bigip.tmsh").Length() != 1 {
		t.Fatal("the preview has no tab for loadbalancer/f5-bigip.tmsh")
	}
	if testid(doc, "tab-loadbalancer/haproxy.cfg").Length() != 0 {
		t.Error("the preview still has haproxy.cfg, which is no longer ticked")
	}
	panel := testid(doc, "panel-loadbalancer/f5-bigip.tmsh")
	if !strings.Contains(panel.Text(), "create ltm virtual /Common/octopus_node1_vs destination 203.0.113.10:10943 ip-protocol tcp") {
		t.Errorf("the f5-bigip.tmsh panel lacks node 1's virtual server:\n%s", panel.Text())
	}
	var keywords []string
	panel.Find(".k").Each(func(_ int, s *goquery.Selection) { keywords = append(keywords, s.Text()) })
	if !slices.Contains(keywords, "create") || !slices.Contains(keywords, "submit") || !slices.Contains(keywords, "save") {
		t.Errorf("keywords in the f5-bigip.tmsh panel = %q, want create, submit and save among them", keywords)
	}
	if panel.Find(".c").Length() == 0 {
		t.Error("no comment highlighted in the f5-bigip.tmsh panel")
	}
}
