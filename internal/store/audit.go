package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// The audit log and the processing log (see casework/audit.go and
// docs/security.md). Both are append-only by trigger; the one way rows
// leave them is PurgeAuditDay, which removes a whole day after recording
// it in audit_purges, the table the triggers consult.

const auditColumns = `id, day, seq, at, actor_id, actor_kind, action, channel, client_id, case_id, task_id,
	result, status, address, trace_id, prev_hash, hash`

func scanAudit(s scanner) (casework.AuditEntry, error) {
	var e casework.AuditEntry
	err := s.Scan(&e.ID, &e.Day, &e.Seq, timeCol{&e.At}, idCol{&e.ActorID}, &e.ActorKind, &e.Action, &e.Channel,
		idCol{&e.ClientID}, idCol{&e.CaseID}, idCol{&e.TaskID}, &e.Result, intCol{&e.Status}, &e.Address,
		&e.TraceID, &e.PrevHash, &e.Hash)
	return e, err
}

// AppendAudit adds e at the end of its day's chain. The day's head row is
// created when missing and locked, in one statement, the first time the
// transaction appends to that day (a row lock on PostgreSQL; SQLite's write
// transaction holds its one lock), so writers on several instances append
// to a day one after the other and every row links to the one before it.
// The transaction keeps the head it holds: its further rows of the day
// link to it without reading it again, and the head row is written once,
// just before the transaction commits (flushAudit). A batch of page views
// so costs one read and one write of the head, not one each.
func (t *tx) AppendAudit(ctx context.Context, e *casework.AuditEntry) (err error) {
	defer wrap(&err, "AppendAudit(%s, %s)", e.Day, e.Action)
	head, err := t.auditHead(ctx, e.Day)
	if err != nil {
		return err
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Seq, e.PrevHash = head.Seq+1, head.Hash
	e.Hash = casework.AuditHash(*e)
	id, err := t.insert(ctx, `INSERT INTO audit_log (day, seq, at, actor_id, actor_kind, action, channel, client_id,
		case_id, task_id, result, status, address, trace_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Day, e.Seq, timeArg(e.At), idArg(e.ActorID), e.ActorKind, e.Action, e.Channel, idArg(e.ClientID),
		idArg(e.CaseID), idArg(e.TaskID), e.Result, intArg(e.Status), e.Address, e.TraceID, e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	e.ID = id
	head.Seq, head.Hash = e.Seq, e.Hash
	return nil
}

// chainHead is the head of a day's chain as a transaction holds it: as it
// stands after the transaction's rows, and as the database has it.
type chainHead struct {
	casework.AuditHead
	stored casework.AuditHead
}

// auditHead is the head of day's chain as this transaction holds it: read
// (created when missing) and locked by the first append to the day.
func (t *tx) auditHead(ctx context.Context, day string) (*chainHead, error) {
	if h, ok := t.heads[day]; ok {
		return h, nil
	}
	if t.readOnly {
		return nil, errReadOnly
	}
	// DO UPDATE (of nothing) rather than DO NOTHING: the statement then
	// returns the row that was there, and locks it.
	h := &chainHead{AuditHead: casework.AuditHead{Day: day}}
	if err := t.queryRow(ctx, `INSERT INTO audit_heads (day, seq, hash) VALUES (?, 0, '')
		ON CONFLICT (day) DO UPDATE SET day = excluded.day RETURNING seq, hash`, day).Scan(&h.Seq, &h.Hash); err != nil {
		return nil, err
	}
	h.stored = h.AuditHead
	if t.heads == nil {
		t.heads = map[string]*chainHead{}
	}
	t.heads[day] = h
	return h, nil
}

// flushAudit writes the heads the transaction moved. Update calls it
// after the work succeeded and before it commits; the methods that read or
// remove heads call it first.
func (t *tx) flushAudit(ctx context.Context) error {
	for day, h := range t.heads {
		if h.AuditHead == h.stored {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE day = ?`, h.Seq, h.Hash, day); err != nil {
			return fmt.Errorf("audit head of %s: %w", day, err)
		}
		h.stored = h.AuditHead
	}
	return nil
}

// keepHeads returns how the heads stand, for atomic to put back when a
// savepoint is rolled back (its rows are gone, so the heads go back too).
func (t *tx) keepHeads() map[string]chainHead {
	if len(t.heads) == 0 {
		return nil
	}
	kept := make(map[string]chainHead, len(t.heads))
	for day, h := range t.heads {
		kept[day] = *h
	}
	return kept
}

// restoreHeads puts the heads back as keepHeads returned them; a head
// first read inside the savepoint is forgotten (its lock stays, and the
// next append reads it again).
func (t *tx) restoreHeads(kept map[string]chainHead) {
	for day, h := range t.heads {
		if k, ok := kept[day]; ok {
			*h = k
		} else {
			delete(t.heads, day)
		}
	}
}

// AppendProcessing adds a processing record.
func (t *tx) AppendProcessing(ctx context.Context, p *casework.ProcessingRecord) (err error) {
	defer wrap(&err, "AppendProcessing(%s)", p.Name)
	id, err := t.insert(ctx, `INSERT INTO processing_log (day, trace_id, span_id, parent_span_id, name, status,
		started_at, ended_at, activity_id, subject_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Day, p.TraceID, p.SpanID, p.ParentSpanID, p.Name, p.Status, timeArg(p.StartedAt), timeArg(p.EndedAt),
		p.ActivityID, p.SubjectID)
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// ProcessingRecords returns the processing records of a trace.
func (t *tx) ProcessingRecords(ctx context.Context, traceID string) (_ []casework.ProcessingRecord, err error) {
	defer wrap(&err, "ProcessingRecords")
	return queryAll(ctx, t, func(s scanner) (casework.ProcessingRecord, error) {
		var p casework.ProcessingRecord
		err := s.Scan(&p.ID, &p.Day, &p.TraceID, &p.SpanID, &p.ParentSpanID, &p.Name, &p.Status,
			timeCol{&p.StartedAt}, timeCol{&p.EndedAt}, &p.ActivityID, &p.SubjectID)
		return p, err
	}, `SELECT id, day, trace_id, span_id, parent_span_id, name, status, started_at, ended_at, activity_id, subject_id
		FROM processing_log WHERE trace_id = ? ORDER BY id`, traceID)
}

// auditWhere builds the WHERE clause of a filter.
func auditWhere(f casework.AuditFilter) (string, []any) {
	var conds []string
	var args []any
	if f.From != "" {
		conds, args = append(conds, "day >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "day <= ?"), append(args, f.To)
	}
	if f.ActorID != 0 {
		conds, args = append(conds, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.ClientID != 0 {
		conds, args = append(conds, "client_id = ?"), append(args, f.ClientID)
	}
	if f.Action != "" {
		// A part of the action, matched literally: the LIKE wildcards are escaped.
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Action)
		conds, args = append(conds, `action LIKE ? ESCAPE '\'`), append(args, "%"+esc+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditEntries returns the rows matching f, newest first (oldest first
// with f.Oldest), at most f.Limit (0: all). With f.Cursor the rows after
// it, or with Cursor.Back those before it, nearest first: keyset pages on
// (day, seq), never an OFFSET.
func (t *tx) AuditEntries(ctx context.Context, f casework.AuditFilter) (_ []casework.AuditEntry, err error) {
	defer wrap(&err, "AuditEntries")
	where, args := auditWhere(f)
	desc := !f.Oldest
	if c := f.Cursor; c != nil {
		desc = desc != c.Back
		cmp := ">"
		if desc {
			cmp = "<"
		}
		cond := `(day, seq) ` + cmp + ` (?, ?)`
		if where == "" {
			where = " WHERE " + cond
		} else {
			where += " AND " + cond
		}
		args = append(args, c.Value, c.ID)
	}
	order := ` ORDER BY day, seq`
	if desc {
		order = ` ORDER BY day DESC, seq DESC`
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log` + where + order
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return queryAll(ctx, t, scanAudit, q, args...)
}

// CountAuditEntries counts the rows matching f.
func (t *tx) CountAuditEntries(ctx context.Context, f casework.AuditFilter) (_ int, err error) {
	defer wrap(&err, "CountAuditEntries")
	where, args := auditWhere(f)
	var n int
	err = t.queryRow(ctx, `SELECT COUNT(*) FROM audit_log`+where, args...).Scan(&n)
	return n, err
}

// AuditDays lists the days with rows or a head between from and to.
func (t *tx) AuditDays(ctx context.Context, from, to string) (_ []string, err error) {
	defer wrap(&err, "AuditDays(%s..%s)", from, to)
	if err := t.flushAudit(ctx); err != nil {
		return nil, err
	}
	if from == "" {
		from = "0000-00-00"
	}
	if to == "" {
		to = "9999-99-99"
	}
	return queryAll(ctx, t, func(s scanner) (string, error) {
		var d string
		return d, s.Scan(&d)
	}, `SELECT day FROM audit_heads WHERE day BETWEEN ? AND ?
		UNION SELECT DISTINCT day FROM audit_log WHERE day BETWEEN ? AND ?
		UNION SELECT DISTINCT day FROM processing_log WHERE day BETWEEN ? AND ?
		ORDER BY 1`, from, to, from, to, from, to)
}

// AuditDayEntries returns a day's rows by seq and its head.
func (t *tx) AuditDayEntries(ctx context.Context, day string) (_ []casework.AuditEntry, _ casework.AuditHead, err error) {
	defer wrap(&err, "AuditDayEntries(%s)", day)
	if err := t.flushAudit(ctx); err != nil {
		return nil, casework.AuditHead{}, err
	}
	rows, err := queryAll(ctx, t, scanAudit, `SELECT `+auditColumns+` FROM audit_log WHERE day = ? ORDER BY seq, id`, day)
	if err != nil {
		return nil, casework.AuditHead{}, err
	}
	heads, err := queryAll(ctx, t, func(s scanner) (casework.AuditHead, error) {
		var h casework.AuditHead
		return h, s.Scan(&h.Day, &h.Seq, &h.Hash)
	}, `SELECT day, seq, hash FROM audit_heads WHERE day = ?`, day)
	if err != nil || len(heads) == 0 {
		return rows, casework.AuditHead{}, err
	}
	return rows, heads[0], nil
}

// AuditPurges lists the purged days between from and to.
func (t *tx) AuditPurges(ctx context.Context, from, to string) (_ []casework.AuditPurge, err error) {
	defer wrap(&err, "AuditPurges")
	if from == "" {
		from = "0000-00-00"
	}
	if to == "" {
		to = "9999-99-99"
	}
	return queryAll(ctx, t, func(s scanner) (casework.AuditPurge, error) {
		var p casework.AuditPurge
		return p, s.Scan(&p.Day, timeCol{&p.PurgedAt}, &p.Rows, &p.HeadHash)
	}, `SELECT day, purged_at, row_count, head_hash FROM audit_purges WHERE day BETWEEN ? AND ? ORDER BY day`, from, to)
}

// PurgeAuditDay records the purge of day (its row count and last hash) in
// audit_purges, which the triggers consult, then deletes the day's audit
// rows, head and processing records. It is the only delete of these tables.
func (t *tx) PurgeAuditDay(ctx context.Context, day string, at time.Time) (_ casework.AuditPurge, err error) {
	defer wrap(&err, "PurgeAuditDay(%s)", day)
	if err := t.flushAudit(ctx); err != nil {
		return casework.AuditPurge{}, err
	}
	delete(t.heads, day)
	p := casework.AuditPurge{Day: day, PurgedAt: at.UTC().Truncate(time.Microsecond)}
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE day = ?`, day).Scan(&p.Rows); err != nil {
		return p, err
	}
	heads, err := queryAll(ctx, t, func(s scanner) (string, error) {
		var h string
		return h, s.Scan(&h)
	}, `SELECT hash FROM audit_heads WHERE day = ?`, day)
	if err != nil {
		return p, err
	}
	if len(heads) > 0 {
		p.HeadHash = heads[0]
	}
	if _, err := t.exec(ctx, `INSERT INTO audit_purges (day, purged_at, row_count, head_hash) VALUES (?, ?, ?, ?)`,
		day, timeArg(p.PurgedAt), p.Rows, p.HeadHash); err != nil {
		return p, err
	}
	for _, q := range []string{`DELETE FROM audit_log WHERE day = ?`, `DELETE FROM audit_heads WHERE day = ?`,
		`DELETE FROM processing_log WHERE day = ?`} {
		if _, err := t.exec(ctx, q, day); err != nil {
			return p, err
		}
	}
	return p, nil
}
