package rollout

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateVersion is the state file's format.
const stateVersion = 1

// State is a rollout's progress, kept in the state file between runs: a
// re-run skips the machines done and retries the rest. It holds no
// secret: names, Ids, statuses, task Ids and log lines.
type State struct {
	Version int `json:"version"`
	// Server, SpaceID and Change say what the state belongs to; a state
	// file of another server, space or change pack is refused.
	Server   string                   `json:"server"`
	SpaceID  string                   `json:"spaceId"`
	Change   string                   `json:"change"`
	Machines map[string]*MachineState `json:"machines"`
}

// MachineState is one machine's progress.
type MachineState struct {
	Name string `json:"name"`
	// Status is done, failed, offline or skipped (report.Machine*).
	Status string `json:"status"`
	// Tasks are the server tasks that ran the script on it, oldest first.
	Tasks   []string  `json:"tasks,omitempty"`
	Message string    `json:"message,omitempty"`
	Updated time.Time `json:"updated"`
}

// LoadState reads path; a missing file is a fresh state.
func LoadState(path string) (*State, error) {
	st := &State{Version: stateVersion, Machines: map[string]*MachineState{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rollout: read state %s: %w", path, err)
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("rollout: state %s is not a rollout state file: %v", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("rollout: state %s has version %d; this rollout writes version %d", path, st.Version, stateVersion)
	}
	if st.Machines == nil {
		st.Machines = map[string]*MachineState{}
	}
	return st, nil
}

// Claim ties a fresh state to the server, space and change, or checks
// that a loaded one belongs to them.
func (st *State) Claim(path, server, spaceID, change string) error {
	if len(st.Machines) == 0 {
		st.Server, st.SpaceID, st.Change = server, spaceID, change
		return nil
	}
	switch {
	case st.Server != server:
		return fmt.Errorf("rollout: state %s belongs to %s, not %s: give another -state file", path, st.Server, server)
	case st.SpaceID != spaceID:
		return fmt.Errorf("rollout: state %s belongs to space %s, not %s: give another -state file", path, st.SpaceID, spaceID)
	case st.Change != change:
		return fmt.Errorf("rollout: state %s belongs to another change pack (its scripts differ): give another -state file, or remove it to start over", path)
	}
	return nil
}

// Set records a machine's status.
func (st *State) Set(m Machine, status, taskID, message string, now time.Time) {
	ms := st.Machines[m.ID]
	if ms == nil {
		ms = &MachineState{}
		st.Machines[m.ID] = ms
	}
	ms.Name, ms.Status, ms.Message, ms.Updated = m.Name, status, message, now.UTC()
	if taskID != "" {
		ms.Tasks = append(ms.Tasks, taskID)
	}
}

// Done reports whether an earlier run finished the machine.
func (st *State) Done(id string) bool {
	ms := st.Machines[id]
	return ms != nil && ms.Status == "done"
}

// Save writes the state atomically: a temporary file in the same folder,
// synced, then renamed over path, so an interrupted run leaves the old
// state or the new one, never half of one.
func (st *State) Save(path string) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("rollout: state: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("rollout: write state: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rollout: write state %s: %w", path, err)
	}
	return nil
}
