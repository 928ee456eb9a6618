// Package browsertest is shared by the tests that drive a real browser
// (internal/e2e, and the accessibility test of internal/web).
package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of the chromium on PATH (Debian's package).
// Without one the test is skipped on a developer's machine but fails when
// the environment variable CI is set: in CI a missing browser must not let
// the browser tests pass unrun.
func Chromium(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		const msg = "chromium is not installed; install Debian's chromium package to run the browser tests"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this fails instead of skipping): %v", msg, err)
		}
		t.Skip(msg)
	}
	return path
}
