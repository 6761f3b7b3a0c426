package templates

import "github.com/tentacle-ha-wizard/wizard/web/plan"

// UseUniquePortOp is the wizard action that switches a multi-node plan to
// unique-port, keeping its nodes and balancer (see app's useUniquePort).
const UseUniquePortOp = "use-unique-port"

// VersionTooOld reports whether the server version is too old for the
// plan's topology (multi-node before plan.MultiNodeMinVersion): the error
// beside the version then offers the topology that works instead.
func (w Wizard) VersionTooOld() bool {
	row, _ := w.Plan.Topology.Row()
	if row.MinVersion == "" || w.Plan.Topology != plan.MultiNode {
		return false
	}
	got, ok := plan.ParseServerVersion(w.Plan.Server.Version)
	min, _ := plan.ParseServerVersion(row.MinVersion)
	return ok && got.Less(min)
}
