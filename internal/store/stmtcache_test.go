package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestStmtCache: a SQLite connection keeps each statement it ran, runs it
// again with new arguments, and parses a query afresh while the rows of
// its kept statement are still being read (the same text nested).
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	w, r, err := sqliteDialect{}.pools(filepath.Join(t.TempDir(), "t.db"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	c, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for n := range 3 {
		if _, err := c.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT n FROM t WHERE n >= ? ORDER BY n`
	rows, err := c.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, n)
		if n == 0 { // the same text while its rows are open
			var m int
			if err := c.QueryRowContext(ctx, q, 2).Scan(&m); err != nil {
				t.Fatal(err)
			}
			inner = append(inner, m)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(outer) != 3 || outer[2] != 2 || len(inner) != 1 || inner[0] != 2 {
		t.Fatalf("outer %v, inner %v; want [0 1 2], [2]", outer, inner)
	}
	var m int
	if err := c.QueryRowContext(ctx, q, 1).Scan(&m); err != nil || m != 1 {
		t.Fatalf("again with new arguments: %d, %v", m, err)
	}
	err = c.Raw(func(dc any) error {
		sc := dc.(*stmtCacheConn)
		for _, k := range []string{q, `INSERT INTO t (n) VALUES (?)`} {
			if cs, ok := sc.stmts[k]; !ok || cs.busy {
				t.Errorf("statement %q kept %v, busy after its rows closed", k, ok)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
