package registration

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// longVariable is web/internal/testtool.LongVariable (that package cannot
// be imported from server/): make test-long sets it to 1.
const longVariable = "TEST_LONG"

// faultPlans are the machines the fault matrix runs on: in a short run one
// per OS (a Linux deployment target, a Windows worker under the fake's
// Windows service rules), with make test-long the other two as well.
var faultPlans = []struct {
	os, kind string
	short    bool
}{
	{plan.Linux, plan.Target, true},
	{plan.Windows, plan.Worker, true},
	{plan.Linux, plan.Worker, false},
	{plan.Windows, plan.Target, false},
}

// TestFailureAtEachStepStopsThenConverges fails each Tentacle command in
// turn: the run stops at that step with advice, and a run without the fault
// converges with the service running.
func TestFailureAtEachStepStopsThenConverges(t *testing.T) {
	for _, fp := range faultPlans {
		t.Run(fp.os+"-"+fp.kind, func(t *testing.T) {
			if !fp.short && os.Getenv(longVariable) != "1" {
				t.Skipf("short run: the fault matrix of a %s %s is left out; make test-long (%s=1) runs it", fp.os, fp.kind, longVariable)
			}
			register := "register-with"
			if fp.kind == plan.Worker {
				register = "register-worker"
			}
			for _, cmd := range []string{"list-instances", "create-instance", "new-certificate", "configure", "show-configuration", register, "poll-server", "set-polling-connection-count", "service"} {
				t.Run(cmd, func(t *testing.T) {
					h := newHost(t)
					p := h.plan(3)
					p.Tentacle.OS = fp.os
					if fp.kind == plan.Worker {
						p = asWorker(p)
					}
					if fp.os == plan.Windows {
						h.opts.Env = append(h.opts.Env, "FAKE_TENTACLE_OS=windows")
					}
					events, _, err := h.run(p, "FAKE_TENTACLE_FAIL="+cmd)
					if !errors.Is(err, ErrStepFailed) {
						t.Fatalf("run with %s failing: err = %v, want ErrStepFailed", cmd, err)
					}
					last := events[len(events)-1]
					if last.Status != report.Fail || !strings.Contains(last.Command, cmd) || !strings.Contains(last.Message, "failed") {
						t.Errorf("last event %+v, want the failed %s step with advice", last, cmd)
					}
					if _, _, err := h.run(p); err != nil {
						t.Fatalf("re-run after the fault: %v", err)
					}
					h.mustConverged(p, lbAddrs3)
					h.mustRunning()
				})
			}
		})
	}
}

// asWorker turns a host plan into a worker's: pools instead of
// environments and roles.
func asWorker(p plan.Plan) plan.Plan {
	p.Tentacle.Kind = plan.Worker
	p.Tentacle.Environments, p.Tentacle.Roles = nil, nil
	p.Tentacle.WorkerPools = []string{"Default Worker Pool", "Edge"}
	return p
}
