package bundle_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// nodeScripts returns the octopus-server/ scripts of a case by node index.
func nodeScripts(tb testing.TB, p plan.Plan) []string {
	tb.Helper()
	files, err := bundle.Files(p)
	if err != nil {
		tb.Fatalf("Files: %v", err)
	}
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Content)
	}
	out := make([]string, len(p.Nodes))
	for i, n := range p.Normalized().Nodes {
		out[i] = byPath["octopus-server/"+bundle.NodeScriptName(n.Name)]
		if out[i] == "" {
			tb.Fatalf("no script for node %s", n.Name)
		}
	}
	return out
}

// TestNodeScriptRestartsOnlyWhereNeeded: drain, restart and undrain appear
// in a node's script exactly when its listen port changes or it joins
// multi-node polling, in that order, each once.
func TestNodeScriptRestartsOnlyWhereNeeded(t *testing.T) {
	for _, name := range caseNames(t) {
		p := mustCase(t, name).Normalized()
		for i, script := range nodeScripts(t, p) {
			restart := p.MovesListener(i) || p.Topology == plan.MultiNode
			steps := []string{
				"& $OctopusServer node --instance $Instance '--drain=true' \"--wait=$DrainWait\"",
				"& $OctopusServer service --instance $Instance --stop --start",
				"& $OctopusServer node --instance $Instance '--drain=false'",
			}
			if p.MovesListener(i) {
				steps = append(steps[:1], append([]string{"& $OctopusServer configure --instance $Instance --commsListenPort $Port"}, steps[1:]...)...)
			}
			if p.Topology == plan.MultiNode {
				steps = append(steps[:1], append([]string{
					"& $OctopusServer path --instance $Instance --clusterShared $ClusterShared",
					"& $OctopusServer configure --instance $Instance \"--multiNodePollingTentaclesRedisConnectionString=$Redis\"",
				}, steps[1:]...)...)
				steps = append(steps[:len(steps)-1], "Invoke-RestMethod -Uri \"$NodeUrl/api/serverstatus/redis\"", steps[len(steps)-1])
			}
			where := name + "/" + p.Nodes[i].Name
			if !restart {
				for _, word := range []string{"--drain", "service ", "configure ", "path "} {
					if strings.Contains(script, "& $OctopusServer "+word) || strings.Contains(script, " "+word+"--") {
						t.Errorf("%s: firewall-only script runs %q:\n%s", where, word, script)
					}
				}
				if !strings.Contains(script, "New-NetFirewallRule") {
					t.Errorf("%s: no firewall rule", where)
				}
				continue
			}
			at := 0
			for _, step := range steps {
				if n := strings.Count(script, step); n != 1 {
					t.Errorf("%s: %q appears %d times, want once", where, step, n)
					continue
				}
				k := strings.Index(script, step)
				if k < at {
					t.Errorf("%s: %q is out of order", where, step)
				}
				at = k
			}
			if strings.Contains(script, "--restart") {
				t.Errorf("%s: uses service --restart, which leaves a stopped service stopped", where)
			}
		}
	}
}

// TestNodeScriptRedisSecret: the connection string is read, passed to
// Octopus.Server.exe and forgotten; no line prints or stores it.
func TestNodeScriptRedisSecret(t *testing.T) {
	p := mustCase(t, "multi-node")
	for _, script := range nodeScripts(t, p) {
		for _, line := range strings.Split(script, "\n") {
			if !strings.Contains(line, "$Redis") {
				continue
			}
			switch strings.TrimSpace(line) {
			case "$Redis = $env:OCTOPUS_REDIS_CONNECTION_STRING",
				"if (-not $Redis) {",
				"$Redis = [System.Net.NetworkCredential]::new('', $secure).Password",
				"if (-not $Redis) { throw 'No Redis connection string was given. Only the firewall was changed.' }",
				"if ($Redis.Contains('\"') -or $Redis.EndsWith('\\')) { throw 'The Redis connection string holds a double quote or ends with a backslash, which Windows PowerShell 5.1 passes to Octopus.Server.exe unescaped (the rest would become options of its own). Change that password, or set the connection string in the OCTOPUS_MULTI_NODE_POLLING_TENTACLES_REDIS_CONNECTION_STRING environment variable of the service instead. Only the firewall was changed.' }",
				"& $OctopusServer configure --instance $Instance \"--multiNodePollingTentaclesRedisConnectionString=$Redis\"",
				"$Redis = $null":
			default:
				t.Errorf("unexpected use of the Redis connection string: %s", line)
			}
		}
		if !strings.Contains(script, "Read-Host -AsSecureString") {
			t.Error("the script does not ask for the connection string with hidden input")
		}
	}
}

// TestNodeScriptQuoting: plan values full of PowerShell syntax appear in a
// node script only in comments and inside single-quoted strings.
func TestNodeScriptQuoting(t *testing.T) {
	// Instance names can hold no PowerShell syntax any more (validation);
	// node names still can.
	hostile := []string{`Node $(whoami) "2"`}
	found := map[string]int{}
	for _, name := range []string{"unique-port-moved-listen"} {
		p := mustCase(t, name)
		for _, script := range nodeScripts(t, p) {
			for _, line := range strings.Split(script, "\n") {
				if strings.HasPrefix(line, "#") {
					continue
				}
				for _, v := range hostile {
					quoted := strings.ReplaceAll(v, "'", "''")
					for k := strings.Index(line, quoted); k >= 0; k = indexFrom(line, quoted, k+1) {
						found[v]++
						if !inSingleQuotes(line, k) {
							t.Errorf("%s: %q outside a single-quoted string: %s", name, v, line)
						}
					}
					if strings.Contains(line, v) && !strings.Contains(line, quoted) {
						t.Errorf("%s: %q not escaped for a single-quoted string: %s", name, v, line)
					}
				}
			}
		}
	}
	for _, v := range hostile {
		if found[v] == 0 {
			t.Errorf("%q never appears in a script line: the test checked nothing", v)
		}
	}
}

func indexFrom(s, sub string, from int) int {
	if from > len(s) {
		return -1
	}
	if k := strings.Index(s[from:], sub); k >= 0 {
		return from + k
	}
	return -1
}

// inSingleQuotes reports whether byte k of a PowerShell line lies inside a
// single-quoted string (” is a quote inside one; double-quoted strings
// end at an unescaped ").
func inSingleQuotes(line string, k int) bool {
	single, double := false, false
	for i := 0; i < k; i++ {
		c := line[i]
		switch {
		case single && c == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++
		case single && c == '\'':
			single = false
		case double && c == '`':
			i++
		case double && c == '"':
			double = false
		case !single && !double && c == '\'':
			single = true
		case !single && !double && c == '"':
			double = true
		}
	}
	return single
}

// mustReadme is the README.md of a case.
func mustReadme(tb testing.TB, name string) string {
	tb.Helper()
	for _, f := range mustFiles(tb, name) {
		if f.Path == "README.md" {
			return string(f.Content)
		}
	}
	tb.Fatalf("%s: no README.md", name)
	return ""
}

// TestReadmeByTopology: what the README says about the nodes and the
// registration depends on the topology and on which listeners move.
func TestReadmeByTopology(t *testing.T) {
	tests := []struct {
		name          string
		want, notWant []string
	}{
		{"unique-port-keep-listen",
			[]string{"changes nothing else: no node is restarted", "The nodes keep listening on 10943"},
			[]string{"--drain", "one node at a time"}},
		{"unique-port-all-kinds",
			[]string{"The scripts of Node2, Node3 move", "**Run the scripts one node at a time**", "node --drain=true --wait=600", "stop reaching it", "set each node's `listenPort` to 10943"},
			[]string{"changes nothing else"}},
		{"docs-unique-address",
			[]string{"no node is restarted", "then `poll-server` for every other address"},
			[]string{"--drain", "balancer translates"}},
		{"multi-node",
			[]string{"**Redis**", "8.0 or later", "`maxmemory-policy noeviction`", "no replication", "turn persistence off",
				"**cluster shared directory**", "`Octopus.Server.exe path --clusterShared`",
				"`Octopus.Server.exe configure --multiNodePollingTentaclesRedisConnectionString`", "never prints it or writes it to a file",
				"**Run the scripts one node at a time**", "`/api/serverstatus/redis`", "must all be `true` on every node",
				"no `poll-server`"},
			[]string{"poll-server` for every other address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readme := mustReadme(t, tt.name)
			for _, s := range tt.want {
				if !strings.Contains(readme, s) {
					t.Errorf("README lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(readme, s) {
					t.Errorf("README has %q", s)
				}
			}
		})
	}
}

// TestReadmeWindowsQuoting: the Windows README puts plan values into
// PowerShell commands only as single-quoted strings, where $(...) stays text.
func TestReadmeWindowsQuoting(t *testing.T) {
	readme := mustReadme(t, "unique-port-moved-listen")
	const instance = `Tentacle x_1-b`
	if want := `--instance 'Tentacle x_1-b'`; strings.Count(readme, want) != 2 {
		t.Errorf("README has %d commands with %s, want 2 (restart, show-configuration)", strings.Count(readme, want), want)
	}
	if strings.Contains(readme, `"`+instance) {
		t.Errorf("README puts the instance name in a double-quoted string")
	}
}

// TestIptablesNoflushAgrees: the iptables file and the README give the same
// advice on --noflush and on re-applying it.
func TestIptablesNoflushAgrees(t *testing.T) {
	readme := mustReadme(t, "unique-port-all-kinds")
	var rules string
	for _, f := range mustFiles(t, "unique-port-all-kinds") {
		if f.Path == "loadbalancer/iptables.rules" {
			rules = string(f.Content)
		}
	}
	const del = "grep '^-A' iptables.rules | sed 's/^-A/-D/' | while read -r rule; do while iptables -t nat $rule 2>/dev/null; do :; done; done"
	for _, s := range []string{"iptables-restore --noflush < iptables.rules", "iptables-restore < iptables.rules", del} {
		if !strings.Contains(rules, s) || !strings.Contains(readme, s) {
			t.Errorf("iptables.rules and README.md do not both say %q", s)
		}
	}
}
