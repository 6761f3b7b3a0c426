package bundle_test

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"gopkg.in/yaml.v3"
)

// readAWSNLB parses the Terraform and follows each TCP listener to its
// target group's attachments.
func readAWSNLB(tb testing.TB, content string, p plan.Plan) []lbListener {
	tb.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(content), "aws-nlb.tf", hcl.InitialPos)
	if diags.HasErrors() {
		tb.Fatalf("parse aws-nlb.tf: %s", diags.Error())
	}
	type attrs = map[string]*hclsyntax.Attribute
	resources := map[string]map[string]attrs{}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "resource" {
			continue
		}
		if resources[b.Labels[0]] == nil {
			resources[b.Labels[0]] = map[string]attrs{}
		}
		resources[b.Labels[0]][b.Labels[1]] = b.Body.Attributes
		for _, nested := range b.Body.Blocks {
			for k, v := range nested.Body.Attributes { // default_action
				b.Body.Attributes[nested.Type+"."+k] = v
			}
		}
	}
	for name, lb := range resources["aws_lb"] {
		if got := hclValue(tb, lb["load_balancer_type"]); got != "network" {
			tb.Errorf("aws_lb.%s is %q, want a network load balancer", name, got)
		}
	}
	targets := map[string][]string{}
	for _, a := range resources["aws_lb_target_group_attachment"] {
		tg := hclRef(tb, a["target_group_arn"])
		id := hclValue(tb, a["target_id"])
		if id == "" { // var.instance_ids["node name"]
			id = nodeAddress(tb, p, hclRef(tb, a["target_id"]))
		}
		port, _ := strconv.Atoi(hclValue(tb, a["port"]))
		targets[tg] = append(targets[tg], plan.HostPort(id, port))
	}
	var out []lbListener
	for name, a := range resources["aws_lb_listener"] {
		if got := hclValue(tb, a["protocol"]); got != "TCP" {
			tb.Errorf("aws_lb_listener.%s protocol %q, want TCP", name, got)
		}
		tg := hclRef(tb, a["default_action.target_group_arn"])
		if got := hclValue(tb, resources["aws_lb_target_group"][tg]["protocol"]); got != "TCP" {
			tb.Errorf("aws_lb_target_group.%s protocol %q, want TCP", tg, got)
		}
		port, _ := strconv.Atoi(hclValue(tb, a["port"]))
		out = append(out, lbListener{port, targets[tg]})
	}
	return out
}

// hclValue is a literal attribute's value as a string, "" when it
// refers to something.
func hclValue(tb testing.TB, a *hclsyntax.Attribute) string {
	tb.Helper()
	if a == nil {
		return ""
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return ""
	}
	if v.Type().FriendlyName() == "number" {
		return v.AsBigFloat().String()
	}
	return v.AsString()
}

// hclRef is the second step of a reference: node1 in
// aws_lb_target_group.node1.arn, the key in var.instance_ids["key"].
func hclRef(tb testing.TB, a *hclsyntax.Attribute) string {
	tb.Helper()
	t, diags := hcl.AbsTraversalForExpr(a.Expr)
	if diags.HasErrors() || len(t) < 2 {
		tb.Fatalf("%s is not a reference", a.Name)
	}
	switch step := t[len(t)-1].(type) {
	case hcl.TraverseIndex:
		return step.Key.AsString()
	}
	return t[1].(hcl.TraverseAttr).Name
}

func nodeAddress(tb testing.TB, p plan.Plan, name string) string {
	tb.Helper()
	for _, n := range p.Nodes {
		if n.Name == name {
			return n.Address
		}
	}
	tb.Fatalf("no node named %q", name)
	return ""
}

var (
	azNatRule  = regexp.MustCompile(`^az network lb inbound-nat-rule create .*--name (\S+) +--protocol Tcp --frontend-port (\d+) --backend-port (\d+) `)
	azNatNIC   = regexp.MustCompile(`^az network nic ip-config inbound-nat-rule add .*--inbound-nat-rule (\S+) +--nic-name "\$NODE(\d+)_NIC"`)
	azPoolNIC  = regexp.MustCompile(`^az network nic ip-config address-pool add .*--address-pool (\S+) +--nic-name "\$NODE(\d+)_NIC"`)
	azRule     = regexp.MustCompile(`^az network lb rule create .*--protocol Tcp --frontend-port (\d+) --backend-port (\d+) .*--backend-pool-name (\S+) `)
	azProtocol = regexp.MustCompile(`--protocol (\S+)`)
)

// readAzureLB follows NAT rules to the NICs tied to them, and the
// load-balancing rule to its pool's NICs.
func readAzureLB(tb testing.TB, content string, p plan.Plan) []lbListener {
	tb.Helper()
	type rule struct{ port, backendPort int }
	nat, pools := map[string]rule{}, map[string][]int{}
	var out []lbListener
	for _, line := range strings.Split(strings.ReplaceAll(content, "\\\n", " "), "\n") {
		if m := azProtocol.FindStringSubmatch(line); m != nil && m[1] != "Tcp" {
			tb.Errorf("protocol %s, want Tcp: %s", m[1], line)
		}
		switch {
		case azNatRule.MatchString(line):
			m := azNatRule.FindStringSubmatch(line)
			nat[m[1]] = rule{mustAtoi(tb, m[2]), mustAtoi(tb, m[3])}
		case azNatNIC.MatchString(line):
			m := azNatNIC.FindStringSubmatch(line)
			r, ok := nat[m[1]]
			if !ok {
				tb.Fatalf("NIC tied to NAT rule %s before it is created", m[1])
			}
			out = append(out, lbListener{r.port, []string{plan.HostPort(p.Nodes[mustAtoi(tb, m[2])-1].Address, r.backendPort)}})
		case azPoolNIC.MatchString(line):
			m := azPoolNIC.FindStringSubmatch(line)
			pools[m[1]] = append(pools[m[1]], mustAtoi(tb, m[2])-1)
		case azRule.MatchString(line):
			m := azRule.FindStringSubmatch(line)
			l := lbListener{Port: mustAtoi(tb, m[1])}
			for _, i := range pools[m[3]] {
				l.Backends = append(l.Backends, plan.HostPort(p.Nodes[i].Address, mustAtoi(tb, m[2])))
			}
			out = append(out, l)
		}
	}
	return out
}

// k8sDoc holds the fields of the Services, EndpointSlices and ConfigMaps
// the routing depends on.
type k8sDoc struct {
	Kind     string
	Metadata struct {
		Name   string
		Labels map[string]string
	}
	Spec struct {
		Type     string
		Selector map[string]any
		Ports    []struct {
			Name       string
			Port       int
			TargetPort int `yaml:"targetPort"`
		}
	}
	AddressType string `yaml:"addressType"`
	Ports       []struct {
		Name string
		Port int
	}
	Endpoints []struct{ Addresses []string }
	Data      map[string]string
}

// readKubernetes follows each port of the LoadBalancer Service to the
// EndpointSlices that list a port of its name, or through the relay's
// nginx configuration.
func readKubernetes(tb testing.TB, content string, p plan.Plan) []lbListener {
	tb.Helper()
	if strings.Contains(content, "kind: Ingress") {
		return readKubernetesSNI(tb, content, p.LoadBalancer.Port)
	}
	var docs []k8sDoc
	dec := yaml.NewDecoder(strings.NewReader(content))
	for {
		var d k8sDoc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("decode kubernetes.yaml: %v", err)
		}
		docs = append(docs, d)
	}
	var svc *k8sDoc
	var relay []lbListener
	for i, d := range docs {
		switch {
		case d.Kind == "Service" && d.Spec.Type == "LoadBalancer":
			if svc != nil {
				tb.Fatalf("two LoadBalancer Services: %s and %s", svc.Metadata.Name, d.Metadata.Name)
			}
			svc = &docs[i]
		case d.Kind == "ConfigMap":
			relay = readNginx(tb, d.Data["nginx.conf"], p)
		}
	}
	if svc == nil {
		tb.Fatal("no LoadBalancer Service")
	}
	var out []lbListener
	for _, sp := range svc.Spec.Ports {
		l := lbListener{Port: sp.Port}
		if len(svc.Spec.Selector) > 0 {
			for _, r := range relay {
				if r.Port == sp.TargetPort {
					l.Backends = append(l.Backends, r.Backends...)
				}
			}
		}
		for _, d := range docs {
			if d.Kind != "EndpointSlice" || d.Metadata.Labels["kubernetes.io/service-name"] != svc.Metadata.Name {
				continue
			}
			for _, ep := range d.Ports {
				if ep.Name != sp.Name {
					continue
				}
				for _, e := range d.Endpoints {
					for _, a := range e.Addresses {
						l.Backends = append(l.Backends, plan.HostPort(a, ep.Port))
					}
				}
			}
		}
		out = append(out, l)
	}
	return out
}

func mustAtoi(tb testing.TB, s string) int {
	tb.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatalf("not a number: %q", s)
	}
	return n
}
