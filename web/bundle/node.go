package bundle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// DefaultOctopusServerExe is where the Octopus Server MSI installs the server.
const DefaultOctopusServerExe = `C:\Program Files\Octopus Deploy\Octopus\Octopus.Server.exe`

// DefaultDrainWaitSeconds is how long a node script lets running tasks
// finish (Octopus.Server.exe node --drain=true --wait=N) before it
// restarts the node; OCTOPUS_DRAIN_WAIT_SECONDS overrides it.
const DefaultDrainWaitSeconds = 600

// nodeScript returns the generator of octopus-server/<node>.ps1 for node i:
// the node-side half of the documented procedure.
func nodeScript(i int) Generator {
	return func(w io.Writer, p plan.Plan) error { return writeNodeScript(w, p, i) }
}

// writeNodeScript writes a node's script. A node that keeps listening on
// 10943 gets its firewall rule and nothing else; a node whose listener
// moves, or that joins multi-node polling, is drained, reconfigured,
// restarted, waited for and undrained (nodeRestart).
func writeNodeScript(w io.Writer, p plan.Plan, i int) error {
	n := p.Nodes[i]
	port := p.NodeListenPort(i)
	restart := p.MovesListener(i) || p.Topology == plan.MultiNode
	s := &psWriter{}
	s.line("# %s", provenance(p))
	if restart {
		s.line("# Run on Octopus Server node %s (%s) in an elevated PowerShell, one node at a time:", n.Name, n.Address)
		s.line("# start the next node's script only after this one has finished.")
	} else {
		s.line("# Run on Octopus Server node %s (%s) in an elevated PowerShell, once.", n.Name, n.Address)
	}
	switch p.Topology {
	case plan.UniquePort:
		s.line("# The load balancer forwards %s to this node's port %d.", plan.HostPort(p.LoadBalancer.Address, n.Port), port)
	case plan.MultiNode:
		s.line("# The load balancer passes %s through to every node; this node listens on %d.", plan.HostPort(p.LoadBalancer.Address, p.LoadBalancer.Port), port)
	case plan.UniqueHostname:
		s.line("# The load balancer sends Tentacles that poll %s (TLS server name) to this node's port %d.", plan.HostPort(n.Address, p.LoadBalancer.Port), port)
	default:
		s.line("# Polling Tentacles connect to this node directly at %s.", plan.HostPort(n.Address, port))
	}
	if !restart {
		s.line("# It opens TCP %d inbound in Windows Firewall.", port)
		s.line("# OCTOPUS_SERVER_EXE overrides the path of Octopus.Server.exe.")
	} else {
		restartHeader(s, p, i)
	}
	s.line("#Requires -RunAsAdministrator")
	s.line("$ErrorActionPreference = 'Stop'")
	s.line("$OctopusServer = if ($env:OCTOPUS_SERVER_EXE) { $env:OCTOPUS_SERVER_EXE } else { %s }", PS(DefaultOctopusServerExe))
	s.line("$Instance = %s", PS(p.Server.Instance))
	if restart {
		s.line("$NodeName = %s", PS(n.Name))
	}
	s.line("$Port = %d", port)
	s.line("$RuleName = %s", PS("Octopus Server polling Tentacles (TCP "+strconv.Itoa(port)+")"))
	if restart {
		restartSettings(s, p)
	}
	s.line("")
	steps := 2
	if restart {
		steps = len(restartSteps(p, i)) + 1
	}
	s.line("Write-Host \"[1/%d] Windows Firewall: allow inbound TCP $Port\"", steps)
	s.line("if (Get-NetFirewallRule -DisplayName $RuleName -ErrorAction SilentlyContinue) {")
	s.line("    Write-Host \"      rule '$RuleName' already exists\"")
	s.line("} else {")
	s.line("    New-NetFirewallRule -DisplayName $RuleName -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow | Out-Null")
	s.line("}")
	s.line("")
	if restart {
		nodeRestart(s, p, i)
	} else {
		s.line("Write-Host \"[2/2] Listen port: the node keeps the default $Port; nothing to change\"")
	}
	_, err := io.WriteString(w, PSScript(s.String()))
	return err
}

// restartHeader says what a restarting script does and what it reads.
func restartHeader(s *psWriter, p plan.Plan, i int) {
	port := p.NodeListenPort(i)
	if p.Topology == plan.MultiNode {
		s.line("# It turns on multi-node support for polling Tentacles (Octopus Server %s or later)", plan.MultiNodeMinVersion)
		s.line("# on this node: it opens TCP %d inbound in Windows Firewall, sets the cluster shared", port)
		s.line("# directory, drains the node (it takes no new tasks), stores the Redis connection string%s,", moveClause(p, i))
		s.line("# restarts the node, waits until it answers, checks /api/serverstatus/redis on this node")
		s.line("# and ends the drain. Before you start, Redis (8.0 or later recommended) must run with no")
		s.line("# persistence, no replication and maxmemory-policy noeviction, reachable from every node.")
	} else {
		s.line("# It opens TCP %d inbound in Windows Firewall and moves the node's polling listener", port)
		s.line("# from %d to %d: it drains the node (it takes no new tasks), sets the port, restarts", plan.DefaultPort, port)
		s.line("# the node, waits until it listens on %d and ends the drain. If the node already", port)
		s.line("# listens on %d, only the firewall changes.", port)
	}
	if p.MovesListener(i) {
		s.line("# Tentacles and Kubernetes agents that poll this node directly on %d stop reaching it.", plan.DefaultPort)
	}
	s.line("# If a step fails after the drain, the node stays drained: fix the cause and run the script")
	s.line("# again, or end the drain with Octopus.Server.exe node --instance <instance> --drain=false.")
	s.line("# Environment:")
	if p.Topology == plan.MultiNode {
		s.line("#   OCTOPUS_CLUSTER_SHARED           the cluster shared directory, the same on every node (required)")
		s.line("#   OCTOPUS_REDIS_CONNECTION_STRING  the Redis connection string, asked for (input hidden) when unset;")
		s.line("#                                    it goes to Octopus.Server.exe only, never to the screen or a file")
		s.line("#   OCTOPUS_NODE_URL                 this node's own web address, not the balancer's (default http://localhost)")
	}
	s.line("#   OCTOPUS_DRAIN_WAIT_SECONDS       how long running tasks get to finish before the restart (default %d)", DefaultDrainWaitSeconds)
	s.line("#   OCTOPUS_SERVER_EXE               the path of Octopus.Server.exe")
}

func moveClause(p plan.Plan, i int) string {
	if !p.MovesListener(i) {
		return ""
	}
	return fmt.Sprintf(" and the polling listen port %d", p.NodeListenPort(i))
}

// psWriter collects the lines of a PowerShell script.
type psWriter struct{ strings.Builder }

func (s *psWriter) line(format string, args ...any) {
	fmt.Fprintf(s, format, args...)
	s.WriteByte('\n')
}
