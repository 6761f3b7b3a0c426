package templates

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Label is the name a person knows a field by, for summaries and the
// draft notice: "server.url" is "Octopus Server URL", "nodes[1].port" is
// "Node 2 port".
func Label(key string) string {
	if label, ok := fleetLabel(key); ok {
		return label
	}
	if rest, ok := strings.CutPrefix(key, "nodes["); ok {
		idx, field, _ := strings.Cut(rest, "]")
		n, err := strconv.Atoi(idx)
		if err == nil {
			name := "Node " + strconv.Itoa(n+1)
			switch strings.TrimPrefix(field, ".") {
			case "name":
				return name + " name"
			case "address":
				return name + " address"
			case "port":
				return name + " port"
			case "listenPort":
				return name + " listen port"
			case "webUrl":
				return name + " web URL"
			case "backendAddress":
				return name + " backend address"
			}
			return name
		}
	}
	switch key {
	case "topology":
		return "Topology"
	case "version":
		return "Plan format version"
	case "plan":
		return "Plan"
	case "server.url":
		return "Octopus Server URL"
	case "server.thumbprint":
		return "Server thumbprint"
	case "server.space":
		return "Space"
	case "server.version":
		return "Octopus Server version"
	case "server.instance":
		return "Server instance name"
	case "nodes":
		return "Nodes"
	case "loadBalancer.address":
		return "Load balancer address"
	case "loadBalancer.port":
		return "Load balancer port"
	case "loadBalancer.kinds":
		return "Load balancer configurations"
	case "tentacle.os":
		return "Operating system"
	case "tentacle.instance":
		return "Tentacle instance"
	case "tentacle.name":
		return "Machine name"
	case "tentacle.kind":
		return "Register as"
	case "tentacle.environments":
		return "Environments"
	case "tentacle.roles":
		return "Roles"
	case "tentacle.tenants":
		return "Tenants"
	case "tentacle.tenantTags":
		return "Tenant tags"
	case "tentacle.tenantedDeploymentParticipation":
		return "Tenanted deployments"
	case "tentacle.workerPools":
		return "Worker pools"
	case "tentacle.policy":
		return "Machine policy"
	case "tentacle.subscriptionId":
		return "Subscription id"
	case "tentacle.pollingConnectionCount":
		return "Polling connections"
	}
	return key
}

// KindLabel is how the wizard names a load-balancer kind (its row in
// bundle.Balancers).
func KindLabel(kind string) string {
	if b, ok := bundle.BalancerOf(kind); ok {
		return b.Label
	}
	return kind
}

// KindLabelFor is how the wizard names a kind for a topology: Kubernetes
// is an Ingress per node (ingress-nginx, SSL passthrough) where the
// balancer routes by name, a LoadBalancer Service elsewhere.
func KindLabelFor(t plan.Topology, kind string) string {
	if kind == "kubernetes" && t.RoutesByName() {
		return "Kubernetes Ingress (ingress-nginx, SSL passthrough)"
	}
	return KindLabel(kind)
}

// BalancerKindsFor are the kinds the wizard offers for a topology: only
// those that can serve it (bundle.Balancer.Supports), and any kind the
// plan already holds, so that nothing imported is silently dropped
// (validation says why it does not fit).
func BalancerKindsFor(t plan.Topology, chosen []string) []string {
	var kinds []string
	for _, b := range bundle.Balancers {
		if b.Supports(t) || slices.Contains(chosen, b.Kind) {
			kinds = append(kinds, b.Kind)
		}
	}
	return kinds
}
