package store_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// lastMigration is the number of the engine's last SQL migration file
// (00007_contacts.sql is 7). The Go migrations come between them.
func lastMigration(t *testing.T, engine string) int64 {
	t.Helper()
	files, err := os.ReadDir("migrations/" + engine)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for _, f := range files {
		num, _, ok := strings.Cut(f.Name(), "_")
		if !ok || !strings.HasSuffix(f.Name(), ".sql") {
			continue
		}
		if n, err := strconv.ParseInt(num, 10, 64); err == nil && n > last {
			last = n
		}
	}
	return last
}
