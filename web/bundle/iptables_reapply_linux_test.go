package bundle_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
)

// TestIptablesNoflushReapply runs the README's advice for a host with other
// NAT rules in a user and network namespace: apply with --noflush twice
// (duplicates), delete with the README's command, apply again. The wizard's
// rules end up there once and a foreign rule survives.
func TestIptablesNoflushReapply(t *testing.T) {
	testtool.Require(t, "iptables-restore")
	unshare := testtool.Require(t, "unshare")
	for _, name := range []string{"unique-port-all-kinds", "multi-node"} {
		t.Run(name, func(t *testing.T) {
			readme := mustReadme(t, name)
			const lead = "delete the rules the last run added with `"
			k := strings.Index(readme, lead)
			if k < 0 {
				t.Fatal("the README gives no delete command")
			}
			del, _, _ := strings.Cut(readme[k+len(lead):], "`")
			var rules string
			for _, f := range mustFiles(t, name) {
				if f.Path == "loadbalancer/iptables.rules" {
					rules = string(f.Content)
				}
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "iptables.rules"), []byte(rules), 0o644); err != nil {
				t.Fatal(err)
			}
			want := strings.Count(rules, "\n-A ")
			script := `set -e
cd "$1"
count() { iptables -t nat -S | grep -c '^-A' || true; }
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE
iptables-restore --noflush < iptables.rules
iptables-restore --noflush < iptables.rules
[ "$(count)" -eq $((2 * $2 + 1)) ] || { echo "after two runs: $(count) rules"; exit 1; }
` + del + `
[ "$(count)" -eq 1 ] || { echo "after the delete command: $(count) rules"; iptables -t nat -S; exit 1; }
iptables-restore --noflush < iptables.rules
[ "$(count)" -eq $(($2 + 1)) ] || { echo "after re-applying: $(count) rules"; exit 1; }
iptables -t nat -C POSTROUTING -s 172.17.0.0/16 -j MASQUERADE
`
			if err := runTool(t, unshare, "-Urn", "sh", "-c", script, "sh", dir, strconv.Itoa(want)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
