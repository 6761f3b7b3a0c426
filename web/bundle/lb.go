package bundle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Helpers every load-balancer generator shares.

// lbHeader starts a file: the provenance line, then notes, all as comments
// with the given marker.
func lbHeader(b *strings.Builder, marker string, p plan.Plan, notes ...string) {
	lbComment(b, marker, provenance(p))
	for _, n := range notes {
		lbComment(b, marker, n)
	}
}

// lbComment writes one comment line; s passes through ConfComment.
func lbComment(b *strings.Builder, marker, s string) {
	b.WriteString(strings.TrimRight(marker+" "+ConfComment(s), " ") + "\n")
}

// lbFlush writes what a generator built.
func lbFlush(w io.Writer, b *strings.Builder) error {
	_, err := io.WriteString(w, b.String())
	return err
}

// lbRouteNote says where a route comes from and goes.
func lbRouteNote(p plan.Plan, r plan.Route) string {
	poll := plan.Poll{Host: p.LoadBalancer.Address, Port: r.ListenPort}
	if r.ServerName != "" {
		poll.Host = r.ServerName
	}
	if len(r.Backends) == 1 {
		be := r.Backends[0]
		return fmt.Sprintf("%s: Tentacles poll %s, forwarded to %s.", be.Name, poll.Address(), plan.HostPort(be.Address, be.Port))
	}
	return fmt.Sprintf("Every node (%d): Tentacles poll %s, spread over all of them (multi-node polling).", len(r.Backends), poll.Address())
}

// lbIDs gives every node an identifier made of lower-case letters, digits
// and sep, unique in the plan, that starts with a letter: its name where
// possible, so configurations read like the cluster.
func lbIDs(p plan.Plan, sep rune) []string {
	ids := make([]string, len(p.Nodes))
	seen := map[string]bool{}
	for i, n := range p.Nodes {
		id := lbSlug(n.Name, sep)
		switch {
		case id == "":
			id = "node" + strconv.Itoa(i+1)
		case id[0] >= '0' && id[0] <= '9':
			id = "node" + string(sep) + id
		}
		for base, k := id, 2; seen[id]; k++ {
			id = base + string(sep) + strconv.Itoa(k)
		}
		seen[id] = true
		ids[i] = id
	}
	return ids
}

// lbSlug lower-cases s and keeps ASCII letters and digits, joining the runs
// between them with sep; at most 40 characters.
func lbSlug(s string, sep rune) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteRune(sep)
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	out := b.String()
	if len(out) > 40 {
		out = strings.TrimRight(out[:40], string(sep))
	}
	return out
}

// lbListenFamilies says which wildcard listeners a proxy needs to accept
// Tentacles at the balancer address: that family for an IP literal, both
// for a DNS name (it may have A and AAAA records). Wildcards rather than
// the address itself, which is often a public address NATed to the host.
func lbListenFamilies(p plan.Plan) (v4, v6 bool) {
	a := p.LoadBalancer.Address
	switch {
	case plan.IsIPv6(a):
		return false, true
	case plan.IsIP(a):
		return true, false
	}
	return true, true
}

// lbHasNames reports whether a backend is given by DNS name rather than
// IP address, so the balancer resolves it.
func lbHasNames(p plan.Plan) bool {
	for _, r := range p.Routes() {
		for _, be := range r.Backends {
			if !plan.IsIP(be.Address) {
				return true
			}
		}
	}
	return false
}
