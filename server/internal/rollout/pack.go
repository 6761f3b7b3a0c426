// Package rollout moves every polling Tentacle of an Octopus space to a
// new node list through Octopus itself: it finds the polling Tentacles
// (deployment targets and workers), runs a change pack's update-tentacle
// script on them as ad-hoc script tasks (the Script Console's task), a
// canary first and then in batches, follows each task to its end, keeps
// its progress in a state file so a re-run resumes, and finishes with a
// health check task on the machines it changed.
//
// The API key only ever travels in the client's X-Octopus-ApiKey header:
// the update script does not need it (poll-server
// --reuse-server-thumbprint), and a script that would carry it is refused.
package rollout

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The change pack's files a rollout reads.
const (
	BashScript       = "change/update-tentacle.sh"
	PowerShellScript = "change/update-tentacle.ps1"
	AgentScript      = "change/kubernetes-agent.sh"
	PlanFile         = "plan.json"
)

// maxScript bounds a script read from the pack.
const maxScript = 1 << 20

// Pack is a cluster change pack as `server change -out DIR` writes it.
type Pack struct {
	Dir        string
	Bash       string
	PowerShell string
	// ServerURL and Space are the new plan's server.url and server.space.
	ServerURL, Space string
	// Digest identifies the scripts, so a state file is never applied to
	// another change.
	Digest string
}

// LoadPack reads the scripts and the plan's server from dir, naming
// whatever is missing.
func LoadPack(dir string) (Pack, error) {
	p := Pack{Dir: dir}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return p, fmt.Errorf("rollout: %s is not a folder: -change takes the folder `server change -out DIR` wrote", dir)
	}
	var missing []string
	read := func(name string) string {
		data, err := readLimited(filepath.Join(dir, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, name)
			return ""
		}
		if err != nil {
			missing = append(missing, fmt.Sprintf("%s (%v)", name, err))
		}
		return string(data)
	}
	p.Bash, p.PowerShell = read(BashScript), read(PowerShellScript)
	planData := read(PlanFile)
	if len(missing) > 0 {
		return p, fmt.Errorf("rollout: the change pack %s has no %s: write it with `server change -from current.json -to new.json -out %s`", dir, strings.Join(missing, ", "), dir)
	}
	// Only server.url and server.space are read, so a plan with fields
	// this version does not know (a fleet) still serves.
	var plan struct {
		Server struct {
			URL   string `json:"url"`
			Space string `json:"space"`
		} `json:"server"`
	}
	if err := json.Unmarshal([]byte(planData), &plan); err != nil {
		return p, fmt.Errorf("rollout: %s is not a plan: %v", filepath.Join(dir, PlanFile), err)
	}
	if plan.Server.URL == "" {
		return p, fmt.Errorf("rollout: %s has no server.url (the Octopus web address)", filepath.Join(dir, PlanFile))
	}
	p.ServerURL, p.Space = plan.Server.URL, plan.Server.Space
	sum := sha256.New()
	for _, s := range []string{p.Bash, "\x00", p.PowerShell} {
		sum.Write([]byte(s))
	}
	p.Digest = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	return p, nil
}

// ErrNeedsKey is a script that would need the API key inside the task.
var ErrNeedsKey = errors.New("rollout: the update script needs the API key")

// CheckScripts refuses scripts that carry the key, or that do not use
// poll-server --reuse-server-thumbprint and so would need it: the key is
// never sent in a task's body, where every task log reader could see it.
func (p Pack) CheckScripts(key string) error {
	for _, script := range [][2]string{{BashScript, p.Bash}, {PowerShellScript, p.PowerShell}} {
		name, body := script[0], script[1]
		if key != "" && strings.Contains(body, key) {
			return fmt.Errorf("%w: %s contains the key itself; a task's script body is visible to everyone who can read the task, so it is not sent", ErrNeedsKey, name)
		}
		if !strings.Contains(strings.ToLower(body), "--reuse-server-thumbprint") {
			return fmt.Errorf("%w: %s does not use poll-server --reuse-server-thumbprint (Tentacle 8.1.1713+), so it would need the key on each machine; a rollout never sends the key in a task", ErrNeedsKey, name)
		}
	}
	return nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScript+1))
	if len(data) > maxScript {
		return nil, fmt.Errorf("larger than %d bytes", maxScript)
	}
	return data, err
}
