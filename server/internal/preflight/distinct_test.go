package preflight

import (
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// TestDistinctNodesByPortAndName: unique-port tells nodes apart by port, unique-hostname
// by host name on one port; the check names what the balancer mixed up.
func TestDistinctNodesByPortAndName(t *testing.T) {
	byPort := []plan.Poll{{Host: "lb", Port: 10943}, {Host: "lb", Port: 10944}, {Host: "lb", Port: 10945}}
	byName := []plan.Poll{{Host: "polling1.example.com", Port: 443}, {Host: "polling2.example.com", Port: 443}, {Host: "polling3.example.com", Port: 443}}
	ok := func(ids ...string) []probe {
		var out []probe
		for _, id := range ids {
			out = append(out, probe{identity: id, ok: id != ""})
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		polls  []plan.Poll
		probes []probe
		byName bool
		want   report.Check
	}{
		{"ports apart", byPort, ok("a", "b", "c"), false,
			report.Check{Name: "One node per port", Target: "load balancer", Status: report.Pass, Message: "3 ports reach 3 different nodes"}},
		{"two ports, one node", byPort, ok("a", "b", "a"), false,
			report.Check{Name: "One node per port", Target: "load balancer", Status: report.Fail, Message: "ports 10943 and 10945 reach the same node; the balancer must send each port to its own node"}},
		{"names apart, one failed", byName, ok("a", "", "c"), true,
			report.Check{Name: "One node per host name", Target: "load balancer", Status: report.Pass, Message: "2 host names reach 2 different nodes"}},
		{"two names, one node", byName, ok("a", "b", "b"), true,
			report.Check{Name: "One node per host name", Target: "load balancer", Status: report.Fail, Message: "host names polling2.example.com and polling3.example.com reach the same node; the balancer must send each host name to its own node"}},
		{"names alike", byName, ok("a", "a", "a"), true,
			report.Check{Name: "One node per host name", Target: "load balancer", Status: report.Skip, Message: "every host name answers alike (HA nodes share one certificate), so the answers cannot show which node is behind which host name; the generated balancer rules map each host name to one node"}},
	} {
		if got := distinctNodes(tt.polls, tt.probes, tt.byName); got != tt.want {
			t.Errorf("%s:\n got  %+v\n want %+v", tt.name, got, tt.want)
		}
	}
}
