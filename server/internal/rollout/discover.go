package rollout

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
)

// Machine is a polling Tentacle or Kubernetes agent found in the space.
type Machine struct {
	ID, Name string
	Worker   bool
	// Syntax is octopus.Bash or octopus.PowerShell, "" when Octopus does not
	// know the machine's OS yet (no health check has reached it).
	Syntax   string
	Health   string
	Disabled bool
	// OS is what Octopus reports (OperatingSystem, else ShellName).
	OS string
}

// Offline reports whether Octopus last found the machine unreachable.
func (m Machine) Offline() bool { return m.Health == octopus.Unavailable }

// Fleet is what Discover found.
type Fleet struct {
	// Tentacles are the selected polling Tentacles, by name.
	Tentacles []Machine
	// Agents are the selected Kubernetes agents: they are updated with
	// helm (change/kubernetes-agent.sh), not by a script task.
	Agents []Machine
	// Other counts the selected machines that are neither (listening
	// Tentacles, SSH targets, cloud targets): nothing to change there.
	Other int
}

// Discover lists the deployment targets and workers of the space and
// keeps the selected polling Tentacles and Kubernetes agents. Selection
// names resolve as registration resolves them (name, slug, then Id); a
// name the space does not have is an error, so a typo never selects
// nothing silently.
func Discover(ctx context.Context, c *octopus.Client, spaceID string, sel Selection) (Fleet, error) {
	var r resolved
	r.roles = sel.Roles
	if len(sel.Environments) > 0 {
		envs, err := c.Environments(ctx, spaceID)
		if err != nil {
			return Fleet{}, fmt.Errorf("rollout: list environments: %s", octopus.Reason(err))
		}
		if r.envIDs, err = resolveNames("environment", envs, sel.Environments); err != nil {
			return Fleet{}, err
		}
	}
	if len(sel.Pools) > 0 {
		pools, err := c.WorkerPools(ctx, spaceID)
		if err != nil {
			return Fleet{}, fmt.Errorf("rollout: list worker pools: %s", octopus.Reason(err))
		}
		if r.poolIDs, err = resolveNames("worker pool", pools, sel.Pools); err != nil {
			return Fleet{}, err
		}
	}
	targets, err := c.AllMachines(ctx, spaceID)
	if err != nil {
		return Fleet{}, fmt.Errorf("rollout: list deployment targets: %s", octopus.Reason(err))
	}
	workers, err := c.AllWorkers(ctx, spaceID)
	if err != nil {
		return Fleet{}, fmt.Errorf("rollout: list workers: %s", octopus.Reason(err))
	}
	var f Fleet
	add := func(m octopus.FleetMachine, worker bool) {
		mm := Machine{ID: m.Id, Name: m.Name, Worker: worker, Syntax: syntaxOf(m), Health: m.HealthStatus, Disabled: m.IsDisabled, OS: m.OperatingSystem}
		switch m.Endpoint.CommunicationStyle {
		case octopus.PollingTentacle:
			f.Tentacles = append(f.Tentacles, mm)
		case octopus.KubernetesAgent:
			f.Agents = append(f.Agents, mm)
		default:
			f.Other++
		}
	}
	for _, m := range targets {
		if r.target(m.EnvironmentIds, m.Roles) {
			add(m, false)
		}
	}
	for _, m := range workers {
		if r.worker(m.WorkerPoolIds) {
			add(m, true)
		}
	}
	byName := func(ms []Machine) {
		sort.SliceStable(ms, func(i, j int) bool {
			if a, b := strings.ToLower(ms[i].Name), strings.ToLower(ms[j].Name); a != b {
				return a < b
			}
			return ms[i].ID < ms[j].ID
		})
	}
	byName(f.Tentacles)
	byName(f.Agents)
	return f, nil
}

func resolveNames(kind string, all []octopus.Resource, names []string) ([]string, error) {
	found, missing := octopus.FindByNameIdOrSlugs(all, names)
	if len(missing) > 0 {
		var known []string
		for _, r := range all {
			known = append(known, r.Name)
		}
		return nil, fmt.Errorf("rollout: -select: no %s named %s in this space (it has: %s)", kind, strings.Join(missing, ", "), strings.Join(known, ", "))
	}
	ids := make([]string, 0, len(found))
	for _, m := range found {
		ids = append(ids, m.Resource.Id)
	}
	return ids, nil
}

// syntaxOf picks the script syntax from what the last health check
// recorded (MachineBasedResource.OperatingSystem and ShellName): Windows
// runs PowerShell; Linux (and any other known OS) runs Bash, the shell
// every Linux Tentacle reports. A machine never checked reports
// "Unknown" for both, and gets no syntax.
func syntaxOf(m octopus.FleetMachine) string {
	osName, shell := strings.ToLower(strings.TrimSpace(m.OperatingSystem)), strings.ToLower(strings.TrimSpace(m.ShellName))
	known := func(s string) bool { return s != "" && s != "unknown" }
	switch {
	case strings.Contains(osName, "windows"):
		return octopus.PowerShell
	case shell == "bash", known(osName):
		return octopus.Bash
	case shell == "powershell":
		return octopus.PowerShell
	}
	return ""
}
