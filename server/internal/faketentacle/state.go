package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// machine is one deployment target or worker on the simulated server.
type machine struct {
	// Server is the thumbprint of the Octopus Server that holds the
	// machine: each server is its own database.
	Server             string   `json:"Server"`
	Kind               string   `json:"Kind"` // "target" or "worker"
	Space              string   `json:"Space,omitempty"`
	Name               string   `json:"Name"`
	Thumbprint         string   `json:"Thumbprint"`
	CommunicationStyle string   `json:"CommunicationStyle"`
	SubscriptionID     string   `json:"SubscriptionId,omitempty"`
	Environments       []string `json:"Environments,omitempty"`
	Roles              []string `json:"Roles,omitempty"`
	Tenants            []string `json:"Tenants,omitempty"`
	TenantTags         []string `json:"TenantTags,omitempty"`
	Participation      string   `json:"TenantedDeploymentParticipation,omitempty"`
	WorkerPools        []string `json:"WorkerPools,omitempty"`
	Policy             string   `json:"Policy,omitempty"`
}

// server is the simulated Octopus Server's side of registration.
type server struct {
	Machines []machine `json:"Machines"`
}

func serverPath(home string) string {
	return filepath.Join(home, "Tentacle", "fake-octopus-server.json")
}

func loadServer(home string) (*server, error) {
	s := &server{}
	data, err := os.ReadFile(serverPath(home))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	return s, json.Unmarshal(data, s)
}

func (s *server) save(home string) error {
	data, err := marshalJSON(s, "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(serverPath(home)), 0o755); err != nil {
		return err
	}
	return os.WriteFile(serverPath(home), []byte(data), 0o644)
}

// find returns the index of the machine of that kind and name in the
// server's space (names match ignoring case, as FindByName does), or -1.
func (s *server) find(serverThumbprint, kind, space, name string) int {
	for i, m := range s.Machines {
		if m.Server == serverThumbprint && m.Kind == kind && strings.EqualFold(m.Space, space) && strings.EqualFold(m.Name, name) {
			return i
		}
	}
	return -1
}

// injectFault counts the call and fails the command when
// FAKE_TENTACLE_FAIL names it, before anything changes. An entry "cmd:n"
// fails only the n-th call of cmd, counted across runs in a file beside the
// instance index.
func (inv *invocation) injectFault() error {
	count, err := inv.countCall()
	if err != nil {
		return err
	}
	spec := inv.getenv("FAKE_TENTACLE_FAIL")
	if spec == "" {
		return nil
	}
	for _, entry := range strings.Split(spec, ",") {
		name, nth, hasN := strings.Cut(strings.TrimSpace(entry), ":")
		if !strings.EqualFold(name, inv.command) {
			continue
		}
		if hasN {
			if n, err := strconv.Atoi(nth); err != nil || n != count {
				continue
			}
		}
		return failf(exitFailure, "faketentacle: injected failure of %s (call %d, FAKE_TENTACLE_FAIL=%s)", inv.command, count, spec)
	}
	return nil
}

// countCall records one more call of the command and returns its number.
func (inv *invocation) countCall() (int, error) {
	path := filepath.Join(inv.home, "Tentacle", "fake-calls.json")
	calls := map[string]int{}
	if data, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(data, &calls); err != nil {
			return 0, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	calls[inv.command]++
	data, err := json.Marshal(calls)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	return calls[inv.command], os.WriteFile(path, data, 0o644)
}

// secretOption reports whether an option's value is a secret, never logged.
func secretOption(name string) bool {
	switch strings.ToLower(name) {
	case "apikey", "bearertoken", "password", "p", "pfx-password", "pw", "proxypassword":
		return true
	}
	return false
}

// logInvocation appends the arguments as one JSON array line, with the
// values of secret options replaced by ***.
func logInvocation(path string, args []string) error {
	masked := append([]string(nil), args...)
	for i := 0; i < len(masked); i++ {
		m := optionPattern.FindStringSubmatch(masked[i])
		if m == nil || !secretOption(m[2]) {
			continue
		}
		if m[3] != "" {
			masked[i] = m[1] + m[2] + m[3] + "***"
		} else if i+1 < len(masked) {
			masked[i+1] = "***"
			i++
		}
	}
	line, err := marshalJSON(masked, "")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
