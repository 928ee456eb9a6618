package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// table is a table whose rows belong to a client, with the template rows
// grouped by client.
type table struct {
	name    string
	cols    []string
	types   []string        // database type names, upper case
	hasID   bool            // first column "id" is the key copies renumber
	fks     map[int]string  // column index → referenced table
	owner   map[int64]int64 // row id → client id
	pos     map[int64]int   // row id → position among its client's rows
	byOwner map[int64][][]any
	maxID   int64
	clientC int               // index of client_id, -1 when none
	fkNames map[string]string // column → referenced table, from the catalog
}

// graph is every table to copy, parents first, and the plan of the copies.
type graph struct {
	db     *store.DB
	order  []*table
	byName map[string]*table
	// templates: the template clients, open and closed.
	open, closed []int64
	tmplPD       map[int64]personal
	// the plan: per copy, its template, days moved back and donor name.
	tmpl   []int64
	shift  []int32
	name   []int32
	donors []donor
}

// personal are a template client's details that appear in its rows' text.
type personal struct{ bsn, given, family, email string }

// newGraph reads the catalog: the tables that reference clients, directly
// or through other tables, and their template rows.
func newGraph(ctx context.Context, db *store.DB) (*graph, error) {
	g := &graph{db: db, byName: map[string]*table{}, tmplPD: map[int64]personal{}}
	names, fks, err := db.Catalog(ctx) // fks: table → column → referenced table
	if err != nil {
		return nil, err
	}
	// The tables that reach clients, parents first.
	in := map[string]bool{"clients": true}
	g.add("clients", nil)
	for changed := true; changed; {
		changed = false
		for _, t := range names {
			if in[t] || skipTables[t] || strings.HasPrefix(t, "river_") || strings.HasPrefix(t, "goose") {
				continue
			}
			reaches, ready := false, true
			for _, r := range fks[t] {
				if r == t {
					continue
				}
				if in[r] {
					reaches = true
				} else if reachesClients(r, fks, map[string]bool{}) && !skipTables[r] {
					ready = false
				}
			}
			if reaches && ready {
				in[t] = true
				g.add(t, fks[t])
				changed = true
			}
		}
	}
	for _, t := range g.order {
		if err := g.read(ctx, t); err != nil {
			return nil, fmt.Errorf("bench: read %s: %w", t.name, err)
		}
	}
	return g, nil
}

func reachesClients(t string, fks map[string]map[string]string, seen map[string]bool) bool {
	if t == "clients" {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	for _, r := range fks[t] {
		if reachesClients(r, fks, seen) {
			return true
		}
	}
	return false
}

func (g *graph) add(name string, fk map[string]string) {
	t := &table{name: name, fks: map[int]string{}, owner: map[int64]int64{}, pos: map[int64]int{},
		byOwner: map[int64][][]any{}, clientC: -1, fkNames: fk}
	g.order = append(g.order, t)
	g.byName[name] = t
}

// read loads the template rows of t and works out each row's client.
func (g *graph) read(ctx context.Context, t *table) error {
	rows, err := g.db.SQL().QueryContext(ctx, "SELECT * FROM "+t.name+" ORDER BY 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	t.fks = map[int]string{}
	for i, ct := range cts {
		t.cols = append(t.cols, ct.Name())
		t.types = append(t.types, strings.ToUpper(ct.DatabaseTypeName()))
		if r, ok := t.fkNames[ct.Name()]; ok {
			if _, copied := g.byName[r]; copied {
				t.fks[i] = r
			}
		}
		if ct.Name() == "client_id" {
			t.clientC = i
		}
	}
	t.hasID = t.cols[0] == "id"
	for rows.Next() {
		vals := make([]any, len(t.cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		var owner int64
		switch {
		case t.name == "clients":
			owner = asInt(vals[0])
		case t.clientC >= 0 && vals[t.clientC] != nil:
			owner = asInt(vals[t.clientC])
		default:
			for i, r := range t.fks {
				if vals[i] == nil || r == t.name {
					continue
				}
				if o, ok := g.byName[r].owner[asInt(vals[i])]; ok {
					owner = o
					break
				}
			}
		}
		if owner == 0 {
			continue // belongs to no client: stays with the templates only
		}
		if t.hasID {
			id := asInt(vals[0])
			t.owner[id] = owner
			t.pos[id] = len(t.byOwner[owner])
			t.maxID = max(t.maxID, id)
		}
		t.byOwner[owner] = append(t.byOwner[owner], vals)
	}
	return rows.Err()
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// plan picks, per copy, its template (OpenShare of them from the clients
// with open work, the rest from closed ones), how many days its dates
// move back and its name, until the cases reach opts.Cases.
func (g *graph) plan(opts GenerateOptions, donors []donor) error {
	g.donors = donors
	clients := g.byName["clients"]
	cases := g.byName["cases"]
	tasks := g.byName["tasks"]
	total := 0
	for id, rows := range clients.byOwner {
		r := rows[0]
		pd := personal{}
		for i, c := range clients.cols {
			s, _ := r[i].(string)
			switch c {
			case "bsn":
				pd.bsn = s
			case "given_name":
				pd.given = s
			case "family_name":
				pd.family = s
			case "email":
				pd.email = s
			}
		}
		g.tmplPD[id] = pd
		open := false
		for _, c := range cases.byOwner[id] {
			if c[colIndex(cases, "closed_at")] == nil {
				open = true
			}
		}
		for _, t := range tasks.byOwner[id] {
			if t[colIndex(tasks, "status")] == "open" {
				open = true
			}
		}
		if open {
			g.open = append(g.open, id)
		} else {
			g.closed = append(g.closed, id)
		}
		total += len(cases.byOwner[id])
	}
	slices.Sort(g.open)
	slices.Sort(g.closed)
	if len(g.open) == 0 || len(g.closed) == 0 {
		return fmt.Errorf("bench: templates need open and closed clients (%d open, %d closed)", len(g.open), len(g.closed))
	}
	r := rand.New(rand.NewPCG(opts.Seed, 11))
	for k := 0; total < opts.Cases; k++ {
		var id int64
		var shift int32
		if r.Float64() < opts.OpenShare {
			id = g.open[r.IntN(len(g.open))]
			shift = int32(r.IntN(8))
		} else {
			id = g.closed[r.IntN(len(g.closed))]
			shift = int32(30 + r.IntN(5*365))
		}
		g.tmpl = append(g.tmpl, id)
		g.shift = append(g.shift, shift)
		g.name = append(g.name, int32(r.IntN(len(donors))))
		total += len(cases.byOwner[id])
	}
	return nil
}

func colIndex(t *table, name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	return -1
}

// load writes the copies, table by table in the order of the foreign keys.
func (g *graph) load(ctx context.Context, opts GenerateOptions) (total int64, err error) {
	var pg *pgx.Conn
	if g.db.Engine() == "postgres" {
		var err error
		if pg, err = pgConn(ctx, opts.DSN); err != nil {
			return 0, err
		}
		defer pg.Close(ctx)
	}
	bsns := newBSNs(g)
	if pg != nil {
		restore, err := g.unindex(ctx, pg, opts)
		if err != nil {
			return 0, err
		}
		defer func() {
			if rerr := restore(); rerr != nil && err == nil {
				err = rerr
			}
		}()
	}
	for _, t := range g.order {
		start := time.Now()
		src := &copySource{g: g, t: t, k: -1, bsn: bsns}
		var n int64
		if pg != nil {
			n, err = pg.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src)
		} else {
			n, err = g.insertSQLite(ctx, t, src)
		}
		if err != nil {
			return total, fmt.Errorf("bench: load %s: %w", t.name, err)
		}
		total += n
		opts.Log.Info("loaded", "table", t.name, "rows", n, "took", time.Since(start).Round(time.Millisecond))
		if pg != nil && t.hasID {
			if _, err := pg.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))`, t.name, t.name)); err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// unindex prepares PostgreSQL for the bulk load: it disables the copied
// tables' triggers (the foreign key checks among them; the copies'
// references are right by construction) and drops their indexes that back
// no constraint. The function it returns builds those indexes again (a
// unique one checks its rows then) and enables the triggers.
func (g *graph) unindex(ctx context.Context, pg *pgx.Conn, opts GenerateOptions) (func() error, error) {
	var defs []string
	for _, t := range g.order {
		rows, err := pg.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes i
			WHERE schemaname = current_schema() AND tablename = $1
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, t.name)
		if err != nil {
			return nil, err
		}
		var names []string
		for rows.Next() {
			var n, d string
			if err := rows.Scan(&n, &d); err != nil {
				rows.Close()
				return nil, err
			}
			names = append(names, n)
			defs = append(defs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, n := range names {
			if _, err := pg.Exec(ctx, "DROP INDEX "+pgx.Identifier{n}.Sanitize()); err != nil {
				return nil, err
			}
		}
		if _, err := pg.Exec(ctx, "ALTER TABLE "+pgx.Identifier{t.name}.Sanitize()+" DISABLE TRIGGER ALL"); err != nil {
			return nil, err
		}
	}
	return func() error {
		ctx := context.WithoutCancel(ctx)
		start := time.Now()
		if _, err := pg.Exec(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
		for _, d := range defs {
			if _, err := pg.Exec(ctx, d); err != nil {
				return fmt.Errorf("bench: %s: %w", d, err)
			}
		}
		for _, t := range g.order {
			if _, err := pg.Exec(ctx, "ALTER TABLE "+pgx.Identifier{t.name}.Sanitize()+" ENABLE TRIGGER ALL"); err != nil {
				return err
			}
		}
		opts.Log.Info("indexes built", "n", len(defs), "took", time.Since(start).Round(time.Millisecond))
		return nil
	}, nil
}

// insertSQLite writes src's rows in multi-row INSERTs in one transaction.
func (g *graph) insertSQLite(ctx context.Context, t *table, src *copySource) (int64, error) {
	conn, err := g.db.SQL().Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// The copies' references are right by construction (they point into
	// the same copy or at the templates' users); checking each costs.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON") //nolint:errcheck // the connection returns to the pool
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	per := max(1, 30000/len(t.cols))
	per = min(per, 500)
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	head := "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES "
	var n int64
	args := make([]any, 0, per*len(t.cols))
	rowsIn := 0
	flush := func() error {
		if rowsIn == 0 {
			return nil
		}
		q := head + strings.TrimSuffix(strings.Repeat(row+",", rowsIn), ",")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		n += int64(rowsIn)
		args, rowsIn = args[:0], 0
		return nil
	}
	for src.Next() {
		vals, _ := src.Values()
		args = append(args, vals...)
		rowsIn++
		if rowsIn == per {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	return n, tx.Commit()
}

// bsns hands out unique, format-valid BSNs (the 11-proef of
// casework.ValidBSN) that no template has, in a fixed order.
type bsns struct {
	next  int
	taken map[string]bool
	all   []string // per copy
}

func newBSNs(g *graph) *bsns {
	b := &bsns{next: 20000000, taken: map[string]bool{}}
	for _, pd := range g.tmplPD {
		b.taken[pd.bsn] = true
	}
	b.all = make([]string, len(g.tmpl))
	for k := range g.tmpl {
		for {
			s := bsnFor(b.next)
			b.next++
			if s != "" && !b.taken[s] {
				b.all[k] = s
				break
			}
		}
	}
	return b
}

// bsnFor completes the eight digits of prefix with the check digit of the
// 11-proef, or returns "" when no digit fits.
func bsnFor(prefix int) string {
	s := fmt.Sprintf("%08d", prefix)
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(s[i]-'0')
	}
	d := sum % 11
	if d == 10 {
		return ""
	}
	return s + string(rune('0'+d))
}

var emailLocal = strings.NewReplacer(" ", "", "ş", "s", "ö", "o", "Ö", "o", "ı", "i", "Ç", "c", "ç", "c", "ë", "e")

// email is the current copy's invented address.
func (s *copySource) email(d donor) string {
	if s.emailK != s.k || s.emailS == "" {
		s.emailK = s.k
		s.emailS = strings.ToLower(emailLocal.Replace(d.given+"."+d.family)) + strconv.Itoa(s.k) + "@example.org"
	}
	return s.emailS
}

// bulky are the columns a copy of closed history leaves empty.
var bulky = map[string]bool{"messages.html": true, "messages.attachment": true, "documents.html": true, "documents.content": true}

// copySource yields the rows of table t for every copy in turn
// (pgx.CopyFromSource).
type copySource struct {
	g    *graph
	t    *table
	bsn  *bsns
	k    int // current copy
	i    int // row of the copy's template
	base map[string]int64
	cur  []any
	err  error

	emailK int
	emailS string
}

func (s *copySource) Next() bool {
	g := s.g
	if s.base == nil {
		s.base = map[string]int64{}
		for _, t := range g.order {
			s.base[t.name] = t.maxID + 1
		}
	}
	for {
		if s.k >= 0 && s.t.name == "client_words" {
			// The copy's words are its donor name's, as the store made them.
			if d := g.donors[g.name[s.k]]; s.i < len(d.words) {
				s.cur = s.wordRow(d, d.words[s.i])
				s.i++
				return true
			}
		} else if s.k >= 0 && s.i < len(s.t.byOwner[g.tmpl[s.k]]) {
			s.cur = s.row(s.t.byOwner[g.tmpl[s.k]][s.i])
			s.i++
			return true
		}
		if s.k >= 0 {
			for _, t := range g.order {
				if t.hasID {
					s.base[t.name] += int64(len(t.byOwner[g.tmpl[s.k]]))
				}
			}
		}
		s.k++
		s.i = 0
		if s.k >= len(g.tmpl) {
			return false
		}
	}
}

// wordRow is a row of client_words for the current copy.
func (s *copySource) wordRow(d donor, w string) []any {
	out := make([]any, len(s.t.cols))
	for i, c := range s.t.cols {
		switch c {
		case "client_id":
			out[i] = s.base["clients"]
		case "word":
			out[i] = w
		case "sort_name":
			out[i] = d.sort
		}
	}
	return out
}

func (s *copySource) Values() ([]any, error) { return s.cur, nil }
func (s *copySource) Err() error             { return s.err }

// row is one template row as the current copy has it.
func (s *copySource) row(src []any) []any {
	g, t := s.g, s.t
	tmpl := g.tmpl[s.k]
	pd := g.tmplPD[tmpl]
	d := g.donors[g.name[s.k]]
	bsn := s.bsn.all[s.k]
	shift := int(g.shift[s.k])
	email := s.email(d)
	out := make([]any, len(src))
	for i, v := range src {
		out[i] = v
		col := t.cols[i]
		switch {
		case i == 0 && t.hasID:
			out[i] = s.base[t.name] + int64(t.pos[asInt(v)])
			continue
		case t.name == "clients" && col == "bsn" && v != nil:
			out[i] = bsn
			continue
		}
		if r, ok := t.fks[i]; ok && v != nil {
			rt := g.byName[r]
			if rt.owner[asInt(v)] == tmpl {
				out[i] = s.base[r] + int64(rt.pos[asInt(v)])
			}
			continue
		}
		if shift >= 30 && bulky[t.name+"."+col] {
			// Closed history keeps its messages and letters, not their
			// rendered HTML, attachments and PDFs: disk and load time.
			if _, isBytes := v.([]byte); isBytes {
				out[i] = nil
			} else if v != nil {
				out[i] = ""
			}
			continue
		}
		switch x := v.(type) {
		case time.Time:
			x = x.AddDate(0, 0, -shift)
			if g.db.Engine() == "sqlite" && t.types[i] == "DATE" {
				out[i] = x.Format(time.DateOnly)
			} else {
				out[i] = x
			}
		case string:
			out[i] = s.text(t, col, x, pd, d, bsn, email)
		}
	}
	return out
}

// text gives a text column of the copy: the client's own details replaced
// by the copy's wherever the template's appear.
func (s *copySource) text(t *table, col, x string, pd personal, d donor, bsn, email string) string {
	switch {
	case t.name == "clients":
		switch col {
		case "given_name":
			return d.given
		case "family_name":
			return d.family
		case "search_name":
			return d.search
		case "sort_name":
			return d.sort
		case "email":
			if x == "" {
				return ""
			}
			return email
		}
	case t.name == "client_words" && col == "sort_name":
		return d.sort
	case t.name == "messages" && col == "dedupe_key":
		return fmt.Sprintf("%s~kopie%d", x, s.k)
	case t.name == "appointments" && col == "uid" && x != "":
		return fmt.Sprintf("bench-%d-%s", s.k, x)
	}
	if pd.bsn != "" && strings.Contains(x, pd.bsn) {
		x = strings.ReplaceAll(x, pd.bsn, bsn)
	}
	if pd.family != "" && strings.Contains(x, pd.family) {
		x = strings.ReplaceAll(x, pd.family, d.family)
	}
	if pd.given != "" && strings.Contains(x, pd.given) {
		x = strings.ReplaceAll(x, pd.given, d.given)
	}
	if pd.email != "" && strings.Contains(x, pd.email) {
		x = strings.ReplaceAll(x, pd.email, email)
	}
	return x
}
