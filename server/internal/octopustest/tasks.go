package octopustest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// TaskRecord is one task the fake was asked to run, as it was posted.
type TaskRecord struct {
	Id, Name, Description, SpaceId string
	TargetType, Syntax, ScriptBody string
	MachineIds                     []string
	// Body is the POST body exactly as it arrived.
	Body string
	// State is the task's current state; Submitted and Finished are when
	// it was posted and when it reached a final state.
	State               string
	Submitted, Finished time.Time
}

// task is a task's state in the fake: the record and its log tree.
type task struct {
	TaskRecord
	started  time.Time
	errorMsg string
	children []activity
	cancel   chan struct{}
}

// activity is one per-machine node of a task log (ActivityElement).
type activity struct {
	Name, Status string
	Logs         []logLine
}

type logLine struct{ Category, Text string }

// Tasks returns the tasks posted so far, oldest first.
func (s *Server) Tasks() []TaskRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TaskRecord, 0, len(s.tasks))
	for _, t := range s.tasks {
		out = append(out, t.TaskRecord)
	}
	return out
}

// serveTasks answers POST /api/tasks, GET /api/tasks/{id},
// GET /api/tasks/{id}/details and POST /api/tasks/{id}/cancel; it reports
// whether it answered. Call under the lock.
func (s *Server) serveTasks(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/tasks")
	if !ok {
		return false
	}
	id, sub, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	switch {
	case id == "" && r.Method == http.MethodPost:
		s.createTask(w, r)
	case id != "" && s.taskByID(id) == nil:
		writeJSON(w, http.StatusNotFound, map[string]any{"ErrorMessage": "The resource you requested was not found.", "Errors": []string{}})
	case sub == "" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.taskJSON(s.taskByID(id)))
	case sub == "details" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.detailsJSON(s.taskByID(id)))
	case sub == "cancel" && r.Method == http.MethodPost:
		t := s.taskByID(id)
		if !done(t.State) {
			t.State = "Cancelling"
			close(t.cancel)
		}
		writeJSON(w, http.StatusOK, s.taskJSON(t))
	default:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"ErrorMessage": "Method not allowed", "Errors": []string{}})
	}
	return true
}

func (s *Server) taskByID(id string) *task {
	for _, t := range s.tasks {
		if t.Id == id {
			return t
		}
	}
	return nil
}

func done(state string) bool {
	return state != "Queued" && state != "Executing" && state != "Cancelling"
}

// createTask checks the body as the server would refuse it (400 with
// Errors[]) and starts the task.
func (s *Server) createTask(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name, Description, SpaceId string
		Arguments                  struct {
			MachineIds                     []string
			TargetType, Syntax, ScriptBody string
			Timeout, MachineTimeout        string
		}
	}
	raw, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(raw, &body); err != nil {
		badRequest(w, "The request body is not valid JSON")
		return
	}
	s.fleetIDs()
	var problems []string
	if body.SpaceId != "Spaces-1" {
		problems = append(problems, fmt.Sprintf("SpaceId %q is not a space", body.SpaceId))
	}
	if len(body.Arguments.MachineIds) == 0 {
		problems = append(problems, "MachineIds must name at least one machine")
	}
	for _, id := range body.Arguments.MachineIds {
		m, ok := s.fleetMachine(id)
		switch {
		case !ok:
			problems = append(problems, "No machine with Id "+id)
		case body.Name == "AdHocScript" && (m.Worker != (body.Arguments.TargetType == "Workers")):
			problems = append(problems, fmt.Sprintf("%s is not one of the %s", id, body.Arguments.TargetType))
		}
	}
	switch body.Name {
	case "AdHocScript":
		if body.Arguments.TargetType != "Machines" && body.Arguments.TargetType != "Workers" {
			problems = append(problems, "TargetType must be Machines or Workers here")
		}
		if body.Arguments.Syntax != "Bash" && body.Arguments.Syntax != "PowerShell" {
			problems = append(problems, "Syntax must be Bash or PowerShell here")
		}
		if strings.TrimSpace(body.Arguments.ScriptBody) == "" {
			problems = append(problems, "ScriptBody is empty")
		}
	case "Health":
		if _, err := parseTimeSpan(body.Arguments.Timeout); err != nil {
			problems = append(problems, "Timeout must be a TimeSpan such as 00:05:00")
		}
	default:
		problems = append(problems, "The fake runs only AdHocScript and Health tasks")
	}
	if len(problems) > 0 {
		badRequest(w, problems...)
		return
	}
	t := &task{TaskRecord: TaskRecord{Id: "ServerTasks-" + strconv.Itoa(len(s.tasks)+1), Name: body.Name, Description: body.Description,
		SpaceId: body.SpaceId, TargetType: body.Arguments.TargetType, Syntax: body.Arguments.Syntax, ScriptBody: body.Arguments.ScriptBody,
		MachineIds: body.Arguments.MachineIds, Body: string(raw), State: "Queued", Submitted: time.Now()}, cancel: make(chan struct{})}
	s.tasks = append(s.tasks, t)
	machines := make([]FleetMachine, 0, len(t.MachineIds))
	for _, id := range t.MachineIds {
		m, _ := s.fleetMachine(id)
		machines = append(machines, m)
	}
	go s.execute(t, machines, append([]string(nil), s.ScriptEnv...))
	w.Header().Set("Location", "/api/tasks/"+t.Id)
	writeJSON(w, http.StatusCreated, s.taskJSON(t))
}

func (s *Server) fleetMachine(id string) (FleetMachine, bool) {
	for _, m := range s.Fleet {
		if m.Id == id {
			return m, true
		}
	}
	return FleetMachine{}, false
}

func parseTimeSpan(v string) (time.Duration, error) {
	var h, m, sec int
	if _, err := fmt.Sscanf(v, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0, err
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

func badRequest(w http.ResponseWriter, errs ...string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"ErrorMessage": "There was a problem with your request.", "Errors": errs})
}
