// Package testtool finds the external programs tests run (nginx, haproxy,
// nft, shellcheck, chromium...). A missing tool skips the test on a
// developer's machine but fails it under CI=true, so CI never passes by
// skipping silently. It also says whether the slow matrices run in full
// (make test-long) or on one representative plan (make test).
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

// LongVariable names the environment variable that asks for every case of
// the slow matrices; make test-long sets it to 1.
const LongVariable = "TEST_LONG"

// Long reports whether the slow matrices run in full (TEST_LONG=1).
func Long() bool { return os.Getenv(LongVariable) == "1" }

// SkipUnlessLong skips tb in a short run, saying what it leaves out, so
// the log of `make test` lists everything only `make test-long` runs.
func SkipUnlessLong(tb testing.TB, what string) {
	tb.Helper()
	if !Long() {
		tb.Skipf("short run: %s is left out; make test-long (%s=1) runs it", what, LongVariable)
	}
}
