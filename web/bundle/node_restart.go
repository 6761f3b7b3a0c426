package bundle

import (
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// The steps of a node script that restarts its node, after the firewall.
// Octopus.Server.exe options are those of Octopus's server command-line
// documentation: node --drain=true --wait=<seconds> (the node takes no new
// tasks and waits for running ones), node --drain=false, configure
// --commsListenPort and --multiNodePollingTentaclesRedisConnectionString,
// path --clusterShared, service --stop --start.
const (
	stepSettings = "settings"
	stepDrain    = "drain"
	stepMove     = "move"
	stepRedis    = "configure"
	stepRestart  = "restart"
	stepCheck    = "check"
	stepUndrain  = "undrain"
)

// restartSteps lists the steps after the firewall of node i's script.
func restartSteps(p plan.Plan, i int) []string {
	if p.Topology == plan.MultiNode {
		return []string{stepSettings, stepDrain, stepRedis, stepRestart, stepCheck, stepUndrain}
	}
	return []string{stepDrain, stepMove, stepRestart, stepUndrain}
}

// restartSettings declares the variables the restart steps read.
func restartSettings(s *psWriter, p plan.Plan) {
	s.line("$DrainWait = if ($env:OCTOPUS_DRAIN_WAIT_SECONDS) { [int]$env:OCTOPUS_DRAIN_WAIT_SECONDS } else { %d }", DefaultDrainWaitSeconds)
	s.line("$StartTimeout = 600")
	if p.Topology == plan.MultiNode {
		s.line("$NodeUrl = if ($env:OCTOPUS_NODE_URL) { $env:OCTOPUS_NODE_URL.TrimEnd('/') } else { 'http://localhost' }")
	}
}

// nodeRestart writes the steps that drain, reconfigure, restart, check
// and undrain the node. A failure after the drain leaves the node drained
// (it takes no tasks) and says how to end the drain.
func nodeRestart(s *psWriter, p plan.Plan, i int) {
	steps := restartSteps(p, i)
	total := len(steps) + 1
	k := 1
	head := func(indent, format string) {
		k++
		s.line(indent+"Write-Host \"[%d/%d] "+format+"\"", k, total)
	}
	check := func(indent, what string) {
		s.line(indent+"if ($LASTEXITCODE -ne 0) { throw \"Octopus.Server.exe %s failed (exit $LASTEXITCODE)\" }", what)
	}
	multi := p.Topology == plan.MultiNode
	if multi {
		head("", "Settings: the cluster shared directory and the Redis connection string")
		s.line("if (-not $env:OCTOPUS_CLUSTER_SHARED) {")
		s.line("    throw 'Set OCTOPUS_CLUSTER_SHARED to the cluster shared directory every node uses (for example \\\\OctoShared\\OctopusData; Octopus.Server.exe show-configuration shows the current one), then run this script again. Only the firewall was changed.'")
		s.line("}")
		s.line("$ClusterShared = $env:OCTOPUS_CLUSTER_SHARED")
		s.line("if ($ClusterShared.Contains('\"') -or $ClusterShared.EndsWith('\\')) { throw 'OCTOPUS_CLUSTER_SHARED holds a double quote or ends with a backslash, which Windows PowerShell 5.1 passes to Octopus.Server.exe unescaped: remove it (write \\\\OctoShared\\OctopusData, not \\\\OctoShared\\OctopusData\\). Only the firewall was changed.' }")
		s.line("$Redis = $env:OCTOPUS_REDIS_CONNECTION_STRING")
		s.line("if (-not $Redis) {")
		s.line("    $secure = Read-Host -AsSecureString 'Redis connection string (host:port,password=...,ssl=true)'")
		s.line("    $Redis = [System.Net.NetworkCredential]::new('', $secure).Password")
		s.line("}")
		s.line("if (-not $Redis) { throw 'No Redis connection string was given. Only the firewall was changed.' }")
		// The one value a plan cannot vouch for: Windows PowerShell 5.1
		// passes it to Octopus.Server.exe unescaped (see plan.NativeArgProblem).
		s.line("if ($Redis.Contains('\"') -or $Redis.EndsWith('\\')) { throw 'The Redis connection string holds a double quote or ends with a backslash, which Windows PowerShell 5.1 passes to Octopus.Server.exe unescaped (the rest would become options of its own). Change that password, or set the connection string in the OCTOPUS_MULTI_NODE_POLLING_TENTACLES_REDIS_CONNECTION_STRING environment variable of the service instead. Only the firewall was changed.' }")
		s.line("")
	} else {
		s.line("if (Get-NetTCPConnection -State Listen -LocalPort $Port -ErrorAction SilentlyContinue) {")
		s.line("    Write-Host \"[2/%d] Listen port: $NodeName already listens on $Port; no drain, no restart\"", total)
		s.line("    Write-Host \"      (if an earlier run stopped after its drain, end it: Octopus.Server.exe node --instance <instance> --drain=false)\"")
		s.line("    return")
		s.line("}")
	}
	head("", "Drain: $NodeName takes no new tasks; running tasks get up to $DrainWait seconds to finish")
	s.line("try {")
	// Inside the try: a drain that failed half way may have set the flag,
	// so the warning below says how to end it.
	s.line("    & $OctopusServer node --instance $Instance '--drain=true' \"--wait=$DrainWait\"")
	s.line("    if ($LASTEXITCODE -ne 0) { throw \"Octopus.Server.exe node --drain=true failed (exit $LASTEXITCODE): the node was not reconfigured\" }")
	const in = "    "
	if multi {
		what := "cluster shared directory and Redis connection string"
		if p.MovesListener(i) {
			what += ", polling listen port $Port"
		}
		head(in, "Configure: "+what)
		s.line(in + "& $OctopusServer path --instance $Instance --clusterShared $ClusterShared")
		check(in, "path --clusterShared")
		s.line(in + "& $OctopusServer configure --instance $Instance \"--multiNodePollingTentaclesRedisConnectionString=$Redis\"")
		check(in, "configure --multiNodePollingTentaclesRedisConnectionString")
		s.line(in + "$Redis = $null")
	} else {
		head(in, "Listen port: set the polling listen port to $Port")
	}
	if p.MovesListener(i) {
		s.line(in + "& $OctopusServer configure --instance $Instance --commsListenPort $Port")
		check(in, "configure --commsListenPort")
	}
	// --stop --start, not --restart: --restart leaves a stopped service stopped.
	head(in, "Restart $NodeName and wait until it listens on $Port")
	s.line(in + "& $OctopusServer service --instance $Instance --stop --start")
	check(in, "service --stop --start")
	s.line(in + "$deadline = (Get-Date).AddSeconds($StartTimeout)")
	s.line(in + "while (-not (Get-NetTCPConnection -State Listen -LocalPort $Port -ErrorAction SilentlyContinue)) {")
	s.line(in + "    if ((Get-Date) -ge $deadline) { throw \"$NodeName did not listen on TCP $Port within $StartTimeout seconds\" }")
	s.line(in + "    Start-Sleep -Seconds 5")
	s.line(in + "}")
	if multi {
		head(in, "Redis: $NodeUrl/api/serverstatus/redis must say IsEnabled, IsConfigured and IsReachable")
		s.line(in + "$status = $null")
		s.line(in + "while (-not $status) {")
		s.line(in + "    try { $status = Invoke-RestMethod -Uri \"$NodeUrl/api/serverstatus/redis\" -UseBasicParsing -TimeoutSec 10 }")
		s.line(in + "    catch {")
		s.line(in + "        if ((Get-Date) -ge $deadline) { throw \"$NodeUrl/api/serverstatus/redis did not answer ($($_.Exception.Message)); set OCTOPUS_NODE_URL to this node's own web address\" }")
		s.line(in + "        Start-Sleep -Seconds 5")
		s.line(in + "    }")
		s.line(in + "}")
		s.line(in + "if (-not ($status.IsEnabled -and $status.IsConfigured -and $status.IsReachable)) {")
		s.line(in + "    throw \"Redis on $NodeName is not ready (IsEnabled $($status.IsEnabled), IsConfigured $($status.IsConfigured), IsReachable $($status.IsReachable)); all three must be True, see README.md\"")
		s.line(in + "}")
	}
	s.line("} catch {")
	s.line("    Write-Warning \"$NodeName stays drained and takes no tasks. Fix the cause and run this script again, or end the drain: & '$OctopusServer' node --instance '$Instance' --drain=false\"")
	s.line("    throw")
	s.line("}")
	head("", "End the drain: $NodeName takes tasks again")
	s.line("& $OctopusServer node --instance $Instance '--drain=false'")
	s.line("if ($LASTEXITCODE -ne 0) { throw \"Octopus.Server.exe node --drain=false failed (exit $LASTEXITCODE); end the drain by hand\" }")
	if multi {
		s.line("Write-Host \"Node $NodeName polls through Redis now; run the next node's script.\"")
	} else {
		s.line("Write-Host \"Node $NodeName now listens for polling Tentacles on $Port; run the next node's script.\"")
	}
}
