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
	if p.Topology.RoutesByName() {
		nginxSNINotes(&b, p)
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
	if p.Topology.RoutesByName() {
		nginxSNI(line, p, v4, v6)
		line(0, "}")
		return
	}
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

// nginxSNIVar is the variable the map sets to the upstream of the server
// name a Tentacle asks for.
const nginxSNIVar = "$octopus_polling_upstream"

// nginxSNINotes says how the names must resolve, and what to do when this
// nginx already serves HTTPS on the same port.
func nginxSNINotes(b *strings.Builder, p plan.Plan) {
	lbComment(b, "#", fmt.Sprintf("Routes by the TLS server name (SNI) a Tentacle asks for on port %d, without terminating TLS: ssl_preread reads the name from the ClientHello and the map picks the node. Point every node's host name at %s.", p.LoadBalancer.Port, p.LoadBalancer.Address))
	lbComment(b, "#", fmt.Sprintf("If this nginx already serves HTTPS on port %d in its http block, both cannot listen there: move that site to another port on 127.0.0.1 and add its host name to the map with an upstream pointing at it.", p.LoadBalancer.Port))
	lbComment(b, "#", "A name the map does not list has no upstream: nginx closes the connection.")
}

// nginxSNI writes the map from server name to upstream, one upstream per
// node, and the one server that reads the name (ssl_preread) and passes
// the connection on. Host names are validated DNS names (letters, digits,
// '-', '_' and '.'), which nginx reads as plain map keys.
func nginxSNI(line func(int, string, ...any), p plan.Plan, v4, v6 bool) {
	ids := lbIDs(p, '_')
	routes := p.Routes()
	longest := 0
	for _, r := range routes {
		longest = max(longest, len(r.ServerName))
	}
	line(1, "# Room in the map's hash for the longest name (%d characters).", longest)
	line(1, "map_hash_bucket_size %d;", nginxBucketSize(longest))
	line(1, "map $ssl_preread_server_name %s {", nginxSNIVar)
	for _, r := range routes {
		line(2, "%s octopus_%s;", r.ServerName, ids[r.Backends[0].Node])
	}
	line(1, "}")
	for _, r := range routes {
		line(0, "")
		line(1, "# %s", ConfComment(lbRouteNote(p, r)))
		line(1, "upstream octopus_%s {", ids[r.Backends[0].Node])
		for _, be := range r.Backends {
			line(2, "server %s;", plan.HostPort(be.Address, be.Port))
		}
		line(1, "}")
	}
	line(0, "")
	line(1, "server {")
	if v4 {
		line(2, "listen %d;", p.LoadBalancer.Port)
	}
	if v6 {
		line(2, "listen [::]:%d;", p.LoadBalancer.Port)
	}
	line(2, "ssl_preread on;")
	line(2, "proxy_pass %s;", nginxSNIVar)
	line(2, "proxy_connect_timeout 10s;")
	line(2, "proxy_timeout 10m;")
	line(1, "}")
}

// nginxBucketSize is a map_hash_bucket_size that holds a key of n bytes:
// nginx stores a key as its bytes and two more, rounded up to a pointer's
// size, after two pointers, in a bucket of a power of two (nginx refuses
// to start with "could not build map_hash" otherwise; a 200-character
// name, the longest validation accepts, needs 256). Never below 64, the default on most CPUs, and always
// written out: on CPUs with 32-byte cache lines the default is 32, too
// small for most host names.
func nginxBucketSize(n int) int {
	const word = 8
	need := 2*word + (n+2+word-1)/word*word
	size := 64
	for size < need {
		size *= 2
	}
	return size
}
