package octopus

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// Task names and arguments, as OctopusClients spells them
// (Model/BuiltInTasks.cs: AdHocScript, Health and their Arguments).
const (
	TaskAdHocScript = "AdHocScript"
	TaskHealth      = "Health"
)

// Ad-hoc script target types (BuiltInTasks.AdHocScript.TargetType):
// Machines names deployment targets by MachineIds, Workers names workers.
const (
	TargetMachines = "Machines"
	TargetWorkers  = "Workers"
)

// Script syntaxes (Model/ScriptSyntax.cs).
const (
	Bash       = "Bash"
	PowerShell = "PowerShell"
)

// Task states (Model/TaskState.cs, serialised as strings).
const (
	TaskQueued     = "Queued"
	TaskExecuting  = "Executing"
	TaskFailed     = "Failed"
	TaskCanceled   = "Canceled"
	TaskTimedOut   = "TimedOut"
	TaskSuccess    = "Success"
	TaskCancelling = "Cancelling"
)

// TaskCompleted mirrors TaskStateExtensions.IsCompleted: every state but
// Queued, Executing and Cancelling is final.
func TaskCompleted(state string) bool {
	return state != TaskQueued && state != TaskExecuting && state != TaskCancelling
}

// NewTask is the body of POST /api/tasks (Model/TaskResource.cs: Name,
// Description, Arguments and SpaceId are what a client writes).
type NewTask struct {
	Name        string
	Description string
	SpaceId     string
	Arguments   map[string]any
}

// AdHocScript is the Script Console's task (TaskRepository.ExecuteAdHocScript;
// OctopusDeploy-Api REST/PowerShell/SubmitScriptConsoleTask.ps1) on the
// machines named: targetType is TargetMachines or TargetWorkers.
func AdHocScript(spaceID, description, targetType, syntax, body string, machineIDs []string) NewTask {
	return NewTask{Name: TaskAdHocScript, Description: description, SpaceId: spaceID, Arguments: map[string]any{
		"MachineIds": machineIDs, "TargetType": targetType, "Syntax": syntax, "ScriptBody": body,
	}}
}

// HealthCheck is TaskRepository.ExecuteHealthCheck on the machines named
// (targets and workers alike go in MachineIds). Timeout and MachineTimeout
// are TimeSpans, which Json.NET writes as "hh:mm:ss".
func HealthCheck(spaceID, description string, timeout, machineTimeout time.Duration, machineIDs []string) NewTask {
	return NewTask{Name: TaskHealth, Description: description, SpaceId: spaceID, Arguments: map[string]any{
		"Timeout": timeSpan(timeout), "MachineTimeout": timeSpan(machineTimeout), "MachineIds": machineIDs,
	}}
}

func timeSpan(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// Task is a server task as GET /api/tasks/{id} returns it
// (Model/TaskResource.cs).
type Task struct {
	Id                   string
	Name                 string
	Description          string
	SpaceId              string
	State                string
	Completed            string
	QueueTime            string
	StartTime            string
	CompletedTime        string
	Duration             string
	ErrorMessage         string
	IsCompleted          bool
	FinishedSuccessfully bool
	HasWarningsOrErrors  bool
}

// CreateTask queues a task: POST /api/tasks, with the space in the body
// as SubmitScriptConsoleTask.ps1 sends it.
func (c *Client) CreateTask(ctx context.Context, t NewTask) (Task, error) {
	var out Task
	err := c.post(ctx, "/api/tasks", t, &out)
	return out, err
}

// Task reads GET /api/tasks/{id} (the task's Self link).
func (c *Client) Task(ctx context.Context, id string) (Task, error) {
	var out Task
	err := c.get(ctx, "/api/tasks/"+url.PathEscape(id), nil, &out)
	return out, err
}

// CancelTask asks for a task to stop: POST /api/tasks/{id}/cancel (the
// task's Cancel link; TaskRepository.Cancel posts no body).
func (c *Client) CancelTask(ctx context.Context, id string) error {
	return c.post(ctx, "/api/tasks/"+url.PathEscape(id)+"/cancel", nil, nil)
}

// TaskDetails is GET /api/tasks/{id}/details (Model/TaskDetailsResource.cs).
type TaskDetails struct {
	Task         Task
	ActivityLogs []Activity
}

// Activity is one node of a task's log tree (Model/ActivityElement.cs);
// Status is an ActivityStatus (Pending, Running, Success, Failed, Skipped,
// SuccessWithWarning, Canceled).
type Activity struct {
	Id          string
	Name        string
	Status      string
	Children    []Activity
	LogElements []LogElement
}

// LogElement is one line of a task log (Model/ActivityLogElement.cs);
// Category is a string such as Info, Warning, Error or Fatal (OctopusClients
// keeps it a plain string; the names are the server's log levels).
type LogElement struct {
	Category    string
	OccurredAt  string
	MessageText string
	Detail      string
}

// TaskDetails reads the task and its log tree (the task's Details link,
// /api/tasks/{id}/details{?verbose,tail}).
func (c *Client) TaskDetails(ctx context.Context, id string) (TaskDetails, error) {
	var out TaskDetails
	err := c.get(ctx, "/api/tasks/"+url.PathEscape(id)+"/details", url.Values{"verbose": {"false"}}, &out)
	return out, err
}
