package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// BenchmarkPreview is one keystroke's work on the server: POST /preview
// for a multi-node plan with every balancer kind.
func BenchmarkPreview(b *testing.B) {
	app := mustApp(b)
	js := strings.Replace(validPlan, `"kinds": ["nginx", "haproxy"]`, `"kinds": ["nginx", "haproxy", "nftables", "iptables", "aws-nlb", "azure-lb", "kubernetes"]`, 1)
	v := url.Values{"step": {"3"}, "plan": {js}, "tentacle.name": {"web01"}, "tentacle.environments": {"Production"}, "tentacle.roles": {"web"}, "tentacle.subscriptionId": {"poll://g3662re9njtelsyfhm7t/"}}
	first := mustDoc(b, app.post(b, "/preview", v))
	v.Set("shown", first.Find(`input[name=shown]`).AttrOr("value", ""))
	v.Set("tentacle.name", "web02")
	rec := app.post(b, "/preview", v)
	b.ReportMetric(float64(rec.Body.Len()), "bytes/op")
	body := v.Encode()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/preview", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Encoding", "gzip")
		app.do(b, req)
	}
}

// BenchmarkPreviewTyping is keystrokes as they come: every post has a
// new plan (a role not seen for 64 posts, so never a cached one), as
// "shown" the plan of the post before it and, as "pane", the panes that
// post's answer put on the page, so only the changed panes are sent.
func BenchmarkPreviewTyping(b *testing.B) { benchTyping(b, true) }

// BenchmarkPreviewTypingWhole is the same without the panes: the whole
// panel every time (what every keystroke cost before panes were kept).
func BenchmarkPreviewTypingWhole(b *testing.B) { benchTyping(b, false) }

func benchTyping(b *testing.B, panes bool) {
	app := mustApp(b)
	js := strings.Replace(validPlan, `"kinds": ["nginx", "haproxy"]`, `"kinds": ["nginx", "haproxy", "nftables", "iptables", "aws-nlb", "azure-lb", "kubernetes"]`, 1)
	const n = 64
	forms := make([]url.Values, n)
	shown := make([]string, n)
	for i := range forms {
		forms[i] = url.Values{"step": {"3"}, "plan": {js}, "tentacle.name": {"web01"}, "tentacle.environments": {"Production"}, "tentacle.roles": {fmt.Sprintf("web%02d", i)}, "tentacle.subscriptionId": {"poll://g3662re9njtelsyfhm7t/"}}
		shown[i] = mustDoc(b, app.post(b, "/preview", forms[i])).Find(`input[name=shown]`).AttrOr("value", "")
	}
	bodies := make([]string, n)
	for i, v := range forms {
		v.Set("shown", shown[(i+n-1)%n])
		bodies[i] = v.Encode()
	}
	if panes {
		onPage := make([][]string, n)
		for i, v := range forms {
			mustDoc(b, app.post(b, "/preview", v)).Find(`input[name=pane]`).Each(func(_ int, s *goquery.Selection) {
				onPage[i] = append(onPage[i], s.AttrOr("value", ""))
			})
		}
		for i, v := range forms {
			v["pane"] = onPage[(i+n-1)%n]
			bodies[i] = v.Encode()
		}
	}
	b.ResetTimer()
	i, sent := 0, 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/preview", strings.NewReader(bodies[i%n]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Encoding", "gzip")
		sent += app.do(b, req).Body.Len()
		i++
	}
	// What the browser receives per keystroke (gzip), then parses and swaps.
	b.ReportMetric(float64(sent)/float64(i), "sent-B/op")
}

// BenchmarkStartPage is GET / with gzip, as a browser asks: the page is
// made once per app, so this is the cost of answering from memory.
func BenchmarkStartPage(b *testing.B) {
	app := mustApp(b)
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if rec := app.do(b, req); rec.Code != http.StatusOK {
			b.Fatalf("GET / = %d", rec.Code)
		}
	}
}

// BenchmarkAPIBundle is POST /api/v1/bundle?format=zip of the 3-node plan
// with two balancer kinds.
func BenchmarkAPIBundle(b *testing.B) {
	app := mustApp(b)
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/bundle?format=zip", strings.NewReader(validPlan))
		req.Header.Set("Content-Type", "application/json")
		if rec := app.do(b, req); rec.Code != http.StatusOK {
			b.Fatalf("bundle = %d: %.200s", rec.Code, rec.Body)
		}
	}
}
