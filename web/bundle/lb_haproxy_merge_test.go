//go:build !js

package bundle_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// haproxyWebConfig is an HAProxy configuration a balancer may already
// have: a web portal's frontend under defaults that would break polling
// if they reached its sections (HTTP mode, HTTP health checks, TLS to
// every server). haproxy.cfg is appended to it.
const haproxyWebConfig = `global
    log /dev/log local0
    user haproxy
    group haproxy

defaults
    mode http
    log global
    option httplog
    option dontlognull
    option forwardfor
    option httpchk GET /health
    default-server ssl verify none check
    timeout connect 5s
    timeout client 50s
    timeout server 50s

frontend web
    bind :8080
    http-request return status 200 content-type text/plain string "web portal"

`

// TestHAProxyFiles: haproxy.cfg is the part to merge (no global section,
// its own defaults first), haproxy-standalone.cfg the whole file with the
// same sections, and both pass haproxy -c with zero warnings: the merge
// beside an existing web frontend, the standalone file on its own.
func TestHAProxyFiles(t *testing.T) {
	for name, p := range lbPlans(t) {
		if !slices.Contains(p.LoadBalancer.Kinds, "haproxy") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var part, whole bytes.Buffer
			if err := bundle.WriteHAProxy(&part, p); err != nil {
				t.Fatal(err)
			}
			if err := bundle.WriteHAProxyStandalone(&whole, p); err != nil {
				t.Fatal(err)
			}
			if sections := haproxySectionHeads(part.String()); len(sections) == 0 || sections[0] != "defaults octopus_polling" || slices.ContainsFunc(sections, func(s string) bool { return strings.HasPrefix(s, "global") }) {
				t.Errorf("haproxy.cfg sections %q: want the polling defaults first and no global section", sections)
			}
			_, partBody, _ := strings.Cut(part.String(), "\ndefaults octopus_polling\n")
			_, wholeBody, _ := strings.Cut(whole.String(), "\ndefaults octopus_polling\n")
			if partBody == "" || partBody != wholeBody {
				t.Errorf("haproxy-standalone.cfg's sections differ from haproxy.cfg's (-part +whole):\n%s", cmp.Diff(partBody, wholeBody))
			}
			if got := haproxySectionHeads(whole.String()); len(got) == 0 || got[0] != "global" {
				t.Errorf("haproxy-standalone.cfg sections %q: want global first", got)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "haproxy-standalone.cfg")
			if err := os.WriteFile(file, whole.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := runIsolated(t, dir, p, testtool.Require(t, "haproxy"), "-c", "-dW", "-f", file); err != nil {
				t.Errorf("haproxy-standalone.cfg rejected:\n%v", err)
			}
			if err := realCheck(t, "haproxy", part.Bytes(), p); err != nil {
				t.Errorf("haproxy.cfg appended to a web configuration rejected:\n%v", err)
			}
		})
	}
}

// TestHAProxyMergeCheckCatchesLeaks proves the merge check above can fail:
// the same sections without their own defaults inherit the web
// configuration's, and haproxy -c -dW reports it.
func TestHAProxyMergeCheckCatchesLeaks(t *testing.T) {
	p := mustCase(t, "unique-hostname").Normalized()
	var part bytes.Buffer
	if err := bundle.WriteHAProxy(&part, p); err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(part.String(), "defaults octopus_polling\n")
	_, after, ok2 := strings.Cut(rest, "\n\n")
	if !ok || !ok2 {
		t.Fatal("no defaults section to remove")
	}
	leaky := before + after
	if err := realCheck(t, "haproxy", []byte(leaky), p); err == nil {
		t.Errorf("sections under the web configuration's HTTP defaults passed the check:\n%s", leaky)
	} else {
		t.Logf("rejected as it should be: %v", err)
	}
}

// haproxySectionHeads lists the section lines (global, defaults,
// frontend, backend, ...) of a configuration in order.
func haproxySectionHeads(content string) []string {
	var out []string
	for _, line := range strings.Split(content, "\n") {
		if line != "" && line[0] != ' ' && line[0] != '#' {
			out = append(out, line)
		}
	}
	return out
}

// TestHAProxyMergeCommand runs the README's merge command (on a copy of
// the configuration, in a temporary directory) twice, as an operator
// would for a first bundle and for the next one: the web frontend stays,
// the first bundle's sections are replaced by the second's, and haproxy
// -c accepts the result with zero warnings.
func TestHAProxyMergeCommand(t *testing.T) {
	bash := testtool.Require(t, "bash")
	b, _ := bundle.BalancerOf("haproxy")
	first := mustCase(t, "multi-node").Normalized()
	second := mustCase(t, "unique-hostname").Normalized()
	apply := b.Apply(second)
	start := strings.Index(apply, "`cp ")
	end := strings.Index(apply[start+1:], "`")
	if start < 0 || end < 0 {
		t.Fatalf("no merge command in the README's HAProxy item: %s", apply)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "etc-haproxy.cfg")
	command := strings.ReplaceAll(apply[start+1:start+1+end], "/etc/haproxy/haproxy.cfg", conf)
	if err := os.WriteFile(conf, []byte(haproxyWebConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	var want string
	for _, pl := range []plan.Plan{first, second} {
		var part bytes.Buffer
		if err := bundle.WriteHAProxy(&part, pl); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "haproxy.cfg"), part.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bash, "-euo", "pipefail", "-c", command)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
		want = haproxyWebConfig + part.String()
	}
	got, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("configuration after two merges (-want +got):\n%s", diff)
	}
	if err := runIsolated(t, dir, second, testtool.Require(t, "haproxy"), "-c", "-dW", "-f", conf); err != nil {
		t.Errorf("merged configuration rejected:\n%v", err)
	}
}
