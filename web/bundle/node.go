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

// nodeScript returns the generator of octopus-server/<node>.ps1 for node i:
// the node-side half of the documented procedure.
func nodeScript(i int) Generator {
	return func(w io.Writer, p plan.Plan) error { return writeNodeScript(w, p, i) }
}

func writeNodeScript(w io.Writer, p plan.Plan, i int) error {
	n := p.Nodes[i]
	port := n.TargetPort()
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# %s", provenance(p))
	line("# Run on Octopus Server node %s (%s) in an elevated PowerShell, once.", n.Name, n.Address)
	switch p.Topology {
	case plan.UniquePort:
		line("# The load balancer forwards %s to this node's port %d.", plan.HostPort(p.LoadBalancer.Address, n.Port), port)
	case plan.MultiNode:
		line("# The load balancer passes %s through to every node; this node listens on %d.", plan.HostPort(p.LoadBalancer.Address, p.LoadBalancer.Port), port)
	default:
		line("# Polling Tentacles connect to this node directly at %s.", plan.HostPort(n.Address, port))
	}
	line("# It opens TCP %d inbound in Windows Firewall%s.", port, listenNote(port))
	line("# OCTOPUS_SERVER_EXE overrides the path of Octopus.Server.exe.")
	line("#Requires -RunAsAdministrator")
	line("$ErrorActionPreference = 'Stop'")
	line("$OctopusServer = if ($env:OCTOPUS_SERVER_EXE) { $env:OCTOPUS_SERVER_EXE } else { %s }", PS(DefaultOctopusServerExe))
	line("$Instance = %s", PS(p.Server.Instance))
	line("$Port = %d", port)
	line("$RuleName = %s", PS("Octopus Server polling Tentacles (TCP "+strconv.Itoa(port)+")"))
	line("")
	line("Write-Host \"[1/2] Windows Firewall: allow inbound TCP $Port\"")
	line("if (Get-NetFirewallRule -DisplayName $RuleName -ErrorAction SilentlyContinue) {")
	line("    Write-Host \"      rule '$RuleName' already exists\"")
	line("} else {")
	line("    New-NetFirewallRule -DisplayName $RuleName -Direction Inbound -Protocol TCP -LocalPort $Port -Action Allow | Out-Null")
	line("}")
	line("")
	if port == plan.DefaultPort {
		line("Write-Host \"[2/2] Listen port: the node keeps the default $Port; nothing to change\"")
		_, err := io.WriteString(w, b.String())
		return err
	}
	line("Write-Host \"[2/2] Listen port: set the polling listen port to $Port and restart the node\"")
	line("& $OctopusServer configure --instance $Instance --commsListenPort $Port")
	line("if ($LASTEXITCODE -ne 0) { throw \"Octopus.Server.exe configure failed (exit $LASTEXITCODE)\" }")
	line("& $OctopusServer service --instance $Instance --restart")
	line("if ($LASTEXITCODE -ne 0) { throw \"Octopus.Server.exe service --restart failed (exit $LASTEXITCODE)\" }")
	line("Write-Host \"Node %s now listens for polling Tentacles on $Port.\"", psDouble(n.Name))
	_, err := io.WriteString(w, b.String())
	return err
}

func listenNote(port int) string {
	if port == plan.DefaultPort {
		return ""
	}
	return fmt.Sprintf(" and makes the node listen on %d instead of %d", port, plan.DefaultPort)
}

// psDouble escapes s for a PowerShell double-quoted string.
func psDouble(s string) string {
	return psDoubleQuoted.Replace(s)
}

var psDoubleQuoted = strings.NewReplacer("`", "``", `"`, "`\"", "$", "`$")
