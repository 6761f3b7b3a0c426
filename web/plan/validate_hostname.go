package plan

import (
	"fmt"
	"slices"
	"strings"
)

// backendAddress checks node i's backendAddress and, in
// a topology that routes by name, that its address is a host name of its
// own; it reports whether the address the balancer forwards to is valid.
//
// A host name, not an IP literal: a TLS client sends no server name for an
// IP address (RFC 6066, section 3), so the balancer could not tell the
// nodes apart. Any name will do for TLS itself: Halibut accepts the
// server's certificate by its thumbprint alone and never compares names
// (OctopusDeploy/Halibut, source/Halibut/Transport/
// ClientCertificateValidator.cs), so the node's certificate need not name
// the host.
func (v *validator) backendAddress(i int, addrOK bool) bool {
	f, n := fmt.Sprintf("nodes[%d]", i), v.p.Nodes[i]
	if !v.p.Topology.RoutesByName() {
		// Checked all the same: it stays in plan.json for a later change
		// of topology.
		if n.BackendAddress != "" && v.address(f+".backendAddress", n.BackendAddress) {
			v.warnf(f+".backendAddress", "A backend address only applies in unique-hostname topology, where the node's address is the host name Tentacles poll; in %s it is ignored.", v.p.Topology)
		}
		return true
	}
	if addrOK && IsIP(n.Address) {
		v.errorf(f+".address", "In unique-hostname topology each node is reached by a host name of its own, such as polling%d.example.com, that resolves to the balancer: a Tentacle sends no TLS server name for an IP address, so the balancer could not tell the nodes apart.", i+1)
	}
	if addrOK && strings.Contains(n.Address, "_") {
		v.errorf(f+".address", "A host name a Tentacle polls by TLS may contain only letters, digits, hyphens and dots; %s has an underscore.", n.Address)
	}
	if n.BackendAddress == "" {
		v.errorf(f+".backendAddress", "Enter the address the balancer forwards %s's connections to: the node's own IP address or internal DNS name (its host name resolves to the balancer itself).", n.Name)
		return false
	}
	if !v.address(f+".backendAddress", n.BackendAddress) {
		return false
	}
	switch n.BackendAddress {
	case n.Address:
		v.errorf(f+".backendAddress", "The backend address is the node's host name, which resolves to the balancer: the balancer would forward to itself. Enter the node's own IP address or internal name.")
		return false
	case v.p.LoadBalancer.Address:
		v.errorf(f+".backendAddress", "The backend address is the balancer's own address (%s): the balancer would forward to itself. Enter the node's own IP address or internal name.", n.BackendAddress)
		return false
	}
	return true
}

// sniKindLimits reports a balancer kind that cannot route by TLS server
// name (it forwards by port alone), and what one that can cannot express
// for this plan. ingress-nginx passes a passthrough connection to
// a Service's cluster IP (kubernetes/ingress-nginx, internal/ingress/
// controller/nginx.go), and a Service reaches a node outside the cluster
// only through an EndpointSlice of IP addresses: kube-proxy ignores
// addressType FQDN.
func (v *validator) sniKindLimits(field, kind string) {
	if !slices.Contains(SNIKinds, kind) {
		v.errorf(field, "%s forwards by port alone and cannot read the TLS server name, which %s topology routes by; choose %s.", kind, v.p.Topology, sentenceList(SNIKinds))
		return
	}
	if kind != "kubernetes" {
		return
	}
	for j, n := range v.p.Nodes {
		if n.BackendAddress != "" && !IsIP(n.BackendAddress) && !v.hasError(fmt.Sprintf("nodes[%d].backendAddress", j)) {
			v.errorf(field, "Kubernetes reaches a node outside the cluster only by IP address, and node %d's backend address %s is a name: enter the nodes' backend IP addresses, or choose nginx or HAProxy, which resolve names.", j+1, n.BackendAddress)
			return
		}
	}
}

// hasError reports whether an error on field is already reported: nodes()
// runs before the balancer's checks, which say nothing more of a node
// address it refused.
func (v *validator) hasError(field string) bool {
	for _, pr := range v.out {
		if pr.Field == field && pr.Severity == Error {
			return true
		}
	}
	return false
}
