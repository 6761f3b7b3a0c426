package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteIptables writes loadbalancer/iptables.rules: the nat table in
// iptables-restore format, or ip6tables-restore format when every backend
// is an IPv6 literal (NAT cannot change a connection's address family).
// In a plan that mixes families the IPv6 rules are written as comments for
// ip6tables-restore. iptables needs IP addresses: a DNS name is written as
// it is, and iptables-restore rejects it ("Bad IP address") rather than
// forward to the wrong place.
func WriteIptables(w io.Writer, p plan.Plan) error {
	fams := lbSplitFamilies(p)
	tool, routes, forwarding, persist := "iptables-restore", fams.v4, "net.ipv4.ip_forward=1", "rules.v4"
	if len(fams.v4) == 0 {
		tool, routes, forwarding, persist = "ip6tables-restore", fams.v6, "net.ipv6.conf.all.forwarding=1", "rules.v6"
	}
	var b strings.Builder
	lbHeader(&b, "#", p,
		"This file is in "+tool+" format: DNAT for Octopus polling Tentacles, TLS untouched.",
		"Apply: "+tool+" < iptables.rules. It replaces the whole nat table, so re-running it is safe;",
		"on a host with other NAT rules (Docker, a VPN) add the -A lines to your own rules instead.",
		"Check first with "+tool+" --test < iptables.rules; keep it across reboots with",
		"iptables-persistent (/etc/iptables/"+persist+").",
		"Forwarding must be on: sysctl -w "+forwarding+" (persist it in /etc/sysctl.d/).",
		"No health checks: a node that is down still gets its connections; use HAProxy or nginx",
		"when that matters. A FORWARD chain with policy DROP must accept these connections.")
	if lbHasNames(p) {
		lbComment(&b, "#", "Replace the node names below with IP addresses: iptables accepts no DNS names here.")
	}
	b.WriteString("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n")
	writeIptablesRules(&b, p, routes, "")
	b.WriteString("COMMIT\n")
	if len(fams.v4) > 0 && len(fams.v6) > 0 {
		b.WriteString("\n# IPv6 backends: save the lines below without \"# \" as iptables6.rules and apply them\n")
		b.WriteString("# with ip6tables-restore < iptables6.rules.\n# *nat\n")
		writeIptablesRules(&b, p, fams.v6, "# ")
		b.WriteString("# COMMIT\n")
	}
	return lbFlush(w, &b)
}

// writeIptablesRules writes the DNAT and MASQUERADE rules of routes, each
// line prefixed by prefix.
func writeIptablesRules(b *strings.Builder, p plan.Plan, routes []lbFamilyRoute, prefix string) {
	// addrtype LOCAL: only connections to this host, not traffic it routes for others.
	const match = "-A PREROUTING -p tcp -m addrtype --dst-type LOCAL -m tcp --dport %d"
	for _, fr := range routes {
		lbComment(b, strings.TrimSpace(prefix+"#"), fr.note)
		n := len(fr.Backends)
		if n > 1 {
			lbComment(b, strings.TrimSpace(prefix+"#"), "Taking turns: the first rule takes every nth new connection, the next every (n-1)th of the rest, and so on.")
		}
		for k, be := range fr.Backends {
			b.WriteString(prefix)
			fmt.Fprintf(b, match, fr.ListenPort)
			if k < n-1 {
				fmt.Fprintf(b, " -m statistic --mode nth --every %d --packet 0", n-k)
			}
			fmt.Fprintf(b, " -j DNAT --to-destination %s\n", plan.HostPort(be.Address, be.Port))
		}
	}
	lbComment(b, strings.TrimSpace(prefix+"#"), "Nodes answer through this host, whatever their default route.")
	for _, fr := range routes {
		for _, be := range fr.Backends {
			b.WriteString(prefix)
			fmt.Fprintf(b, "-A POSTROUTING -d %s -p tcp -m tcp --dport %d -m conntrack --ctstate DNAT -j MASQUERADE\n", iptablesHost(be.Address), be.Port)
		}
	}
}

// iptablesHost is a -d argument: one host, with its prefix length.
func iptablesHost(a string) string {
	switch {
	case plan.IsIPv6(a):
		return a + "/128"
	case plan.IsIP(a):
		return a + "/32"
	}
	return a
}
