package plan

import (
	"fmt"
	"io"
	"strings"
)

// MaxFleet bounds the machines of one plan; a plan of 1,000 machines is
// still well under the 1 MiB every host reads.
const MaxFleet = 1000

// Machine is one Tentacle of a fleet. What it leaves empty it takes from
// the plan's tentacle, except the subscription id: two Tentacles must never
// share one, so every machine has its own.
type Machine struct {
	Name           string   `json:"name"`
	OS             string   `json:"os,omitempty"`
	Kind           string   `json:"kind,omitempty"`
	Instance       string   `json:"instance,omitempty"`
	Environments   []string `json:"environments,omitempty"`
	Roles          []string `json:"roles,omitempty"`
	Tenants        []string `json:"tenants,omitempty"`
	TenantTags     []string `json:"tenantTags,omitempty"`
	WorkerPools    []string `json:"workerPools,omitempty"`
	Policy         string   `json:"policy,omitempty"`
	SubscriptionID string   `json:"subscriptionId,omitempty"`
}

// HasFleet reports whether the plan describes many machines; the plan's
// tentacle is then what they have in common, not a machine of its own.
func (p Plan) HasFleet() bool { return len(p.Fleet) > 0 }

// ForMachine is the plan of machine i of the fleet alone: its tentacle is
// the fleet's tentacle with the machine's own values over it (a machine of
// another kind than the fleet's takes none of the kind's lists), and it has
// no fleet.
func (p Plan) ForMachine(i int) Plan {
	q := p
	q.Fleet = nil
	m, t := p.Fleet[i], p.Tentacle
	t.Name, t.SubscriptionID = m.Name, m.SubscriptionID
	t.OS = or(m.OS, t.OS)
	t.Kind = or(m.Kind, t.Kind)
	t.Instance = or(m.Instance, t.Instance)
	t.Policy = or(m.Policy, t.Policy)
	if m.Kind != "" && m.Kind != p.Tentacle.Kind {
		// A machine of the other kind inherits none of the lists that
		// belong to the fleet's kind: a worker no environments or roles, a
		// target no worker pools.
		t.Environments, t.Roles, t.Tenants, t.TenantTags, t.WorkerPools = nil, nil, nil, nil, nil
		t.TenantedDeploymentParticipation = ""
	}
	t.Environments = orList(m.Environments, t.Environments)
	t.Roles = orList(m.Roles, t.Roles)
	t.Tenants = orList(m.Tenants, t.Tenants)
	t.TenantTags = orList(m.TenantTags, t.TenantTags)
	t.WorkerPools = orList(m.WorkerPools, t.WorkerPools)
	q.Tentacle = t
	return q
}

func or(own, inherited string) string {
	if own != "" {
		return own
	}
	return inherited
}

func orList(own, inherited []string) []string {
	if len(own) > 0 {
		return own
	}
	return inherited
}

// normalizeFleet trims and canonicalizes every machine as Normalized does
// the tentacle; what a machine inherits is normalized with the tentacle.
func normalizeFleet(in []Machine) []Machine {
	if len(in) == 0 {
		return nil
	}
	out := make([]Machine, len(in))
	for i, m := range in {
		m.Name = strings.TrimSpace(m.Name)
		m.OS = strings.ToLower(strings.TrimSpace(m.OS))
		m.Kind = strings.ToLower(strings.TrimSpace(m.Kind))
		m.Instance = strings.TrimSpace(m.Instance)
		m.Policy = strings.TrimSpace(m.Policy)
		m.Environments = cleanList(m.Environments, nil)
		m.Roles = cleanList(m.Roles, nil)
		m.Tenants = cleanList(m.Tenants, nil)
		m.TenantTags = cleanList(m.TenantTags, nil)
		m.WorkerPools = cleanList(m.WorkerPools, nil)
		m.SubscriptionID = strings.ToLower(strings.TrimSpace(m.SubscriptionID))
		out[i] = m
	}
	return out
}

// fleetIDs gives every machine without a subscription id a new one.
func fleetIDs(fleet []Machine, r io.Reader) error {
	for i := range fleet {
		if fleet[i].SubscriptionID != "" {
			continue
		}
		id, err := NewSubscriptionID(r)
		if err != nil {
			return err
		}
		fleet[i].SubscriptionID = id
	}
	return nil
}

// fleet validates every machine as the plan's tentacle is validated, its
// problems named fleet[i].field, and refuses two machines with one name or
// one subscription id.
func (v *validator) fleet() {
	p := v.p
	if len(p.Fleet) > MaxFleet {
		v.errorf("fleet", "A plan may hold at most %d machines; this one has %d. Split the fleet into several plans.", MaxFleet, len(p.Fleet))
		return
	}
	// tentacle/register-any.ps1 passes the fleet's own values to
	// Tentacle.exe whatever the fleet's OS: they must survive Windows
	// PowerShell 5.1 (see NativeArgProblem).
	anyMachine := validator{p: p, bad: map[string]bool{}}
	anyMachine.p.Tentacle.OS = Windows
	anyMachine.windows()
	for _, pr := range anyMachine.out {
		if !v.silenced(pr.Field) {
			pr.Message += " (tentacle/register-any.ps1 passes it to Tentacle.exe)"
			v.out = append(v.out, pr)
		}
	}
	if k, ok := TargetKindOf(p.Tentacle.Kind); ok && k.Helm {
		v.errorf("tentacle.kind", "A fleet is machines that run Tentacle; a %s is installed with Helm, one per cluster. Choose target or worker for the fleet, and make a plan of its own for each agent.", k.Noun)
	}
	names := map[string]int{}
	ids := map[string]int{}
	files := map[string]int{}
	shared := map[Problem]bool{} // problems of the cluster, not of a machine: once
	for i, m := range p.Fleet {
		prefix := fmt.Sprintf("fleet[%d]", i)
		w := validator{p: p.ForMachine(i), bad: map[string]bool{}}
		w.tentacle()
		w.windows()
		w.instance("tentacle.instance", w.p.Tentacle.Instance)
		if k, ok := TargetKindOf(m.Kind); ok && k.Helm {
			v.errorf(prefix+".kind", "A %s is installed with Helm, not by a fleet's registration scripts; choose target or worker here and make a plan of its own for the agent.", k.Noun)
		}
		for _, pr := range w.out {
			if rest, ok := strings.CutPrefix(pr.Field, "tentacle"); ok {
				pr.Field = prefix + rest
			} else if shared[pr] {
				continue
			} else {
				shared[pr] = true
			}
			if !v.silenced(pr.Field) {
				v.out = append(v.out, pr)
			}
		}
		if stem := strings.ToLower(FileStem(m.Name)); m.Name != "" {
			if j, dup := files[stem]; dup && !strings.EqualFold(p.Fleet[j].Name, m.Name) {
				v.errorf(prefix+".name", "Machine %d (%s) would write the same folder, tentacles/%s/; give this machine a name that differs in more than punctuation.", j+1, p.Fleet[j].Name, FileStem(m.Name))
			} else if !dup {
				files[stem] = i
			}
		}
		if m.Name != "" {
			key := strings.ToLower(m.Name)
			if j, dup := names[key]; dup {
				v.errorf(prefix+".name", "Machine %d is named %s too; every machine needs its own name (Octopus compares names ignoring case).", j+1, p.Fleet[j].Name)
			} else {
				names[key] = i
			}
		}
		if m.SubscriptionID != "" {
			if j, dup := ids[m.SubscriptionID]; dup {
				v.errorf(prefix+".subscriptionId", "Machine %d (%s) has this subscription id too; two Tentacles must never share one. Leave it empty and one is made for this machine.", j+1, p.Fleet[j].Name)
			} else {
				ids[m.SubscriptionID] = i
			}
		}
	}
}
