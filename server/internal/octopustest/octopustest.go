// Package octopustest is a fake Octopus Server REST API for tests: an
// httptest server answering with the real API's JSON shapes (root, current
// user, certificate, the node summary, spaces, environments, roles,
// tenants and worker pools with their Ids and slugs, machines by
// thumbprint, Redis status, a fleet of targets and workers, ad-hoc script
// and health tasks that run on it, with their logs), with switches for the failures tests need: a
// refused key, a slow server, an old version, a redirect elsewhere.
package octopustest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
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
	// NodeNames are the cluster's nodes, each online with 5 task slots;
	// Nodes, when not nil, replaces them with nodes in any state.
	NodeNames []string
	Nodes     []Node
	// Environments, Roles, Tenants and WorkerPools exist in Spaces-1 (Default).
	Environments, Roles, Tenants, WorkerPools []string
	// Machines are returned by machines/all?thumbprint= for their Endpoint.Thumbprint.
	Machines []Machine
	// Fleet is listed by machines/all and workers/all without ?thumbprint=
	// and runs the ad-hoc script and health tasks (fleet.go, tasks.go).
	Fleet []FleetMachine
	// ScriptEnv is added to the environment of every ad-hoc Bash body.
	ScriptEnv []string
	tasks     []*task
	// Redis is GET /api/serverstatus/redis: multi-node readiness.
	Redis Redis
	// RedirectTo, when set, answers every request with 307 to RedirectTo
	// plus the request's path and query.
	RedirectTo string
	// Delay slows every answer (for timeout tests).
	Delay time.Duration
	// OldCertificateRoute serves the certificate at the pre-2019 route only.
	OldCertificateRoute bool
	// Requests records every path asked for.
	Requests []string
	// KeyedRequests records the paths of requests that carried an
	// X-Octopus-ApiKey header, whatever its value.
	KeyedRequests []string
}

// Node is one entry of GET /api/octopusservernodes/summary.
type Node struct {
	Name                string
	MaxConcurrentTasks  int
	IsOffline           bool
	IsInMaintenanceMode bool
}

// Redis is the body of GET /api/serverstatus/redis.
type Redis struct{ IsEnabled, IsConfigured, IsReachable bool }

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
		Redis:        Redis{IsEnabled: true, IsConfigured: true, IsReachable: true},
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

// Keyed returns the paths of the requests that carried an API key.
func (s *Server) Keyed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.KeyedRequests...)
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
	if r.Header.Get("X-Octopus-ApiKey") != "" {
		s.KeyedRequests = append(s.KeyedRequests, r.URL.Path)
	}
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
	if s.RedirectTo != "" {
		http.Redirect(w, r, s.RedirectTo+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		return
	}
	anonymous := path == "/api" || path == "/api/serverstatus/redis"
	if !anonymous && r.Header.Get("X-Octopus-ApiKey") != s.APIKey {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"ErrorMessage": "You must be logged in to perform this action. Please provide a valid API key or log in again.", "Errors": []string{}})
		return
	}
	switch {
	case path == "/api":
		writeJSON(w, 200, map[string]any{"Application": "Octopus Deploy", "Version": s.Version, "ApiVersion": "3.0.0", "InstallationId": "00000000-0000-0000-0000-000000000001",
			"Links": map[string]string{"Self": "/api", "CurrentUser": "/api/users/me", "Spaces": "/api/spaces{/id}{?name,skip,ids,take,partialName}", "OctopusServerNodes": "/api/octopusservernodes{/id}{?skip,take,ids,partialName}", "OctopusServerClusterSummary": "/api/octopusservernodes/summary", "CertificateConfiguration": "/api/configuration/certificates{/id}{?skip,take}"}})
	case path == "/api/serverstatus/redis":
		writeJSON(w, 200, s.Redis)
	case path == "/api/users/me":
		writeJSON(w, 200, map[string]any{"Id": "Users-1", "Username": "ops-bot", "DisplayName": "Ops Bot", "IsActive": true, "IsService": true, "EmailAddress": "", "Links": map[string]string{"Spaces": "/api/users/Users-1/spaces"}})
	case path == "/api/configuration/certificates/certificate-global" && !s.OldCertificateRoute,
		path == "/api/certificates/certificate-global" && s.OldCertificateRoute:
		writeJSON(w, 200, map[string]any{"Id": "certificate-global", "Name": "Octopus Portal", "Thumbprint": s.Thumbprint, "SignatureAlgorithm": "sha256RSA", "Links": map[string]string{}})
	case path == "/api/octopusservernodes/summary":
		writeJSON(w, 200, map[string]any{"Nodes": s.summary(), "Links": map[string]string{}})
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
	case (path == "/api/Spaces-1/machines/all" || path == "/api/Spaces-1/workers/all") && r.URL.Query().Has("thumbprint"):
		worker := strings.HasSuffix(path, "/workers/all")
		out := []map[string]any{}
		for i, m := range s.Machines {
			if m.Worker == worker && strings.EqualFold(m.Thumbprint, r.URL.Query().Get("thumbprint")) {
				out = append(out, map[string]any{"Id": "Machines-" + string(rune('1'+i)), "Name": m.Name, "HealthStatus": m.HealthStatus, "StatusSummary": "Tentacle is polling", "IsDisabled": false,
					"Endpoint": map[string]any{"CommunicationStyle": "TentacleActive", "Uri": m.SubscriptionID, "Thumbprint": m.Thumbprint}})
			}
		}
		writeJSON(w, 200, out)
	case s.serveFleet(w, r), s.serveTasks(w, r): // each answers when the route is its own
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"ErrorMessage": "The resource you requested was not found.", "Errors": []string{}})
	}
}

// summary is the node list in the shape of OctopusServerClusterSummaryResource.
func (s *Server) summary() []map[string]any {
	nodes := s.Nodes
	if nodes == nil {
		for _, n := range s.NodeNames {
			nodes = append(nodes, Node{Name: n, MaxConcurrentTasks: 5})
		}
	}
	out := []map[string]any{}
	for _, n := range nodes {
		lastSeen := "2026-08-19T10:00:00.000+00:00"
		if n.IsOffline {
			lastSeen = "2026-08-01T07:30:00.000+00:00"
		}
		out = append(out, map[string]any{"Id": "OctopusServerNodes-" + n.Name, "Name": n.Name, "MaxConcurrentTasks": n.MaxConcurrentTasks,
			"IsInMaintenanceMode": n.IsInMaintenanceMode, "LastSeen": lastSeen, "IsOffline": n.IsOffline, "RunningTaskCount": 0,
			"Version": s.Version, "MaxSqlConnectionPoolSize": 200, "RecommendedMaxSqlConnectionPoolSize": 100, "Links": map[string]string{}})
	}
	return out
}

// resources lists names as Octopus resources: Ids kind-1, kind-2, … and
// the slug Octopus derives (lower case, spaces as hyphens).
func resources(kind string, names []string) []map[string]any {
	out := []map[string]any{}
	for i, n := range names {
		out = append(out, map[string]any{"Id": kind + "-" + strconv.Itoa(i+1), "Name": n, "Slug": strings.ToLower(strings.ReplaceAll(n, " ", "-")), "SpaceId": "Spaces-1"})
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
