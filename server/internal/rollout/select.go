package rollout

import (
	"fmt"
	"strings"
)

// Selection narrows a rollout to some machines: -select
// env:Production,role:web,pool:Edge. Values of one kind widen it (env:A,
// env:B is either); kinds narrow it (env and role must both hold).
// Environments and roles belong to deployment targets, worker pools to
// workers: a selection with only pools picks workers, one with only
// environments or roles picks targets, one with both picks both kinds.
type Selection struct {
	Environments, Roles, Pools []string
}

// Empty reports whether the selection picks every polling Tentacle.
func (s Selection) Empty() bool {
	return len(s.Environments)+len(s.Roles)+len(s.Pools) == 0
}

// ParseSelection reads "kind:value,kind:value"; kinds are env
// (environment), role and pool (worker pool).
func ParseSelection(text string) (Selection, error) {
	var s Selection
	if strings.TrimSpace(text) == "" {
		return s, nil
	}
	for _, part := range strings.Split(text, ",") {
		kind, value, ok := strings.Cut(strings.TrimSpace(part), ":")
		value = strings.TrimSpace(value)
		if !ok || value == "" {
			return s, fmt.Errorf("rollout: -select %q: each entry is kind:value (env:Production, role:web, pool:Edge)", part)
		}
		switch strings.ToLower(strings.TrimSpace(kind)) {
		case "env", "environment":
			s.Environments = append(s.Environments, value)
		case "role", "tag":
			s.Roles = append(s.Roles, value)
		case "pool", "workerpool":
			s.Pools = append(s.Pools, value)
		default:
			return s, fmt.Errorf("rollout: -select %q: the kind is env, role or pool", part)
		}
	}
	return s, nil
}

// String is the selection as -select takes it.
func (s Selection) String() string {
	var parts []string
	for _, v := range s.Environments {
		parts = append(parts, "env:"+v)
	}
	for _, v := range s.Roles {
		parts = append(parts, "role:"+v)
	}
	for _, v := range s.Pools {
		parts = append(parts, "pool:"+v)
	}
	return strings.Join(parts, ",")
}

// resolved is a selection with environment and pool names turned into Ids.
type resolved struct {
	envIDs, roles, poolIDs []string
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// target reports whether a deployment target is selected.
func (r resolved) target(envIDs, roles []string) bool {
	if len(r.envIDs)+len(r.roles) == 0 {
		return len(r.poolIDs) == 0
	}
	return (len(r.envIDs) == 0 || anyIn(envIDs, r.envIDs)) && (len(r.roles) == 0 || anyIn(roles, r.roles))
}

// worker reports whether a worker is selected.
func (r resolved) worker(poolIDs []string) bool {
	if len(r.poolIDs) == 0 {
		return len(r.envIDs)+len(r.roles) == 0
	}
	return anyIn(poolIDs, r.poolIDs)
}
