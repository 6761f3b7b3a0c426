package bundle

import (
	"fmt"
	"io"
	"strings"
)

// WriteUpdateTentaclePS1 writes change/update-tentacle.ps1, the steps of
// update-tentacle.sh for a Windows Tentacle; its detached restart is a
// one-shot scheduled task running as Local System.
func WriteUpdateTentaclePS1(w io.Writer, c Change) error {
	addrs := c.To.Addresses()
	quoted := make([]string, len(addrs))
	for i, a := range addrs {
		quoted[i] = PS(a)
	}
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(changeSummary(c, "Windows", "# "), "# \n", "#\n"))
	fmt.Fprintf(&b, `#
# Usage, in an elevated Windows PowerShell 5.1 or PowerShell 7 (Octopus runs
# it as the Tentacle's account, Local System by default):
#   powershell -ExecutionPolicy Bypass -File .\update-tentacle.ps1
#
# Environment:
#   TENTACLE           Tentacle.exe [C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe]
#   TENTACLE_INSTANCE  the instance [Tentacle, else the only instance there is]
#   TENTACLE_RESTART   auto: restart the service when something changed;
#                      always; never (you restart it) [auto]
#   TENTACLE_RESTART_DELAY
#                      seconds before the detached restart [%d]
#
# The last line it prints is its result, as JSON:
#   {"ok":true,"added":[...],"removed":[...],"restart":"scheduled"}
# restart is "scheduled", "not-needed" (nothing changed) or "skipped"
# (TENTACLE_RESTART=never); a failure prints {"ok":false,"error":"..."}
# and exits 1.

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Tentacle = if ($env:TENTACLE) { $env:TENTACLE } else { 'C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe' }
$Instance = $env:TENTACLE_INSTANCE
$Restart = if ($env:TENTACLE_RESTART) { $env:TENTACLE_RESTART } else { 'auto' }
$Delay = if ($env:TENTACLE_RESTART_DELAY) { $env:TENTACLE_RESTART_DELAY } else { '%d' }

# From plan.json: the cluster's certificate thumbprint, and every address a
# Tentacle of the cluster polls from now on.
$Thumbprint = %s
$Addresses = @(%s)
`, DefaultRestartDelaySeconds, DefaultRestartDelaySeconds, PS(c.To.Server.Thumbprint), strings.Join(quoted, ", "))
	b.WriteString(updatePSFunctions)
	b.WriteString(updatePSSteps)
	_, err := io.WriteString(w, PSScript(b.String()))
	return err
}

// updatePSFunctions are the helpers of update-tentacle.ps1.
const updatePSFunctions = `
# ConvertTo-JsonString writes a text as a JSON string, the same on
# Windows PowerShell 5.1 and PowerShell 7.
function ConvertTo-JsonString([string]$Text) {
    '"' + (($Text -replace '\\', '\\' -replace '"', '\"') -replace '[\x00-\x1f]', ' ') + '"'
}

function ConvertTo-JsonList([string[]]$Items) {
    if (-not $Items) { return '[]' }
    '[' + (($Items | ForEach-Object { ConvertTo-JsonString $_ }) -join ',') + ']'
}

# Stop-Update says why the script stops, prints its result line, and stops.
function Stop-Update([string]$Message) {
    [Console]::Error.WriteLine('update-tentacle.ps1: ' + $Message)
    [Console]::Out.WriteLine('{"ok":false,"error":' + (ConvertTo-JsonString $Message) + '}')
    exit 1
}

trap { Stop-Update ('unexpected error: ' + $_) }

# Invoke-Tentacle prints a Tentacle command, runs it with each argument
# separate, and stops if it fails. Windows PowerShell 5.1 can turn a native
# command's stderr into errors, so the exit code alone decides.
function Invoke-Tentacle([string[]]$Arguments) {
    Write-Host ('==> Tentacle ' + ($Arguments -join ' '))
    $ErrorActionPreference = 'Continue'
    & $Tentacle @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) {
        Stop-Update ('Tentacle {0} failed (exit {1}). Fix the cause and run this script again: it carries on from what the Tentacle trusts now.' -f $Arguments[0], $LASTEXITCODE)
    }
}

# Get-TentacleOutput runs a Tentacle command that reads state and returns
# its output as one string.
function Get-TentacleOutput([string[]]$Arguments) {
    $ErrorActionPreference = 'Continue'
    $output = & $Tentacle @Arguments | Out-String
    if ($LASTEXITCODE -ne 0) {
        Stop-Update ('Tentacle {0} failed (exit {1})' -f ($Arguments -join ' '), $LASTEXITCODE)
    }
    $output
}

# Test-Listed: Item is in List, ignoring case and a final /.
function Test-Listed([string]$Item, [string[]]$List) {
    foreach ($entry in @($List)) {
        if ($entry -and $entry.TrimEnd('/') -eq $Item.TrimEnd('/')) { return $true }
    }
    $false
}

# Read-Trusted reads Tentacle.Communication.TrustedOctopusServers from
# show-configuration, printed as a JSON array or as a string holding one:
# Ours (addresses of this cluster's polling entries: its thumbprint,
# CommunicationStyle 2, a subscription id), Others (every other entry's
# address, always kept), Addressless (listening trusts) and FirstOurs (the
# first entry is ours: poll-server --reuse-server-thumbprint copies the
# first entry's identity).
function Read-Trusted {
    $text = Get-TentacleOutput @('show-configuration', '--instance', $Instance)
    $flat = $text -replace '\\"', '"' -replace '\s', ''
    $state = [pscustomobject]@{ Ours = @(); Others = @(); Addressless = 0; FirstOurs = $false }
    $rest = if ($flat -match '"TrustedOctopusServers":"?\[(.*)$') { $Matches[1] } else { '' }
    $n = 0
    while ($rest -match '^\{([^{}]*)\},?(.*)$') {
        $entry = $Matches[1]
        $rest = $Matches[2]
        $n++
        $address = if ($entry -match '"Address":"([^"]*)"') { $Matches[1] } else { '' }
        $ours = ($entry -match ('"Thumbprint":"' + [regex]::Escape($Thumbprint) + '"')) -and
            ($entry -match '"CommunicationStyle":(2|"TentacleActive")(,|$)') -and ($entry -match '"SubscriptionId":"poll:')
        if (-not $address) {
            $state.Addressless++
        } elseif ($ours) {
            $state.Ours += $address
            if ($n -eq 1) { $state.FirstOurs = $true }
        } else {
            $state.Others += $address
        }
    }
    $state
}
`

// updatePSSteps is the body of update-tentacle.ps1.
const updatePSSteps = `
if (@('auto', 'always', 'never') -notcontains $Restart) {
    Stop-Update ('TENTACLE_RESTART is ''{0}'': use auto, always or never' -f $Restart)
}
if ($Delay -notmatch '^[0-9]+$') {
    Stop-Update ('TENTACLE_RESTART_DELAY is ''{0}'': give a number of seconds' -f $Delay)
}
$command = Get-Command -Name $Tentacle -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $command) {
    Stop-Update ('Tentacle not found at {0}: set $env:TENTACLE to its path' -f $Tentacle)
}

# 1. The instance: TENTACLE_INSTANCE, else Tentacle (Tentacle's own
# default), else the only instance there is.
$listing = (Get-TentacleOutput @('list-instances', '--format', 'json')).Trim()
$instances = if ($listing) { @($listing | ConvertFrom-Json | ForEach-Object { $_ } | ForEach-Object { $_.InstanceName }) } else { @() }
$names = if ($instances.Count -gt 0) { $instances -join ',' } else { 'none' }
if ($Instance) {
    if (-not (Test-Listed $Instance $instances)) {
        Stop-Update ('this machine has no Tentacle instance {0} (instances: {1})' -f $Instance, $names)
    }
} elseif (Test-Listed 'Tentacle' $instances) {
    $Instance = 'Tentacle'
} elseif ($instances.Count -eq 1) {
    $Instance = $instances[0]
} elseif ($instances.Count -eq 0) {
    Stop-Update 'this machine has no Tentacle instance: the Tentacle was never set up. Register it with the bundle''s tentacle\register.ps1 first.'
} else {
    Stop-Update ('this machine has more than one Tentacle instance ({0}): set $env:TENTACLE_INSTANCE to the one that polls this cluster' -f $names)
}
if ($Instance.Contains('"') -or $Instance.EndsWith('\')) {
    Stop-Update ('the instance name {0} cannot be passed to the scheduled restart: it holds a double quote or ends with a backslash' -f $Instance)
}

# 2. What it polls now, and what is left to do. Nothing changes before
# every check has passed.
$state = Read-Trusted
if ($state.Ours.Count -eq 0) {
    Stop-Update ('Tentacle instance {0} does not poll this cluster: it trusts no polling entry with thumbprint {1}. Register it first with the bundle''s tentacle\register.ps1 (which needs the API key); this script moves registered Tentacles only.' -f $Instance, $Thumbprint)
}
$missing = @($Addresses | Where-Object { -not (Test-Listed $_ $state.Ours) })
$stale = @($state.Ours | Where-Object { -not (Test-Listed $_ $Addresses) })
if ($missing.Count -gt 0 -and -not $state.FirstOurs) {
    Stop-Update ('the first server Tentacle instance {0} trusts is not this cluster, and poll-server --reuse-server-thumbprint copies the identity of the first one. Nothing was changed. Update this Tentacle with the new plan''s tentacle\register.ps1 and $env:TENTACLE_PRUNE=1 instead (it needs the API key).' -f $Instance)
}
if ($stale.Count -gt 0 -and $state.Addressless -gt 0) {
    Stop-Update ('not removing {0}: Tentacle instance {1} also trusts a server without an address (a listening trust, added by configure --trust), and clear-trusted-servers fails on those. Nothing was changed. Remove that trust first (Tentacle.exe configure --instance {1} --remove-trust THUMBPRINT), then run this script again.' -f ($stale -join ', '), $Instance)
}

# 3. Every new address, under the identity the Tentacle already has.
foreach ($address in $missing) {
    Invoke-Tentacle @('poll-server', '--instance', $Instance, '--reuse-server-thumbprint', '--server-comms-address', $address)
}

# 4. Only once every new address is trusted: this cluster's addresses the
# new plan no longer lists go, every other server's entries stay, and the
# Tentacle never ends up trusting nothing.
if ($stale.Count -gt 0) {
    $state = Read-Trusted
    foreach ($address in $Addresses) {
        if (-not (Test-Listed $address $state.Ours)) { Stop-Update ('after poll-server, {0} is still not trusted: run this script again' -f $address) }
    }
    $keep = (@($Addresses) + @($state.Others)) -join ','
    Invoke-Tentacle @('clear-trusted-servers', '--instance', $Instance, '--keep', $keep)
}
$state = Read-Trusted
foreach ($address in $Addresses) {
    if (-not (Test-Listed $address $state.Ours)) { Stop-Update ('after the update, {0} is not trusted: run this script again' -f $address) }
}
foreach ($address in $state.Ours) {
    if (-not (Test-Listed $address $Addresses)) { Stop-Update ('after the update, {0} is still trusted: run this script again' -f $address) }
}

# 5. The service reads the trusted servers when it starts. The restart is
# detached, a one-shot scheduled task, so that it outlives this script:
# inside an Octopus task the Tentacle runs this script, and stopping the
# Tentacle directly would end the script before the start.
$changed = ($missing.Count + $stale.Count) -gt 0
$result = 'not-needed'
if ($Restart -eq 'always' -or ($Restart -eq 'auto' -and $changed)) {
    $exe = $command.Source
    $arguments = 'service --instance "{0}" --stop --start' -f $Instance
    $at = (Get-Date).AddSeconds([int]$Delay)
    $taskName = 'Tentacle HA Wizard restart ' + ($Instance -replace '[^A-Za-z0-9._-]', '-')
    Write-Host ('==> scheduled task {0} at {1:s}: {2} {3}' -f $taskName, $at, $exe, $arguments)
    try {
        $action = New-ScheduledTaskAction -Execute $exe -Argument $arguments
        $trigger = New-ScheduledTaskTrigger -Once -At $at
        $trigger.EndBoundary = $at.AddMinutes(10).ToString('s')
        $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
        $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -DeleteExpiredTaskAfter (New-TimeSpan -Minutes 1) -ExecutionTimeLimit (New-TimeSpan -Minutes 10)
        Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
    } catch {
        Stop-Update ('the trusted servers are updated, but the restart could not be scheduled ({0}). Run this script again with $env:TENTACLE_RESTART=''always'', or restart the Tentacle yourself: & ''{1}'' {2}' -f $_, $exe, $arguments)
    }
    Write-Host ('    the Tentacle restarts in {0} seconds, after this script has ended' -f $Delay)
    $result = 'scheduled'
} elseif ($changed) {
    $result = 'skipped'
}
[Console]::Out.WriteLine('{"ok":true,"added":' + (ConvertTo-JsonList $missing) + ',"removed":' + (ConvertTo-JsonList $stale) + ',"restart":"' + $result + '"}')
`
