package bundle

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

# Read-Trusted reads the trusted servers from show-configuration's output,
# whether the setting is printed as a JSON array or as a string holding one:
# Ours (this cluster's polling entries: Address and SubscriptionId in lower
# case), Trusted (their addresses under the plan's subscription id), Others
# (other servers' addresses as Tentacle has them: clear-trusted-servers
# --keep compares them exactly), Addressless (listening trusts).
function Read-Trusted([string]$Text) {
    $flat = $Text -replace '\\"', '"' -replace '\s', ''
    $state = [pscustomobject]@{ Ours = @(); Trusted = @(); Others = @(); Addressless = 0 }
    foreach ($match in [regex]::Matches($flat, '(?i)\{("thumbprint"[^{}]*)\}')) {
        $entry = $match.Groups[1].Value
        $thumb = if ($entry -match '"thumbprint":"([^"]*)"') { $Matches[1].ToLowerInvariant() } else { '' }
        $address = if ($entry -match '"address":"([^"]*)"') { $Matches[1] } else { '' }
        $id = if ($entry -match '"subscriptionid":"([^"]*)"') { $Matches[1].ToLowerInvariant() } else { '' }
        if (-not $address) {
            $state.Addressless++
        } elseif ($thumb -ne $Thumbprint.ToLowerInvariant()) {
            $state.Others += $address
        } elseif ($entry -match '"communicationstyle":(2|"tentacleactive")(,|$)') {
            $state.Ours += [pscustomobject]@{ Address = $address.ToLowerInvariant(); SubscriptionId = $id }
            if ($id -eq $SubscriptionId.ToLowerInvariant()) { $state.Trusted += $address.ToLowerInvariant() }
        }
    }
    $state
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
