package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
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
