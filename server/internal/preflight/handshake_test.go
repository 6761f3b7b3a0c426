package preflight

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/halibuttest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// TestHandshakeStatusFromAWebServer: a web server holding the Octopus
// certificate passes the TCP, TLS and thumbprint checks, so only the
// probe's status tells it from Halibut. Tentacle's own probe (POST
// /handshake, OctopusServerChecker) accepts 200 or 400 (reference/tentacle.md
// section 7): the preflight must pass exactly those and fail the rest,
// 404 first among them, saying a web server or proxy is in the path.
func TestHandshakeStatusFromAWebServer(t *testing.T) {
	cert := halibuttest.SelfSigned(t, "Octopus Portal")
	for _, tt := range []struct {
		status int
		want   report.Status
	}{
		{http.StatusOK, report.Pass},
		{http.StatusBadRequest, report.Pass},
		{http.StatusNotFound, report.Fail},
		{http.StatusMovedPermanently, report.Fail},
		{http.StatusUnauthorized, report.Fail},
		{http.StatusMethodNotAllowed, report.Fail},
		{http.StatusInternalServerError, report.Fail},
	} {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			web := halibuttest.WebServer(t, cert, tt.status)
			p := cluster("https://127.0.0.1:1", cert.Thumbprint, web.Port)
			r := Run(deadline(t), p, Options{Timeout: 2 * time.Second})
			if th := find(r, "Server thumbprint"); len(th) != 1 || th[0].Status != report.Pass {
				t.Fatalf("Server thumbprint = %+v, want a pass (the web server holds the Octopus certificate)", th)
			}
			hs := find(r, "Handshake probe")
			if len(hs) != 1 || hs[0].Status != tt.want {
				t.Fatalf("Handshake probe answered %d = %+v, want %s", tt.status, hs, tt.want)
			}
			if tt.want == report.Fail && (!strings.Contains(hs[0].Message, "answered "+strconv.Itoa(tt.status)) || !strings.Contains(hs[0].Message, "200 or 400") || !strings.Contains(hs[0].Message, "web server or proxy")) {
				t.Errorf("Handshake probe message %q, want the status, what Octopus answers (200 or 400) and the likely cause", hs[0].Message)
			}
			if tt.want == report.Fail && !r.Failed() {
				t.Errorf("a node answering %d left the preflight passing:\n%s", tt.status, r.Text())
			}
		})
	}
}
