package bundle_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// regAPIKeyLiteral is what a pasted Octopus API key looks like.
var regAPIKeyLiteral = regexp.MustCompile(`API-[A-Za-z0-9]{8,}`)

// TestRegisterScriptText reads both scripts the way a reviewer would: one
// registration with --comms-style TentacleActive at the first address,
// poll-server in a loop over exactly the plan's addresses, the service
// installed, stopped and started (never --restart), the key only ever a
// variable, and no --reset-trust.
func TestRegisterScriptText(t *testing.T) {
	for _, name := range caseNames(t) {
		p := mustCase(t, name).Normalized()
		for _, f := range mustFiles(t, name) {
			switch f.Path {
			case "tentacle/register.sh":
				t.Run(name+"/sh", func(t *testing.T) {
					regCheckScript(t, p, wantPolls(t, name), string(f.Content), regShCalls(string(f.Content)), `$OCTOPUS_API_KEY`)
				})
			case "tentacle/register.ps1":
				t.Run(name+"/ps1", func(t *testing.T) {
					regCheckScript(t, p, wantPolls(t, name), string(f.Content), regPSCalls(string(f.Content)), `$ApiKey`)
				})
			}
		}
	}
}

// TestRegisterScriptQuoting: values full of shell and PowerShell syntax
// reach Tentacle as the plan has them.
func TestRegisterScriptQuoting(t *testing.T) {
	p := mustCase(t, "unique-port-all-kinds")
	p.Tentacle.Instance = `Inst $HOME 'x'`
	p.Tentacle.Name = `web "01" it's $(false) ` + "`id` $env:PATH"
	p.Tentacle.Roles = []string{`r\n|x`, "a;b&c", "@(1)"}
	p.Server.Space = `Space "A" {0}`
	p = p.Normalized()
	for _, tt := range []struct {
		name  string
		write bundle.Generator
		calls func(string) [][]string
		key   string
	}{
		{"sh", bundle.WriteRegisterSh, regShCalls, `$OCTOPUS_API_KEY`},
		{"ps1", bundle.WriteRegisterPS1, regPSCalls, `$ApiKey`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, p); err != nil {
				t.Fatal(err)
			}
			calls := tt.calls(b.String())
			regCheckScript(t, p, wantPolls(t, "unique-port-all-kinds"), b.String(), calls, tt.key)
			reg := regCallsOf(calls, regRegisterCommand(p))[0]
			if got := regOptionValue(reg, "--space"); got != p.Server.Space {
				t.Errorf("--space = %q, want %q", got, p.Server.Space)
			}
		})
	}
}

// regCheckScript checks a script for p, whose polling addresses are addrs
// (literals from caseWant, not p.Addresses()).
func regCheckScript(t *testing.T, p plan.Plan, addrs []string, text string, calls [][]string, keyVar string) {
	t.Helper()
	register, other := "register-with", "register-worker"
	if p.Tentacle.Kind == plan.Worker {
		register, other = other, register
	}
	regs := regCallsOf(calls, register)
	if len(regs) != 1 || len(regCallsOf(calls, other)) != 0 {
		t.Fatalf("%d %s and %d %s calls, want 1 and 0", len(regs), register, len(regCallsOf(calls, other)), other)
	}
	want := map[string]string{"--comms-style": "TentacleActive", "--server-comms-address": addrs[0], "--server": p.Server.URL,
		"--server-subscription-id": p.Tentacle.SubscriptionID, "--name": p.Tentacle.Name}
	for opt, v := range want {
		if got := regOptionValue(regs[0], opt); got != v {
			t.Errorf("%s %s = %q, want %q", register, opt, got, v)
		}
	}
	values, listOpt := p.Tentacle.Roles, "--role"
	if p.Tentacle.Kind == plan.Worker {
		values, listOpt = p.Tentacle.WorkerPools, "--workerpool"
	}
	if diff := cmp.Diff(values, regOptionValues(regs[0], listOpt)); diff != "" {
		t.Errorf("%s %s (-want +got):\n%s", register, listOpt, diff)
	}
	polls := regCallsOf(calls, "poll-server")
	if len(polls) != 1 || regOptionValue(polls[0], "--server-comms-address") != "$address" {
		t.Errorf("poll-server calls %q, want one, in the loop over the plan's addresses ($address)", polls)
	}
	if diff := cmp.Diff(addrs, regScriptAddresses(t, text)); diff != "" {
		t.Errorf("the addresses the script polls (-want +got):\n%s", diff)
	}
	for _, c := range calls {
		if slices.Contains(c, "--reset-trust") {
			t.Errorf("%s passes --reset-trust, which deletes the subscription id", c[0])
		}
		if regOptionValue(c, "--instance") != p.Tentacle.Instance {
			t.Errorf("%s --instance = %q, want %q", c[0], regOptionValue(c, "--instance"), p.Tentacle.Instance)
		}
		if k := regOptionValues(c, "--apiKey"); len(k) > 0 && (len(k) != 1 || k[0] != keyVar) {
			t.Errorf("%s --apiKey %q, want only %s", c[0], k, keyVar)
		}
	}
	var noListen int
	for _, c := range regCallsOf(calls, "configure") {
		if regOptionValue(c, "--noListen") == "True" {
			noListen++
		} else if regOptionValue(c, "--app") == "" {
			t.Errorf("configure %q: neither --noListen True nor a new instance's --app", c)
		}
	}
	if noListen != 1 {
		t.Errorf("%d configure calls with --noListen True, want 1", noListen)
	}
	if c := regCallsOf(calls, "service"); len(c) != 1 || !slices.Equal(c[0][len(c[0])-3:], []string{"--install", "--stop", "--start"}) {
		t.Errorf("service calls %q, want one: --install --stop --start", c)
	}
	if regexp.MustCompile(`(?m)^[^#\n]*--restart`).MatchString(text) {
		t.Error("the script uses service --restart, which does nothing for a service that is not installed (or, on Windows, not running)")
	}
	if m := regAPIKeyLiteral.FindString(text); m != "" {
		t.Errorf("the script holds an API key literal %q", m)
	}
}

// regScriptAddresses reads the address list of either script:
// ADDRESSES=(...) in bash, $Addresses = @(...) in PowerShell.
func regScriptAddresses(t *testing.T, text string) []string {
	t.Helper()
	if m := regexp.MustCompile(`(?m)^ADDRESSES=\((.*)\)$`).FindStringSubmatch(text); m != nil {
		return regShWords(m[1])
	}
	if m := regexp.MustCompile(`(?m)^\$Addresses = @(\(.*\))$`).FindStringSubmatch(text); m != nil {
		return regPSTokens(m[1])
	}
	t.Fatal("the script has no address list")
	return nil
}

func regRegisterCommand(p plan.Plan) string {
	if p.Tentacle.Kind == plan.Worker {
		return "register-worker"
	}
	return "register-with"
}

// regCallsOf are the calls of one Tentacle command.
func regCallsOf(calls [][]string, command string) [][]string {
	var out [][]string
	for _, c := range calls {
		if len(c) > 0 && c[0] == command {
			out = append(out, c)
		}
	}
	return out
}

// regOptionValues are the values given for an option, as separate arguments.
func regOptionValues(args []string, name string) []string {
	var out []string
	for i := 0; i+1 < len(args); i++ {
		if args[i] == name {
			out = append(out, args[i+1])
			i++
		}
	}
	return out
}

func regOptionValue(args []string, name string) string {
	v := regOptionValues(args, name)
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// regShCalls lists the Tentacle arguments of every "run STEP ARG..." line,
// with the script's plain NAME=value variables substituted.
func regShCalls(script string) [][]string {
	assignment := regexp.MustCompile(`^[A-Z_]+$`)
	vars := map[string]string{}
	var calls [][]string
	for _, line := range strings.Split(strings.ReplaceAll(script, "\\\n", " "), "\n") {
		words := regShWords(strings.TrimSpace(line))
		if len(words) == 1 {
			if name, value, ok := strings.Cut(words[0], "="); ok && assignment.MatchString(name) {
				vars[name] = value
			}
		}
		if len(words) < 3 || words[0] != "run" {
			continue
		}
		var args []string
		for _, w := range words[2:] {
			if strings.HasPrefix(w, "${") {
				continue // ${force[@]+"${force[@]}"}
			}
			if v, ok := vars[strings.TrimPrefix(w, "$")]; ok && strings.HasPrefix(w, "$") {
				w = v
			}
			args = append(args, w)
		}
		calls = append(calls, args)
	}
	return calls
}

// regShWords splits a line into words as bash would, with quotes removed and
// no expansion: "$X" stays $X.
func regShWords(line string) []string {
	var words []string
	var w strings.Builder
	in := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				words, in = append(words, w.String()), false
				w.Reset()
			}
			continue
		case c == '#' && !in:
			return words
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				w.WriteByte(line[i])
			}
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
		default:
			w.WriteByte(c)
		}
		in = true
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// regPSCalls lists the arguments of every Invoke-Tentacle call: the strings
// and variables inside its parentheses, with the script's $Name = '...'
// variables substituted and $force left out.
func regPSCalls(script string) [][]string {
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\$(\w+) = ('(?:[^']|'')*')$`).FindAllStringSubmatch(script, -1) {
		vars[m[1]] = regPSTokens(m[2])[0]
	}
	var calls [][]string
	for _, part := range strings.Split(script, "Invoke-Tentacle ")[1:] {
		if strings.HasPrefix(part, "prints") || strings.HasPrefix(part, "([string]") {
			continue // the comment and the definition
		}
		tokens := regPSTokens(part)
		var args []string
		for _, tok := range tokens[1:] { // tokens[0] is the step
			if v, ok := vars[strings.TrimPrefix(tok, "$")]; ok && strings.HasPrefix(tok, "$") {
				tok = v
			}
			if tok != "$force" {
				args = append(args, tok)
			}
		}
		calls = append(calls, args)
	}
	return calls
}

// regPSTokens reads single-quoted strings and $variables up to the end of
// the first balanced parenthesis group.
func regPSTokens(s string) []string {
	var out []string
	depth, opened := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			var b strings.Builder
			for i++; i < len(s); i++ {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i++
					} else {
						break
					}
				}
				b.WriteByte(s[i])
			}
			out = append(out, b.String())
		case c == '$':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			out = append(out, s[i:j])
			i = j - 1
		case c == '(':
			depth, opened = depth+1, true
		case c == ')':
			depth--
		}
		if opened && depth == 0 {
			break
		}
	}
	return out
}

// TestRegisterShPrintsInLinearTime: run() prints each command by quoting its
// arguments with printf -v, never a subshell per argument (20,000 roles once
// took 372 s to print).
func TestRegisterShPrintsInLinearTime(t *testing.T) {
	var b bytes.Buffer
	if err := bundle.WriteRegisterSh(&b, mustCase(t, "unique-port-all-kinds").Normalized()); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?ms)^run\(\) \{\n(.*?)\n\}`).FindStringSubmatch(b.String())
	if m == nil {
		t.Fatal("register.sh has no run() function")
	}
	if strings.Contains(m[1], "$(") || strings.Contains(m[1], "`") {
		t.Errorf("run() starts a subshell:\n%s", m[1])
	}
	if !strings.Contains(m[1], "printf -v") {
		t.Errorf("run() does not quote with printf -v:\n%s", m[1])
	}
}
