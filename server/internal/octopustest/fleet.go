package octopustest

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// FleetMachine is a deployment target, worker or Kubernetes agent of the
// fake's fleet: listed by machines/all and workers/all (without
// ?thumbprint=), and the machines its ad-hoc script and health tasks run on.
type FleetMachine struct {
	// Id defaults to Machines-<n> for targets, Workers-<n> for workers.
	Id   string
	Name string
	// Worker lists it under workers/all with WorkerPoolIds.
	Worker bool
	// OS is "linux" (Bash), "windows" (PowerShell) or "" (never checked:
	// OperatingSystem and ShellName "Unknown").
	OS string
	// Style is the endpoint's CommunicationStyle; "" means TentacleActive.
	Style string
	// Health is HealthStatus; "" means Healthy. Unavailable machines fail
	// every task they are in, as an unreachable Tentacle does.
	Health   string
	Disabled bool
	// Environments, Roles and WorkerPools are names; the listing carries
	// the Ids the fake gives those names (Environments-<n>, WorkerPools-<n>).
	Environments, Roles, WorkerPools []string
	// Home is the machine's own fake Tentacle folder: an ad-hoc Bash body
	// runs with TentacleMachineConfigurationHomeDirectory set to it.
	Home string
	// Env is added to the environment of a Bash body run on this machine
	// (FAKE_TENTACLE_FAIL=poll-server makes the real script fail).
	Env []string
	// Fail makes any script on the machine fail with this log line,
	// without running it (for PowerShell, which the fake does not run).
	Fail string
	// Hang keeps a script task on the machine running until it is
	// cancelled; TimeOut ends it TimedOut, as the server's own timeout.
	Hang, TimeOut bool
	// Unhealthy makes a health check fail on the machine.
	Unhealthy bool
}

func (m FleetMachine) style() string {
	if m.Style == "" {
		return "TentacleActive"
	}
	return m.Style
}

func (m FleetMachine) health() string {
	if m.Health == "" {
		return "Healthy"
	}
	return m.Health
}

// fleetIDs gives every fleet machine its Id; call under the lock.
func (s *Server) fleetIDs() {
	for i := range s.Fleet {
		if s.Fleet[i].Id != "" {
			continue
		}
		if s.Fleet[i].Worker {
			s.Fleet[i].Id = "Workers-" + strconv.Itoa(i+1)
		} else {
			s.Fleet[i].Id = "Machines-" + strconv.Itoa(i+1)
		}
	}
}

// serveFleet answers machines/all and workers/all in the shape of
// MachineResource and WorkerResource; it reports whether it answered.
func (s *Server) serveFleet(w http.ResponseWriter, r *http.Request) bool {
	worker := r.URL.Path == "/api/Spaces-1/workers/all"
	if !worker && r.URL.Path != "/api/Spaces-1/machines/all" {
		return false
	}
	s.fleetIDs()
	out := []map[string]any{}
	for _, m := range s.Fleet {
		if m.Worker == worker {
			out = append(out, s.machineJSON(m))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return true
}

func (s *Server) machineJSON(m FleetMachine) map[string]any {
	osName, osVersion, shell, shellVersion := "Unknown", "Unknown", "Unknown", "Unknown"
	switch m.OS {
	case "linux":
		osName, osVersion, shell, shellVersion = "Linux", "Debian GNU/Linux 13", "Bash", "5.2.37"
	case "windows":
		osName, osVersion, shell, shellVersion = "Microsoft Windows Server 2022 Datacenter", "10.0.20348.0", "PowerShell", "5.1.20348.2849"
	}
	sum := sha1.Sum([]byte(m.Name))
	thumb := strings.ToUpper(hex.EncodeToString(sum[:]))
	uri := "poll://" + strings.ToLower(strings.ReplaceAll(m.Id, "-", "")) + "/"
	endpoint := map[string]any{"Id": nil, "LastModifiedOn": nil, "LastModifiedBy": nil, "Links": map[string]string{},
		"CommunicationStyle": m.style(), "Uri": uri, "Thumbprint": thumb, "CertificateSignatureAlgorithm": "sha256RSA",
		"TentacleVersionDetails": map[string]any{"UpgradeLocked": false, "Version": "8.3.2840", "UpgradeSuggested": false, "UpgradeRequired": false, "UpgradeAvailable": false}}
	if m.style() == "KubernetesTentacle" {
		endpoint = map[string]any{"CommunicationStyle": m.style(), "DefaultNamespace": "octopus-agent-" + m.Name, "UpgradeLocked": false,
			"TentacleEndpointConfiguration": map[string]any{"CommunicationMode": "Polling", "Uri": uri, "Thumbprint": thumb, "CertificateSignatureAlgorithm": "sha256RSA"},
			"Id":                            nil, "Links": map[string]string{}}
	}
	kind := "machines"
	if m.Worker {
		kind = "workers"
	}
	out := map[string]any{"Id": m.Id, "Name": m.Name, "SpaceId": "Spaces-1", "Thumbprint": thumb, "Uri": uri, "IsDisabled": m.Disabled,
		"MachinePolicyId": "MachinePolicies-1", "HealthStatus": m.health(), "HasLatestCalamari": true,
		"StatusSummary": "Octopus was able to successfully establish a connection with this machine on " + "Tuesday, 18 November 2026 8:00 AM",
		"IsInProcess":   false, "Endpoint": endpoint, "OperatingSystem": osName, "OperatingSystemVersion": osVersion, "ShellName": shell,
		"ShellVersion": shellVersion, "Architecture": "x64", "Slug": strings.ToLower(m.Name), "SkipInitialHealthCheck": false,
		"Links": map[string]string{"Self": "/api/Spaces-1/" + kind + "/" + m.Id, "Connection": "/api/Spaces-1/" + kind + "/" + m.Id + "/connection"}}
	if m.health() == "Unavailable" {
		out["StatusSummary"] = "The machine was not available during the last health check."
	}
	if m.Worker {
		out["WorkerPoolIds"] = ids("WorkerPools", s.WorkerPools, m.WorkerPools)
	} else {
		out["EnvironmentIds"] = ids("Environments", s.Environments, m.Environments)
		out["Roles"] = orEmpty(m.Roles)
		out["TenantIds"], out["TenantTags"], out["TenantedDeploymentParticipation"] = []string{}, []string{}, "Untenanted"
	}
	return out
}

// ids maps names to the Ids resources() gives them; unknown names keep
// their name, which a test would notice.
func ids(kind string, all, names []string) []string {
	out := []string{}
	for _, n := range names {
		id := n
		for i, a := range all {
			if strings.EqualFold(a, n) {
				id = kind + "-" + strconv.Itoa(i+1)
			}
		}
		out = append(out, id)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
