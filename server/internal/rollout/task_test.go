package rollout

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// details is a task log in the shape of TaskDetailsResource: the task's
// root, a step, and a node per machine (one nested a level deeper).
const details = `{"Task":{"Id":"ServerTasks-7","State":"Failed","ErrorMessage":"2 of 4 machines failed"},
 "ActivityLogs":[{"Id":"ServerTasks-7","Name":"rollout","Status":"Failed","LogElements":[],"Children":[
  {"Id":"s","Name":"Run script","Status":"Failed","LogElements":[],"Children":[
   {"Name":"web01","Status":"Success","Children":[],"LogElements":[
     {"Category":"Info","MessageText":"Polling endpoint configured"},
     {"Category":"Info","MessageText":"{\"ok\":true,\"added\":[\"https://lb:10945\"],\"removed\":[]}"}]},
   {"Name":"web02","Status":"Failed","Children":[],"LogElements":[
     {"Category":"Error","MessageText":"The Octopus Server with thumbprint 77 is not yet trusted"},
     {"Category":"Fatal","MessageText":"The remote script failed with exit code 1"}]},
   {"Name":"group","Status":"Success","LogElements":[],"Children":[
     {"Name":"WEB03","Status":"SuccessWithWarning","Children":[],"LogElements":[
       {"Category":"Info","MessageText":"{\"ok\":false,\"error\":\"Tentacle 7.0 is older than 8.1.1713\"}"}]}]}]}]}]}`

func TestOutcomes(t *testing.T) {
	var d octopus.TaskDetails
	if err := json.Unmarshal([]byte(details), &d); err != nil {
		t.Fatal(err)
	}
	ms := []Machine{{ID: "M-1", Name: "web01"}, {ID: "M-2", Name: "web02"}, {ID: "M-3", Name: "web03"}, {ID: "M-4", Name: "web04"}}
	got := outcomes(d, d.Task, ms)
	want := map[string]outcome{
		"M-1": {status: report.MachineOK, message: "added https://lb:10945"},
		"M-2": {status: report.MachineFailed, message: "the script ended Failed", log: "The Octopus Server with thumbprint 77 is not yet trusted"},
		"M-3": {status: report.MachineFailed, message: "the script reported a failure", log: "Tentacle 7.0 is older than 8.1.1713"},
		"M-4": {status: report.MachineFailed, message: "the task ended Failed (its log has no part for this machine)", log: "2 of 4 machines failed"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(outcome{})); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}
