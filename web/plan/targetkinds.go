package plan

import (
	"fmt"
	"strings"
)

// TargetKind is one way a Tentacle registers with Octopus (tentacle.kind):
// what the wizard, validation, the scripts and the README say of it comes
// from its row in TargetKinds. Adding a kind is one row here; the registry
// tests say what else is missing (a golden case, the wizard's fields).
type TargetKind struct {
	// Kind is the plan's name for it.
	Kind string
	// Label is how the wizard names the choice; Does says in a few words
	// what such a machine does, for the choice's hint.
	Label, Does string
	// Noun is what the scripts and messages call the machine in Octopus:
	// "deployment target", "worker".
	Noun string
	// Area is Octopus's Infrastructure page that lists such machines.
	Area string
	// RegisterCommand is the Tentacle command that registers it; empty
	// for a kind the Helm chart registers (Helm).
	RegisterCommand string
	// Helm marks a kind installed and registered by Octopus's
	// kubernetes-agent Helm chart rather than by Tentacle commands: its
	// bundle holds kubernetes-agent/ (values.yaml, install.sh) and no
	// tentacle/ scripts, it runs on Linux nodes only, and it is not a
	// fleet machine.
	Helm bool
	// Lists are the list fields it takes (TentacleLists' Field), in the
	// order the README and the review name them; Required are those that
	// need at least one item.
	Lists, Required []string
}

// TargetKinds lists the kinds in the order the wizard offers them; the
// first is the default.
var TargetKinds = []TargetKind{
	{
		Kind: Target, Label: "Deployment target", Does: "deploys to this machine", Noun: "deployment target",
		Area: "Deployment Targets", RegisterCommand: "register-with",
		Lists:    []string{"tentacle.environments", "tentacle.roles", "tentacle.tenants", "tentacle.tenantTags"},
		Required: []string{"tentacle.environments", "tentacle.roles"},
	},
	{
		Kind: Worker, Label: "Worker", Does: "runs steps for others", Noun: "worker",
		Area: "Workers", RegisterCommand: "register-worker",
		Lists:    []string{"tentacle.workerPools"},
		Required: []string{"tentacle.workerPools"},
	},
	{
		// The chart's deploymentTarget.initial values are environments,
		// tags, tenants, tenantTags and tenantedDeploymentParticipation
		// (OctopusDeploy/helm-charts charts/kubernetes-agent/values.yaml),
		// the lists of a deployment target; Octopus's agent wizard asks
		// for environments and target tags. The chart's worker mode
		// (agent.worker) is the next row.
		Kind: KubernetesAgent, Label: "Kubernetes agent", Does: "deploys to the Kubernetes cluster it runs in", Noun: "Kubernetes agent",
		Area: "Deployment Targets", Helm: true,
		Lists:    []string{"tentacle.environments", "tentacle.roles", "tentacle.tenants", "tentacle.tenantTags"},
		Required: []string{"tentacle.environments", "tentacle.roles"},
	},
	{
		// The same chart as a worker: agent.worker.enabled and
		// agent.worker.initial.workerPools (charts/kubernetes-agent/
		// values.yaml; Octopus's Kubernetes worker automated installation
		// page sets exactly these).
		Kind: KubernetesWorker, Label: "Kubernetes worker", Does: "runs steps for others in a Kubernetes cluster", Noun: "Kubernetes worker",
		Area: "Workers", Helm: true,
		Lists:    []string{"tentacle.workerPools"},
		Required: []string{"tentacle.workerPools"},
	},
}

// TentacleList is one list field of the Tentacle that some kinds take.
type TentacleList struct {
	// Field is its path in the plan.
	Field string
	// Item names one of its values: "A worker needs at least one worker pool."
	Item string
	// Group names the list among others: "Environments, roles and tenants
	// apply to deployment targets only" (tenant tags go with tenants).
	Group string
	// Values reads it.
	Values func(Tentacle) []string
	// Option is the register-with or register-worker option that takes
	// each value.
	Option string
}

// TentacleLists are the Tentacle's list fields that depend on its kind.
var TentacleLists = []TentacleList{
	{"tentacle.environments", "environment", "environments", func(t Tentacle) []string { return t.Environments }, "--environment"},
	{"tentacle.roles", "role (target tag)", "roles", func(t Tentacle) []string { return t.Roles }, "--role"},
	{"tentacle.tenants", "tenant", "tenants", func(t Tentacle) []string { return t.Tenants }, "--tenant"},
	{"tentacle.tenantTags", "tenant tag", "tenants", func(t Tentacle) []string { return t.TenantTags }, "--tenanttag"},
	{"tentacle.workerPools", "worker pool", "worker pools", func(t Tentacle) []string { return t.WorkerPools }, "--workerpool"},
}

// TargetKindOf returns the row of a kind; ok is false for a kind the
// table does not know.
func TargetKindOf(kind string) (row TargetKind, ok bool) {
	for _, k := range TargetKinds {
		if k.Kind == kind {
			return k, true
		}
	}
	return TargetKind{}, false
}

// KindRow is the row of the Tentacle's kind, or of the default kind (the
// first) for a kind the table does not know, which Validate refuses.
func (t Tentacle) KindRow() TargetKind {
	if k, ok := TargetKindOf(t.Kind); ok {
		return k
	}
	return TargetKinds[0]
}

// Takes reports whether the kind takes the list field.
func (k TargetKind) Takes(field string) bool {
	for _, f := range k.Lists {
		if f == field {
			return true
		}
	}
	return false
}

// tentacleList returns the list field at path.
func tentacleList(field string) TentacleList {
	for _, l := range TentacleLists {
		if l.Field == field {
			return l
		}
	}
	panic("plan: no list field " + field)
}

// kindRules checks what the kind's row says: the kind is known, its
// required lists have an item, and the lists it does not take are empty
// (a warning: Tentacle ignores them). The warning goes beside the one list
// the kind does not take, or beside the kind when there are several.
func (v *validator) kindRules(t Tentacle) {
	k, ok := TargetKindOf(t.Kind)
	if !ok {
		v.errorf("tentacle.kind", "Choose %s, not %q.", kindChoices(), t.Kind)
		return
	}
	if k.Helm && t.OS == Windows {
		// The chart schedules the agent on Linux nodes only (its default
		// agent.affinity requires kubernetes.io/os In [linux]), and it
		// runs no Tentacle.exe on the machine the plan names.
		v.errorf("tentacle.os", "A %s runs in a pod on the cluster's Linux nodes, not on a Windows machine; choose linux, or register a Windows machine as a deployment target or worker.", k.Noun)
	}
	for _, field := range k.Required {
		l := tentacleList(field)
		if len(l.Values(t)) == 0 {
			v.errorf(field, "A %s needs at least one %s.", k.Noun, l.Item)
		}
	}
	var untaken []TentacleList
	filled := false
	for _, l := range TentacleLists {
		if !k.Takes(l.Field) {
			untaken = append(untaken, l)
			filled = filled || len(l.Values(t)) > 0
		}
	}
	if !filled {
		return
	}
	var groups, takers []string
	field := "tentacle.kind"
	if len(untaken) == 1 {
		field = untaken[0].Field
	}
	for _, l := range untaken {
		groups = appendNew(groups, l.Group)
		for _, other := range TargetKinds {
			if other.Takes(l.Field) {
				takers = appendNew(takers, other.Noun+"s")
			}
		}
	}
	msg := joinWords(groups, "and")
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	v.warnf(field, "%s apply to %s only; a %s ignores them.", msg, joinWords(takers, "and"), k.Noun)
}

// kindChoices names the kinds for a sentence: "target (deployment
// target) or worker".
func kindChoices() string {
	names := make([]string, len(TargetKinds))
	for i, k := range TargetKinds {
		names[i] = k.Kind
		if k.Noun != k.Kind {
			names[i] = fmt.Sprintf("%s (%s)", k.Kind, k.Noun)
		}
	}
	return sentenceList(names)
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
