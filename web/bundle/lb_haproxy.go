package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteHAProxy writes loadbalancer/haproxy.cfg: a complete HAProxy
// configuration in TCP mode with one frontend and backend per polling
// port. HAProxy passes TLS through untouched (no ssl or crt on any line):
// Tentacle checks the Octopus Server's certificate thumbprint end to end.
func WriteHAProxy(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"HAProxy in TCP mode (pass-through) for Octopus polling Tentacles; TLS stays end to end.",
		"Apply: copy to /etc/haproxy/haproxy.cfg, check with haproxy -c -f /etc/haproxy/haproxy.cfg,",
		"then systemctl reload haproxy.",
		"HAProxy does not report a port bound twice; the wizard has checked every port is used once.",
		"init-addr last,libc,none lets HAProxy start while a node's name does not resolve yet.")
	b.WriteString(`
global
    log /dev/log local0
    user haproxy
    group haproxy

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    timeout connect 10s
    # Polling connections stay open between requests; an idle one hears from the server well within this.
    timeout client 10m
    timeout server 10m
`)
	v4, v6 := lbListenFamilies(p)
	if v4 && v6 {
		lbComment(&b, "#", "On a host without IPv6, delete the bind ::: lines: HAProxy would not start.")
	}
	ids := lbIDs(p, '_')
	for _, r := range p.Routes() {
		id := ids[r.Backends[0].Node]
		if len(r.Backends) > 1 {
			id = "octopus_cluster"
		}
		frontend, backend := "fe_"+id, "be_"+id
		b.WriteString("\n")
		lbComment(&b, "#", lbRouteNote(p, r))
		fmt.Fprintf(&b, "frontend %s\n", frontend)
		if v4 {
			fmt.Fprintf(&b, "    bind :%d\n", r.ListenPort)
		}
		if v6 {
			fmt.Fprintf(&b, "    bind :::%d v6only\n", r.ListenPort)
		}
		fmt.Fprintf(&b, "    default_backend %s\n\n", backend)
		fmt.Fprintf(&b, "backend %s\n", backend)
		if len(r.Backends) > 1 {
			b.WriteString("    balance leastconn\n")
		}
		for _, be := range r.Backends {
			fmt.Fprintf(&b, "    server %s %s check init-addr last,libc,none\n", ids[be.Node], plan.HostPort(be.Address, be.Port))
		}
	}
	return lbFlush(w, &b)
}
