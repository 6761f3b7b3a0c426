package bundle_test

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"gopkg.in/yaml.v3"
)

// Readers of unique-hostname's files, where every route shares one port
// and the TLS server name (SNI) picks the node. A route reads back as an
// lbListener whose backends are sniBackend(name, host:port).

// sniBackend is how a reader writes a backend reached by server name.
func sniBackend(name, hostPort string) string { return name + " -> " + hostPort }

var (
	nginxMapStart = regexp.MustCompile(`^\s*map \$ssl_preread_server_name (\$\S+) \{$`)
	nginxMapEntry = regexp.MustCompile(`^\s*(\S+) (\S+);$`)
)

// readNginxSNI reads the map from server name to upstream, the upstreams,
// and the server that reads the name (ssl_preread on) and passes to the
// map's variable.
func readNginxSNI(tb testing.TB, content string) []lbListener {
	tb.Helper()
	upstreams := map[string][]string{}
	names := map[string][]string{} // map variable -> "name upstream" pairs
	var mapVar, upstream string
	var ports []int
	preread := false
	var out []lbListener
	for _, line := range strings.Split(content, "\n") {
		switch {
		case nginxMapStart.MatchString(line):
			mapVar = nginxMapStart.FindStringSubmatch(line)[1]
		case mapVar != "" && strings.TrimSpace(line) == "}":
			mapVar = ""
		case mapVar != "" && nginxMapEntry.MatchString(line):
			m := nginxMapEntry.FindStringSubmatch(line)
			names[mapVar] = append(names[mapVar], m[1]+" "+m[2])
		case nginxUpstream.MatchString(line):
			upstream = nginxUpstream.FindStringSubmatch(line)[1]
		case upstream != "" && nginxServer.MatchString(line):
			upstreams[upstream] = append(upstreams[upstream], nginxServer.FindStringSubmatch(line)[1])
		case strings.TrimSpace(line) == "}":
			upstream = ""
		case strings.TrimSpace(line) == "server {":
			ports, preread = nil, false
		case strings.TrimSpace(line) == "ssl_preread on;":
			preread = true
		case nginxListen.MatchString(line):
			ports = appendOnce(ports, mustAtoi(tb, nginxListen.FindStringSubmatch(line)[1]))
		case nginxPass.MatchString(line):
			target := nginxPass.FindStringSubmatch(line)[1]
			if len(ports) != 1 || !preread || names[target] == nil {
				tb.Fatalf("server block listens on %v, ssl_preread %v, passes to %s: want one port, ssl_preread on and a map's variable", ports, preread, target)
			}
			for _, pair := range names[target] {
				name, up, _ := strings.Cut(pair, " ")
				l := lbListener{Port: ports[0]}
				for _, s := range upstreams[up] {
					l.Backends = append(l.Backends, sniBackend(name, s))
				}
				out = append(out, l)
			}
		}
	}
	return out
}

var haproxyUseSNI = regexp.MustCompile(`^\s*use_backend (\S+) if \{ req\.ssl_sni -i (\S+) \}$`)

// readHAProxySNI reads the frontend that waits for the ClientHello and
// picks a backend by req.ssl_sni, and the backends' servers.
func readHAProxySNI(tb testing.TB, content string) []lbListener {
	tb.Helper()
	backends := map[string][]string{}
	type route struct{ name, backend string }
	var routes []route
	var ports []int
	var section string
	inspect, accept := false, false
	for _, line := range strings.Split(content, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case f[0] == "frontend" || f[0] == "backend" || f[0] == "global" || f[0] == "defaults":
			section = f[0] + " " + f[len(f)-1]
		case strings.HasPrefix(section, "frontend") && f[0] == "bind":
			ports = appendOnce(ports, mustAtoi(tb, f[1][strings.LastIndex(f[1], ":")+1:]))
		case strings.HasPrefix(section, "frontend") && strings.Join(f, " ") == "tcp-request inspect-delay 5s":
			inspect = true
		case strings.HasPrefix(section, "frontend") && strings.Join(f, " ") == "tcp-request content accept if { req_ssl_hello_type 1 }":
			accept = true
		case strings.HasPrefix(section, "frontend") && haproxyUseSNI.MatchString(line):
			m := haproxyUseSNI.FindStringSubmatch(line)
			routes = append(routes, route{m[2], m[1]})
		case strings.HasPrefix(section, "backend") && f[0] == "server":
			backends[strings.TrimPrefix(section, "backend ")] = append(backends[strings.TrimPrefix(section, "backend ")], f[2])
		}
	}
	if len(ports) != 1 || !inspect || !accept {
		tb.Fatalf("SNI frontend binds %v, inspect-delay %v, accepts the ClientHello %v: want one port and both", ports, inspect, accept)
	}
	var out []lbListener
	for _, r := range routes {
		l := lbListener{Port: ports[0]}
		for _, s := range backends[r.backend] {
			l.Backends = append(l.Backends, sniBackend(r.name, s))
		}
		out = append(out, l)
	}
	return out
}

// k8sSNIDoc holds the fields of the Ingresses, Services and EndpointSlices
// unique-hostname's routing depends on.
type k8sSNIDoc struct {
	Kind     string
	Metadata struct {
		Name        string
		Labels      map[string]string
		Annotations map[string]string
	}
	Spec struct {
		Type             string
		Selector         map[string]any
		IngressClassName string `yaml:"ingressClassName"`
		Ports            []struct {
			Name string
			Port int
		}
		TLS   []any
		Rules []struct {
			Host string
			HTTP struct {
				Paths []struct {
					Path    string
					Backend struct {
						Service struct {
							Name string
							Port struct{ Number int }
						}
					}
				}
			}
		}
	}
	Ports []struct {
		Name string
		Port int
	}
	Endpoints []struct{ Addresses []string }
}

// readKubernetesSNI follows each Ingress host (which must ask for
// ssl-passthrough and carry no tls section) to its Service's port, and
// that port through the EndpointSlices of the Service to addresses, as
// ingress-nginx and kube-proxy would. port is the balancer port: the
// ingress controller's HTTPS port, which the file does not hold.
func readKubernetesSNI(tb testing.TB, content string, port int) []lbListener {
	tb.Helper()
	var docs []k8sSNIDoc
	dec := yaml.NewDecoder(strings.NewReader(content))
	for {
		var d k8sSNIDoc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("decode kubernetes.yaml: %v", err)
		}
		docs = append(docs, d)
	}
	var out []lbListener
	for _, ing := range docs {
		if ing.Kind != "Ingress" {
			continue
		}
		if ing.Metadata.Annotations["nginx.ingress.kubernetes.io/ssl-passthrough"] != "true" || len(ing.Spec.TLS) > 0 || ing.Spec.IngressClassName == "" {
			tb.Fatalf("Ingress %s: annotations %v, tls %v, class %q: want ssl-passthrough, no tls, a class", ing.Metadata.Name, ing.Metadata.Annotations, ing.Spec.TLS, ing.Spec.IngressClassName)
		}
		for _, rule := range ing.Spec.Rules {
			for _, path := range rule.HTTP.Paths {
				l := lbListener{Port: port}
				ref := path.Backend.Service
				for _, svc := range docs {
					if svc.Kind != "Service" || svc.Metadata.Name != ref.Name || len(svc.Spec.Selector) > 0 {
						continue
					}
					for _, sp := range svc.Spec.Ports {
						if sp.Port != ref.Port.Number {
							continue
						}
						for _, es := range docs {
							if es.Kind != "EndpointSlice" || es.Metadata.Labels["kubernetes.io/service-name"] != svc.Metadata.Name {
								continue
							}
							for _, ep := range es.Ports {
								if ep.Name != sp.Name {
									continue
								}
								for _, e := range es.Endpoints {
									for _, a := range e.Addresses {
										l.Backends = append(l.Backends, sniBackend(rule.Host, plan.HostPort(a, ep.Port)))
									}
								}
							}
						}
					}
				}
				out = append(out, l)
			}
		}
	}
	return out
}

// TestSNIReadersCatchMisroutes proves the readers above would notice a
// file that sends a host name to the wrong node: swapping two nodes'
// backend addresses, or two host names, must change what they find.
func TestSNIReadersCatchMisroutes(t *testing.T) {
	p := mustCase(t, "unique-hostname").Normalized()
	files := lbFiles(t, p)
	for _, k := range lbKinds {
		content, ok := files[k.kind]
		if !ok {
			continue
		}
		for _, swap := range [][2]string{{"10.0.7.21", "10.0.7.22"}, {"polling1.octopus", "polling2.octopus"}} {
			t.Run(k.kind+"/"+swap[0]+" and "+swap[1]+" swapped", func(t *testing.T) {
				swapped := strings.NewReplacer(swap[0], swap[1], swap[1], swap[0]).Replace(string(content))
				if swapped == string(content) {
					t.Fatalf("swap %q did not change the file", swap)
				}
				if got := sortListeners(k.read(t, swapped, p)); cmp.Equal(wantListeners(p), got) {
					t.Errorf("reader found the right routes in a file with %s and %s swapped", swap[0], swap[1])
				}
			})
		}
	}
}
