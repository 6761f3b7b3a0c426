package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// psVars are the script variables that hold the registration's run-time values.
var psVars = map[Var]string{
	VarInstance: "$Instance", VarServer: "$Server", VarAPIKey: "$ApiKey",
	VarSubscription: "$SubscriptionId", VarConfig: "$ConfigFile", VarAppDir: "$AppDir",
	VarKeep: "$keep", VarAddress: "$address", VarSpace: "$Space", VarName: "$Name",
}

// psArgs renders arguments as PowerShell array items.
func psArgs(args []Arg) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if a.Var != Literal {
			parts[i] = psVars[a.Var]
		} else {
			parts[i] = PS(a.Text)
		}
	}
	return strings.Join(parts, ", ")
}

// psAnyName sets $Name in register-any.ps1.
func psAnyName(anyMachine bool) string {
	if !anyMachine {
		return ""
	}
	return "$Name = if ($env:TENTACLE_NAME) { $env:TENTACLE_NAME } else { $env:COMPUTERNAME } # the machine name in Octopus\n"
}

// psAdoptID takes, for a machine registered before, the subscription id
// Tentacle gave it (register-any passes none).
const psAdoptID = `if (-not $SubscriptionId -and @($state.Ours).Count -gt 0 -and $state.Ours[0].SubscriptionId) {
    $SubscriptionId = $state.Ours[0].SubscriptionId
    $state = Read-Trusted $configuration
}
`

// psSpace assigns $Space when the plan names a space.
func psSpace(p plan.Plan) string {
	if p.Server.Space == "" {
		return ""
	}
	return "$Space = " + PS(p.Server.Space) + "\n"
}

// regWindowsService is the Windows service of an instance (ServiceName.cs).
func regWindowsService(instance string) string {
	if instance == plan.DefaultTentacleInstance {
		return "OctopusDeploy Tentacle"
	}
	return "OctopusDeploy Tentacle: " + instance
}

// psRun writes Invoke-Tentacle STEP @(ARG, ...) with one group of arguments
// a line; step is a PowerShell expression ("" for the command's own step
// name) and tail follows the array (then wrapped in parentheses).
func psRun(b *strings.Builder, indent, step string, c Command, tail string) {
	if step == "" {
		step = PS(c.Step)
	}
	open, closing := "@(", ")"
	if tail != "" {
		open, closing = "(@(", ")"+tail+")"
	}
	fmt.Fprintf(b, "%sInvoke-Tentacle %s %s\n", indent, step, open)
	for i, g := range c.Groups {
		sep := ","
		if i == len(c.Groups)-1 {
			sep = ""
		}
		fmt.Fprintf(b, "%s    %s%s\n", indent, psArgs(g), sep)
	}
	fmt.Fprintf(b, "%s%s\n", indent, closing)
}

// WriteRegisterPS1 writes tentacle/register.ps1 for a Windows Tentacle: the
// steps of Registration in PowerShell, every Tentacle call checked through
// $LASTEXITCODE, and just as safe to run again.
func WriteRegisterPS1(w io.Writer, p plan.Plan) error { return writeRegisterPS1(w, p, false) }

// WriteRegisterAnyPS1 writes tentacle/register-any.ps1 of a fleet, as
// WriteRegisterAnySh does register-any.sh: the machine named after its
// computer name (or $env:TENTACLE_NAME), the subscription id Tentacle's own.
func WriteRegisterAnyPS1(w io.Writer, p plan.Plan) error { return writeRegisterPS1(w, p, true) }

func writeRegisterPS1(w io.Writer, p plan.Plan, anyMachine bool) error {
	polls := p.Addresses()
	if len(polls) == 0 {
		return errRegNoPolls
	}
	t, reg := p.Tentacle, RegistrationOf(p)
	name := PS(t.Name)
	if anyMachine {
		reg, name = RegistrationOfAny(p), "$Name"
		p.Tentacle.Name, p.Tentacle.SubscriptionID, p.Tentacle.OS = anyName, "", plan.Windows
		t = p.Tentacle
	}
	quoted := make([]string, len(polls))
	for i, a := range polls {
		quoted[i] = PS(a)
	}
	var b strings.Builder
	regSummary(&b, p)
	b.WriteString(`# Usage, in an elevated Windows PowerShell 5.1 or PowerShell 7, with Tentacle
# 8.1.1617 or later installed:
#   powershell -ExecutionPolicy Bypass -File .\register.ps1
#       asks for the Octopus API key (input hidden), or takes $env:OCTOPUS_API_KEY
`)
	b.WriteString(binaryScriptHeader(plan.Windows, anyMachine) + "#\n")
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
%s$Thumbprint = %s
$SubscriptionId = %s
$Addresses = @(%s)
%s`, PS(t.ConfigPath()), PS(t.Instance), PS(regWindowsService(t.Instance)), PS(p.Server.URL), psSpace(p), PS(p.Server.Thumbprint), PS(t.SubscriptionID), strings.Join(quoted, ", "), psAnyName(anyMachine))
	b.WriteString(regPSFunctions)
	b.WriteString(`
# 1. The instance: create it unless list-instances shows it (-contains
# ignores case, as Tentacle does when it matches instance names).
$listed = (Get-TentacleOutput 'list-instances' @('list-instances', '--format', 'json')).Trim()
$names = if ($listed) { @($listed | ConvertFrom-Json | ForEach-Object { $_ } | ForEach-Object { $_.InstanceName }) } else { @() }
if ($names -contains $Instance) {
    Write-Host '    the instance exists: keeping its configuration file'
} else {
`)
	psRun(&b, "    ", "", reg.CreateInstance(), "")
	psRun(&b, "    ", "", reg.AppDir(), "")
	b.WriteString(`}

# 2. Its certificate (an existing one is kept).
`)
	psRun(&b, "", "", reg.NewCertificate(), "")
	b.WriteString("\n" + regStateComment(t))
	b.WriteString(`$configuration = Get-TentacleOutput 'show-configuration' @(` + psArgs(reg.ShowConfiguration(true).Args()) + `)
$state = Read-Trusted $configuration
if ($state.Addressless -gt 0) {
    Stop-Script 'this Tentacle trusts a server without an address: it listens for that server. Turning listening off for polling would cut that server off; register polling in a separate instance (tentacle.instance in the plan).'
}

# Polling mode: --noListen takes a value. Never --reset-trust: it deletes
# the subscription id the nodes know this Tentacle by.
`)
	psRun(&b, "", "", reg.Configure(false), "")
	if c, ok := reg.PollingConnections(); ok {
		psRun(&b, "", "", c, "")
	}
	b.WriteString("\n")
	if anyMachine {
		b.WriteString(psAdoptID)
	}
	b.WriteString(`$registered = $false
foreach ($entry in $state.Ours) {
    if ($entry.SubscriptionId -eq $SubscriptionId.ToLowerInvariant()) {
        $registered = $true
    } elseif ($entry.SubscriptionId) {
        Stop-Script ("this Tentacle already polls {0} as {1}, but the plan says {2}. Set tentacle.subscriptionId to {1} in plan.json and generate the bundle again (or run the wizard's register command, which offers it); a second id would orphan the other entries." -f $entry.Address, $entry.SubscriptionId, $SubscriptionId)
    }
}

$force = @()
if ($env:TENTACLE_FORCE_REGISTER -eq '1') {
    $registered = $false
    $force = @('--force')
} elseif (-not $registered -and $configuration.Contains('"DisplayName"')) {
`)
	fmt.Fprintf(&b, "    Write-Host %s\n", PS(fmt.Sprintf("    Octopus already has a %s with this Tentacle's certificate: registering again with --force updates it", regKindNoun(t))))
	b.WriteString(`    $force = @('--force')
} elseif ($registered -and -not $configuration.Contains('"DisplayName"')) {
`)
	fmt.Fprintf(&b, "    Write-Host %s\n", PS(fmt.Sprintf("    Octopus has no %s with this Tentacle's certificate (the XML was pasted by hand, or the machine was deleted in Octopus): registering again, updating a %s of the same name if there is one", regKindNoun(t), regKindNoun(t))))
	b.WriteString(`    $registered = $false
    $force = @('--force')
}
if (-not $registered) {
`)
	psRun(&b, "    ", "", reg.Register(polls[0]), " + $force")
	if anyMachine {
		b.WriteString(`    $configuration = Get-TentacleOutput 'show-configuration' @(` + psArgs(reg.ShowConfiguration(false).Args()) + `)
    $state = Read-Trusted $configuration
` + psAdoptID)
	} else {
		b.WriteString(`    $state.Trusted += ` + PS(strings.ToLower(polls[0])) + `
`)
	}
	b.WriteString(`} else {
    Write-Host ('    registered already as {0}, and known to Octopus' -f $SubscriptionId)
}

# 4. Every address of the plan not yet trusted, the first one included:
# poll-server takes the subscription id the Tentacle already has.
foreach ($address in $Addresses) {
    if ($state.Trusted -contains $address) {
        Write-Host ('    {0} is trusted already' -f $address)
    } else {
`)
	psRun(&b, "        ", "", reg.PollServer(), "")
	b.WriteString(`    }
}

# 5. Only now that every plan address is trusted, and only on request: stop
# trusting this cluster's addresses that the plan no longer lists. Other
# servers' entries are kept. clear-trusted-servers throws on a trusted
# server without an address (a listening trust), so that stops the pruning.
$state = Read-Trusted (Get-TentacleOutput 'show-configuration' @(` + psArgs(reg.ShowConfiguration(false).Args()) + `))
foreach ($address in $Addresses) {
    if ($state.Trusted -notcontains $address) {
        Stop-Script ('after registering, {0} is still not trusted: run this script again' -f $address)
    }
}
$stale = @($state.Ours | ForEach-Object { $_.Address } | Where-Object { $Addresses -notcontains $_ })
if ($env:TENTACLE_PRUNE -eq '1' -and $stale.Count -gt 0) {
    if ($state.Addressless -gt 0) {
        Stop-Script ('not removing {0}: this Tentacle also trusts a server without an address (a listening trust, added by configure --trust), and clear-trusted-servers fails on those. Remove that trust first (configure --remove-trust=THUMBPRINT), then run this script again.' -f ($stale -join ', '))
    }
    $keep = (@($Addresses) + @($state.Others)) -join ','
`)
	psRun(&b, "    ", "", reg.ClearTrustedServers(), "")
	b.WriteString(`} elseif ($stale.Count -gt 0) {
    Write-Host ('    also trusted, not in the plan: {0} ($env:TENTACLE_PRUNE=1 removes them)' -f ($stale -join ', '))
}

# 6. The service reads the trusted servers when it starts. --install
# --stop --start installs or reconfigures it and (re)starts it whatever
# state it was in; service --restart would do nothing for a service that is
# not installed or not running, and still report success.
`)
	psRun(&b, "", "", reg.Service(), "")
	b.WriteString(`# Tentacle only logs a service that fails to start: ask Windows.
$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if (-not $service -or $service.Status -ne 'Running') {
    Stop-Script ("the service {0} is not running after service --install --stop --start: see the Tentacle log in the instance's Logs folder" -f $ServiceName)
}
`)
	fmt.Fprintf(&b, `
Write-Host ''
Write-Host ('Done: {0} polls %s as {1}.' -f %s, $SubscriptionId)
`, regCount(len(polls), "address", "addresses"), name)
	_, err := io.WriteString(w, PSScript(b.String()))
	return err
}
