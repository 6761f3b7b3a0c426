package octopus

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// Root is the API root document (GET /api).
type Root struct {
	Application string
	Version     string
	ApiVersion  string
	Links       map[string]string
}

// Root reads GET /api; it needs no key.
func (c *Client) Root(ctx context.Context) (Root, error) {
	var r Root
	err := c.get(ctx, "/api", nil, &r)
	return r, err
}

// User is the account the API key belongs to.
type User struct {
	Id          string
	Username    string
	DisplayName string
	IsService   bool
}

// CurrentUser reads GET /api/users/me; it proves the key works.
func (c *Client) CurrentUser(ctx context.Context) (User, error) {
	var u User
	err := c.get(ctx, "/api/users/me", nil, &u)
	return u, err
}

// ServerThumbprint reads the Octopus Server certificate's thumbprint from
// certificate-global, falling back to the route older servers use.
func (c *Client) ServerThumbprint(ctx context.Context) (string, error) {
	var cert struct{ Thumbprint string }
	err := c.get(ctx, "/api/configuration/certificates/certificate-global", nil, &cert)
	if errors.Is(err, ErrNotFound) {
		err = c.get(ctx, "/api/certificates/certificate-global", nil, &cert)
	}
	return strings.ToUpper(cert.Thumbprint), err
}

// NodeSummary is one node of GET /api/octopusservernodes/summary
// (OctopusClients OctopusServerNodeSummaryResource). Its Name is not its
// polling address; the API does not expose those.
type NodeSummary struct {
	Id                  string
	Name                string
	MaxConcurrentTasks  int
	IsInMaintenanceMode bool
	LastSeen            string
	IsOffline           bool
	RunningTaskCount    int
	Version             string
}

// ProcessesTasks reports whether the node runs tasks: online and allowed
// at least one concurrent task (a node with 0 serves only the web UI).
func (n NodeSummary) ProcessesTasks() bool { return !n.IsOffline && n.MaxConcurrentTasks > 0 }

// ClusterNodes reads GET /api/octopusservernodes/summary, the one node
// list with IsOffline and LastSeen.
func (c *Client) ClusterNodes(ctx context.Context) ([]NodeSummary, error) {
	var sum struct{ Nodes []NodeSummary }
	err := c.get(ctx, "/api/octopusservernodes/summary", nil, &sum)
	return sum.Nodes, err
}

// Space is one space the user can see.
type Space struct {
	Id        string
	Name      string
	Slug      string
	IsDefault bool
}

// Spaces reads the spaces the key's user has access to.
func (c *Client) Spaces(ctx context.Context, userID string) ([]Space, error) {
	var spaces []Space
	err := c.get(ctx, "/api/users/"+url.PathEscape(userID)+"/spaces", nil, &spaces)
	return spaces, err
}

// FindSpace returns the space Tentacle's --space picks: the one whose
// trimmed name equals name ignoring case (by name only: a slug or an Id
// does not match), or the default space when name is empty
// (OctopusTentacle SpaceRepositoryFactory.CreateSpaceRepository).
func FindSpace(spaces []Space, name string) (Space, bool) {
	name = strings.TrimSpace(name)
	for _, s := range spaces {
		if (name == "" && s.IsDefault) || (name != "" && strings.EqualFold(strings.TrimSpace(s.Name), name)) {
			return s, true
		}
	}
	return Space{}, false
}

// Resource is a named resource of a space: an environment, tenant or
// worker pool.
type Resource struct {
	Id, Name, Slug string
}

func (c *Client) resources(ctx context.Context, path string) ([]Resource, error) {
	var items []Resource
	err := c.get(ctx, path, nil, &items)
	return items, err
}

// Environments lists the environments of a space.
func (c *Client) Environments(ctx context.Context, spaceID string) ([]Resource, error) {
	return c.resources(ctx, "/api/"+url.PathEscape(spaceID)+"/environments/all")
}

// Tenants lists the tenants of a space.
func (c *Client) Tenants(ctx context.Context, spaceID string) ([]Resource, error) {
	return c.resources(ctx, "/api/"+url.PathEscape(spaceID)+"/tenants/all")
}

// WorkerPools lists the worker pools of a space.
func (c *Client) WorkerPools(ctx context.Context, spaceID string) ([]Resource, error) {
	return c.resources(ctx, "/api/"+url.PathEscape(spaceID)+"/workerpools/all")
}

// Roles lists the roles (target tags) already used in a space.
func (c *Client) Roles(ctx context.Context, spaceID string) ([]string, error) {
	var roles []string
	err := c.get(ctx, "/api/"+url.PathEscape(spaceID)+"/machineroles/all", nil, &roles)
	return roles, err
}

// Machine is a deployment target or worker.
type Machine struct {
	Id            string
	Name          string
	HealthStatus  string
	StatusSummary string
	Endpoint      struct {
		CommunicationStyle string
		Uri                string
		Thumbprint         string
	}
}

// MachinesByThumbprint finds targets (worker false) or workers (worker
// true) registered with a Tentacle certificate thumbprint.
func (c *Client) MachinesByThumbprint(ctx context.Context, spaceID, thumbprint string, worker bool) ([]Machine, error) {
	kind := "machines"
	if worker {
		kind = "workers"
	}
	var ms []Machine
	err := c.get(ctx, "/api/"+url.PathEscape(spaceID)+"/"+kind+"/all", url.Values{"thumbprint": {thumbprint}}, &ms)
	return ms, err
}

// RedisStatus is GET /api/serverstatus/redis: whether multi-node polling
// can work on this server.
type RedisStatus struct {
	IsEnabled, IsConfigured, IsReachable bool
}

// Redis reads the Redis status; it needs no key.
func (c *Client) Redis(ctx context.Context) (RedisStatus, error) {
	var r RedisStatus
	err := c.get(ctx, "/api/serverstatus/redis", nil, &r)
	return r, err
}
