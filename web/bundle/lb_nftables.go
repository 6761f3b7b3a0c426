package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// nftTable is the table the rules own; re-applying the file replaces it
// and nothing else.
const nftTable = "octopus_polling"

// WriteNftables writes loadbalancer/nftables.nft: DNAT rules for a Linux
// host acting as the balancer. IPv4 backends (and DNS names, which nft
// resolves once when it loads the file) go in table ip, IPv6 backends in
// table ip6: NAT cannot change a connection's address family, so each port
// is forwarded in the family of its backends.
func WriteNftables(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"nftables DNAT for Octopus polling Tentacles: TCP is forwarded untouched, TLS stays end to end.",
		"Apply: nft -f nftables.nft (safe to re-run: it replaces only the "+nftTable+" tables).",
		"Check first with nft -c -f nftables.nft; see the result with nft list ruleset.",
		"Keep it across reboots: copy it to /etc/nftables.d/octopus-polling.nft and add the line",
		"include \"/etc/nftables.d/octopus-polling.nft\" to /etc/nftables.conf.",
		"No health checks: a node that is down still gets its connections; use HAProxy or nginx",
		"when that matters. A forward chain with policy drop must accept these connections.")
	fams := lbSplitFamilies(p)
	if len(fams.v4) > 0 {
		lbComment(&b, "#", "Forwarding must be on: sysctl -w net.ipv4.ip_forward=1 (persist it in /etc/sysctl.d/).")
	}
	if len(fams.v6) > 0 {
		lbComment(&b, "#", "Forwarding must be on: sysctl -w net.ipv6.conf.all.forwarding=1 (persist it in /etc/sysctl.d/).")
	}
	if lbHasNames(p) {
		lbComment(&b, "#", "nft resolves the node names once, when it loads this file: prefer IP addresses.")
	}
	writeNftTable(&b, p, "ip", fams.v4)
	writeNftTable(&b, p, "ip6", fams.v6)
	return lbFlush(w, &b)
}

// writeNftTable writes one family's table, first creating and deleting it
// so that loading the file again replaces it (nft 1.0.6 has no "destroy").
func writeNftTable(b *strings.Builder, p plan.Plan, family string, routes []lbFamilyRoute) {
	if len(routes) == 0 {
		return
	}
	daddr := map[string]string{"ip": "ip daddr", "ip6": "ip6 daddr"}[family]
	fmt.Fprintf(b, "\ntable %[1]s %[2]s\ndelete table %[1]s %[2]s\n", family, nftTable)
	fmt.Fprintf(b, "table %s %s {\n", family, nftTable)
	b.WriteString("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n")
	for _, fr := range routes {
		r := fr.Route
		lbComment(b, "\t\t#", fr.note)
		// fib daddr type local: only connections to this host, not traffic it routes for others.
		fmt.Fprintf(b, "\t\tfib daddr type local tcp dport %d dnat ", r.ListenPort)
		if len(r.Backends) == 1 {
			fmt.Fprintf(b, "to %s\n", plan.HostPort(r.Backends[0].Address, r.Backends[0].Port))
			continue
		}
		// numgen inc takes turns; NAT looks at the first packet only, so it spreads connections.
		fmt.Fprintf(b, "%s to numgen inc mod %d map { ", family, len(r.Backends))
		for j, be := range r.Backends {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%d : %s . %d", j, be.Address, be.Port)
		}
		b.WriteString(" }\n")
	}
	b.WriteString("\t}\n\n")
	b.WriteString("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n")
	b.WriteString("\t\t# Nodes answer through this host, whatever their default route.\n")
	for _, fr := range routes {
		for _, be := range fr.Backends {
			fmt.Fprintf(b, "\t\t%s %s tcp dport %d ct status dnat masquerade\n", daddr, be.Address, be.Port)
		}
	}
	b.WriteString("\t}\n}\n")
}

// lbFamilyRoute is a route restricted to the backends of one address family.
type lbFamilyRoute struct {
	plan.Route
	// note describes the whole route, every family's backends.
	note string
}

// lbFamilies splits the routes by the address family of their backends:
// IPv6 literals, and the rest (IPv4 literals and DNS names, which resolve
// to IPv4 in an IPv4 rule set).
type lbFamilies struct{ v4, v6 []lbFamilyRoute }

func lbSplitFamilies(p plan.Plan) lbFamilies {
	var f lbFamilies
	for _, r := range p.Routes() {
		v4 := lbFamilyRoute{Route: plan.Route{ListenPort: r.ListenPort}, note: lbRouteNote(p, r)}
		v6 := v4
		for _, be := range r.Backends {
			if plan.IsIPv6(be.Address) {
				v6.Backends = append(v6.Backends, be)
			} else {
				v4.Backends = append(v4.Backends, be)
			}
		}
		if len(v4.Backends) > 0 {
			f.v4 = append(f.v4, v4)
		}
		if len(v6.Backends) > 0 {
			f.v6 = append(f.v6, v6)
		}
	}
	return f
}
