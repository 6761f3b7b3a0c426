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
	t := iptablesToolFor(p)
	tool, routes := t.restore, fams.v4
	if len(fams.v4) == 0 {
		routes = fams.v6
	}
	var b strings.Builder
	lbHeader(&b, "#", p,
		"This file is in "+tool+" format: DNAT for Octopus polling Tentacles, TLS untouched.",
		"Check first with "+tool+" --test < iptables.rules.",
		"On a balancer with no other NAT rules apply it with "+tool+" < iptables.rules: it replaces",
		"the whole nat table, so running it again is safe. On a host with other NAT rules (Docker,",
		"a VPN) use "+tool+" --noflush < iptables.rules, which keeps them but appends these",
		"rules again on every run; before applying it again, delete the rules the last run added:",
		"  "+iptablesDeleteLoop(t.cmd),
		"Keep the rules across reboots with iptables-persistent (/etc/iptables/"+t.persist+").",
		"Forwarding must be on: sysctl -w "+t.forwarding+" (persist it in /etc/sysctl.d/).",
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

// iptablesDeleteLoop is a shell command that deletes every rule of
// iptables.rules from the nat table, however often an earlier
// "iptables-restore --noflush" added it: each -A line becomes a -D, repeated
// until the rule is gone. The rules hold no quotes or spaces inside words.
func iptablesDeleteLoop(tool string) string {
	return "grep '^-A' iptables.rules | sed 's/^-A/-D/' | while read -r rule; do while " + tool + " -t nat $rule 2>/dev/null; do :; done; done"
}

// iptablesTool names the commands of the address family iptables.rules is
// written for: IPv4 unless every backend is an IPv6 literal.
type iptablesTool struct{ cmd, restore, forwarding, persist string }

func iptablesToolFor(p plan.Plan) iptablesTool {
	if len(lbSplitFamilies(p).v4) == 0 {
		return iptablesTool{"ip6tables", "ip6tables-restore", "net.ipv6.conf.all.forwarding=1", "rules.v6"}
	}
	return iptablesTool{"iptables", "iptables-restore", "net.ipv4.ip_forward=1", "rules.v4"}
}
