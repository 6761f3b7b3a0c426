package bundle_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Readers of the proxy and NAT files: each turns a generated file back
// into the listeners it configures, so tests check meaning, not text.

var (
	nginxUpstream = regexp.MustCompile(`^\s*upstream (\S+) \{$`)
	nginxServer   = regexp.MustCompile(`^\s*server (\S+);$`)
	nginxListen   = regexp.MustCompile(`^\s*listen (?:\[::\]:)?(\d+);$`)
	nginxPass     = regexp.MustCompile(`^\s*proxy_pass (\S+);$`)
)

// readNginx reads the stream block: upstreams and the servers passing to them.
func readNginx(tb testing.TB, content string, _ plan.Plan) []lbListener {
	tb.Helper()
	if strings.Contains(content, "ssl_preread on;") {
		return readNginxSNI(tb, content)
	}
	upstreams := map[string][]string{}
	var out []lbListener
	var upstream string
	var ports []int
	for _, line := range strings.Split(content, "\n") {
		switch m := nginxUpstream.FindStringSubmatch(line); {
		case m != nil:
			upstream = m[1]
		case upstream != "" && nginxServer.MatchString(line):
			upstreams[upstream] = append(upstreams[upstream], nginxServer.FindStringSubmatch(line)[1])
		case strings.TrimSpace(line) == "}":
			upstream = ""
		case strings.TrimSpace(line) == "server {":
			ports = nil
		case nginxListen.MatchString(line):
			ports = appendOnce(ports, mustAtoi(tb, nginxListen.FindStringSubmatch(line)[1]))
		case nginxPass.MatchString(line):
			if len(ports) != 1 {
				tb.Fatalf("server block listens on %v, want one port (IPv4 and IPv6)", ports)
			}
			out = append(out, lbListener{ports[0], upstreams[nginxPass.FindStringSubmatch(line)[1]]})
		}
	}
	return out
}

// readHAProxy reads frontends (bind, default_backend) and backends (server).
func readHAProxy(tb testing.TB, content string, _ plan.Plan) []lbListener {
	tb.Helper()
	if strings.Contains(content, "req.ssl_sni") {
		return readHAProxySNI(tb, content)
	}
	backends := map[string][]string{}
	type frontend struct {
		ports   []int
		backend string
	}
	var fronts []*frontend
	var section string
	var cur *frontend
	for _, line := range strings.Split(content, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case f[0] == "frontend":
			cur, section = &frontend{}, ""
			fronts = append(fronts, cur)
		case f[0] == "backend" || f[0] == "global" || f[0] == "defaults":
			cur, section = nil, f[len(f)-1]
		case cur != nil && f[0] == "bind":
			cur.ports = appendOnce(cur.ports, mustAtoi(tb, f[1][strings.LastIndex(f[1], ":")+1:]))
		case cur != nil && f[0] == "default_backend":
			cur.backend = f[1]
		case cur == nil && f[0] == "server":
			backends[section] = append(backends[section], f[2])
		}
	}
	var out []lbListener
	for _, fr := range fronts {
		if len(fr.ports) != 1 {
			tb.Fatalf("frontend binds %v, want one port", fr.ports)
		}
		out = append(out, lbListener{fr.ports[0], backends[fr.backend]})
	}
	return out
}

var (
	nftDnat = regexp.MustCompile(`tcp dport (\d+) dnat (?:ip6? )?to (.*)$`)
	nftMap  = regexp.MustCompile(`^numgen inc mod (\d+) map \{ (.*) \}$`)
)

// readNftables reads the DNAT rules of every table.
func readNftables(tb testing.TB, content string, _ plan.Plan) []lbListener {
	tb.Helper()
	var out []lbListener
	for _, line := range strings.Split(content, "\n") {
		m := nftDnat.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		l := lbListener{Port: mustAtoi(tb, m[1])}
		mm := nftMap.FindStringSubmatch(m[2])
		if mm == nil {
			l.Backends = []string{m[2]}
			out = append(out, l)
			continue
		}
		elems := strings.Split(mm[2], ", ")
		if len(elems) != mustAtoi(tb, mm[1]) {
			tb.Fatalf("numgen mod %s over %d elements: %s", mm[1], len(elems), line)
		}
		for i, e := range elems {
			var key int
			var addr, port string
			k, v, _ := strings.Cut(e, " : ")
			addr, port, _ = strings.Cut(v, " . ")
			if key = mustAtoi(tb, k); key != i {
				tb.Fatalf("numgen map key %d at position %d: %s", key, i, line)
			}
			l.Backends = append(l.Backends, plan.HostPort(addr, mustAtoi(tb, port)))
		}
		out = append(out, l)
	}
	return out
}

var iptDnat = regexp.MustCompile(`^-A PREROUTING .*--dport (\d+)(?: -m statistic --mode nth --every (\d+) --packet 0)? -j DNAT --to-destination (\S+)$`)

// readIptables reads the DNAT rules; the n rules of one port must take
// turns correctly: --every n, n-1, ..., 2, then one rule without statistic
// for the rest.
func readIptables(tb testing.TB, content string, _ plan.Plan) []lbListener {
	tb.Helper()
	var out []lbListener
	var cur *lbListener
	var everys []int
	for _, line := range strings.Split(content, "\n") {
		m := iptDnat.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		port := mustAtoi(tb, m[1])
		if cur == nil {
			cur, everys = &lbListener{Port: port}, nil
		}
		if cur.Port != port {
			tb.Fatalf("rule for port %d follows an unfinished group for port %d", port, cur.Port)
		}
		cur.Backends = append(cur.Backends, m[3])
		if m[2] != "" {
			everys = append(everys, mustAtoi(tb, m[2]))
			continue
		}
		for i, every := range everys {
			if n := len(cur.Backends); every != n-i {
				tb.Errorf("port %d rule %d: --every %d, want %d", port, i+1, every, n-i)
			}
		}
		out = append(out, *cur)
		cur = nil
	}
	if cur != nil {
		tb.Fatalf("port %d has no final rule without statistic: some connections would not be forwarded", cur.Port)
	}
	return out
}

func appendOnce(s []int, v int) []int {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
