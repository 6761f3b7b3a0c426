package plan

import (
	"fmt"
	"strings"
)

// Windows PowerShell 5.1 (and PowerShell 7.0 to 7.2) builds a native
// command's command line by joining the arguments with spaces, wrapping an
// argument that holds whitespace in double quotes and escaping nothing
// inside it. Tentacle.exe and Octopus.Server.exe split that line again by
// the CommandLineToArgvW rules, so a '"' in a value ends the quoted
// argument early and the rest of the value becomes options of its own
// (another --server, say), and a final '\' escapes the closing quote and
// joins the next argument. Rather than pre-escape for one PowerShell
// version and break another, a value that reaches a native command on
// Windows may hold neither.

// NativeArgProblem says why s cannot be passed to a native Windows command
// by PowerShell unchanged, or returns "".
func NativeArgProblem(s string) string {
	switch {
	case strings.Contains(s, `"`):
		return `it contains a double quote ("), which Windows PowerShell 5.1 passes to the command unescaped, so the rest of the value would become options of its own`
	case strings.HasSuffix(s, `\`):
		return `it ends with a backslash (\), which would escape the closing quote Windows PowerShell 5.1 puts around a value with a space and run it into the next option`
	}
	return ""
}

// windows refuses values that reach Tentacle.exe (register.ps1, on a
// Windows Tentacle) or Octopus.Server.exe (the node scripts, always on
// Windows) through PowerShell and cannot arrive there intact.
func (v *validator) windows() {
	p := v.p
	v.nativeArg("server.instance", "The Octopus Server instance name", p.Server.Instance)
	if p.Tentacle.OS != Windows {
		return
	}
	t := p.Tentacle
	v.nativeArg("server.url", "The server address", p.Server.URL)
	v.nativeArg("server.space", "The space", p.Server.Space)
	v.nativeArg("tentacle.instance", "The Tentacle instance name", t.Instance)
	v.nativeArg("tentacle.name", "The machine name", t.Name)
	v.nativeArg("tentacle.policy", "The machine policy", t.Policy)
	v.nativeArg("tentacle.tenantedDeploymentParticipation", "The tenanted deployment participation", t.TenantedDeploymentParticipation)
	lists := []struct {
		field, label string
		items        []string
	}{
		{"tentacle.environments", "This environment", t.Environments},
		{"tentacle.roles", "This role", t.Roles},
		{"tentacle.tenants", "This tenant", t.Tenants},
		{"tentacle.tenantTags", "This tenant tag", t.TenantTags},
		{"tentacle.workerPools", "This worker pool", t.WorkerPools},
	}
	for _, l := range lists {
		for i, s := range l.items {
			v.nativeArg(fmt.Sprintf("%s[%d]", l.field, i), l.label, s)
		}
	}
}

func (v *validator) nativeArg(field, label, s string) {
	if why := NativeArgProblem(s); why != "" {
		v.errorf(field, "%s is passed to a Windows command line, but %s. Remove it.", label, why)
	}
}
