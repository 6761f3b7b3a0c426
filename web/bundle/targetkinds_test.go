//go:build !js

package bundle_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTargetKindCoverage says when a kind of plan.TargetKinds has no golden
// case in testdata/cases, or when its registration script does not run its
// RegisterCommand or name it by its Noun.
func TestTargetKindCoverage(t *testing.T) {
	for _, k := range plan.TargetKinds {
		covered := false
		for _, name := range caseNames(t) {
			p := mustCase(t, name).Normalized()
			if p.HasFleet() || p.Tentacle.Kind != k.Kind {
				continue
			}
			covered = true
			script := false
			for _, f := range mustFiles(t, name) {
				if !strings.HasSuffix(f.Path, "/register.sh") && !strings.HasSuffix(f.Path, "/register.ps1") {
					continue
				}
				script = true
				body := string(f.Content)
				if !strings.Contains(body, k.RegisterCommand) || !strings.Contains(body, k.Noun) {
					t.Errorf("kind %q, case %s: its registration script does not run %s or name a %s", k.Kind, name, k.RegisterCommand, k.Noun)
				}
			}
			if !script {
				t.Errorf("kind %q, case %s: no registration script in the bundle", k.Kind, name)
			}
		}
		if !covered {
			t.Errorf("kind %q: no golden case in testdata/cases registers one", k.Kind)
		}
	}
}
