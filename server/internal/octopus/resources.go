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

// Node is one Octopus Server node as the API lists it. Its Name is not its
// polling address; the API does not expose those.
type Node struct {
	Id                  string
	Name                string
	IsInMaintenanceMode bool
}

// Nodes reads GET /api/octopusservernodes/all.
func (c *Client) Nodes(ctx context.Context) ([]Node, error) {
	var nodes []Node
	err := c.get(ctx, "/api/octopusservernodes/all", nil, &nodes)
	return nodes, err
}

// Space is one space the user can see.
type Space struct {
	Id        string
	Name      string
	IsDefault bool
}

// Spaces reads the spaces the key's user has access to.
func (c *Client) Spaces(ctx context.Context, userID string) ([]Space, error) {
	var spaces []Space
	err := c.get(ctx, "/api/users/"+url.PathEscape(userID)+"/spaces", nil, &spaces)
	return spaces, err
}

// FindSpace returns the space with name (case-insensitive, trimmed), or the
// default space when name is empty, as Tentacle's --space does.
func FindSpace(spaces []Space, name string) (Space, bool) {
	name = strings.TrimSpace(name)
	for _, s := range spaces {
		if (name == "" && s.IsDefault) || (name != "" && strings.EqualFold(s.Name, name)) {
			return s, true
		}
	}
	return Space{}, false
}

type named struct{ Name string }

func (c *Client) names(ctx context.Context, path string) ([]string, error) {
	var items []named
	if err := c.get(ctx, path, nil, &items); err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out, nil
}

// Environments lists environment names in a space.
func (c *Client) Environments(ctx context.Context, spaceID string) ([]string, error) {
	return c.names(ctx, "/api/"+url.PathEscape(spaceID)+"/environments/all")
}

// Tenants lists tenant names in a space.
func (c *Client) Tenants(ctx context.Context, spaceID string) ([]string, error) {
	return c.names(ctx, "/api/"+url.PathEscape(spaceID)+"/tenants/all")
}

// WorkerPools lists worker pool names in a space.
func (c *Client) WorkerPools(ctx context.Context, spaceID string) ([]string, error) {
	return c.names(ctx, "/api/"+url.PathEscape(spaceID)+"/workerpools/all")
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
