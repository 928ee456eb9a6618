package store

import (
	"context"
	"database/sql"
)

// Rebind turns the ? placeholders of query into the engine's own, for
// tools and tests that run their own statements on SQL() (the benchmark's
// loader, the search benchmark).
func (db *DB) Rebind(query string) string { return db.d.rebind(query) }

// Catalog lists the tables of the database in name order and, per table,
// its foreign keys: column → referenced table. Tools that must follow the
// schema (the benchmark's generator) read it here, so that neither
// engine's catalog is spelled outside this package.
func (db *DB) Catalog(ctx context.Context) (tables []string, fks map[string]map[string]string, err error) {
	defer wrap(&err, "Catalog")
	names := func(rows *sql.Rows, err error) ([][2]string, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out [][2]string
		cols, _ := rows.Columns()
		for rows.Next() {
			var v [2]string
			dest := []any{&v[0]}
			if len(cols) == 2 {
				dest = append(dest, &v[1])
			}
			if err := rows.Scan(dest...); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	ts, err := names(db.read.QueryContext(ctx, db.d.tablesQuery()))
	if err != nil {
		return nil, nil, err
	}
	fks = map[string]map[string]string{}
	for _, t := range ts {
		tables = append(tables, t[0])
		keys, err := names(db.read.QueryContext(ctx, db.d.foreignKeysQuery(), t[0]))
		if err != nil {
			return nil, nil, err
		}
		for _, k := range keys {
			if fks[t[0]] == nil {
				fks[t[0]] = map[string]string{}
			}
			fks[t[0]][k[0]] = k[1]
		}
	}
	return tables, fks, nil
}
