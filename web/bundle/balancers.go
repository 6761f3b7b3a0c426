package bundle

import "github.com/tentacle-ha-wizard/wizard/web/plan"

// Balancer is one load-balancer kind: everything the wizard, the README,
// the preview and the tests know of it comes from its row in Balancers.
// Adding a kind is a generator file (lb_<kind>.go) and one row here, plus
// its name in plan.LoadBalancerKinds (which validation reads; the
// registry test names what is missing, as it does for a kind without a
// real-tool check or a golden case).
type Balancer struct {
	// Kind is the plan's name for it (loadBalancer.kinds).
	Kind string
	// Label is how the wizard names it.
	Label string
	// File is the file's name under loadbalancer/, Mode its permissions.
	File string
	Mode int64
	// Lang is the preview's syntax for the file.
	Lang string
	// Apply tells, as one README list item, how to check and apply it.
	Apply func(p plan.Plan) string
	// Write generates the file.
	Write Generator
}

// Balancers lists the kinds in the order the wizard offers them and the
// bundle writes them.
var Balancers = []Balancer{
	{"nginx", "NGINX (stream)", "nginx.conf", 0o644, "conf", applyNginx, WriteNginx},
	{"haproxy", "HAProxy", "haproxy.cfg", 0o644, "conf", applyHAProxy, WriteHAProxy},
	{"nftables", "nftables", "nftables.nft", 0o644, "conf", applyNftables, WriteNftables},
	{"iptables", "iptables", "iptables.rules", 0o644, "conf", applyIptables, WriteIptables},
	{"aws-nlb", "AWS Network Load Balancer (Terraform)", "aws-nlb.tf", 0o644, "hcl", applyAWSNLB, WriteAWSNLB},
	{"azure-lb", "Azure Load Balancer (az CLI)", "azure-lb.sh", 0o755, "sh", applyAzureLB, WriteAzureLB},
	{"kubernetes", "Kubernetes Service", "kubernetes.yaml", 0o644, "yaml", applyKubernetes, WriteKubernetes},
	{"f5-bigip", "F5 BIG-IP LTM (tmsh)", "f5-bigip.tmsh", 0o644, "conf", applyF5BIGIP, WriteF5BIGIP},
}

// BalancerOf returns the row of a kind.
func BalancerOf(kind string) (Balancer, bool) {
	for _, b := range Balancers {
		if b.Kind == kind {
			return b, true
		}
	}
	return Balancer{}, false
}

// Path is where the kind's file is in the bundle.
func (b Balancer) Path() string { return "loadbalancer/" + b.File }
