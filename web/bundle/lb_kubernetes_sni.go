package bundle

import (
	"fmt"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// writeKubernetesSNI writes kubernetes.yaml for unique-hostname: per node
// an Ingress for its host name with ingress-nginx's ssl-passthrough, and
// a Service without a selector whose EndpointSlice names the node's
// backend IP address. It is the shape of Octopus's own Helm chart, an
// Ingress per node with ssl-passthrough (OctopusDeploy/helm-charts,
// charts/octopus-deploy/templates/ingress.yaml). ingress-nginx passes a
// passthrough connection to the Service's cluster IP and port
// (kubernetes/ingress-nginx, internal/ingress/controller/nginx.go,
// generateTemplate), so the Service needs one, and kube-proxy forwards
// only to EndpointSlices of IP addresses: validation asks for IP backend
// addresses with this kind.
func writeKubernetesSNI(b *strings.Builder, p plan.Plan) {
	k8sHeader(b, p,
		"Kubernetes: one Ingress per node for ingress-nginx with ssl-passthrough, routing by the TLS",
		"server name (SNI) without terminating TLS: Tentacle checks the Octopus Server's certificate itself.",
		"ingress-nginx must run with --enable-ssl-passthrough (Helm: --set controller.extraArgs.enable-ssl-passthrough=true):",
		"without it the annotation is ignored and ingress-nginx answers with its own certificate, which breaks polling.",
		"Apply: kubectl apply -n <namespace> -f kubernetes.yaml; check: kubectl get ingress,service -l app.kubernetes.io/part-of="+k8sService+".",
		fmt.Sprintf("Then point every node's host name at the ingress-nginx controller's external address (%s), port %d.", p.LoadBalancer.Address, p.LoadBalancer.Port),
		"ingressClassName nginx is ingress-nginx's default class: change it if yours has another name.")
	if p.LoadBalancer.Port != 443 {
		k8sComment(b, fmt.Sprintf("ingress-nginx passes TLS through on its HTTPS port: make the controller's Service listen on %d (Helm: controller.service.ports.https).", p.LoadBalancer.Port))
	}
	ids := lbIDs(p, '-')
	for _, r := range p.Routes() {
		be := r.Backends[0]
		name := k8sService + "-" + ids[be.Node]
		family := "IPv4"
		if plan.IsIPv6(be.Address) {
			family = "IPv6"
		}
		fmt.Fprintf(b, "---\n# %s\n", YAMLComment(lbRouteNote(p, r)))
		fmt.Fprintf(b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  labels:\n    app.kubernetes.io/part-of: %s\n", name, k8sService)
		fmt.Fprintf(b, "spec:\n  type: ClusterIP\n  ipFamilyPolicy: SingleStack\n  ipFamilies: [%s]\n", family)
		fmt.Fprintf(b, "  ports:\n    - name: polling\n      protocol: TCP\n      port: %d\n      targetPort: %d\n", be.Port, be.Port)
		fmt.Fprintf(b, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: %s\n", name)
		fmt.Fprintf(b, "  labels:\n    kubernetes.io/service-name: %s\n    endpointslice.kubernetes.io/managed-by: tentacle-ha-wizard\n", name)
		fmt.Fprintf(b, "addressType: %s\nports:\n  - name: polling\n    protocol: TCP\n    port: %d\n", family, be.Port)
		fmt.Fprintf(b, "endpoints:\n  - addresses:\n      - %s\n", k8sIP(be.Address))
		fmt.Fprintf(b, "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: %s\n  labels:\n    app.kubernetes.io/part-of: %s\n", name, k8sService)
		b.WriteString("  annotations:\n    nginx.ingress.kubernetes.io/ssl-passthrough: \"true\"\n")
		b.WriteString("spec:\n  ingressClassName: nginx\n  rules:\n")
		fmt.Fprintf(b, "    - host: %s\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n", YAMLString(r.ServerName))
		fmt.Fprintf(b, "            backend:\n              service:\n                name: %s\n                port:\n                  number: %d\n", name, be.Port)
	}
}
