package browsertest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/browsertest"
)

// TestChromiumMissing runs Chromium against a PATH without a browser,
// once without and once with CI set, in a child process so the outcome
// can be observed.
func TestChromiumMissing(t *testing.T) {
	if os.Getenv("BROWSERTEST_CHILD") != "" {
		browsertest.Chromium(t)
		t.Log("chromium found")
		return
	}
	for _, c := range []struct {
		ci   string
		want string
	}{
		{"", "--- SKIP: TestChromiumMissing"},
		{"true", "--- FAIL: TestChromiumMissing"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChromiumMissing$", "-test.v")
		cmd.Env = append(os.Environ(), "BROWSERTEST_CHILD=1", "PATH="+t.TempDir(), "CI="+c.ci)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), c.want) {
			t.Errorf("CI=%q: want %q in\n%s", c.ci, c.want, out)
		}
	}
}
