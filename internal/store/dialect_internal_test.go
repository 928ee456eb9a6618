package store

import "testing"

// TestRebind: PostgreSQL's placeholders are numbered in order, quoted
// text is left alone, and a statement rebound before (kept) reads the
// same as one rebound afresh.
func TestRebind(t *testing.T) {
	d := postgresDialect{}
	cases := map[string]string{
		`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`:       `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`,
		`SELECT '?' || "x?" FROM t WHERE d = ?`:             `SELECT '?' || "x?" FROM t WHERE d = $1`,
		`SELECT 1`:                                          `SELECT 1`,
		`UPDATE t SET s = 'it''s ?' WHERE id = ? AND v = ?`: `UPDATE t SET s = 'it''s ?' WHERE id = $1 AND v = $2`,
	}
	for in, want := range cases {
		for _, round := range []string{"first", "kept"} {
			if got := d.rebind(in); got != want {
				t.Errorf("rebind(%q), %s: %q, want %q", in, round, got, want)
			}
		}
	}
	if got := (sqliteDialect{}).rebind(`SELECT ? , ?`); got != `SELECT ? , ?` {
		t.Errorf("SQLite rebind changed its placeholders: %q", got)
	}
}
