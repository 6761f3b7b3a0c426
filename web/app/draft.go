package app

import (
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// Example values the preview shows for fields that are empty or not valid
// yet. They are never put into the plan itself, and a plan that still needs
// them cannot be downloaded.
const (
	exampleURL        = "https://octopus.example.com"
	exampleThumbprint = "0000000000000000000000000000000000000000"
	exampleLB         = "lb.example.com"
	exampleMachine    = "example-machine"
	exampleSubscribe  = "poll://exampleexampleexampl/"
)

// draft returns the normalized plan with an example value in place of every
// field that has an error, so the preview can show the files while the
// form is still incomplete. It also returns the field paths it filled
// (once each, in order) and the errors it could not stand in for.
func draft(p plan.Plan) (plan.Plan, []string, plan.Problems) {
	q := p.Normalized()
	var filled []string
	seen := map[string]bool{}
	for range 6 {
		errs := q.Validate().Errors()
		if len(errs) == 0 && q.Tentacle.SubscriptionID == "" {
			// A page rendered for many visitors has no id yet; the
			// first post picks one.
			errs = plan.Problems{{Field: "tentacle.subscriptionId", Severity: plan.Error}}
		}
		if len(errs) == 0 {
			return q, filled, nil
		}
		progress := false
		for _, e := range errs {
			if !example(&q, e.Field) {
				continue
			}
			progress = true
			if key := displayKey(e.Field); !seen[key] {
				seen[key] = true
				filled = append(filled, key)
			}
		}
		if !progress {
			return q, filled, errs
		}
		q = q.Normalized()
	}
	return q, filled, q.Validate().Errors()
}

// example puts an example value into the field at path and reports
// whether it knew how.
func example(q *plan.Plan, field string) bool {
	t := &q.Tentacle
	switch field {
	case "version":
		q.Version = plan.Version
	case "topology":
		q.Topology = plan.UniqueAddress
	case "server.url":
		q.Server.URL = exampleURL
	case "server.thumbprint":
		q.Server.Thumbprint = exampleThumbprint
	case "server.space":
		q.Server.Space = ""
	case "server.instance":
		q.Server.Instance = plan.DefaultServerInstance
	case "server.version":
		q.Server.Version = plan.MultiNodeMinVersion
	case "nodes":
		if len(q.Nodes) != 0 {
			return false
		}
		q.Nodes = []plan.Node{exampleNode(*q, 0), exampleNode(*q, 1)}
	case "loadBalancer.address":
		q.LoadBalancer.Address = exampleLB
	case "loadBalancer.port":
		q.LoadBalancer.Port = plan.DefaultPort
		if row, _ := q.Topology.Row(); row.DefaultBalancerPort != 0 {
			q.LoadBalancer.Port = row.DefaultBalancerPort
		}
	case "tentacle.os":
		t.OS = plan.Linux
	case "tentacle.instance":
		t.Instance = plan.DefaultTentacleInstance
	case "tentacle.name":
		t.Name = exampleMachine
	case "tentacle.kind":
		t.Kind = plan.Target
	case "tentacle.environments":
		t.Environments = []string{"example-environment"}
	case "tentacle.roles":
		t.Roles = []string{"example-role"}
	case "tentacle.workerPools":
		t.WorkerPools = []string{"example-worker-pool"}
	case "tentacle.tenantedDeploymentParticipation", "tentacle.policy":
		t.TenantedDeploymentParticipation, t.Policy = "", ""
	case "tentacle.subscriptionId":
		t.SubscriptionID = exampleSubscribe
	case "tentacle.pollingConnectionCount":
		t.PollingConnectionCount = 0
	default:
		return exampleItem(q, field)
	}
	return true
}

// exampleItem fills a node field or replaces a list item.
func exampleItem(q *plan.Plan, field string) bool {
	list, idx, sub, ok := splitPath(field)
	if !ok {
		return false
	}
	t := &q.Tentacle
	var items []string
	value := ""
	switch list {
	case "nodes":
		if idx >= len(q.Nodes) {
			return false
		}
		ex := exampleNode(*q, idx)
		n := &q.Nodes[idx]
		switch sub {
		case "name":
			n.Name = ex.Name
		case "address":
			n.Address = ex.Address
		case "port":
			n.Port = ex.Port
		case "listenPort":
			n.ListenPort = 0
		case "webUrl":
			n.WebURL = ""
		case "backendAddress":
			n.BackendAddress = ex.BackendAddress
		default:
			return false
		}
		return true
	case "tentacle.environments":
		items, value = t.Environments, "example-environment"
	case "tentacle.roles":
		items, value = t.Roles, "example-role"
	case "tentacle.tenants":
		items, value = t.Tenants, "example-tenant"
	case "tentacle.tenantTags":
		items, value = t.TenantTags, "Example/Tag"
	case "tentacle.workerPools":
		items, value = t.WorkerPools, "example-worker-pool"
	default:
		return false
	}
	if idx >= len(items) {
		return false
	}
	items[idx] = value + strconv.Itoa(idx+1)
	return true
}

// exampleNode is node i as the preview shows it when its fields are empty:
// its own name and address, and its own port where the topology needs one.
func exampleNode(q plan.Plan, i int) plan.Node {
	n := plan.Node{Name: "Node" + strconv.Itoa(i+1), Address: "node" + strconv.Itoa(i+1) + ".example.com", Port: plan.DefaultPort}
	if q.Topology.RoutesByName() {
		// A host name of its own, and the node behind the balancer by an
		// address every balancer kind takes.
		n.Address = "polling" + strconv.Itoa(i+1) + ".example.com"
		n.BackendAddress = "192.0.2." + strconv.Itoa(i%250+1)
	}
	if q.Topology == plan.UniquePort {
		used := map[int]bool{}
		for j, other := range q.Nodes {
			if j != i {
				used[other.Port] = true
			}
		}
		for n.Port = plan.DefaultPort + i; used[n.Port]; n.Port++ {
		}
	}
	return n
}

// splitPath splits "nodes[2].port" into ("nodes", 2, "port") and
// "tentacle.roles[1]" into ("tentacle.roles", 1, "").
func splitPath(field string) (list string, idx int, sub string, ok bool) {
	open := strings.IndexByte(field, '[')
	end := strings.IndexByte(field, ']')
	if open <= 0 || end < open {
		return "", 0, "", false
	}
	idx, err := strconv.Atoi(field[open+1 : end])
	if err != nil || idx < 0 {
		return "", 0, "", false
	}
	return field[:open], idx, strings.TrimPrefix(field[end+1:], "."), true
}
