package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteNginx writes loadbalancer/nginx.conf: a stream block for the main
// context of nginx.conf that passes each polling port through to its node as
// plain TCP. nginx never terminates TLS here: Tentacle checks the Octopus
// Server's certificate thumbprint end to end, so a certificate on the
// balancer would break polling.
func WriteNginx(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"nginx stream (TCP pass-through) for Octopus polling Tentacles; TLS stays end to end.",
		"Apply on Debian or Ubuntu: apt-get install nginx libnginx-mod-stream, copy this file to",
		"/etc/nginx/octopus-polling.conf and add this line to /etc/nginx/nginx.conf at the top",
		"level, outside the http block (other systems: load ngx_stream_module if not built in):",
		"    include /etc/nginx/octopus-polling.conf;",
		"Check with nginx -t, then apply with systemctl reload nginx.")
	if lbHasNames(p) {
		lbComment(&b, "#", "nginx resolves the node names when it starts or reloads; reload it after an address changes.")
	}
	v4, v6 := lbListenFamilies(p)
	if v4 && v6 {
		lbComment(&b, "#", "On a host without IPv6, delete the listen [::] lines: nginx would not start.")
	}
	nginxStream(&b, p, "", v4, v6)
	return lbFlush(w, &b)
}

// nginxStream writes the stream block, each line prefixed by indent, with
// IPv4 and IPv6 wildcard listeners as asked.
func nginxStream(b *strings.Builder, p plan.Plan, indent string, v4, v6 bool) {
	line := func(depth int, format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if s != "" {
			s = indent + strings.Repeat("    ", depth) + s
		}
		b.WriteString(s + "\n")
	}
	line(0, "stream {")
	ids := lbIDs(p, '_')
	for i, r := range p.Routes() {
		if i > 0 {
			line(0, "")
		}
		line(1, "# %s", ConfComment(lbRouteNote(p, r)))
		upstream := "octopus_" + ids[r.Backends[0].Node]
		if len(r.Backends) > 1 {
			upstream = "octopus_cluster"
		}
		line(1, "upstream %s {", upstream)
		if len(r.Backends) > 1 {
			line(2, "least_conn;")
		}
		for _, be := range r.Backends {
			line(2, "server %s;", plan.HostPort(be.Address, be.Port))
		}
		line(1, "}")
		line(1, "server {")
		if v4 {
			line(2, "listen %d;", r.ListenPort)
		}
		if v6 {
			line(2, "listen [::]:%d;", r.ListenPort)
		}
		line(2, "proxy_pass %s;", upstream)
		line(2, "proxy_connect_timeout 10s;")
		line(2, "proxy_timeout 10m;")
		line(1, "}")
	}
	line(0, "}")
}

// The helpers below are shared by every load-balancer generator.
