//go:build !js

package bundle_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

var (
	readmeStep = regexp.MustCompile(`(?m)^## \d+\. .*$`)
	docsURL    = regexp.MustCompile(`https://octopus\.com/docs/[^)\s]*`)
)

// TestReadmeStepsLinkOctopusDocs: every numbered step of every case's
// README links a page of Octopus's documentation, and every Octopus page
// a README links is one of plan.DocLinks (whose addresses TestDocLinks
// and the comments in docs.go account for).
func TestReadmeStepsLinkOctopusDocs(t *testing.T) {
	known := map[string]bool{}
	for _, d := range plan.DocLinks {
		known[d.URL] = true
	}
	for _, name := range caseNames(t) {
		readme := contents(mustFiles(t, name))["README.md"]
		heads := readmeStep.FindAllStringIndex(readme, -1)
		if len(heads) < 3 {
			t.Errorf("%s: README.md has %d numbered steps", name, len(heads))
		}
		for i, h := range heads {
			end := len(readme)
			if i+1 < len(heads) {
				end = heads[i+1][0]
			}
			section := readme[h[0]:end]
			if !strings.Contains(section, "](https://octopus.com/docs/") {
				t.Errorf("%s: step %q links no Octopus documentation", name, readme[h[0]:h[1]])
			}
		}
		for _, u := range docsURL.FindAllString(readme, -1) {
			if !known[u] {
				t.Errorf("%s: README.md links %s, which is not in plan.DocLinks", name, u)
			}
		}
	}
}
