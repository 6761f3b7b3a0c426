package octopustest

import (
	"strconv"
	"time"
)

const stamp = "2006-01-02T15:04:05.000-07:00"

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(stamp)
}

// taskJSON is a task in the shape of TaskResource (OctopusClients
// Model/TaskResource.cs), with its Links. Call under the lock.
func (s *Server) taskJSON(t *task) map[string]any {
	completed, duration := "Queued...", ""
	switch {
	case done(t.State):
		completed = t.Finished.UTC().Format("Monday, January 2, 2006 3:04 PM")
		duration = t.Finished.Sub(t.Submitted).Round(time.Millisecond).String()
	case t.State != "Queued":
		completed = "Executing..."
	}
	args := map[string]any{"MachineIds": t.MachineIds}
	if t.Name == "AdHocScript" {
		args["TargetType"], args["Syntax"], args["ScriptBody"] = t.TargetType, t.Syntax, t.ScriptBody
	}
	self := "/api/tasks/" + t.Id
	return map[string]any{"Id": t.Id, "SpaceId": t.SpaceId, "Name": t.Name, "Description": t.Description, "Arguments": args,
		"State": t.State, "Completed": completed, "QueueTime": timeOrNil(t.Submitted), "QueueTimeExpiry": nil,
		"StartTime": timeOrNil(t.started), "LastUpdatedTime": timeOrNil(time.Now()), "CompletedTime": timeOrNil(t.Finished),
		"ServerNode": "Node1", "Duration": duration, "ErrorMessage": t.errorMsg, "HasBeenPickedUpByProcessor": t.State != "Queued",
		"IsCompleted": done(t.State), "FinishedSuccessfully": t.State == "Success", "HasPendingInterruptions": false,
		"CanRerun": false, "HasWarningsOrErrors": t.State != "Success" && done(t.State), "ProjectId": nil,
		"EstimatedRemainingQueueDurationSeconds": 0, "PendingInterruptionTypes": []string{}, "PendingPreconditionTypes": []string{},
		"HasPendingPreconditions": false,
		"Links": map[string]string{"Self": self, "Web": "/app#/Spaces-1/tasks/" + t.Id, "Raw": self + "/raw", "Rerun": "/api/tasks/rerun/" + t.Id,
			"Cancel": self + "/cancel", "State": self + "/state", "QueuedBehind": self + "/queued-behind{?skip}", "Details": self + "/details{?verbose,tail}",
			"Artifacts": "/api/Spaces-1/artifacts?regarding=" + t.Id, "Interruptions": "/api/Spaces-1/interruptions?regarding=" + t.Id}}
}

// detailsJSON is GET /api/tasks/{id}/details in the shape of
// TaskDetailsResource: the task, and ActivityLogs holding one tree whose
// root is the task, with one step below it and one child per machine,
// named after the machine, holding that machine's log lines.
func (s *Server) detailsJSON(t *task) map[string]any {
	step := "Run script"
	if t.Name == "Health" {
		step = "Check deployment target health"
	}
	status := activityStatus(t.State)
	children := []map[string]any{}
	for i, a := range t.children {
		elems := []map[string]any{}
		for _, l := range a.Logs {
			elems = append(elems, map[string]any{"Category": l.Category, "OccurredAt": timeOrNil(t.started), "MessageText": l.Text})
		}
		children = append(children, map[string]any{"Id": t.Id + "_step/" + strconv.Itoa(i), "Name": a.Name, "Status": a.Status,
			"Children": []any{}, "ShowAtSummaryLevel": true, "LogElements": elems, "ProgressPercentage": 0, "ProgressMessage": nil})
	}
	stepNode := map[string]any{"Id": t.Id + "_step", "Name": step, "Status": status, "Children": children, "ShowAtSummaryLevel": true,
		"LogElements": []any{}, "ProgressPercentage": 0, "ProgressMessage": nil}
	root := map[string]any{"Id": t.Id, "Name": t.Description, "Status": status, "Children": []any{stepNode}, "ShowAtSummaryLevel": false,
		"LogElements": []any{}, "ProgressPercentage": 0, "ProgressMessage": nil}
	percent := 0
	if done(t.State) {
		percent = 100
	}
	return map[string]any{"Task": s.taskJSON(t), "ActivityLogs": []any{root},
		"Progress": map[string]any{"ProgressPercentage": percent, "EstimatedTimeRemaining": ""}, "PhysicalLogSize": 0, "Links": map[string]string{}}
}

// activityStatus is the ActivityStatus a task's root shows for its state.
func activityStatus(state string) string {
	switch state {
	case "Queued":
		return "Pending"
	case "Executing", "Cancelling":
		return "Running"
	case "TimedOut":
		return "Failed"
	}
	return state
}
