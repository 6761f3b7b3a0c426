package rollout

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopustest"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// fleet40 is 40 polling Tentacles: 30 Linux targets, 4 Linux workers and 6
// Windows targets, three of them offline (lin05, lin20, win03), plus a
// Kubernetes agent and a listening Tentacle that are not run.
func fleet40(t *testing.T) []octopustest.FleetMachine {
	t.Helper()
	start := time.Now()
	var fleet []octopustest.FleetMachine
	for i := 1; i <= 30; i++ {
		fleet = append(fleet, linux(t, fmt.Sprintf("lin%02d", i), false))
	}
	for i := 1; i <= 4; i++ {
		fleet = append(fleet, linux(t, fmt.Sprintf("wrk%02d", i), true))
	}
	for i := 1; i <= 6; i++ {
		fleet = append(fleet, octopustest.FleetMachine{Name: fmt.Sprintf("win%02d", i), OS: "windows", Environments: []string{"Production"}, Roles: []string{"web"}})
	}
	for i := range fleet {
		if slices.Contains([]string{"lin05", "lin20", "win03"}, fleet[i].Name) {
			fleet[i].Health = "Unavailable"
		}
	}
	fleet = append(fleet,
		octopustest.FleetMachine{Name: "aks-agent", OS: "linux", Style: "KubernetesTentacle", Environments: []string{"Production"}},
		octopustest.FleetMachine{Name: "listener", OS: "windows", Style: "TentaclePassive", Environments: []string{"Production"}})
	t.Logf("40 fake Tentacles set up in %s", time.Since(start).Round(time.Millisecond))
	return fleet
}

// TestRollout40 runs the stand-in change on 40 machines: the canary
// first, batches of 10%, a failing machine stops the run, the re-run
// skips what is done and finishes, and a health check ends each run. The
// canary key shows in no output, state file or task.
func TestRollout40(t *testing.T) {
	fleet := fleet40(t)
	api := newAPI(t, fleet)
	for i := range fleet {
		if fleet[i].Name == "lin10" {
			fleet[i].Env = []string{"FAKE_TENTACLE_FAIL=poll-server"}
		}
	}
	api.Set(func(s *octopustest.Server) { s.Fleet = fleet })
	pack := writePack(t, api.URL)
	o := options(t, api, pack)

	start := time.Now()
	sum, ev := mustRun(t, o)
	figures(t, "first run", ev, time.Since(start))
	want := Summary{Tentacles: 40, Agents: 1, OK: 8, Failed: 1, Offline: 3, Batches: 10, BatchesRun: 3, Stopped: true, HealthTask: sum.HealthTask}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("first run summary (-want +got):\n%s\n%s", diff, ev.text())
	}
	tasks := api.Tasks()
	if len(tasks) != 4 || len(tasks[0].MachineIds) != 1 || tasks[0].Name != "AdHocScript" || tasks[3].Name != "Health" {
		t.Fatalf("first run tasks: want a canary of 1 machine, 2 batches, a health check; got %+v", taskSummary(tasks))
	}
	if got := ev.machine("lin10"); got.Status != report.MachineFailed || !strings.Contains(got.Log, "injected failure of poll-server") {
		t.Errorf("lin10 = %+v, want failed with the Tentacle's error line", got)
	}
	if got := ev.machine("lin05"); got.Status != report.MachineOffline {
		t.Errorf("lin05 = %+v, want offline", got)
	}
	if got := ev.machine("lin01"); got.Status != report.MachineOK || got.Message != "added https://lb.example.com:10945; removed https://lb.example.com:10944" {
		t.Errorf("lin01 = %+v, want ok with the script's result", got)
	}
	if !strings.Contains(ev.text(), "agent    aks-agent") || !strings.Contains(ev.text(), "stop: batch 3 had 1 failed machine(s)") {
		t.Errorf("first run output lacks the agent or the stop:\n%s", ev.text())
	}
	st, err := LoadState(o.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(st); got["done"] != 8 || got["failed"] != 1 || got["offline"] != 3 {
		t.Errorf("state after the first run = %v, want 8 done, 1 failed, 3 offline", got)
	}

	// The cause is fixed and lin05 is back: the same command goes on.
	fleet = setFleet(api, fleet, func(m *octopustest.FleetMachine) {
		m.Env = nil
		if m.Name == "lin05" {
			m.Health = "Healthy"
		}
	})
	start = time.Now()
	sum, ev2 := mustRun(t, o)
	figures(t, "re-run", ev2, time.Since(start))
	want = Summary{Tentacles: 40, Agents: 1, OK: 30, Offline: 2, Earlier: 8, Batches: 11, BatchesRun: 11, HealthTask: sum.HealthTask}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("re-run summary (-want +got):\n%s\n%s", diff, ev2.text())
	}
	done := map[string]bool{}
	for id, ms := range st.Machines {
		if ms.Status == "done" {
			done[id] = true
		}
	}
	for _, task := range api.Tasks()[4:] {
		for _, id := range task.MachineIds {
			if done[id] && task.Name == "AdHocScript" {
				t.Errorf("re-run task %s ran on %s, done in the first run", task.Id, id)
			}
		}
	}
	checkTasks(t, api.Tasks(), pack)
	for _, m := range fleet {
		if m.Home == "" {
			continue
		}
		want := newAddresses
		if m.Name == "lin20" {
			want = oldAddresses // offline: never run
		}
		if got := trusted(t, m.Home); !slices.Equal(got, want) {
			t.Errorf("%s polls %v, want %v", m.Name, got, want)
		}
	}
	health := api.Tasks()[len(api.Tasks())-1]
	if health.Name != "Health" || len(health.MachineIds) != 30 || !strings.Contains(health.Body, `"Timeout":"00:00:20"`) {
		t.Errorf("re-run's last task = %s on %d machines %s, want a health check of the 30 updated", health.Name, len(health.MachineIds), health.Body)
	}
	noKey(t, ev.text()+ev2.text(), o.StatePath, api)
}

// checkTasks: one kind and one syntax a task, the pack's own script as
// its body, TargetType Workers for workers.
func checkTasks(t *testing.T, tasks []octopustest.TaskRecord, pack Pack) {
	t.Helper()
	for _, task := range tasks {
		if task.Name != "AdHocScript" {
			continue
		}
		body := map[string]string{"Bash": pack.Bash, "PowerShell": pack.PowerShell}[task.Syntax]
		if task.ScriptBody != body || task.SpaceId != "Spaces-1" {
			t.Errorf("task %s: %s body or space %q is not the pack's", task.Id, task.Syntax, task.SpaceId)
		}
		workers := strings.HasPrefix(task.MachineIds[0], "Workers-")
		for _, id := range task.MachineIds {
			if strings.HasPrefix(id, "Workers-") != workers || (task.TargetType == "Workers") != workers {
				t.Errorf("task %s (%s) mixes kinds: %v", task.Id, task.TargetType, task.MachineIds)
			}
		}
	}
}

func noKey(t *testing.T, output, statePath string, api *octopustest.Server) {
	t.Helper()
	state, _ := os.ReadFile(statePath)
	if strings.Contains(output, "CANARY") || strings.Contains(string(state), "CANARY") {
		t.Errorf("the key shows in the output or the state file")
	}
	for _, task := range api.Tasks() {
		if strings.Contains(task.Body, "CANARY") {
			t.Errorf("task %s carries the key in its body", task.Id)
		}
	}
}

func setFleet(api *octopustest.Server, fleet []octopustest.FleetMachine, f func(m *octopustest.FleetMachine)) []octopustest.FleetMachine {
	api.Set(func(s *octopustest.Server) {
		for i := range s.Fleet {
			f(&s.Fleet[i])
		}
		fleet = append([]octopustest.FleetMachine(nil), s.Fleet...)
	})
	return fleet
}

func statuses(st *State) map[string]int {
	out := map[string]int{}
	for _, m := range st.Machines {
		out[m.Status]++
	}
	return out
}

func taskSummary(tasks []octopustest.TaskRecord) []string {
	var out []string
	for _, task := range tasks {
		out = append(out, fmt.Sprintf("%s %s %s %d", task.Id, task.Name, task.Syntax, len(task.MachineIds)))
	}
	return out
}

// figures logs machines, batches and the time of each batch.
func figures(t *testing.T, run string, ev *events, total time.Duration) {
	t.Helper()
	var per []string
	machines := 0
	for _, e := range ev.all {
		if e.Kind == report.RolloutBatch && e.Status != string(report.Running) {
			per = append(per, fmt.Sprintf("%d:%s", e.Batch, e.Duration.Round(time.Millisecond)))
		}
		if e.Kind == report.RolloutMachine && (e.Status == report.MachineOK || e.Status == report.MachineFailed) {
			machines++
		}
	}
	t.Logf("%s: %d machines run in %d batches, %s in all; per batch %s", run, machines, len(per), total.Round(time.Millisecond), strings.Join(per, " "))
}
