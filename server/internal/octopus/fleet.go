package octopus

import (
	"context"
	"net/url"
)

// Communication styles of a machine's Endpoint (OctopusClients
// Model/CommunicationStyle.cs, serialised as strings).
const (
	PollingTentacle   = "TentacleActive"
	ListeningTentacle = "TentaclePassive"
	KubernetesAgent   = "KubernetesTentacle"
)

// Health statuses (Model/MachineModelHealthStatus.cs).
const (
	Healthy     = "Healthy"
	Unavailable = "Unavailable"
	Unknown     = "Unknown"
	HasWarnings = "HasWarnings"
	Unhealthy   = "Unhealthy"
)

// FleetMachine is a deployment target or a worker as GET
// /api/{spaceId}/machines/all and /api/{spaceId}/workers/all list them:
// the fields of MachineBasedResource (Model/MachineBasedResource.cs) a
// rollout reads, MachineResource's EnvironmentIds and Roles, and
// WorkerResource's WorkerPoolIds. Endpoint is polymorphic on the server
// (Serialization/EndpointConverter.cs picks the type from
// CommunicationStyle); only the fields every Tentacle endpoint has are read.
type FleetMachine struct {
	Id                     string
	Name                   string
	SpaceId                string
	IsDisabled             bool
	HealthStatus           string
	StatusSummary          string
	OperatingSystem        string
	OperatingSystemVersion string
	ShellName              string
	Architecture           string
	Endpoint               struct {
		CommunicationStyle string
		Uri                string
		Thumbprint         string
	}
	// Targets only.
	EnvironmentIds []string
	Roles          []string
	// Workers only.
	WorkerPoolIds []string
}

// AllMachines lists every deployment target of a space. The route is the
// Machines link with id "all" (Repositories/Async/MachineRepository.cs,
// FindByThumbprint), answered with a plain array.
func (c *Client) AllMachines(ctx context.Context, spaceID string) ([]FleetMachine, error) {
	var ms []FleetMachine
	err := c.get(ctx, "/api/"+url.PathEscape(spaceID)+"/machines/all", nil, &ms)
	return ms, err
}

// AllWorkers lists every worker of a space (WorkerRepository.cs, the
// Workers link with id "all").
func (c *Client) AllWorkers(ctx context.Context, spaceID string) ([]FleetMachine, error) {
	var ms []FleetMachine
	err := c.get(ctx, "/api/"+url.PathEscape(spaceID)+"/workers/all", nil, &ms)
	return ms, err
}
