package bundle

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// k8sService is the name of the LoadBalancer Service; its external address
// is the balancer address Tentacles poll.
const k8sService = "octopus-polling"

// WriteKubernetes writes loadbalancer/kubernetes.yaml: one LoadBalancer
// Service without a selector, exposing every polling port, and one
// EndpointSlice per node. kube-proxy routes a Service port only to the
// endpoints of slices that list a port of the same name, so naming each
// port after its node sends it to that node alone; in multi-node every
// slice lists the one port and connections spread over all nodes.
//
// kube-proxy ignores EndpointSlices of DNS names (addressType FQDN), so
// when a node is given by name the Service selects a small nginx relay
// instead, configured with the same stream block as nginx.conf.
func WriteKubernetes(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	if p.Topology.RoutesByName() {
		writeKubernetesSNI(&b, p)
		return lbFlush(w, &b)
	}
	relay := lbHasNames(p)
	k8sHeader(&b, p,
		"Kubernetes LoadBalancer Service (TCP pass-through) for Octopus polling Tentacles.",
		"Apply: kubectl apply -n <namespace> -f kubernetes.yaml; check: kubectl get service "+k8sService+".",
		"TLS stays end to end: no Ingress or certificate in between, as Tentacle checks the Octopus",
		"Server's certificate itself.")
	if plan.IsIP(p.LoadBalancer.Address) {
		k8sComment(&b, "Tentacles poll "+p.LoadBalancer.Address+": make it the Service's EXTERNAL-IP with your cloud's")
		k8sComment(&b, "static-address annotation (or spec.loadBalancerIP where still supported).")
	} else {
		k8sComment(&b, "Then point "+p.LoadBalancer.Address+" at the Service's EXTERNAL-IP.")
	}
	if relay {
		k8sComment(&b, "Nodes given by DNS name: an nginx relay resolves them, as kube-proxy cannot.")
	} else {
		k8sComment(&b, "The nodes are outside the cluster: each EndpointSlice names one node's address.")
	}
	b.WriteString("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + k8sService + "\nspec:\n  type: LoadBalancer\n")
	if relay {
		b.WriteString("  selector:\n    app.kubernetes.io/name: octopus-polling-relay\n")
	} else {
		writeK8sFamilies(&b, p)
	}
	b.WriteString("  ports:\n")
	for _, r := range p.Routes() {
		target := r.ListenPort // the relay listens on the balancer ports
		if !relay {
			target = r.Backends[0].Port
		}
		fmt.Fprintf(&b, "    # %s\n", YAMLComment(lbRouteNote(p, r)))
		fmt.Fprintf(&b, "    - name: %s\n      protocol: TCP\n      port: %d\n      targetPort: %d\n", k8sPortName(r), r.ListenPort, target)
	}
	if relay {
		writeK8sRelay(&b, p)
		return lbFlush(w, &b)
	}
	ids := lbIDs(p, '-')
	for _, r := range p.Routes() {
		for _, be := range r.Backends {
			family := "IPv4"
			if plan.IsIPv6(be.Address) {
				family = "IPv6"
			}
			fmt.Fprintf(&b, "---\n# %s\n", YAMLComment(be.Name+": "+plan.HostPort(be.Address, be.Port)))
			fmt.Fprintf(&b, "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: %s-%s\n", k8sService, ids[be.Node])
			fmt.Fprintf(&b, "  labels:\n    kubernetes.io/service-name: %s\n", k8sService)
			b.WriteString("    endpointslice.kubernetes.io/managed-by: tentacle-ha-wizard\n")
			fmt.Fprintf(&b, "addressType: %s\nports:\n  - name: %s\n    protocol: TCP\n    port: %d\n", family, k8sPortName(r), be.Port)
			fmt.Fprintf(&b, "endpoints:\n  - addresses:\n      - %s\n", k8sIP(be.Address))
		}
	}
	return lbFlush(w, &b)
}

// k8sPortName names a Service port (at most 15 characters, letters,
// digits and '-', at least one letter): by node position in unique-port.
func k8sPortName(r plan.Route) string {
	if len(r.Backends) > 1 {
		return "polling"
	}
	return "node" + strconv.Itoa(r.Backends[0].Node+1)
}

// k8sIP writes an IP address in the canonical form the API server demands,
// quoted so YAML reads an IPv6 address as a string.
func k8sIP(a string) string {
	if ip, err := netip.ParseAddr(a); err == nil {
		a = ip.String()
	}
	return YAMLString(a)
}

// k8sHeader starts the file with the provenance line and notes as YAML comments.
func k8sHeader(b *strings.Builder, p plan.Plan, notes ...string) {
	k8sComment(b, provenance(p))
	for _, n := range notes {
		k8sComment(b, n)
	}
}

// k8sComment writes one YAML comment line.
func k8sComment(b *strings.Builder, s string) {
	b.WriteString(strings.TrimRight("# "+YAMLComment(s), " ") + "\n")
}

// writeK8sFamilies asks for the Service's address families: each slice
// only serves Service addresses of its own family.
func writeK8sFamilies(b *strings.Builder, p plan.Plan) {
	v4, v6 := false, false
	for _, n := range p.Nodes {
		if plan.IsIPv6(n.Address) {
			v6 = true
		} else {
			v4 = true
		}
	}
	switch {
	case v4 && v6:
		b.WriteString("  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv6]\n")
	case v6:
		b.WriteString("  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv6]\n")
	default:
		b.WriteString("  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4]\n")
	}
}

// writeK8sRelay writes the nginx relay: a ConfigMap with the stream block
// and a Deployment of two replicas running the official nginx image, which
// has the stream module built in.
func writeK8sRelay(b *strings.Builder, p plan.Plan) {
	b.WriteString("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: octopus-polling-relay\ndata:\n  nginx.conf: |\n")
	b.WriteString("    # nginx resolves the node names when it starts: restart the relay after an address changes.\n")
	b.WriteString("    worker_processes auto;\n    events {}\n")
	nginxStream(b, p, "    ", true, false)
	b.WriteString(`---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: octopus-polling-relay
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: octopus-polling-relay
  template:
    metadata:
      labels:
        app.kubernetes.io/name: octopus-polling-relay
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
`)
	for _, r := range p.Routes() {
		fmt.Fprintf(b, "            - containerPort: %d\n              protocol: TCP\n", r.ListenPort)
	}
	b.WriteString(`          volumeMounts:
            - name: config
              mountPath: /etc/nginx/nginx.conf
              subPath: nginx.conf
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: octopus-polling-relay
`)
}
