package bundle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAzureLB writes loadbalancer/azure-lb.sh: az CLI commands for an
// Azure Load Balancer (Standard, layer 4). Unique-port gets one inbound NAT
// rule per node, tied to the node VM's network interface; multi-node gets a
// backend pool, a TCP health probe and one load-balancing rule. Azure's
// layer-7 services (Application Gateway, Front Door) terminate TLS and cannot
// carry polling, so only TCP rules are written.
func WriteAzureLB(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\n")
	lbHeader(&b, "#", p,
		"Azure Load Balancer (TCP pass-through) for Octopus polling Tentacles; TLS stays end to end.",
		"Run after az login: bash azure-lb.sh. The balancer, its frontend IP configuration and the",
		"nodes' VMs must exist; set the variables below in the environment to match them.",
		"Check: bash -n azure-lb.sh && shellcheck azure-lb.sh.",
		"Network security groups on the nodes must allow the backend ports from the balancer.")
	b.WriteString("set -euo pipefail\n\n")
	azVar(&b, "RESOURCE_GROUP", "octopus")
	azVar(&b, "LB_NAME", "octopus-polling")
	azVar(&b, "FRONTEND_IP", "LoadBalancerFrontEnd")
	b.WriteString("# Minutes (4 to 30) before an idle connection is dropped; polling connections stay open.\n")
	azVar(&b, "IDLE_TIMEOUT", "30")
	b.WriteString("\n# Network interface and IP configuration of each node's VM.\n")
	ids := lbIDs(p, '-')
	for i, n := range p.Nodes {
		lbComment(&b, "#", n.Name+" ("+n.Address+")")
		azVar(&b, azNodeVar(i, "NIC"), ids[i]+"-nic")
		azVar(&b, azNodeVar(i, "IPCONFIG"), "ipconfig1")
	}
	common := `--resource-group "$RESOURCE_GROUP" --lb-name "$LB_NAME"`
	for _, r := range p.Routes() {
		b.WriteString("\n")
		lbComment(&b, "#", lbRouteNote(p, r))
		if len(r.Backends) == 1 {
			be := r.Backends[0]
			rule := Sh("octopus-" + ids[be.Node])
			fmt.Fprintf(&b, "az network lb inbound-nat-rule create %s --name %s \\\n", common, rule)
			fmt.Fprintf(&b, "    --protocol Tcp --frontend-port %d --backend-port %d \\\n", r.ListenPort, be.Port)
			b.WriteString("    --frontend-ip-name \"$FRONTEND_IP\" --idle-timeout \"$IDLE_TIMEOUT\" --enable-tcp-reset true\n")
			fmt.Fprintf(&b, "az network nic ip-config inbound-nat-rule add %s --inbound-nat-rule %s \\\n", common, rule)
			fmt.Fprintf(&b, "    --nic-name \"$%s\" --ip-config-name \"$%s\"\n", azNodeVar(be.Node, "NIC"), azNodeVar(be.Node, "IPCONFIG"))
			continue
		}
		backendPort := r.Backends[0].Port
		for _, be := range r.Backends {
			if be.Port != backendPort {
				lbComment(&b, "#", fmt.Sprintf("%s listens on %d, not %d: one Azure rule has one backend port, so make them equal.", be.Name, be.Port, backendPort))
			}
		}
		fmt.Fprintf(&b, "az network lb address-pool create %s --name octopus-nodes\n", common)
		for _, be := range r.Backends {
			fmt.Fprintf(&b, "az network nic ip-config address-pool add %s --address-pool octopus-nodes \\\n", common)
			fmt.Fprintf(&b, "    --nic-name \"$%s\" --ip-config-name \"$%s\"\n", azNodeVar(be.Node, "NIC"), azNodeVar(be.Node, "IPCONFIG"))
		}
		fmt.Fprintf(&b, "az network lb probe create %s --name octopus-polling --protocol Tcp --port %d\n", common, backendPort)
		fmt.Fprintf(&b, "az network lb rule create %s --name octopus-polling \\\n", common)
		fmt.Fprintf(&b, "    --protocol Tcp --frontend-port %d --backend-port %d \\\n", r.ListenPort, backendPort)
		b.WriteString("    --frontend-ip-name \"$FRONTEND_IP\" --backend-pool-name octopus-nodes --probe-name octopus-polling \\\n")
		b.WriteString("    --idle-timeout \"$IDLE_TIMEOUT\" --enable-tcp-reset true\n")
	}
	return lbFlush(w, &b)
}

// azVar writes an assignment the environment can override.
func azVar(b *strings.Builder, name, def string) {
	fmt.Fprintf(b, "%s=${%s:-%s}\n", name, name, Sh(def))
}

// azNodeVar is the shell variable of a node's setting, by position: node
// names need not be valid shell names.
func azNodeVar(node int, what string) string {
	return "NODE" + strconv.Itoa(node+1) + "_" + what
}
