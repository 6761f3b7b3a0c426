//go:build !js

package bundle_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestBinaryCommandsShellcheck: the Linux lines the bundle README and the
// review page give for tentacle-ha are a script shellcheck accepts, and
// they run check and register on plan.json with the key only in the
// environment.
func TestBinaryCommandsShellcheck(t *testing.T) {
	sc := testtool.Require(t, "shellcheck")
	lines := bundle.BinaryCommands(plan.Linux)
	script := "#!/usr/bin/env bash\nset -euo pipefail\n" + strings.Join(lines, "\n") + "\n"
	cmd := exec.Command(sc, "-s", "bash", "-")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s\n%s", err, out, script)
	}
	for _, want := range []string{"./tentacle-ha check -plan plan.json", "sudo --preserve-env=OCTOPUS_API_KEY ./tentacle-ha register -plan plan.json"} {
		if !strings.Contains(script, want) {
			t.Errorf("no %q in\n%s", want, script)
		}
	}
	win := strings.Join(bundle.BinaryCommands(plan.Windows), "\n")
	for _, want := range []string{`.\tentacle-ha.exe check -plan plan.json`, `.\tentacle-ha.exe register -plan plan.json`, "-AsSecureString"} {
		if !strings.Contains(win, want) {
			t.Errorf("no %q in the PowerShell lines\n%s", want, win)
		}
	}
}

// TestReadmeBinaryStep: the README of a Linux and of a Windows plan shows
// the lines for that OS only.
func TestReadmeBinaryStep(t *testing.T) {
	for _, tt := range []struct{ file, want, not string }{
		{"multi-node", "sudo --preserve-env=OCTOPUS_API_KEY ./tentacle-ha register -plan plan.json", "tentacle-ha.exe"},
		{"unique-port-windows-worker", `.\tentacle-ha.exe register -plan plan.json`, "./tentacle-ha "},
	} {
		p := mustCase(t, tt.file)
		var b bytes.Buffer
		if err := bundle.WriteReadme(&b, p); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) || strings.Contains(b.String(), tt.not) {
			t.Errorf("%s: README has %q: %v, has %q: %v", tt.file, tt.want, strings.Contains(b.String(), tt.want), tt.not, strings.Contains(b.String(), tt.not))
		}
	}
}
