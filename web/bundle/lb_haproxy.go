package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteHAProxy writes loadbalancer/haproxy.cfg: the sections to append to
// an existing /etc/haproxy/haproxy.cfg, beside whatever it already serves
// (a web portal's frontend, say). They open with a defaults section of
// their own: in HAProxy a defaults section applies to the sections that
// follow it, so the file's earlier sections keep theirs, and a mode http,
// an httpchk or a default-server ssl set there cannot reach the polling
// sections. HAProxy passes TLS through untouched (no ssl or crt on any
// line): Tentacle checks the Octopus Server's certificate thumbprint end
// to end.
func WriteHAProxy(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"HAProxy in TCP mode (pass-through) for Octopus polling Tentacles; TLS stays end to end.",
		"Merge: append this file at the end of /etc/haproxy/haproxy.cfg, keeping its global section",
		"and its other frontends (a web portal's, say). Its own defaults section applies only to the",
		"sections after it, so keep it last: a section added below it later would inherit TCP mode.",
		"When you generate again, replace everything from the first line of this file to the end.",
		"Check with haproxy -c -f /etc/haproxy/haproxy.cfg, then systemctl reload haproxy.",
		"A balancer with nothing else on it can use haproxy-standalone.cfg, the whole file, instead.")
	haproxySections(&b, p)
	return lbFlush(w, &b)
}

// WriteHAProxyStandalone writes loadbalancer/haproxy-standalone.cfg: the
// same sections as haproxy.cfg after a global section, a complete
// configuration for a balancer that runs nothing else.
func WriteHAProxyStandalone(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"HAProxy in TCP mode (pass-through) for Octopus polling Tentacles: a whole configuration.",
		"It replaces /etc/haproxy/haproxy.cfg: use it only on a balancer that serves nothing else.",
		"To add polling to an HAProxy that already serves other sites, merge haproxy.cfg instead.",
		"Apply: copy to /etc/haproxy/haproxy.cfg, check with haproxy -c -f /etc/haproxy/haproxy.cfg,",
		"then systemctl reload haproxy.")
	b.WriteString("\nglobal\n    log /dev/log local0\n    user haproxy\n    group haproxy\n")
	haproxySections(&b, p)
	return lbFlush(w, &b)
}

// haproxySections writes the polling defaults, then the frontends and
// backends: one pair per polling port, or in unique-hostname one frontend
// routing by server name to a backend per node.
func haproxySections(b *strings.Builder, p plan.Plan) {
	b.WriteString("\n")
	lbComment(b, "#", "The sections below use these defaults, not any earlier defaults section.")
	b.WriteString(`defaults octopus_polling
    mode tcp
    log global
    option tcplog
    option dontlognull
    timeout connect 10s
    # Polling connections stay open between requests; an idle one hears from the server well within this.
    timeout client 10m
    timeout server 10m
`)
	b.WriteString("\n")
	lbComment(b, "#", "HAProxy does not report a port bound twice: make sure no other frontend binds these ports.")
	lbComment(b, "#", "init-addr last,libc,none lets HAProxy start while a node's name does not resolve yet.")
	v4, v6 := lbListenFamilies(p)
	if v4 && v6 {
		lbComment(b, "#", "On a host without IPv6, delete the bind ::: lines: HAProxy would not start.")
	}
	ids := lbIDs(p, '_')
	bind := func(port int) {
		if v4 {
			fmt.Fprintf(b, "    bind :%d\n", port)
		}
		if v6 {
			fmt.Fprintf(b, "    bind :::%d v6only\n", port)
		}
	}
	if p.Topology.RoutesByName() {
		haproxySNIFrontend(b, p, ids, bind)
	}
	for _, r := range p.Routes() {
		id := ids[r.Backends[0].Node]
		if len(r.Backends) > 1 {
			id = "octopus_cluster"
		}
		b.WriteString("\n")
		lbComment(b, "#", lbRouteNote(p, r))
		if r.ServerName == "" {
			fmt.Fprintf(b, "frontend fe_%s\n", id)
			bind(r.ListenPort)
			fmt.Fprintf(b, "    default_backend be_%s\n\n", id)
		}
		fmt.Fprintf(b, "backend be_%s\n", id)
		if len(r.Backends) > 1 {
			b.WriteString("    balance leastconn\n")
		}
		for _, be := range r.Backends {
			fmt.Fprintf(b, "    server %s %s check init-addr last,libc,none\n", ids[be.Node], plan.HostPort(be.Address, be.Port))
		}
	}
}

// haproxySNIFrontend writes unique-hostname's one frontend: it waits for
// the TLS ClientHello, then sends the connection to the backend of the
// server name it asks for; TLS is never terminated. Host names are
// validated DNS names (letters, digits, '-' and '.'), which HAProxy reads
// as one plain word.
func haproxySNIFrontend(b *strings.Builder, p plan.Plan, ids []string, bind func(int)) {
	b.WriteString("\n")
	lbComment(b, "#", fmt.Sprintf("Tentacles poll every node's host name on port %d, all resolving to %s; the TLS server name (SNI) picks the node.", p.LoadBalancer.Port, p.LoadBalancer.Address))
	lbComment(b, "#", "A name not listed here matches no backend: HAProxy closes the connection.")
	lbComment(b, "#", fmt.Sprintf("If another frontend here already binds port %d (a web portal's HTTPS), both cannot: give the balancer a second address, or move that site's TLS to another port and send its name there with one more use_backend line below.", p.LoadBalancer.Port))
	b.WriteString("frontend fe_octopus_polling\n")
	bind(p.LoadBalancer.Port)
	b.WriteString("    tcp-request inspect-delay 5s\n    tcp-request content accept if { req_ssl_hello_type 1 }\n")
	for _, r := range p.Routes() {
		fmt.Fprintf(b, "    use_backend be_%s if { req.ssl_sni -i %s }\n", ids[r.Backends[0].Node], r.ServerName)
	}
}
