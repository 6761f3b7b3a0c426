package rollout

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// windowsFleet is n Windows targets win01…: the fake records their
// PowerShell and runs nothing, so these tests need no Tentacle folders.
func windowsFleet(n int, change func(i int, m *octopustest.FleetMachine)) []octopustest.FleetMachine {
	var fleet []octopustest.FleetMachine
	for i := 1; i <= n; i++ {
		m := octopustest.FleetMachine{Name: fmt.Sprintf("win%02d", i), OS: "windows", Environments: []string{"Production"}, Roles: []string{"web"}}
		if change != nil {
			change(i, &m)
		}
		fleet = append(fleet, m)
	}
	return fleet
}

func TestStopThreshold(t *testing.T) {
	tests := []struct {
		name        string
		maxFailures string
		failing     []int // machines (1-based) that fail; batch 2 is machines 2-5
		wantStopped bool
		wantRun     int // batches run
	}{
		{"no failure", "0", nil, false, 4},
		{"one failure over 0 stops", "0", []int{3}, true, 2},
		{"two of four within 50%", "50%", []int{3, 4}, false, 4},
		{"three of four over 50%", "50%", []int{3, 4, 5}, true, 2},
		{"two over 1 stop", "1", []int{2, 5}, true, 2},
		{"a failed canary stops whatever the threshold", "100%", []int{1}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(t, windowsFleet(13, func(i int, m *octopustest.FleetMachine) {
				for _, f := range tt.failing {
					if f == i {
						m.Fail = "Tentacle.exe poll-server exited with code 1"
					}
				}
			}))
			o := options(t, api, writePack(t, api.URL))
			o.Batch, _ = ParseSize("-batch", "4")
			o.MaxFailures, _ = ParseSize("-max-failures", tt.maxFailures)
			sum, ev := mustRun(t, o)
			if sum.Stopped != tt.wantStopped || sum.BatchesRun != tt.wantRun || sum.Batches != 4 {
				t.Errorf("stopped %v after %d of %d batches, want stopped %v after %d of 4\n%s", sum.Stopped, sum.BatchesRun, sum.Batches, tt.wantStopped, tt.wantRun, ev.text())
			}
			if sum.Failed != len(tt.failing) {
				t.Errorf("%d failed, want %d", sum.Failed, len(tt.failing))
			}
			for _, f := range tt.failing {
				if got := ev.machine(fmt.Sprintf("win%02d", f)); got.Log != "Tentacle.exe poll-server exited with code 1" {
					t.Errorf("win%02d reported %+v, want its log line", f, got)
				}
			}
		})
	}
}

// TestTasksThatDoNotEnd: a task still running at -task-timeout is
// cancelled and its machines fail; a task the server times out fails its
// machines; the next run retries them.
func TestTasksThatDoNotEnd(t *testing.T) {
	api := newAPI(t, windowsFleet(3, func(i int, m *octopustest.FleetMachine) {
		m.Hang = i == 2
		m.TimeOut = i == 3
	}))
	o := options(t, api, writePack(t, api.URL))
	o.Batch, _ = ParseSize("-batch", "1")
	o.MaxFailures, _ = ParseSize("-max-failures", "100%")
	o.TaskTimeout = 300 * time.Millisecond
	sum, ev := mustRun(t, o)
	if sum.OK != 1 || sum.Failed != 2 {
		t.Fatalf("ok %d failed %d, want 1 and 2\n%s", sum.OK, sum.Failed, ev.text())
	}
	if got := ev.machine("win02"); !strings.Contains(got.Message, "did not end within 300ms and was cancelled") {
		t.Errorf("the hanging machine reported %+v", got)
	}
	if got := ev.machine("win03"); got.Status != report.MachineFailed || !strings.Contains(got.Message, "Canceled") {
		t.Errorf("the timed-out machine reported %+v", got)
	}
	// The fake finishes the cancellation on its own time: wait for it, for
	// five seconds at most.
	tasks := api.Tasks()
	for wait := time.Now().Add(5 * time.Second); tasks[1].State != "Canceled" && time.Now().Before(wait); tasks = api.Tasks() {
		time.Sleep(10 * time.Millisecond)
	}
	if tasks[1].State != "Canceled" || tasks[2].State != "TimedOut" {
		t.Errorf("task states %s, %s; want Canceled (cancelled by the rollout), TimedOut", tasks[1].State, tasks[2].State)
	}
	api.Set(func(s *octopustest.Server) {
		for i := range s.Fleet {
			s.Fleet[i].Hang, s.Fleet[i].TimeOut = false, false
		}
	})
	sum, ev = mustRun(t, o)
	if sum.OK != 2 || sum.Earlier != 1 || !sum.Complete() {
		t.Errorf("re-run: %+v, want the 2 retried and 1 skipped\n%s", sum, ev.text())
	}
}

func TestHealthCheckFailureIsReported(t *testing.T) {
	api := newAPI(t, windowsFleet(2, func(i int, m *octopustest.FleetMachine) { m.Unhealthy = i == 2 }))
	o := options(t, api, writePack(t, api.URL))
	sum, ev := mustRun(t, o)
	if sum.OK != 2 || sum.HealthFailed != 1 || sum.Complete() {
		t.Errorf("summary %+v, want 2 ok and 1 failing the health check", sum)
	}
	if !strings.Contains(ev.text(), "health failed   win02 (Machines-2)") || !strings.Contains(ev.text(), "1 of 2 machine(s) healthy") {
		t.Errorf("output does not report the failed health check:\n%s", ev.text())
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	api := newAPI(t, windowsFleet(12, func(i int, m *octopustest.FleetMachine) {
		if i == 4 {
			m.Health = "Unavailable"
		}
	}))
	o := options(t, api, writePack(t, api.URL))
	o.DryRun = true
	o.Batch, _ = ParseSize("-batch", "25%")
	sum, ev := mustRun(t, o)
	if len(api.Tasks()) != 0 {
		t.Errorf("a dry run queued %d task(s)", len(api.Tasks()))
	}
	if _, err := os.Stat(o.StatePath); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the state file (%v)", err)
	}
	for _, p := range api.Paths() {
		if strings.HasPrefix(p, "/api/tasks") {
			t.Errorf("a dry run called %s", p)
		}
	}
	// 11 runnable: the canary, then 25% of 11 = 3 at a time.
	want := "batch 1/5 planned: canary, 1 machine(s)\nbatch 2/5 planned: 3 machine(s)\nbatch 3/5 planned: 3 machine(s)\nbatch 4/5 planned: 3 machine(s)\nbatch 5/5 planned: 1 machine(s)\n"
	if sum.Batches != 5 || !strings.HasSuffix(ev.text(), want) || !strings.Contains(ev.text(), "offline  win04") {
		t.Errorf("dry run output:\n%s\nwant it to end with\n%s", ev.text(), want)
	}
}

func TestStateOfAnotherChangeIsRefused(t *testing.T) {
	api := newAPI(t, windowsFleet(2, nil))
	o := options(t, api, writePack(t, api.URL))
	mustRun(t, o)
	o.Pack.Digest = "sha256:another"
	_, err := Run(t.Context(), o, func(report.RolloutEvent) {})
	if err == nil || !strings.Contains(err.Error(), "belongs to another change pack") {
		t.Errorf("Run with another pack's state = %v, want a refusal", err)
	}
}
