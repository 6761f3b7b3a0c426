package octopus

import "strings"

// Match is how one value given to register-with or register-worker
// (--environment, --tenant, --workerpool) found its resource.
type Match struct {
	Given    string
	Resource Resource
	// By is "name", "slug" or "Id".
	By string
}

// FindByNameIdOrSlugs resolves values as Tentacle 9.2 (Octopus.Client
// 22.3, Util/RepositoryExtensions.FindByNameIdOrSlugs, used for
// environments, tenants and worker pools) does: first by name, then what
// is left by slug, then by Id; names and slugs compare trimmed and
// ignoring case, Ids ignoring case. It returns the matches in the order of
// values and the values nothing matched.
func FindByNameIdOrSlugs(resources []Resource, values []string) (found []Match, missing []string) {
	for _, v := range values {
		if m, ok := findOne(resources, v); ok {
			found = append(found, m)
		} else {
			missing = append(missing, v)
		}
	}
	return found, missing
}

func findOne(resources []Resource, v string) (Match, bool) {
	t := strings.TrimSpace(v)
	for _, r := range resources {
		if strings.EqualFold(strings.TrimSpace(r.Name), t) {
			return Match{Given: v, Resource: r, By: "name"}, true
		}
	}
	for _, r := range resources {
		if r.Slug != "" && strings.EqualFold(strings.TrimSpace(r.Slug), t) {
			return Match{Given: v, Resource: r, By: "slug"}, true
		}
	}
	for _, r := range resources {
		if strings.EqualFold(r.Id, v) {
			return Match{Given: v, Resource: r, By: "Id"}, true
		}
	}
	return Match{}, false
}
