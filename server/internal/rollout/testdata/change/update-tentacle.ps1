# Stand-in for a change pack's change/update-tentacle.ps1, for the rollout
# tests only: the fake Octopus records PowerShell bodies without running them.
$ErrorActionPreference = 'Stop'
$tentacle = 'C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe'
foreach ($address in 'https://lb.example.com:10943', 'https://lb.example.com:10945') {
    & $tentacle poll-server --instance Tentacle --reuse-server-thumbprint --server-comms-address $address
    if ($LASTEXITCODE -ne 0) { throw "poll-server $address failed ($LASTEXITCODE)" }
}
& $tentacle clear-trusted-servers --instance Tentacle --keep 'https://lb.example.com:10943,https://lb.example.com:10945'
'{"ok":true}'
