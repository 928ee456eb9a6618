package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"github.com/pressly/goose/v3"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// searchName is the one form in which the store compares and sorts names,
// on both engines alike: the parts joined by a space, in lower case, without
// accents or other nonspacing marks (Unicode NFD with the marks removed),
// control characters turned into spaces, white space collapsed to single
// spaces and trimmed. "  Noël  ÖZTÜRK" becomes "noel ozturk".
//
// The store writes it into clients.search_name with every client and
// applies it to the search text, so "noel", "NOEL" and "Noël" all find
// Noël, whatever the engine's own LOWER or collation would do. Characters
// without a decomposition (ß, ø, ł, the ligature ĳ) stay as they are.
func searchName(parts ...string) string {
	s := strings.ToLower(strings.Join(parts, " "))
	// A transformer keeps state: one per call, so that searchName is safe
	// for concurrent use.
	unmarked, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err == nil {
		s = unmarked
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// sortKeySep separates the family and the given name in clients.sort_name.
// It sorts below every character a searchName holds (control characters
// became spaces), so that the one column sorts by family name, then given
// name, as two columns would.
const sortKeySep = "\t"

// sortName is the value of clients.sort_name: the family name, then the
// given name, each as searchName. Both engines compare it byte by byte
// (the PostgreSQL column has COLLATE "C"), so clients sort alike on both.
func sortName(given, family string) string {
	return searchName(family) + sortKeySep + searchName(given)
}

// goMigrations are the migrations written in Go. They are numbered in one
// sequence with the SQL files of migrations/{sqlite,postgres}.
func (db *DB) goMigrations() []*goose.Migration {
	return []*goose.Migration{
		// 00004: fill clients.search_name and sort_name, added by 00003.
		goose.NewGoMigration(4, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			return backfillClientNames(ctx, tx, db.d)
		}}, nil),
	}
}

// backfillClientNames writes search_name and sort_name of every client.
//
// It is a goose Go migration rather than SQL, or a backfill run on every
// Migrate, because the normalisation is Go code (golang.org/x/text's
// Unicode tables) that neither engine can repeat in SQL: SQLite's LOWER
// folds ASCII only and it has no unaccent, PostgreSQL's unaccent is an
// extension with rules of its own. As a numbered migration it runs once
// per database, right after 00003 added the columns and before anything
// reads them, in one transaction with goose's record of it and under the
// migration lock. Should searchName ever change, a new Go migration calls
// this again.
func backfillClientNames(ctx context.Context, tx *sql.Tx, d dialect) error {
	type client struct {
		id            int64
		given, family string
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, given_name, family_name FROM clients`)
	if err != nil {
		return fmt.Errorf("backfill client names: %w", err)
	}
	var clients []client // read them all first: a connection runs one statement at a time
	for rows.Next() {
		var c client
		if err := rows.Scan(&c.id, &c.given, &c.family); err != nil {
			rows.Close()
			return fmt.Errorf("backfill client names: %w", err)
		}
		clients = append(clients, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backfill client names: %w", err)
	}
	update := d.rebind(`UPDATE clients SET search_name = ?, sort_name = ? WHERE id = ?`)
	for _, c := range clients {
		if _, err := tx.ExecContext(ctx, update, searchName(c.given, c.family), sortName(c.given, c.family), c.id); err != nil {
			return fmt.Errorf("backfill client names: client %d: %w", c.id, err)
		}
	}
	return nil
}
