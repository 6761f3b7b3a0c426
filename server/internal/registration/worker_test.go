package registration

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// echoed reads the arguments the fake Tentacle received from its
// FAKE_TENTACLE_ECHO line in a step's output: what was run, as opposed to
// the Command the driver reports it ran.
func echoed(tb testing.TB, ev report.Event) []string {
	tb.Helper()
	const prefix = "faketentacle argv: "
	for line := range strings.SplitSeq(ev.Output, "\n") {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		var args []string
		for rest != "" {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				tb.Fatalf("step %q: echo line %q: %v", ev.Name, line, err)
			}
			a, _ := strconv.Unquote(q)
			args = append(args, a)
			rest = strings.TrimPrefix(rest[len(q):], " ")
		}
		return args
	}
	tb.Fatalf("step %q printed no echo of its arguments:\n%s", ev.Name, ev.Output)
	return nil
}

// passed is the last finished event of the step called name.
func passed(tb testing.TB, events []report.Event, name string) report.Event {
	tb.Helper()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Name == name && events[i].Status == report.Pass {
			return events[i]
		}
	}
	tb.Fatalf("no passed step %q in %d events", name, len(events))
	return report.Event{}
}

// optionValues are the values given to opt in argv ("--opt value" pairs).
func optionValues(argv []string, opt string) []string {
	var out []string
	for i := 0; i+1 < len(argv); i++ {
		if argv[i] == opt {
			out = append(out, argv[i+1])
		}
	}
	return out
}

// TestWorkerRegistersWithPools: a worker plan registers with
// register-worker and its pools (no environments, no roles), then polls
// the other addresses; a re-run registers nothing again. The arguments are
// checked as the fake Tentacle received them, against literals.
func TestWorkerRegistersWithPools(t *testing.T) {
	h := newHost(t)
	p := asWorker(h.plan(2))
	events, _, err := h.run(p)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	h.mustConverged(p, lbAddrs2)

	reg := echoed(t, passed(t, events, "Register with https://lb.example.com:10943"))
	if reg[0] != "register-worker" {
		t.Fatalf("registration ran %q, want register-worker", reg[0])
	}
	for opt, want := range map[string][]string{
		"--instance":               {"Tentacle"},
		"--server":                 {h.api.URL},
		"--apiKey":                 {report.Masked}, // the fake echoed the key; the driver's boundary masked it
		"--comms-style":            {"TentacleActive"},
		"--server-comms-address":   {"https://lb.example.com:10943"},
		"--server-subscription-id": {"poll://g3662re9njtelsyfhm7t/"},
		"--name":                   {"web01"},
		"--space":                  {"Default"},
		"--workerpool":             {"Default Worker Pool", "Edge"},
		"--environment":            nil,
		"--role":                   nil,
	} {
		if diff := cmp.Diff(want, optionValues(reg, opt)); diff != "" {
			t.Errorf("register-worker %s (-want +got):\n%s", opt, diff)
		}
	}
	poll := echoed(t, passed(t, events, "Poll https://lb.example.com:10944"))
	if poll[0] != "poll-server" || !slices.Equal(optionValues(poll, "--server-comms-address"), []string{"https://lb.example.com:10944"}) {
		t.Errorf("poll step ran %q, want poll-server --server-comms-address https://lb.example.com:10944", poll)
	}

	h.api.Set(func(s *octopustest.Server) {
		s.Machines = []octopustest.Machine{{Name: "web01", Thumbprint: h.tentacleThumbprint(), HealthStatus: "Healthy", SubscriptionID: p.Tentacle.SubscriptionID, Worker: true}}
	})
	events, res, err := h.run(p)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	h.mustConverged(p, lbAddrs2)
	for _, ev := range events {
		if ev.Status == report.Pass && ev.Command != "" {
			if argv := echoed(t, ev); argv[0] == "register-worker" || argv[0] == "register-with" || argv[0] == "poll-server" {
				t.Errorf("second run ran %q", argv)
			}
		}
	}
	if got := statusOf(events, "Find the machine in Octopus"); got != report.Pass || res.Health != "Healthy" {
		t.Errorf("finding the worker in Octopus: %q, health %q; want pass and Healthy (looked up under workers)", got, res.Health)
	}
}
