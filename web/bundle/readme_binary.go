package bundle

import (
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// binaryStep tells how to check and register with the tentacle-ha binary
// (make dist's archive for the Tentacle host's OS) instead of the script:
// the same steps, with the preflight checks first. Nothing from the plan
// is written here but its OS.
func binaryStep(r *mdWriter, p plan.Plan) {
	r.p("Or use the `tentacle-ha` binary instead of the script: it checks the nodes first, then runs the same steps one at a time. Download the archive for the Tentacle host (%s), check it against `SHA256SUMS` and, in this folder:", binaryArchives(p.Tentacle.OS))
	r.p("")
	if p.Tentacle.OS == plan.Windows {
		r.p("```powershell")
	} else {
		r.p("```bash")
	}
	for _, line := range BinaryCommands(p.Tentacle.OS) {
		r.p("%s", line)
	}
	r.p("```")
	r.p("")
}

// binaryArchives names the release archives for a Tentacle host's OS.
func binaryArchives(os string) string {
	if os == plan.Windows {
		return "`tentacle-ha_<version>_windows_amd64.zip`"
	}
	return "`tentacle-ha_<version>_linux_amd64.tar.gz`, or `linux_arm64` on ARM"
}

// BinaryCommands are the lines that unpack tentacle-ha next to plan.json,
// ask for the API key without echoing it or keeping it in the shell's
// history, and run check and register: Windows PowerShell (elevated) or a
// Linux shell. The review page shows them too.
func BinaryCommands(os string) []string {
	if os == plan.Windows {
		return []string{
			`Expand-Archive (Resolve-Path tentacle-ha_*_windows_amd64.zip) -DestinationPath . -Force`,
			`Copy-Item tentacle-ha_*_windows_amd64\tentacle-ha.exe .`,
			`$env:OCTOPUS_API_KEY = [Net.NetworkCredential]::new('', (Read-Host 'Octopus API key' -AsSecureString)).Password`,
			`.\tentacle-ha.exe check -plan plan.json`,
			`.\tentacle-ha.exe register -plan plan.json`,
		}
	}
	return []string{
		`tar -xzf tentacle-ha_*_linux_amd64.tar.gz --strip-components=1 --wildcards '*/tentacle-ha'  # linux_arm64 on ARM`,
		`read -rsp 'Octopus API key: ' OCTOPUS_API_KEY && export OCTOPUS_API_KEY && echo`,
		`./tentacle-ha check -plan plan.json`,
		`sudo --preserve-env=OCTOPUS_API_KEY ./tentacle-ha register -plan plan.json`,
	}
}

// binaryScriptHeader is the scripts' note on the binary: two comment
// lines; none in a fleet's register-any script, which the binary does not
// replace (it registers the plan's one machine).
func binaryScriptHeader(os string, anyMachine bool) string {
	if anyMachine {
		return ""
	}
	exe := "./tentacle-ha"
	if os == plan.Windows {
		exe = `.\tentacle-ha.exe`
	}
	return strings.Join([]string{
		"# Or, checking the nodes first, the tentacle-ha binary for this OS (README.md,",
		"# step Register; not for a fleet's machines): " + exe + " check -plan plan.json, then register.",
	}, "\n") + "\n"
}
