//go:build !js

package bundle_test

import (
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestTargetKindCoverage says when a kind of plan.TargetKinds has no golden
// case in testdata/cases, or when its registration script does not run its
// RegisterCommand or name it by its Noun (for a kind the Helm chart
// registers: when its bundle lacks the chart's install script and values,
// or holds a Tentacle file).
func TestTargetKindCoverage(t *testing.T) {
	for _, k := range plan.TargetKinds {
		covered := false
		for _, name := range caseNames(t) {
			p := mustCase(t, name).Normalized()
			if p.HasFleet() || p.Tentacle.Kind != k.Kind {
				continue
			}
			covered = true
			if k.Helm {
				helmCoverage(t, k, name, mustFiles(t, name))
				continue
			}
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

// helmCoverage checks the bundle of a kind the kubernetes-agent chart
// registers: kubernetes-agent/install.sh runs helm upgrade --install with
// the chart reference Octopus's docs give, values.yaml sits beside it, the
// README names the kind, and no tentacle/ file is there.
func helmCoverage(t *testing.T, k plan.TargetKind, name string, files []bundle.File) {
	t.Helper()
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Content)
		if strings.HasPrefix(f.Path, "tentacle/") {
			t.Errorf("kind %q, case %s: the bundle has %s; the chart registers the agent", k.Kind, name, f.Path)
		}
	}
	if !strings.Contains(got["kubernetes-agent/install.sh"], `"$HELM" upgrade --install`) || !strings.Contains(got["kubernetes-agent/install.sh"], "CHART=${AGENT_CHART:-}\n") {
		t.Errorf("kind %q, case %s: kubernetes-agent/install.sh does not run helm upgrade --install with the chart reference from AGENT_CHART", k.Kind, name)
	}
	if _, ok := got["kubernetes-agent/values.yaml"]; !ok {
		t.Errorf("kind %q, case %s: no kubernetes-agent/values.yaml", k.Kind, name)
	}
	if !strings.Contains(got["README.md"], k.Noun) {
		t.Errorf("kind %q, case %s: README.md never names a %s", k.Kind, name, k.Noun)
	}
}
