// Package testtool finds the external programs tests run (nginx, haproxy,
// nft, shellcheck, chromium...). A missing tool skips the test on a
// developer's machine but fails it under CI=true, so CI never passes by
// skipping silently.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Require returns the path of the named program, or ends the test: Fatal
// when CI=true, Skip otherwise (with the make target that installs it).
func Require(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	Missing(tb, name+" is not installed (make deps installs it)")
	return ""
}

// Missing ends the test for a missing prerequisite described by why.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("required under CI: %s", why)
	}
	tb.Skipf("skipped: %s", why)
}

// RequireRoot ends the test unless it runs as root (network namespaces).
func RequireRoot(tb testing.TB) {
	tb.Helper()
	if os.Geteuid() != 0 {
		Missing(tb, "this test needs root to create network namespaces")
	}
}
