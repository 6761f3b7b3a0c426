package plan_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// ps51CommandLine builds the command line Windows PowerShell 5.1 (and 7.0
// to 7.2, $PSNativeCommandArgumentPassing = 'Legacy') passes to
// CreateProcess for & $exe @args: the arguments joined by spaces, an empty
// one dropped, one that needs quotes (NeedQuotes in
// NativeCommandParameterBinder.cs) wrapped in double quotes, nothing inside
// escaped.
func ps51CommandLine(exe string, args []string) string {
	parts := []string{`"` + exe + `"`}
	for _, a := range args {
		switch {
		case a == "":
			continue
		case ps51NeedQuotes(a):
			a = `"` + a + `"`
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// ps51NeedQuotes: whitespace (char.IsWhiteSpace, which unicode.IsSpace
// matches closely) outside what PowerShell takes for a quoted part.
func ps51NeedQuotes(s string) bool {
	afterBackslash, quotes := false, 0
	for _, r := range s {
		if r == '"' && !afterBackslash {
			quotes++
		} else if unicode.IsSpace(r) && quotes%2 == 0 {
			return true
		}
		afterBackslash = r == '\\'
	}
	return false
}

// commandLineToArgv splits a command line by the documented MSVC and
// CommandLineToArgvW rules: the program name ends at the first space
// outside quotes and knows no escapes; then arguments are separated by
// spaces or tabs outside quotes; 2n backslashes before a quote give n
// backslashes and the quote opens or closes quoting, 2n+1 give n and a
// literal quote; backslashes before anything else stay; "" inside quotes
// is a literal quote and quoting goes on.
func commandLineToArgv(line string) []string {
	var argv []string
	i := 0
	var prog strings.Builder
	for inQuotes := false; i < len(line); i++ {
		c := line[i]
		if c == '"' {
			inQuotes = !inQuotes
			continue
		}
		if !inQuotes && (c == ' ' || c == '\t') {
			break
		}
		prog.WriteByte(c)
	}
	argv = append(argv, prog.String())
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return argv
		}
		var arg strings.Builder
		inQuotes := false
		for i < len(line) {
			c := line[i]
			if c == '\\' {
				n := 0
				for i < len(line) && line[i] == '\\' {
					n++
					i++
				}
				if i < len(line) && line[i] == '"' {
					arg.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						arg.WriteByte('"')
						i++
					}
					continue
				}
				arg.WriteString(strings.Repeat(`\`, n))
				continue
			}
			if c == '"' {
				if inQuotes && i+1 < len(line) && line[i+1] == '"' {
					arg.WriteByte('"')
					i += 2
					continue
				}
				inQuotes = !inQuotes
				i++
				continue
			}
			if !inQuotes && (c == ' ' || c == '\t') {
				break
			}
			arg.WriteByte(c)
			i++
		}
		argv = append(argv, arg.String())
	}
}

func TestCommandLineToArgvRules(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`"C:\Program Files\T.exe" a b`, []string{`C:\Program Files\T.exe`, "a", "b"}},
		{`t "a b" c`, []string{"t", "a b", "c"}},
		{`t a\\b`, []string{"t", `a\\b`}},
		{`t a\"b`, []string{"t", `a"b`}},
		{`t a\\"b c"`, []string{"t", `a\b c`}},
		{`t "a b\"`, []string{"t", `a b"`}},
		{`t "a""b" c`, []string{"t", `a"b`, "c"}},
		{`t "a""b c"`, []string{"t", `a"b c`}},
		{"t a\tb", []string{"t", "a", "b"}},
		{`t "build 07" --server https://x --policy "P"`, []string{"t", "build 07", "--server", "https://x", "--policy", "P"}},
	}
	for _, tt := range tests {
		if got := commandLineToArgv(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("commandLineToArgv(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestNativeArgumentsRoundTrip shows that every value validation accepts
// reaches Tentacle.exe as the one argument it was, through Windows
// PowerShell 5.1's command line and the Windows argument rules, and that
// the values it refuses really would not.
func TestNativeArgumentsRoundTrip(t *testing.T) {
	tests := []struct {
		value    string
		accepted bool
		breaks   bool // the argv would differ
	}{
		{"web01", true, false},
		{"Default Machine Policy", true, false},
		{`build 07" --server https://attacker.example --policy "Default Machine Policy`, false, true},
		{`a"b`, false, true},
		{`"quoted whole"`, false, true},
		{`C:\dir with space\`, false, true},
		{`with space\\`, false, true},
		{`ends\`, false, false}, // no space, so not quoted: refused all the same
		{`a\b c`, true, false},
		{`a\\ b`, true, false},
		{`\\server\share x`, true, false},
		{"Zürich Nord", true, false},
		{"non\u00a0breaking", true, false},
		{"ideographic\u3000space", true, false},
		{"$(id) `n ' ; & |", true, false},
		{"“typographic” ‘quotes’", true, false},
		{"--server", true, false}, // Validate refuses a leading '-' elsewhere
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			if got := plan.NativeArgProblem(tt.value) == ""; got != tt.accepted {
				t.Errorf("NativeArgProblem(%q) accepts = %v, want %v", tt.value, got, tt.accepted)
			}
			args := []string{"register-with", "--instance", "Tentacle", "--name", tt.value, "--policy", tt.value, "--server", "https://octopus.example.com"}
			line := ps51CommandLine(`C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe`, args)
			got := commandLineToArgv(line)[1:]
			if breaks := !slices.Equal(got, args); breaks != tt.breaks {
				t.Errorf("command line %s\ngives %q\nwant %q (breaks = %v, want %v)", line, got, args, breaks, tt.breaks)
			}
		})
	}
}

// TestValidateRefusesNativeArgumentQuotes names each field that reaches a
// native command: on a Windows Tentacle every value register.ps1 passes to
// Tentacle.exe, and always server.instance (the node scripts).
func TestValidateRefusesNativeArgumentQuotes(t *testing.T) {
	const bad = `x" --server https://attacker.example --policy "y`
	set := map[string]func(p *plan.Plan){
		"server.url":               func(p *plan.Plan) { p.Server.URL = "https://octopus.example.com/" + bad },
		"server.space":             func(p *plan.Plan) { p.Server.Space = bad },
		"server.instance":          func(p *plan.Plan) { p.Server.Instance = bad },
		"tentacle.instance":        func(p *plan.Plan) { p.Tentacle.Instance = bad },
		"tentacle.name":            func(p *plan.Plan) { p.Tentacle.Name = bad },
		"tentacle.policy":          func(p *plan.Plan) { p.Tentacle.Policy = bad },
		"tentacle.environments[0]": func(p *plan.Plan) { p.Tentacle.Environments = []string{bad} },
		"tentacle.roles[0]":        func(p *plan.Plan) { p.Tentacle.Roles = []string{bad} },
		"tentacle.tenants[0]":      func(p *plan.Plan) { p.Tentacle.Tenants = []string{bad} },
		"tentacle.tenantTags[0]":   func(p *plan.Plan) { p.Tentacle.TenantTags = []string{"Region/" + bad} },
		"tentacle.workerPools[0]": func(p *plan.Plan) {
			p.Tentacle.Kind, p.Tentacle.WorkerPools = plan.Worker, []string{bad}
			p.Tentacle.Environments, p.Tentacle.Roles = nil, nil
		},
	}
	for field, f := range set {
		for _, os := range []string{plan.Windows, plan.Linux} {
			t.Run(fmt.Sprintf("%s/%s", field, os), func(t *testing.T) {
				p := validPlan()
				p.Tentacle.OS = os
				f(&p)
				found := false
				for _, pr := range p.Validate().Errors() {
					if pr.Field == field && strings.Contains(pr.Message, "Windows command line") {
						found = true
					}
				}
				want := os == plan.Windows || field == "server.instance"
				if found != want {
					t.Errorf("Validate() has the native-argument error on %s = %v, want %v: %v", field, found, want, p.Validate())
				}
			})
		}
	}
}
