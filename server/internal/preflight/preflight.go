// Package preflight checks a plan against the real network before anything
// changes: every address the Tentacle will poll answers TCP, speaks TLS with
// the Octopus Server certificate (thumbprint pinned, as Halibut does) and
// answers Tentacle's own POST /handshake probe; with an API key, the server's
// version, certificate, node count and the names the plan uses are checked
// through the REST API.
package preflight

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Options tune a run; the zero value is usable.
type Options struct {
	// APIKey enables the API checks; it is only ever sent in a header.
	APIKey string
	// Timeout bounds each network step (connect, handshake, read, API call).
	Timeout time.Duration
	// HTTPClient is used for the REST API (tests inject one trusting their CA).
	HTTPClient *http.Client
	// Dial opens TCP connections; nil means net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DefaultTimeout bounds each step when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Run checks every polled address concurrently and then the API, and
// returns the checks in a stable order: addresses in plan order, then API.
func Run(ctx context.Context, p plan.Plan, opt Options) report.Preflight {
	p = p.Normalized()
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Dial == nil {
		d := &net.Dialer{Timeout: opt.Timeout}
		opt.Dial = d.DialContext
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: opt.Timeout}
	}

	polls := p.Polls()
	probes := make([]probe, len(polls))
	var wg sync.WaitGroup
	for i, poll := range polls {
		wg.Go(func() { probes[i] = probeAddress(ctx, p, poll, opt) })
	}
	var api apiResult
	wg.Go(func() { api = checkAPI(ctx, p, opt) })
	wg.Wait()

	var out report.Preflight
	for _, pr := range probes {
		out.Checks = append(out.Checks, pr.checks...)
	}
	if p.Topology == plan.UniquePort || p.Topology.RoutesByName() {
		out.Checks = append(out.Checks, distinctNodes(polls, probes, p.Topology.RoutesByName()))
	}
	out.Checks = append(out.Checks, api.checks...)
	out.Choices = api.choices
	return out
}

// timed runs f and fills in the check's duration.
func timed(c *report.Check, f func()) {
	start := time.Now()
	f()
	c.Duration = time.Since(start)
}
