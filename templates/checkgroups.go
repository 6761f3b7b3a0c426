package templates

import (
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// CheckGroup is the checks of one target (a polled address, the Octopus
// API, the load balancer): the Check result shows one collapsible group
// per target, failing ones open. Its counts are report.Preflight's.
type CheckGroup struct {
	Target string
	report.Preflight
}

// Open says the group shows its rows at first: it failed or warned.
func (g CheckGroup) Open() bool { return g.Count(report.Fail) > 0 || g.Count(report.Warn) > 0 }

// Status is the group's worst outcome, for its badge.
func (g CheckGroup) Status() report.Status {
	for _, s := range []report.Status{report.Fail, report.Warn, report.Pass} {
		if g.Count(s) > 0 {
			return s
		}
	}
	return report.Skip
}

// Counts is the group's summary line: "3 passed, 1 failed".
func (g CheckGroup) Counts() string {
	var parts []string
	for _, c := range []struct {
		s    report.Status
		word string
	}{{report.Pass, "passed"}, {report.Fail, "failed"}, {report.Warn, "warned"}, {report.Skip, "skipped"}} {
		if n := g.Count(c.s); n > 0 {
			parts = append(parts, itoa(n)+" "+c.word)
		}
	}
	return strings.Join(parts, ", ")
}

// CheckGroups groups a report's checks by target, in the order the
// targets first appear; checks keep their order within a group.
func CheckGroups(p report.Preflight) []CheckGroup {
	var out []CheckGroup
	at := map[string]int{}
	for _, c := range p.Checks {
		i, ok := at[c.Target]
		if !ok {
			i = len(out)
			at[c.Target] = i
			out = append(out, CheckGroup{Target: c.Target})
		}
		out[i].Checks = append(out[i].Checks, c)
	}
	return out
}

// breakParts splits an address where a line may break: after "://", and
// after each ".", ":" and "/" that follows, so a URL wraps between its
// parts and never inside a name or a number.
func breakParts(s string) []string {
	var out []string
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		out = append(out, s[:i+3])
		start = i + 3
	}
	for i := start; i < len(s); i++ {
		if s[i] == '.' || s[i] == ':' || s[i] == '/' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
