// Package octopustest is a fake Octopus Server REST API for tests: an
// httptest server answering with the real API's JSON shapes (root, current
// user, certificate, nodes, spaces, environments, roles, tenants, worker
// pools, machines by thumbprint, Redis status), with switches for the
// failures tests need: a refused key, a slow server, an old version.
package octopustest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Server is the fake API. Change its fields before or between requests;
// they are read under a lock.
type Server struct {
	*httptest.Server

	mu sync.Mutex
	// APIKey is the only key accepted.
	APIKey string
	// Version is reported by GET /api.
	Version string
	// Thumbprint is the server certificate's thumbprint.
	Thumbprint string
	// NodeNames are the cluster's nodes.
	NodeNames []string
	// Environments, Roles, Tenants and WorkerPools exist in Spaces-1 (Default).
	Environments, Roles, Tenants, WorkerPools []string
	// Machines are returned by machines/all?thumbprint= for their Endpoint.Thumbprint.
	Machines []Machine
	// Redis reports multi-node readiness.
	RedisEnabled bool
	// Delay slows every answer (for timeout tests).
	Delay time.Duration
	// OldCertificateRoute serves the certificate at the pre-2019 route only.
	OldCertificateRoute bool
	// Requests records every path asked for, with headers other than the key.
	Requests []string
}

// Machine is a registered Tentacle.
type Machine struct {
	Name, Thumbprint, HealthStatus, SubscriptionID string
	Worker                                         bool
}

// New starts a fake with sensible defaults; it is closed with the test.
func New(tb interface {
	Cleanup(func())
	Helper()
}) *Server {
	tb.Helper()
	s := &Server{
		APIKey:       "API-GOODKEY0000000000000000000000",
		Version:      "2026.4.6909",
		Thumbprint:   "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6",
		NodeNames:    []string{"Node1", "Node2", "Node3"},
		Environments: []string{"Production", "Staging"},
		Roles:        []string{"web", "api"},
		Tenants:      []string{"Acme Corp"},
		WorkerPools:  []string{"Default Worker Pool", "Edge"},
		RedisEnabled: true,
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Set changes fields under the lock.
func (s *Server) Set(f func(s *Server)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// Paths returns the paths requested so far.
func (s *Server) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.Requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Requests = append(s.Requests, r.URL.Path)
	delay := s.Delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := r.URL.Path
	anonymous := path == "/api" || path == "/api/serverstatus/redis"
	if !anonymous && r.Header.Get("X-Octopus-ApiKey") != s.APIKey {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"ErrorMessage": "You must be logged in to perform this action. Please provide a valid API key or log in again.", "Errors": []string{}})
		return
	}
	switch {
	case path == "/api":
		writeJSON(w, 200, map[string]any{"Application": "Octopus Deploy", "Version": s.Version, "ApiVersion": "3.0.0", "InstallationId": "00000000-0000-0000-0000-000000000001",
			"Links": map[string]string{"Self": "/api", "CurrentUser": "/api/users/me", "Spaces": "/api/spaces{/id}{?name,skip,ids,take,partialName}", "OctopusServerNodes": "/api/octopusservernodes{/id}{?skip,take,ids,partialName}", "CertificateConfiguration": "/api/configuration/certificates{/id}{?skip,take}"}})
	case path == "/api/serverstatus/redis":
		writeJSON(w, 200, map[string]bool{"IsEnabled": s.RedisEnabled, "IsConfigured": s.RedisEnabled, "IsReachable": s.RedisEnabled})
	case path == "/api/users/me":
		writeJSON(w, 200, map[string]any{"Id": "Users-1", "Username": "ops-bot", "DisplayName": "Ops Bot", "IsActive": true, "IsService": true, "EmailAddress": "", "Links": map[string]string{"Spaces": "/api/users/Users-1/spaces"}})
	case path == "/api/configuration/certificates/certificate-global" && !s.OldCertificateRoute,
		path == "/api/certificates/certificate-global" && s.OldCertificateRoute:
		writeJSON(w, 200, map[string]any{"Id": "certificate-global", "Name": "Octopus Portal", "Thumbprint": s.Thumbprint, "SignatureAlgorithm": "sha256RSA", "Links": map[string]string{}})
	case path == "/api/octopusservernodes/all":
		nodes := []map[string]any{}
		for i, n := range s.NodeNames {
			nodes = append(nodes, map[string]any{"Id": "OctopusServerNodes-" + n, "Name": n, "MaxConcurrentTasks": 5, "IsInMaintenanceMode": i < 0, "Links": map[string]string{}})
		}
		writeJSON(w, 200, nodes)
	case path == "/api/users/Users-1/spaces":
		writeJSON(w, 200, []map[string]any{{"Id": "Spaces-1", "Name": "Default", "Slug": "default", "IsDefault": true, "IsPrivate": false, "TaskQueueStopped": false}, {"Id": "Spaces-2", "Name": "Platform Team", "Slug": "platform-team", "IsDefault": false}})
	case path == "/api/Spaces-1/environments/all":
		writeJSON(w, 200, resources("Environments", s.Environments))
	case path == "/api/Spaces-1/tenants/all":
		writeJSON(w, 200, resources("Tenants", s.Tenants))
	case path == "/api/Spaces-1/workerpools/all":
		writeJSON(w, 200, resources("WorkerPools", s.WorkerPools))
	case path == "/api/Spaces-1/machineroles/all":
		writeJSON(w, 200, s.Roles)
	case path == "/api/Spaces-1/machines/all", path == "/api/Spaces-1/workers/all":
		worker := strings.HasSuffix(path, "/workers/all")
		out := []map[string]any{}
		for i, m := range s.Machines {
			if m.Worker == worker && strings.EqualFold(m.Thumbprint, r.URL.Query().Get("thumbprint")) {
				out = append(out, map[string]any{"Id": "Machines-" + string(rune('1'+i)), "Name": m.Name, "HealthStatus": m.HealthStatus, "StatusSummary": "Tentacle is polling", "IsDisabled": false,
					"Endpoint": map[string]any{"CommunicationStyle": "TentacleActive", "Uri": m.SubscriptionID, "Thumbprint": m.Thumbprint}})
			}
		}
		writeJSON(w, 200, out)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"ErrorMessage": "The resource you requested was not found.", "Errors": []string{}})
	}
}

func resources(kind string, names []string) []map[string]any {
	out := []map[string]any{}
	for i, n := range names {
		out = append(out, map[string]any{"Id": kind + "-" + string(rune('1'+i)), "Name": n, "Slug": strings.ToLower(strings.ReplaceAll(n, " ", "-")), "SpaceId": "Spaces-1"})
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
