//go:build !js

package bundle_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// changeSystemdRun stands in for systemd-run: it records its arguments
// and runs the command after "--" at once, so a test sees the restart the
// real one would run later.
const changeSystemdRun = `#!/usr/bin/env bash
printf '%s\n' "$*" >>"$CHANGE_SYSTEMD_RUN_LOG"
while (($# > 0)) && [[ $1 != -- ]]; do shift; done
shift
exec "$@"
`

// changeResult is update-tentacle's JSON line.
type changeResult struct {
	OK      bool     `json:"ok"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Restart string   `json:"restart"`
	Error   string   `json:"error"`
}

// changeRig is a machine of the fake Tentacle with the pack's
// update-tentacle.sh beside the current plan's register.sh.
type changeRig struct {
	*regRig
	update  string // update-tentacle.sh
	from    plan.Plan
	c       bundle.Change
	sdLog   string
	current *regRig // the same machine running the current plan's register.sh
}

func newChangeRig(t *testing.T, bash, fake, name string) *changeRig {
	from, to := changeCase(t, name)
	c, err := bundle.NewChange(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var script []byte
	for _, f := range mustChangeFiles(t, name) {
		if f.Path == "change/update-tentacle.sh" {
			script = f.Content
		}
	}
	r := newRegRig(t, bash, fake, "", to)
	r.script = filepath.Join(r.root, "update-tentacle.sh")
	sd := filepath.Join(r.root, "bin", "systemd-run")
	for path, content := range map[string][]byte{r.script: script, sd: []byte(changeSystemdRun)} {
		if err := os.WriteFile(path, content, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cr := &changeRig{regRig: r, update: r.script, from: from, c: c, sdLog: filepath.Join(r.root, "systemd-run.log")}
	r.env = append(r.env, "CHANGE_SYSTEMD_RUN_LOG="+cr.sdLog, "OCTOPUS_API_KEY=")
	cr.current = r.withPlan(from)
	cr.current.env = slices.Clone(r.env)
	return cr
}

// register registers the machine as the current plan says.
func (cr *changeRig) register() {
	cr.t.Helper()
	cr.current.mustRun("OCTOPUS_API_KEY=" + regCanaryKey)
}

// updateOK runs update-tentacle.sh, which must succeed, and returns its result.
func (cr *changeRig) updateOK(extra ...string) changeResult {
	cr.t.Helper()
	res := cr.mustRun(extra...)
	return cr.result(res)
}

// updateFails runs update-tentacle.sh, which must fail naming want, and
// change nothing.
func (cr *changeRig) updateFails(want string) {
	cr.t.Helper()
	var before []regTrustedEntry
	if _, err := os.Stat(filepath.Join(cr.root, "etc", "tentacle.config")); err == nil {
		before = cr.trusted()
	}
	res := cr.run()
	got := cr.result(res)
	if res.code != 1 || got.OK || !strings.Contains(res.stderr, want) || !strings.Contains(got.Error, want) {
		cr.t.Fatalf("update-tentacle.sh = exit %d, result %+v, stderr %q; want exit 1 and ok:false naming %q", res.code, got, res.stderr, want)
	}
	if before != nil {
		if diff := cmp.Diff(before, cr.trusted()); diff != "" {
			cr.t.Errorf("trusted servers changed (-before +after):\n%s", diff)
		}
	}
}

func (cr *changeRig) result(res regResult) changeResult {
	cr.t.Helper()
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	var got changeResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		cr.t.Fatalf("the last line of update-tentacle.sh is not its JSON result: %v\nstdout:\n%s\nstderr:\n%s", err, res.stdout, res.stderr)
	}
	return got
}

// restarts are the systemd-run calls so far.
func (cr *changeRig) restarts() []string {
	data, err := os.ReadFile(cr.sdLog)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		cr.t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func (cr *changeRig) checkResult(got changeResult, added, removed []string, restart string) {
	cr.t.Helper()
	want := changeResult{OK: true, Added: added, Removed: removed, Restart: restart}
	if diff := cmp.Diff(want, got, cmp.Transformer("nil", func(s []string) []string { return append([]string{}, s...) })); diff != "" {
		cr.t.Errorf("result (-want +got):\n%s", diff)
	}
}

// TestChangeUpdateTentacleSh runs every pack's update-tentacle.sh against
// the fake Tentacle in each state a Tentacle of the cluster can be in. It
// must end with exactly the new plan's addresses (other servers' entries
// kept) or refuse before any change, and restart through systemd-run only
// when something changed.
func TestChangeUpdateTentacleSh(t *testing.T) {
	bash := testtool.Require(t, "bash")
	fake := regBuildFake(t)
	for _, name := range changeCaseNames(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("lint", func(t *testing.T) {
				for _, f := range mustChangeFiles(t, name) {
					if strings.HasSuffix(f.Path, ".sh") {
						regLint(t, bash, regWrite(t, f))
					}
				}
			})
			t.Run("never registered", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.updateFails("no Tentacle instance")
			})
			t.Run("registered with another server only", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.tentacle("create-instance", "--instance", "Tentacle", "--config", filepath.Join(cr.root, "etc", "tentacle.config"))
				cr.tentacle("new-certificate", "--instance", "Tentacle")
				cr.trustOtherServer()
				cr.updateFails("does not poll this cluster")
			})
			t.Run("current plan", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.register()
				cr.checkResult(cr.updateOK(), cr.c.Added, cr.c.Removed, "scheduled")
				cr.checkConverged()
				cr.checkService([]string{"install", "start", "stop", "start"})
				if got := cr.restarts(); len(got) != 1 || !strings.Contains(got[0], "--on-active=30s") || !strings.HasSuffix(got[0], " service --instance Tentacle --stop --start") {
					t.Errorf("systemd-run calls %q, want one with --on-active=30s running service --instance Tentacle --stop --start", got)
				}
				calls := len(cr.calls())
				cr.checkResult(cr.updateOK(), nil, nil, "not-needed")
				for _, call := range cr.calls()[calls:] {
					if call[0] != "list-instances" && call[0] != "show-configuration" {
						t.Errorf("second run changed something: %q", call)
					}
				}
				if n := len(cr.restarts()); n != 1 {
					t.Errorf("%d restarts after the second run, want still 1", n)
				}
			})
			t.Run("already updated", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.withPlan(cr.plan).mustRun("OCTOPUS_API_KEY=" + regCanaryKey)
				cr.checkResult(cr.updateOK(), nil, nil, "not-needed")
				cr.checkConverged()
				if got := cr.restarts(); len(got) != 0 {
					t.Errorf("restarted %q, want no restart", got)
				}
			})
			t.Run("half updated", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.register()
				if len(cr.c.Added) > 0 {
					cr.tentacle("poll-server", "--instance", "Tentacle", "--reuse-server-thumbprint", "--server-comms-address", cr.c.Added[0])
				}
				var added []string
				if len(cr.c.Added) > 1 {
					added = cr.c.Added[1:]
				}
				cr.checkResult(cr.updateOK(), added, cr.c.Removed, map[bool]string{true: "scheduled", false: "not-needed"}[len(added)+len(cr.c.Removed) > 0])
				cr.checkConverged()
			})
			t.Run("a failed step, then again", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.register()
				step := "poll-server:1"
				if len(cr.c.Added) == 0 {
					step = "clear-trusted-servers:1"
				}
				cr.resetCallCount()
				res := cr.run("FAKE_TENTACLE_FAIL=" + step)
				if got := cr.result(res); res.code != 1 || got.OK || !strings.Contains(got.Error, "failed") {
					t.Fatalf("with %s failing: exit %d, result %+v", step, res.code, got)
				}
				cr.resetCallCount()
				cr.updateOK()
				cr.checkConverged()
			})
			t.Run("another server trusted too", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.register()
				cr.trustOtherServer()
				cr.updateOK()
				cr.foreign = 1
				cr.checkConverged()
			})
			t.Run("another server trusted first", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.tentacle("create-instance", "--instance", "Tentacle", "--config", filepath.Join(cr.root, "etc", "tentacle.config"))
				cr.tentacle("new-certificate", "--instance", "Tentacle")
				cr.trustOtherServer()
				cr.register()
				if len(cr.c.Added) > 0 {
					cr.updateFails("copies the identity of the first one")
					return
				}
				cr.updateOK()
				cr.foreign = 1
				cr.checkConverged()
			})
			t.Run("a listening trust", func(t *testing.T) {
				t.Parallel()
				cr := newChangeRig(t, bash, fake, name)
				cr.register()
				cr.tentacle("configure", "--instance", "Tentacle", "--trust", regOtherThumbprint)
				if len(cr.c.Removed) > 0 {
					cr.updateFails("listening trust")
					return
				}
				cr.updateOK()
			})
		})
	}
}

// regWrite writes a generated file to a temporary folder of its own.
func regWrite(tb testing.TB, f bundle.File) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), filepath.Base(f.Path))
	if err := os.WriteFile(path, f.Content, 0o755); err != nil {
		tb.Fatal(err)
	}
	return path
}
