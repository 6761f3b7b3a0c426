package app

import (
	"net/url"
	"slices"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// maxChoices bounds the names one post may tick per field.
const maxChoices = 200

// choicesFrom collects the names ticked in a check result: form fields
// named templates.UsePrefix + a plan field ("use.tentacle.roles").
func choicesFrom(v url.Values) map[string][]string {
	var out map[string][]string
	for key, vals := range v {
		field, ok := strings.CutPrefix(key, templates.UsePrefix)
		if !ok || !choiceFields[field] {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[field] = vals[:min(len(vals), maxChoices)]
	}
	return out
}

// choiceFields are the plan fields a check result can fill.
var choiceFields = map[string]bool{
	"server.space": true, "tentacle.environments": true, "tentacle.roles": true,
	"tentacle.tenants": true, "tentacle.workerPools": true,
}

// useChoices adds the ticked names to the plan (a space replaces the
// plan's; list names are appended once) and returns how many it added.
func useChoices(p *plan.Plan, use map[string][]string) int {
	n := 0
	add := func(list *[]string, names []string) {
		for _, name := range names {
			name = strings.TrimSpace(name)
			if name != "" && !slices.ContainsFunc(*list, func(s string) bool { return strings.EqualFold(s, name) }) {
				*list = append(*list, name)
				n++
			}
		}
	}
	t := &p.Tentacle
	for field, names := range use {
		switch field {
		case "server.space":
			if len(names) > 0 && strings.TrimSpace(names[0]) != "" && p.Server.Space != strings.TrimSpace(names[0]) {
				p.Server.Space = strings.TrimSpace(names[0])
				n++
			}
		case "tentacle.environments":
			add(&t.Environments, names)
		case "tentacle.roles":
			add(&t.Roles, names)
		case "tentacle.tenants":
			add(&t.Tenants, names)
		case "tentacle.workerPools":
			add(&t.WorkerPools, names)
		}
	}
	return n
}
