package bundle

import (
	"slices"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

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
	// Standalone, when set, generates a second form of the file, named
	// StandaloneFile under loadbalancer/ (same Mode and Lang): a whole
	// configuration beside File's part to merge into an existing one.
	StandaloneFile string
	Standalone     Generator
}

// Balancers lists the kinds in the order the wizard offers them and the
// bundle writes them. Which kinds can route by TLS server name (SNI), as
// unique-hostname needs, is plan.SNIKinds: validation reads it, and
// Supports derives from it.
var Balancers = []Balancer{
	{Kind: "nginx", Label: "NGINX (stream)", File: "nginx.conf", Mode: 0o644, Lang: "conf", Apply: applyNginx, Write: WriteNginx},
	{Kind: "haproxy", Label: "HAProxy", File: "haproxy.cfg", Mode: 0o644, Lang: "conf", Apply: applyHAProxy, Write: WriteHAProxy,
		StandaloneFile: "haproxy-standalone.cfg", Standalone: WriteHAProxyStandalone},
	{Kind: "nftables", Label: "nftables", File: "nftables.nft", Mode: 0o644, Lang: "conf", Apply: applyNftables, Write: WriteNftables},
	{Kind: "iptables", Label: "iptables", File: "iptables.rules", Mode: 0o644, Lang: "conf", Apply: applyIptables, Write: WriteIptables},
	{Kind: "aws-nlb", Label: "AWS Network Load Balancer (Terraform)", File: "aws-nlb.tf", Mode: 0o644, Lang: "hcl", Apply: applyAWSNLB, Write: WriteAWSNLB},
	{Kind: "azure-lb", Label: "Azure Load Balancer (az CLI)", File: "azure-lb.sh", Mode: 0o755, Lang: "sh", Apply: applyAzureLB, Write: WriteAzureLB},
	{Kind: "kubernetes", Label: "Kubernetes Service", File: "kubernetes.yaml", Mode: 0o644, Lang: "yaml", Apply: applyKubernetes, Write: WriteKubernetes},
	{Kind: "f5-bigip", Label: "F5 BIG-IP LTM (tmsh)", File: "f5-bigip.tmsh", Mode: 0o644, Lang: "conf", Apply: applyF5BIGIP, Write: WriteF5BIGIP},
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

// BalancerOfPath returns the row whose file (or standalone file) is at
// path in the bundle.
func BalancerOfPath(path string) (Balancer, bool) {
	for _, b := range Balancers {
		if path == b.Path() || (b.StandaloneFile != "" && path == b.StandalonePath()) {
			return b, true
		}
	}
	return Balancer{}, false
}

// Path is where the kind's file is in the bundle.
func (b Balancer) Path() string { return "loadbalancer/" + b.File }

// StandalonePath is where the kind's standalone file is in the bundle.
func (b Balancer) StandalonePath() string { return "loadbalancer/" + b.StandaloneFile }

// Supports reports whether the kind can serve topology t: one that routes
// by TLS server name needs a kind of plan.SNIKinds.
func (b Balancer) Supports(t plan.Topology) bool {
	return !t.RoutesByName() || slices.Contains(plan.SNIKinds, b.Kind)
}
