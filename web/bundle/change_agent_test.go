//go:build !js

package bundle_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
)

// changeFakeHelm stands in for helm: it logs each call (one argument a
// line, then a blank line), answers get values from $FAKE_HELM_DIR/<release>.json
// and list with a kubernetes-agent 2.1.0 release.
const changeFakeHelm = `#!/usr/bin/env bash
printf '%s\n' "$@" "" >>"$FAKE_HELM_DIR/log"
case $1 in
  get) cat "$FAKE_HELM_DIR/$3.json" ;;
  list) printf '[{"name":"agent","namespace":"octopus-agent","chart":"kubernetes-agent-2.1.0","app_version":"9.2.4285"}]\n' ;;
esac
`

// TestChangeAgentScript runs change/kubernetes-agent.sh against a fake
// helm for agents installed with the current plan's addresses (as a list,
// and as the single agent.serverCommsAddress), and replays what the agent
// does at each pod start (keep the first address, poll-server the rest,
// which copies the identity of the address kept): every first address
// must be one the agent trusted, and the agent must end trusting exactly
// the new addresses.
func TestChangeAgentScript(t *testing.T) {
	bash := testtool.Require(t, "bash")
	// Two upgrades only where no new address is one the agent polls first.
	wantUpgrades := map[string]int{"remove-node/single": 2, "to-multi-node/list": 2, "to-multi-node/single": 2}
	for _, name := range changeCaseNames(t) {
		from, to := changeCase(t, name)
		for _, single := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/list", true: "/single"}[single], func(t *testing.T) {
				dir := t.TempDir()
				helm := filepath.Join(dir, "helm")
				script := filepath.Join(dir, "kubernetes-agent.sh")
				for _, f := range mustChangeFiles(t, name) {
					if f.Path == "change/kubernetes-agent.sh" {
						if err := os.WriteFile(script, f.Content, 0o755); err != nil {
							t.Fatal(err)
						}
					}
				}
				agent := map[string]any{"serverCommsAddresses": from.Addresses(), "serverCommsAddress": ""}
				trusted := from.Addresses()
				if single {
					agent = map[string]any{"serverCommsAddress": from.Addresses()[0], "serverCommsAddresses": []string{}}
					trusted = from.Addresses()[:1]
				}
				values, _ := json.Marshal(map[string]any{"agent": agent})
				for path, content := range map[string][]byte{helm: []byte(changeFakeHelm), filepath.Join(dir, "agent.json"): values} {
					if err := os.WriteFile(path, content, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				cmd := exec.Command(bash, script, "agent")
				cmd.Env = append(os.Environ(), "HELM="+helm, "FAKE_HELM_DIR="+dir, "AGENT_CHART=oci-chart-ref")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("kubernetes-agent.sh: %v\n%s", err, out)
				}
				upgrades := 0
				for _, call := range changeHelmCalls(t, filepath.Join(dir, "log")) {
					if call[0] != "upgrade" {
						continue
					}
					upgrades++
					for _, want := range []string{"--reuse-values", "--wait", "oci-chart-ref", "2.1.0", "octopus-agent-agent"} {
						if !slices.Contains(call, want) {
							t.Errorf("upgrade %q lacks %s", call, want)
						}
					}
					if v, ok := changeSetting(call, "agent.serverCommsAddress"); ok {
						agent["serverCommsAddress"] = v
					}
					if v, ok := changeSetting(call, "agent.serverCommsAddresses"); ok {
						agent["serverCommsAddresses"] = strings.Split(strings.Trim(v, "{}"), ",")
					}
					list, _ := agent["serverCommsAddresses"].([]string)
					keep, rest := "", list
					if s, _ := agent["serverCommsAddress"].(string); s != "" {
						keep = s
					} else if len(list) > 0 {
						keep, rest = list[0], list[1:]
					}
					if !slices.Contains(trusted, keep) {
						t.Fatalf("upgrade %d: the agent keeps %s, which it does not trust (it trusts %q): it would lose its identity", upgrades, keep, trusted)
					}
					trusted = []string{keep}
					for _, a := range rest {
						if !slices.Contains(trusted, a) {
							trusted = append(trusted, a)
						}
					}
				}
				if want := max(1, wantUpgrades[t.Name()[len("TestChangeAgentScript/"):]]); upgrades != want {
					t.Errorf("%d helm upgrades, want %d", upgrades, want)
				}
				want := to.Addresses()
				slices.Sort(want)
				slices.Sort(trusted)
				if diff := cmp.Diff(want, trusted); diff != "" {
					t.Errorf("after %d upgrades the agent trusts (-want +got):\n%s", upgrades, diff)
				}
			})
		}
	}
}

// changeHelmCalls reads the fake helm's log.
func changeHelmCalls(tb testing.TB, path string) [][]string {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var calls [][]string
	for _, block := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		calls = append(calls, strings.Split(block, "\n"))
	}
	return calls
}

// changeSetting is the value of --set key=value in a helm call.
func changeSetting(call []string, key string) (string, bool) {
	for i := 0; i+1 < len(call); i++ {
		if v, ok := strings.CutPrefix(call[i+1], key+"="); call[i] == "--set" && ok {
			return v, true
		}
	}
	return "", false
}
