//go:build !js

package bundle_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPureForWasm proves the inner ring (web/plan, web/bundle, web/report)
// stays standard-library-only and imports neither the app nor templates,
// and is free of host access when built for js/wasm: no os/exec, net, net/http
// anywhere beneath them, no os imported directly (fmt pulls it in under js),
// and none of the host frameworks.
func TestPureForWasm(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-json", "../plan", ".", "../report")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	bannedDeps := map[string]bool{"os/exec": true, "net": true, "net/http": true}
	bannedPrefixes := []string{"github.com/labstack/echo", "github.com/a-h/templ", "github.com/go-playground/validator", "github.com/syumai/workers"}
	ours := map[string]bool{
		"github.com/tentacle-ha-wizard/wizard/web/plan":   true,
		"github.com/tentacle-ha-wizard/wizard/web/bundle": true,
		"github.com/tentacle-ha-wizard/wizard/web/report": true,
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var pkg struct {
			ImportPath string
			Standard   bool
			Imports    []string
		}
		if err := dec.Decode(&pkg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if bannedDeps[pkg.ImportPath] {
			t.Errorf("%s is a dependency of the pure packages under js/wasm", pkg.ImportPath)
		}
		for _, p := range bannedPrefixes {
			if strings.HasPrefix(pkg.ImportPath, p) {
				t.Errorf("%s is a dependency of the pure packages", pkg.ImportPath)
			}
		}
		if !pkg.Standard && !ours[pkg.ImportPath] {
			t.Errorf("%s: only the standard library and our own packages are allowed", pkg.ImportPath)
		}
		if ours[pkg.ImportPath] {
			seen++
			for _, imp := range pkg.Imports {
				if imp == "os" || bannedDeps[imp] {
					t.Errorf("%s imports %s directly", pkg.ImportPath, imp)
				}
			}
		}
	}
	if seen != len(ours) {
		t.Errorf("go list reported %d of our %d packages", seen, len(ours))
	}
}
