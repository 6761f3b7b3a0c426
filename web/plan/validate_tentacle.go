package plan

import (
	"fmt"
	"slices"
	"strings"
)

// tentacle checks the machine: its OS, name, kind and the lists its kind
// takes (plan.TargetKinds), tenancy, policy, subscription id and
// connection count.
func (v *validator) tentacle() {
	t := v.p.Tentacle
	switch t.OS {
	case Linux, Windows:
	default:
		v.errorf("tentacle.os", "Choose linux or windows, not %q.", t.OS)
	}
	v.text("tentacle.instance", t.Instance)
	if t.Name == "" {
		v.errorf("tentacle.name", "Enter the machine name the Tentacle registers as, such as web01.")
	} else {
		v.text("tentacle.name", t.Name)
	}
	v.kindRules(t) // targetkinds.go
	v.list("tentacle.environments", t.Environments)
	v.list("tentacle.roles", t.Roles)
	v.list("tentacle.tenants", t.Tenants)
	v.list("tentacle.workerPools", t.WorkerPools)
	v.list("tentacle.tenantTags", t.TenantTags)
	for i, tag := range t.TenantTags {
		set, name, ok := strings.Cut(tag, "/")
		if !ok || strings.TrimSpace(set) == "" || strings.TrimSpace(name) == "" {
			v.errorf(fmt.Sprintf("tentacle.tenantTags[%d]", i), "Write a tenant tag as TagSet/Tag, such as Region/Europe.")
		}
	}
	if p := t.TenantedDeploymentParticipation; p != "" && !slices.Contains(TenantedParticipation, p) {
		v.errorf("tentacle.tenantedDeploymentParticipation", "Choose %s.", strings.Join(TenantedParticipation, ", "))
	} else if k, ok := TargetKindOf(t.Kind); ok && k.Takes("tentacle.tenants") && (p == "" || p == "Untenanted") && len(t.Tenants)+len(t.TenantTags) > 0 {
		v.warnf("tentacle.tenantedDeploymentParticipation", "Tenants are set but participation is Untenanted, so tenanted deployments will not use this target; choose Tenanted or TenantedOrUntenanted.")
	}
	v.text("tentacle.policy", t.Policy)
	if t.SubscriptionID != "" && !ValidSubscriptionID(t.SubscriptionID) {
		v.errorf("tentacle.subscriptionId", "A subscription id is poll:// followed by 20 letters or digits and /, such as poll://g3662re9njtelsyfhm7t/.")
	}
	if c := t.PollingConnectionCount; c < 0 || c > 512 {
		v.errorf("tentacle.pollingConnectionCount", "The polling connection count is a number from 1 to 512 (leave it empty for Tentacle's default).")
	}
}
