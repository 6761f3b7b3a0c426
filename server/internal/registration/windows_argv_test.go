package registration

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// On Windows, os/exec hands CreateProcess one command line that Go builds
// from the argument vector (syscall.makeCmdLine, with syscall.EscapeArg's
// rules); the program splits it back into arguments. Tentacle.exe is a .NET
// program: its Main(string[] args) gets the command line split by the
// Microsoft C runtime's rules, which CommandLineToArgvW shares
// (learn.microsoft.com, "Parsing C++ command-line arguments";
// Environment.GetCommandLineArgs documents the same backslash and quote
// rules). This file checks that every argument vector the driver builds
// from a hostile plan value comes back unchanged through both.

// appendEscapeArg and makeCmdLine are Go's syscall/exec_windows.go, which
// does not build on Linux; TestWindowsCmdLineIsGos compares them with the
// installed Go's source, so a change in Go fails the test instead of
// going unnoticed.
func appendEscapeArg(b []byte, s string) []byte {
	if len(s) == 0 {
		return append(b, `""`...)
	}

	needsBackslash := false
	hasSpace := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\\':
			needsBackslash = true
		case ' ', '\t':
			hasSpace = true
		}
	}

	if !needsBackslash && !hasSpace {
		// No special handling required; normal case.
		return append(b, s...)
	}
	if !needsBackslash {
		// hasSpace is true, so we need to quote the string.
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}

	if hasSpace {
		b = append(b, '"')
	}
	slashes := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		default:
			slashes = 0
		case '\\':
			slashes++
		case '"':
			for ; slashes > 0; slashes-- {
				b = append(b, '\\')
			}
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	if hasSpace {
		for ; slashes > 0; slashes-- {
			b = append(b, '\\')
		}
		b = append(b, '"')
	}

	return b
}

func makeCmdLine(args []string) string {
	var b []byte
	for _, v := range args {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = appendEscapeArg(b, v)
	}
	return string(b)
}

// commandLineToArgv splits a Windows command line as CommandLineToArgvW
// and the C runtime do, written from Microsoft's description, not from
// Go's code:
//   - the program name (first) ends at the first space or tab, or, when it
//     starts with a quotation mark, at the next one; backslashes are
//     literal there;
//   - arguments are separated by spaces and tabs outside quotation marks;
//   - 2n backslashes and a quotation mark: n backslashes, and the mark
//     opens or closes a quoted part; 2n+1 backslashes and a quotation
//     mark: n backslashes and a literal quotation mark;
//   - backslashes not followed by a quotation mark are literal;
//   - inside a quoted part, "" is a literal quotation mark (the C runtime
//     since 2008; Go never writes one, so the older rule would agree).
func commandLineToArgv(line string) []string {
	var args []string
	i := 0
	if strings.HasPrefix(line, `"`) {
		end := strings.IndexByte(line[1:], '"')
		if end < 0 {
			return []string{line[1:]}
		}
		args = append(args, line[1:1+end])
		i = 2 + end
	} else {
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			return []string{line}
		}
		args = append(args, line[:end])
		i = end
	}
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return args
		}
		var arg strings.Builder
		quoted := false
		for i < len(line) {
			c := line[i]
			switch {
			case c == '\\':
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
					continue // an even count leaves the mark to the next turn
				}
				arg.WriteString(strings.Repeat(`\`, n))
			case c == '"':
				if quoted && i+1 < len(line) && line[i+1] == '"' {
					arg.WriteByte('"')
					i += 2
					continue
				}
				quoted = !quoted
				i++
			case (c == ' ' || c == '\t') && !quoted:
				goto done
			default:
				arg.WriteByte(c)
				i++
			}
		}
	done:
		args = append(args, arg.String())
	}
}

// TestWindowsCmdLineIsGos: the copies above are the installed Go's
// syscall.appendEscapeArg and makeCmdLine, statement for statement.
func TestWindowsCmdLineIsGos(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goSrc := filepath.Join(strings.TrimSpace(string(goroot)), "src", "syscall", "exec_windows.go")
	theirs := funcBodies(t, goSrc)
	ours := funcBodies(t, "windows_argv_test.go")
	for _, name := range []string{"appendEscapeArg", "makeCmdLine"} {
		if theirs[name] == "" || theirs[name] != ours[name] {
			t.Errorf("%s differs from %s's: update the copy in windows_argv_test.go\n--- Go's:\n%s\n--- ours:\n%s", name, goSrc, theirs[name], ours[name])
		}
	}
}

// funcBodies prints each function of a Go file without its comments.
func funcBodies(t *testing.T, path string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0) // no comments
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			var b bytes.Buffer
			if err := printer.Fprint(&b, fset, fd); err != nil {
				t.Fatal(err)
			}
			out[fd.Name.Name] = b.String()
		}
	}
	return out
}

// TestCommandLineToArgvOracle checks the oracle against Microsoft's own
// examples (the table of "Parsing C++ command-line arguments").
func TestCommandLineToArgvOracle(t *testing.T) {
	for _, tt := range []struct {
		line string
		want []string
	}{
		{`p "a b c" d e`, []string{"p", "a b c", "d", "e"}},
		{`p "ab\"c" "\\" d`, []string{"p", `ab"c`, `\`, "d"}},
		{`p a\\\b d"e f"g h`, []string{"p", `a\\\b`, "de fg", "h"}},
		{`p a\\\"b c d`, []string{"p", `a\"b`, "c", "d"}},
		{`p a\\\\"b c" d e`, []string{"p", `a\\b c`, "d", "e"}},
		{`p a"b"" c d`, []string{"p", `ab" c d`}},
		{`"C:\Program Files\x\T.exe" x`, []string{`C:\Program Files\x\T.exe`, "x"}},
	} {
		if got := commandLineToArgv(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("commandLineToArgv(%s) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// hostilePayloads reads web/bundle's hostile corpus (NAME "Go string"
// [* COUNT] a line).
func hostilePayloads(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("../../../web/bundle/testdata/hostile/payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		count := 1
		if i := strings.LastIndex(rest, `" * `); i >= 0 {
			c, err := strconv.Atoi(rest[i+4:])
			if err != nil {
				t.Fatalf("payloads.txt: %q: %v", line, err)
			}
			rest, count = rest[:i+1], c
		}
		v, err := strconv.Unquote(rest)
		if err != nil {
			t.Fatalf("payloads.txt: %q: %v", line, err)
		}
		out[name] = strings.Repeat(v, count)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// argvs are every command line the driver can run for p: the commands of
// bundle.Registration with the runner's values, as runner.cmd builds them.
func argvs(r *runner) [][]string {
	p := r.p
	reg := bundle.RegistrationOf(p)
	addrs := p.Addresses()
	cmds := []bundle.Command{reg.ListInstances(), reg.CreateInstance(), reg.NewCertificate(), reg.Configure(true),
		reg.Configure(false), reg.AppDir(), reg.ShowConfiguration(true), reg.ShowConfiguration(false), reg.Register(addrs[0]),
		reg.Service(), reg.ShowThumbprint(), reg.ClearTrustedServers()}
	if c, ok := reg.PollingConnections(); ok {
		cmds = append(cmds, c)
	}
	var out [][]string
	for _, c := range cmds {
		vals := r.vars()
		vals[bundle.VarKeep] = strings.Join(addrs, ",")
		out = append(out, append([]string{r.opt.Tentacle}, c.Argv(vals)...))
	}
	for _, a := range addrs {
		vals := r.vars()
		vals[bundle.VarAddress] = a
		out = append(out, append([]string{r.opt.Tentacle}, reg.PollServer().Argv(vals)...))
	}
	return out
}

// TestWindowsArgvRoundTrip puts every hostile payload into every plan value
// the driver passes to Tentacle, and into the operator's -config, -app and
// API key; for each plan validation accepts, every argument vector the
// driver builds (Tentacle.exe's default path first, which has spaces)
// must come back unchanged from Go's Windows command line through the
// CommandLineToArgvW rules, and the value must be one of its arguments.
// It must also survive the UTF-16 conversion CreateProcessW needs: no NUL
// (Go refuses such a command line) and valid UTF-8 (else Tentacle would
// see U+FFFD).
func TestWindowsArgvRoundTrip(t *testing.T) {
	data, err := os.ReadFile("../../../web/bundle/testdata/cases/unique-port-windows-worker.json")
	if err != nil {
		t.Fatal(err)
	}
	worker, probs := plan.Decode(data)
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	target := worker
	target.Tentacle.Kind, target.Tentacle.WorkerPools = plan.Target, nil
	target.Tentacle.Environments, target.Tentacle.Roles = []string{"Production"}, []string{"web"}
	target.Tentacle.Tenants, target.Tentacle.TenantTags = []string{"Acme"}, []string{"Region/West"}
	target.Tentacle.TenantedDeploymentParticipation = "TenantedOrUntenanted"
	fields := []struct {
		name string
		base plan.Plan
		set  func(*plan.Plan, string)
		get  func(plan.Plan) string
	}{
		{"tentacle.name", worker, func(p *plan.Plan, v string) { p.Tentacle.Name = v }, func(p plan.Plan) string { return p.Tentacle.Name }},
		{"tentacle.instance", worker, func(p *plan.Plan, v string) { p.Tentacle.Instance = v }, func(p plan.Plan) string { return p.Tentacle.Instance }},
		{"server.space", worker, func(p *plan.Plan, v string) { p.Server.Space = v }, func(p plan.Plan) string { return p.Server.Space }},
		{"tentacle.policy", worker, func(p *plan.Plan, v string) { p.Tentacle.Policy = v }, func(p plan.Plan) string { return p.Tentacle.Policy }},
		{"tentacle.workerPools[0]", worker, func(p *plan.Plan, v string) { p.Tentacle.WorkerPools = []string{v} }, func(p plan.Plan) string { return first(p.Tentacle.WorkerPools) }},
		{"tentacle.environments[0]", target, func(p *plan.Plan, v string) { p.Tentacle.Environments = []string{v} }, func(p plan.Plan) string { return first(p.Tentacle.Environments) }},
		{"tentacle.roles[0]", target, func(p *plan.Plan, v string) { p.Tentacle.Roles = []string{v} }, func(p plan.Plan) string { return first(p.Tentacle.Roles) }},
		{"tentacle.tenants[0]", target, func(p *plan.Plan, v string) { p.Tentacle.Tenants = []string{v} }, func(p plan.Plan) string { return first(p.Tentacle.Tenants) }},
		{"tentacle.tenantTags[0]", target, func(p *plan.Plan, v string) { p.Tentacle.TenantTags = []string{v} }, func(p plan.Plan) string { return first(p.Tentacle.TenantTags) }},
	}
	payloads := hostilePayloads(t)
	names := make([]string, 0, len(payloads))
	for n := range payloads {
		names = append(names, n)
	}
	slices.Sort(names)
	opt := Options{Tentacle: DefaultWindowsTentacle, APIKey: "API-CANARY0000000000000000000", AppDir: `C:\Octopus\Applications`}
	checked, lines := 0, 0
	check := func(label string, r *runner, value string) {
		t.Helper()
		found := value == ""
		for _, argv := range argvs(r) {
			for _, a := range argv {
				if strings.IndexByte(a, 0) >= 0 || !utf8.ValidString(a) {
					t.Errorf("%s: argument %q has a NUL or is not UTF-8: CreateProcessW cannot carry it", label, a)
				}
				found = found || a == value
			}
			line := makeCmdLine(argv)
			lines++
			if got := commandLineToArgv(line); !slices.Equal(got, argv) {
				t.Errorf("%s: Tentacle.exe would read\n%q\nfrom the command line\n%s\nfor the argument vector\n%q", label, got, line, argv)
			}
		}
		if !found {
			t.Errorf("%s: the value %q is in no argument", label, value)
		}
		checked++
	}
	for _, f := range fields {
		accepted := 0
		for _, name := range names {
			p := f.base
			p.Tentacle.Environments = slices.Clone(p.Tentacle.Environments)
			f.set(&p, payloads[name])
			if p.Validate().HasErrors() {
				continue
			}
			accepted++
			p = p.Normalized()
			r := &runner{p: p, opt: opt, config: p.Tentacle.ConfigPath()}
			check(f.name+"/"+name, r, f.get(p))
		}
		if accepted == 0 {
			t.Errorf("%s: validation refused every payload; the test checked nothing there", f.name)
		}
	}
	// The operator's own values are not validated: whatever reaches the
	// command line must round-trip too (a NUL cannot come from a command
	// line or an environment variable, so those payloads are left out).
	base := worker.Normalized()
	for _, name := range names {
		v := payloads[name]
		if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
			continue
		}
		for _, o := range []struct {
			label string
			set   func(*Options, *runner)
		}{
			{"-config", func(_ *Options, r *runner) { r.config = v }},
			{"-app", func(o *Options, _ *runner) { o.AppDir = v }},
			{"OCTOPUS_API_KEY", func(o *Options, _ *runner) { o.APIKey = v }},
			{"-tentacle", func(o *Options, _ *runner) { o.Tentacle = `C:\Tools\` + v + `\Tentacle.exe` }},
		} {
			r := &runner{p: base, opt: opt, config: base.Tentacle.ConfigPath()}
			o.set(&r.opt, r)
			want := v
			if o.label == "-tentacle" {
				// A program name cannot hold a quotation mark (CreateProcess
				// takes it up to the next one), nor can a Windows path.
				if strings.ContainsAny(v, `"`) {
					continue
				}
				want = r.opt.Tentacle
			}
			check(o.label+"/"+name, r, want)
		}
	}
	t.Logf("%d argument sets, %d Windows command lines round-tripped", checked, lines)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
