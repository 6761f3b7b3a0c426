package bundle_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// lbListener is one forwarding rule read back from a generated file: the
// port the balancer accepts and the host:port targets behind it. Where
// routes share a port and the TLS server name picks one (unique-hostname),
// each target reads sniBackend(name, host:port).
type lbListener struct {
	Port     int
	Backends []string
}

// lbKind reads one kind's load-balancer file back.
type lbKind struct {
	kind   string
	write  bundle.Generator
	read   func(tb testing.TB, content string, p plan.Plan) []lbListener
	banned []string // TLS termination and other things that break polling
}

// lbKinds reads each load-balancer file back, by plan.LoadBalancerKinds name.
var lbKinds = []lbKind{
	{"nginx", bundle.WriteNginx, readNginx, []string{"ssl_certificate", "proxy_ssl", " ssl;", "http {"}},
	{"haproxy", bundle.WriteHAProxy, readHAProxy, []string{" ssl", " crt ", "mode http"}},
	{"nftables", bundle.WriteNftables, readNftables, []string{"udp"}},
	{"iptables", bundle.WriteIptables, readIptables, []string{"-p udp"}},
	{"aws-nlb", bundle.WriteAWSNLB, readAWSNLB, []string{`"TLS"`, "certificate_arn", "ssl_policy", `"application"`}},
	{"azure-lb", bundle.WriteAzureLB, readAzureLB, []string{"application-gateway", "front-door", "--protocol Udp", "--protocol All"}},
	{"kubernetes", bundle.WriteKubernetes, readKubernetes, []string{"kind: Ingress", "tls:", "ssl", "addressType: FQDN"}},
	{"f5-bigip", bundle.WriteF5BIGIP, readF5BIGIP, []string{"ssl", "/Common/http", "udp", "fastl4"}},
}

// bannedSNI replaces a kind's banned words in unique-hostname, where
// routing by server name needs ssl_preread, req.ssl_sni or ingress-nginx's
// ssl-passthrough Ingress: still nothing that terminates TLS.
var bannedSNI = map[string][]string{
	"nginx":      {"ssl_certificate", "proxy_ssl", " ssl;", "http {"},
	"haproxy":    {" ssl ", " crt ", "mode http", "ssl_fc"},
	"kubernetes": {"tls:", "secretName", "backend-protocol", "addressType: FQDN", "ssl-redirect"},
}

// edgePlans are plans the fixtures do not cover: nodes given by name
// beside IP addresses, names that clash once made identifiers or need
// escaping, and multi-node over IPv6 nodes listening on different ports.
// iptables is left out of the first (it takes no DNS names, by design) and
// azure-lb out of the second (one Azure rule has one backend port).
var edgePlans = map[string]string{
	"unique-port-names-and-ips": `{"version": 1, "topology": "unique-port",
		"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
		"nodes": [{"name": "octo.a", "address": "octo-a.example.com", "port": 10943},
			{"name": "octo-a", "address": "10.1.0.2", "port": 10944, "listenPort": 10943},
			{"name": "1st ${node} 'x'", "address": "octo-c.example.com", "port": 10945, "listenPort": 443}],
		"loadBalancer": {"address": "polling.example.com", "kinds": ["nginx", "haproxy", "nftables", "aws-nlb", "azure-lb", "kubernetes", "f5-bigip"]},
		"tentacle": {"name": "edge", "kind": "worker", "workerPools": ["Edge"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`,
	"multi-node-ipv6-ports": `{"version": 1, "topology": "multi-node",
		"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", "version": "2026.4.6909"},
		"nodes": [{"name": "a", "address": "2001:db8::a", "port": 10943},
			{"name": "b", "address": "2001:db8::b", "port": 10950}],
		"loadBalancer": {"address": "lb.example.com", "port": 443, "kinds": ["nginx", "haproxy", "nftables", "iptables", "aws-nlb", "kubernetes", "f5-bigip"]},
		"tentacle": {"name": "edge", "kind": "worker", "workerPools": ["Edge"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`,
	"unique-hostname-names-ipv6": `{"version": 1, "topology": "unique-hostname",
		"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
		"nodes": [{"name": "octo.a", "address": "A.polling.example.com", "backendAddress": "octo-a.internal.example.com", "port": 10943},
			{"name": "octo-a", "address": "b.polling.example.com.", "backendAddress": "2001:db8::b", "port": 10943, "listenPort": 10950}],
		"loadBalancer": {"address": "2001:db8::1", "port": 8443, "kinds": ["nginx", "haproxy"]},
		"tentacle": {"name": "edge", "kind": "worker", "workerPools": ["Edge"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`,
}

// lbPlans are the fixture cases and the edge plans, normalized and valid.
func lbPlans(tb testing.TB) map[string]plan.Plan {
	tb.Helper()
	plans := map[string]plan.Plan{}
	for _, name := range caseNames(tb) {
		plans[name] = mustCase(tb, name).Normalized()
	}
	for name, js := range edgePlans {
		p, probs := plan.Decode([]byte(js))
		p = p.Normalized()
		if probs = append(probs, p.Validate()...); probs.HasErrors() {
			tb.Fatalf("edge plan %s: %v", name, probs.Errors())
		}
		plans[name] = p
	}
	return plans
}

// lbFiles generates each load-balancer file a plan asks for, by kind.
func lbFiles(tb testing.TB, p plan.Plan) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, k := range lbKinds {
		if !slices.Contains(p.LoadBalancer.Kinds, k.kind) {
			continue
		}
		var b bytes.Buffer
		if err := k.write(&b, p); err != nil {
			tb.Fatalf("write %s: %v", k.kind, err)
		}
		out[k.kind] = b.Bytes()
	}
	return out
}

// wantListeners is what every generated file must say: each route's port
// once, to exactly its backends.
func wantListeners(p plan.Plan) []lbListener {
	var out []lbListener
	for _, r := range p.Routes() {
		l := lbListener{Port: r.ListenPort}
		for _, be := range r.Backends {
			hp := plan.HostPort(be.Address, be.Port)
			if r.ServerName != "" {
				hp = sniBackend(r.ServerName, hp)
			}
			l.Backends = append(l.Backends, hp)
		}
		out = append(out, l)
	}
	return sortListeners(out)
}

func sortListeners(ls []lbListener) []lbListener {
	for i := range ls {
		slices.Sort(ls[i].Backends)
	}
	slices.SortFunc(ls, func(a, b lbListener) int {
		if a.Port != b.Port {
			return a.Port - b.Port
		}
		return slices.Compare(a.Backends, b.Backends)
	})
	return ls
}

func TestLoadBalancerFiles(t *testing.T) {
	for name, p := range lbPlans(t) {
		files := lbFiles(t, p)
		for _, k := range lbKinds {
			content, ok := files[k.kind]
			if !ok {
				continue
			}
			t.Run(name+"/"+k.kind, func(t *testing.T) {
				t.Run("each port reaches exactly its nodes", func(t *testing.T) {
					got := sortListeners(k.read(t, string(content), p))
					if diff := cmp.Diff(wantListeners(p), got); diff != "" {
						t.Errorf("listeners (-want +got):\n%s", diff)
					}
				})
				t.Run("never terminates TLS", func(t *testing.T) {
					banned := k.banned
					if p.Topology.RoutesByName() {
						banned = bannedSNI[k.kind]
					}
					for _, bad := range banned {
						if strings.Contains(string(content), bad) {
							t.Errorf("file contains %q", bad)
						}
					}
				})
				t.Run("states its provenance first", func(t *testing.T) {
					first, _, _ := strings.Cut(strings.TrimPrefix(string(content), "#!/usr/bin/env bash\n"), "\n")
					if !strings.HasPrefix(first, "# Generated by Tentacle HA Wizard from plan.json: "+string(p.Topology)) {
						t.Errorf("first line = %q, want the provenance comment", first)
					}
				})
				t.Run("same plan gives same bytes", func(t *testing.T) {
					if again := lbFiles(t, p)[k.kind]; !bytes.Equal(again, content) {
						t.Error("second run differs from the first")
					}
				})
			})
		}
	}
}

// TestLoadBalancerReadersCatchMisroutes proves the readers above would
// notice a file that sends a port to the wrong node: swapping two nodes in
// a generated file must change what the reader finds.
func TestLoadBalancerReadersCatchMisroutes(t *testing.T) {
	p := mustCase(t, "unique-port-all-kinds").Normalized()
	files := lbFiles(t, p)
	swaps := map[string][2]string{"azure-lb": {`"$NODE1_NIC"`, `"$NODE2_NIC"`}}
	for _, k := range lbKinds {
		t.Run(k.kind+"/swapped nodes detected", func(t *testing.T) {
			swap, ok := swaps[k.kind]
			if !ok {
				swap = [2]string{"10.0.1.11", "10.0.1.12"}
			}
			content := strings.NewReplacer(swap[0], swap[1], swap[1], swap[0]).Replace(string(files[k.kind]))
			if content == string(files[k.kind]) {
				t.Fatalf("swap %q did not change the file", swap)
			}
			if got := sortListeners(k.read(t, content, p)); cmp.Equal(wantListeners(p), got) {
				t.Errorf("reader found the right routes in a file with %s and %s swapped", swap[0], swap[1])
			}
		})
	}
}
