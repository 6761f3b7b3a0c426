package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// regWindowsService is the Windows service of an instance (ServiceName.cs).
func regWindowsService(instance string) string {
	if instance == plan.DefaultTentacleInstance {
		return "OctopusDeploy Tentacle"
	}
	return "OctopusDeploy Tentacle: " + instance
}

// regPSCall writes Invoke-Tentacle STEP @(ARG, ...) with one group of
// arguments a line; tail follows the closing parenthesis.
func regPSCall(b *strings.Builder, indent, step string, groups []string, tail string) {
	open := "@("
	if tail != "" {
		open = "(@("
	}
	fmt.Fprintf(b, "%sInvoke-Tentacle %s %s\n", indent, PS(step), open)
	for i, g := range groups {
		sep := ","
		if i == len(groups)-1 {
			sep = ""
		}
		fmt.Fprintf(b, "%s    %s%s\n", indent, g, sep)
	}
	fmt.Fprintf(b, "%s)%s\n", indent, tail)
}

// regPSOptions is options as PowerShell array items.
func regPSOptions(opts []regOption) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = PS(o.name) + ", " + PS(o.value)
	}
	return strings.Join(parts, ", ")
}

func regPSPollServer(b *strings.Builder, indent, address string) {
	regPSCall(b, indent, "poll-server "+address, []string{
		`'poll-server', '--instance', $Instance`,
		`'--server', $Server, '--apiKey', $ApiKey`,
		`'--server-comms-address', ` + PS(address),
	}, "")
}

// WriteRegisterPS1 writes tentacle/register.ps1 for a Windows Tentacle: the
// steps of register.sh in PowerShell, every Tentacle call checked through
// $LASTEXITCODE, and just as safe to run again.
func WriteRegisterPS1(w io.Writer, p plan.Plan) error {
	polls := p.Addresses()
	if len(polls) == 0 {
		return errRegNoPolls
	}
	t := p.Tentacle
	first, others := polls[0], polls[1:]
	var b strings.Builder
	regSummary(&b, p)
	b.WriteString(`# Usage, in an elevated Windows PowerShell 5.1 or PowerShell 7, with Tentacle
# 8.1.1617 or later installed:
#   powershell -ExecutionPolicy Bypass -File .\register.ps1
#       asks for the Octopus API key (input hidden), or takes $env:OCTOPUS_API_KEY
#
`)
	regEnvironment(&b, p, `Tentacle.exe [C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe]`, t.ConfigPath(), `C:\Octopus\Applications`)
	fmt.Fprintf(&b, `#Requires -RunAsAdministrator

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Tentacle = if ($env:TENTACLE) { $env:TENTACLE } else { 'C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe' }
$ConfigFile = if ($env:TENTACLE_CONFIG) { $env:TENTACLE_CONFIG } else { %s }
$AppDir = if ($env:TENTACLE_APP_DIR) { $env:TENTACLE_APP_DIR } else { 'C:\Octopus\Applications' }

# From plan.json.
$Instance = %s
$ServiceName = %s
$Server = %s
$SubscriptionId = %s
`, PS(t.ConfigPath()), PS(t.Instance), PS(regWindowsService(t.Instance)), PS(p.Server.URL), PS(t.SubscriptionID))
	b.WriteString(regPSFunctions)
	b.WriteString(`
# 1. The instance: create it unless list-instances shows it (-contains
# ignores case, as Tentacle does when it matches instance names).
$listed = (Get-TentacleOutput 'list-instances' @('list-instances', '--format', 'json')).Trim()
$names = if ($listed) { @($listed | ConvertFrom-Json | ForEach-Object { $_ } | ForEach-Object { $_.InstanceName }) } else { @() }
if ($names -contains $Instance) {
    Write-Host "    instance $Instance exists: keeping its configuration file"
} else {
    Invoke-Tentacle 'create-instance' @('create-instance', '--instance', $Instance, '--config', $ConfigFile)
}

# 2. Its certificate (an existing one is kept) and polling mode. --noListen
# takes a value. Never --reset-trust: it deletes the subscription id the
# nodes know this Tentacle by.
Invoke-Tentacle 'new-certificate' @('new-certificate', '--instance', $Instance, '--if-blank')
Invoke-Tentacle 'configure' @('configure', '--instance', $Instance, '--noListen', 'True', '--app', $AppDir)
`)
	if c := t.PollingConnectionCount; c > 0 {
		fmt.Fprintf(&b, "Invoke-Tentacle 'set-polling-connection-count' @('set-polling-connection-count', '--instance', $Instance, '--pollingConnectionCount', '%d')\n", c)
	}
	b.WriteString("\n" + regRerunComment(t))
	b.WriteString(`$configuration = Get-TentacleOutput 'show-configuration' @('show-configuration', '--instance', $Instance)
$force = @()
if ($env:TENTACLE_FORCE_REGISTER -eq '1') { $force = @('--force') }
if (-not $configuration.Contains($SubscriptionId) -or $force.Count -gt 0) {
`)
	groups := []string{
		PS(regCommand(t)) + `, '--instance', $Instance`,
		`'--server', $Server, '--apiKey', $ApiKey`,
		`'--comms-style', 'TentacleActive', '--server-comms-address', ` + PS(first),
		`'--server-subscription-id', $SubscriptionId`,
	}
	for _, g := range regMachineOptions(p) {
		groups = append(groups, regPSOptions(g))
	}
	regPSCall(&b, "    ", regCommand(t)+" "+first, groups, " + $force)")
	b.WriteString("} else {\n    Write-Host \"    registered already as $SubscriptionId\"\n")
	regPSPollServer(&b, "    ", first)
	b.WriteString("}\n")
	for _, a := range others {
		regPSPollServer(&b, "", a)
	}
	b.WriteString(`
# 4. On request, stop trusting addresses that are not in the plan.
if ($env:TENTACLE_PRUNE -eq '1') {
`)
	regPSCall(&b, "    ", "clear-trusted-servers", []string{`'clear-trusted-servers', '--instance', $Instance`, `'--keep', ` + PS(strings.Join(polls, ","))}, "")
	fmt.Fprintf(&b, `}

# 5. The service reads the trusted servers when it starts: install and start
# it the first time, restart it after that.
if (Get-Service -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq $ServiceName }) {
    Invoke-Tentacle 'service --restart' @('service', '--instance', $Instance, '--restart')
} else {
    Invoke-Tentacle 'service --install --start' @('service', '--instance', $Instance, '--install', '--start')
}

Write-Host ''
Write-Host ("Done: {0} polls %s as {1}." -f %s, $SubscriptionId)
`, regCount(len(polls), "address", "addresses"), PS(t.Name))
	_, err := io.WriteString(w, b.String())
	return err
}

// regPSFunctions are the helpers and the checks before the first step.
const regPSFunctions = `
# Stop-Script prints why the script stops, then stops it.
function Stop-Script([string]$Message) {
    [Console]::Error.WriteLine("register.ps1: $Message")
    exit 1
}

# Stop-Step stops the script, naming the step.
function Stop-Step([string]$Step, [int]$ExitCode) {
    Stop-Script "step '$Step' failed (exit $ExitCode). Fix the cause and run this script again: finished steps are skipped or repeated harmlessly."
}

# Invoke-Tentacle prints the Tentacle command line with the API key masked,
# runs it with each argument separate, and stops if it fails. Windows
# PowerShell 5.1 can turn a native command's stderr into errors, which 'Stop'
# would make fatal, so inside the helpers the exit code alone decides.
function Invoke-Tentacle([string]$Step, [string[]]$Arguments) {
    $shown = foreach ($arg in $Arguments) {
        if ($arg -ceq $ApiKey) { 'API-***' } elseif ($arg -match '[\s''"]') { "'" + ($arg -replace "'", "''") + "'" } else { $arg }
    }
    Write-Host "==> $Step"
    Write-Host "    Tentacle $($shown -join ' ')"
    $ErrorActionPreference = 'Continue'
    & $Tentacle @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { Stop-Step $Step $LASTEXITCODE }
}

# Get-TentacleOutput runs a Tentacle command that reads state and returns
# its output as one string.
function Get-TentacleOutput([string]$Step, [string[]]$Arguments) {
    Write-Host "==> $Step"
    $ErrorActionPreference = 'Continue'
    $output = & $Tentacle @Arguments | Out-String
    if ($LASTEXITCODE -ne 0) { Stop-Step $Step $LASTEXITCODE }
    $output
}

if (-not (Get-Command -Name $Tentacle -CommandType Application -ErrorAction SilentlyContinue)) {
    Stop-Script "Tentacle not found at ${Tentacle}: install Tentacle, or set ` + "`" + `$env:TENTACLE to its path"
}

$ApiKey = $env:OCTOPUS_API_KEY
if (-not $ApiKey -and [Environment]::UserInteractive -and -not [Console]::IsInputRedirected) {
    $secure = Read-Host -Prompt "Octopus API key for $Server (input hidden)" -AsSecureString
    $ApiKey = [System.Net.NetworkCredential]::new('', $secure).Password
}
if (-not $ApiKey) {
    Stop-Script 'set $env:OCTOPUS_API_KEY to an Octopus API key, or run this script in a console to be asked for it'
}
`
