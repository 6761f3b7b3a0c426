package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// TestCheckGroupsByTarget: a check of three polled addresses and the API
// shows one group per target, in order, each with its counts; groups that
// failed or warned are open, passing ones folded; the target breaks only
// after "://", ".", ":" and "/".
func TestCheckGroupsByTarget(t *testing.T) {
	checker := func(_ context.Context, _ plan.Plan, _ string) report.Preflight {
		var checks []report.Check
		for i, addr := range []string{"https://lb.corp.example:10943", "https://lb.corp.example:10944", "https://lb.corp.example:10945"} {
			for _, name := range []string{"TCP connect", "TLS handshake", "Server thumbprint", "Handshake probe"} {
				st := report.Pass
				if i == 1 && name == "Server thumbprint" {
					st = report.Fail
				}
				checks = append(checks, report.Check{Name: name, Target: addr, Status: st, Message: "ok"})
			}
		}
		checks = append(checks,
			report.Check{Name: "Web port (API)", Target: "https://octopus.corp.example/", Status: report.Pass},
			report.Check{Name: "API key", Target: "https://octopus.corp.example/", Status: report.Skip},
			report.Check{Name: "Cluster nodes", Target: "https://octopus.corp.example/", Status: report.Warn})
		return report.Preflight{Checks: checks}
	}
	h := mustHostApp(t, checker, nil)
	form := formValues(h.review(t), "check-form")
	rec := h.post(t, "/check", form)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /check = %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	type group struct {
		target, counts, status string
		open                   bool
		rows                   int
	}
	want := []group{
		{"https://lb.corp.example:10943", "4 passed", "pass", false, 4},
		{"https://lb.corp.example:10944", "3 passed, 1 failed", "fail", true, 4},
		{"https://lb.corp.example:10945", "4 passed", "pass", false, 4},
		{"https://octopus.corp.example/", "1 passed, 1 warned, 1 skipped", "warning", true, 3},
	}
	var got []group
	testid(doc, "check-group").Each(func(_ int, s *goquery.Selection) {
		_, open := s.Attr("open")
		got = append(got, group{
			target: s.Find(`[data-testid="check-target"]`).Text(), counts: s.Find(`[data-testid="check-counts"]`).Text(),
			status: s.AttrOr("data-status", ""), open: open, rows: s.Find(`[data-testid="check-row"]`).Length(),
		})
	})
	if len(got) != len(want) {
		t.Fatalf("groups = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("group %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	html, err := testid(doc, "check-target").First().Html()
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://<wbr/>lb.<wbr/>corp.<wbr/>example:<wbr/>10943<wbr/>"; html != want {
		t.Errorf("target markup = %s, want %s", html, want)
	}
	if strings.Count(rec.Body.String(), "<th scope=\"col\">Target</th>") != 0 {
		t.Error("the rows still repeat the target in a column of their own")
	}
}
