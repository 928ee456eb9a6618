package casework

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// AuditService records requests in the audit and processing logs, shows
// the audit log to a functioneel beheerder, verifies its chains and purges
// what is past retention.
type AuditService interface {
	// RecordRequest writes the audit rows of a request the adapter has
	// answered with status: a read, a refusal or a failure. A request whose
	// changes already wrote their rows in their transactions writes
	// nothing more, unless it then failed (500).
	RecordRequest(ctx context.Context, r *AuditRequest, status int) error
	// AuditLog returns a page of audit rows, newest first, and how many
	// match. Errors: forbidden.
	AuditLog(ctx context.Context, a Actor, f AuditFilter) ([]AuditEntry, Page, error)
	// ProcessingActivities is the register of processing activities.
	ProcessingActivities() []ProcessingActivity
}

// AuditAdmin is what the command line and the worker do with the logs.
type AuditAdmin interface {
	// VerifyAudit checks the hash chain of every day from from to to
	// (YYYY-MM-DD, "" open) and returns each day's outcome.
	VerifyAudit(ctx context.Context, from, to string) ([]DayVerification, error)
	// PurgeAudit removes whole days older than the retention from the
	// audit and processing logs, recording each purge.
	PurgeAudit(ctx context.Context) ([]AuditPurge, error)
}

// DayVerification is the outcome of verifying one day.
type DayVerification struct {
	Day    string
	Rows   int
	Purged bool   // the day was purged by retention (nothing left to check)
	Broken string // "" when intact; else what is wrong, naming the row (Dutch, for the beheerder)
}

// Audit is the area of the logs.
type Audit struct {
	*core
	log       *auditLog
	retention int
	store     Transactor[AuditAreaTx]
	// requests writes the audit rows of requests, those of concurrent
	// requests in one transaction: every page view appends to the day's
	// audit chain, whose head is one row to lock, so one transaction each
	// queued them on that lock and on a commit each (on a slow disk, 0.2–
	// 0.7 s each, and the connection pool ran out).
	requests *batcher[AuditAreaTx]
}

// auditBatch is how many requests' audit rows share a transaction at most.
const auditBatch = 64

// AuditAreaTx is what the audit area reads and writes.
type AuditAreaTx interface {
	AuditTx
	ClientByID(ctx context.Context, id int64) (Client, error)
}

var (
	_ AuditService = (*Audit)(nil)
	_ AuditAdmin   = (*Audit)(nil)
)

// RecordRequest implements AuditService.
func (s *Audit) RecordRequest(ctx context.Context, r *AuditRequest, status int) (err error) {
	defer wrap(&err, "RecordRequest(%s)", r.Action)
	r.mu.Lock()
	changes, refused := r.changes, r.refused
	subjects := append([]subject(nil), r.subjects...)
	r.mu.Unlock()
	if changes > 0 && status < 500 {
		return nil // the changes wrote their rows when they committed
	}
	// A refusal or failure names the route's object and the clients
	// loaded before it; processing records come only with success.
	result := ResultOf(status)
	if refused {
		result = AuditRefused
	}
	return s.requests.do(ctx, func(tx AuditAreaTx) error {
		return s.log.write(ctx, tx, r, subjects, result, status)
	})
}

// AuditLog implements AuditService: a page of f.Limit rows (all without a
// limit) at f.Cursor, with the cursors of the pages beside it and the
// number of rows of the filter.
func (s *Audit) AuditLog(ctx context.Context, a Actor, f AuditFilter) (_ []AuditEntry, _ Page, err error) {
	defer wrap(&err, "AuditLog")
	if err := Authorize(a, process.ActSeeAudit, process.RelNone); err != nil {
		return nil, Page{}, err
	}
	if c := f.Cursor; c != nil && (c.Sort != auditSort || c.Desc == f.Oldest) {
		f.Cursor = nil // a cursor of the other order: the first page
	}
	size := f.Limit
	if size > 0 {
		f.Limit = size + 1
	}
	var rows []AuditEntry
	var page Page
	err = s.store.View(ctx, func(tx AuditAreaTx) error {
		var err error
		if page.Total, err = tx.CountAuditEntries(ctx, f); err != nil {
			return err
		}
		if rows, err = tx.AuditEntries(ctx, f); err != nil {
			return err
		}
		if f.Cursor != nil && f.Cursor.Back && len(rows) < size {
			f.Cursor = nil // back at the start: the first page, whole
			rows, err = tx.AuditEntries(ctx, f)
		}
		return err
	})
	if err != nil || size == 0 {
		return rows, page, err
	}
	total := page.Total
	rows, page = pageOf(rows, size, f.Cursor, func(e AuditEntry) Cursor { return AuditCursor(f.Oldest, e) })
	page.Total = total
	return rows, page, nil
}

// auditSort names the order of the audit log in its cursors.
const auditSort = "audit"

// AuditCursor is the position of row e in the audit log: its day and its
// number in the day, newest first unless oldest.
func AuditCursor(oldest bool, e AuditEntry) Cursor {
	return Cursor{Sort: auditSort, Desc: !oldest, Value: e.Day, ID: e.Seq}
}

// ProcessingActivities implements AuditService.
func (s *Audit) ProcessingActivities() []ProcessingActivity { return s.log.cfg.Activities }

// VerifyAudit implements AuditAdmin. Each day's rows must be numbered 1..n
// without a gap, each must hold the previous row's hash and its own hash
// must match its fields, and the day's head must name the last row: an
// altered row breaks its hash, a deleted one the numbering (or the head),
// an inserted one the links.
func (s *Audit) VerifyAudit(ctx context.Context, from, to string) (_ []DayVerification, err error) {
	defer wrap(&err, "VerifyAudit(%s..%s)", from, to)
	var days []string
	var purges []AuditPurge
	err = s.store.View(ctx, func(tx AuditAreaTx) error {
		var err error
		if days, err = tx.AuditDays(ctx, from, to); err != nil {
			return err
		}
		purges, err = tx.AuditPurges(ctx, from, to)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []DayVerification
	for _, p := range purges {
		out = append(out, DayVerification{Day: p.Day, Rows: int(p.Rows), Purged: true})
	}
	for _, day := range days {
		var rows []AuditEntry
		var head AuditHead
		err := s.store.View(ctx, func(tx AuditAreaTx) error {
			var err error
			rows, head, err = tx.AuditDayEntries(ctx, day)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, DayVerification{Day: day, Rows: len(rows), Broken: verifyDay(day, rows, head)})
	}
	sortDays(out)
	return out, nil
}

// verifyDay returns what is wrong with a day's chain, or "".
func verifyDay(day string, rows []AuditEntry, head AuditHead) string {
	prev := ""
	for i, e := range rows {
		want := int64(i + 1)
		switch {
		case e.Day != day:
			return fmt.Sprintf("regel %d (id %d) is gedateerd op %s", e.Seq, e.ID, e.Day)
		case e.Seq != want:
			return fmt.Sprintf("regel %d ontbreekt (op die plaats staat regel %d, id %d)", want, e.Seq, e.ID)
		case e.PrevHash != prev:
			return fmt.Sprintf("regel %d (id %d) verwijst niet naar regel %d", e.Seq, e.ID, e.Seq-1)
		case AuditHash(e) != e.Hash:
			return fmt.Sprintf("regel %d (id %d) is gewijzigd: de hash past niet bij de velden", e.Seq, e.ID)
		}
		prev = e.Hash
	}
	switch {
	case head.Day == "" && len(rows) > 0:
		return "de dagkop ontbreekt"
	case head.Seq != int64(len(rows)):
		return fmt.Sprintf("de dagkop noemt regel %d als laatste, maar de dag heeft %d regels", head.Seq, len(rows))
	case head.Hash != prev:
		return fmt.Sprintf("de hash van de dagkop past niet bij regel %d", head.Seq)
	}
	return ""
}

func sortDays(v []DayVerification) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].Day < v[j-1].Day; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// PurgeAudit implements AuditAdmin: every day before today minus the
// retention is removed whole, one day per transaction.
func (s *Audit) PurgeAudit(ctx context.Context) (_ []AuditPurge, err error) {
	defer wrap(&err, "PurgeAudit")
	now := s.clock.Now()
	cutoff := AuditDay(now.AddDate(0, 0, -s.retention)) // days before this go
	var days []string
	err = s.store.View(ctx, func(tx AuditAreaTx) error {
		var err error
		days, err = tx.AuditDays(ctx, "", "")
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []AuditPurge
	for _, day := range days {
		if day >= cutoff {
			break
		}
		var p AuditPurge
		err := s.store.Update(ctx, func(tx AuditAreaTx) error {
			var err error
			p, err = tx.PurgeAuditDay(ctx, day, now.UTC())
			return err
		})
		if err != nil {
			return out, fmt.Errorf("day %s: %w", day, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// newAudit builds the audit area.
func newAudit(c *core, st Store, l *auditLog, retention int) *Audit {
	if retention <= 0 {
		retention = DefaultAuditRetentionDays
	}
	store := Narrow(st, func(tx Tx) AuditAreaTx { return tx })
	return &Audit{core: c, log: l, retention: retention, store: store, requests: &batcher[AuditAreaTx]{store: store, max: auditBatch}}
}

// Query parameters of the audit log's filter (the page and the export).
const (
	AuditParamFrom   = "van"
	AuditParamTo     = "tot"
	AuditParamUser   = "gebruiker"
	AuditParamClient = "klant"
	AuditParamAction = "handeling"
	AuditParamPage   = "pagina"
)

// AuditPageSize is the number of rows on a page of the audit log.
const AuditPageSize = 50

// ParseAuditFilter reads the filter of the audit log from its query
// parameters (dates as jjjj-mm-dd or dd-mm-jjjj, numbers as digits), with
// a Dutch message per field it cannot read. The page (a cursor) sets
// Cursor, and Limit is a page; a page that is no cursor is the first.
func ParseAuditFilter(get func(string) string) (AuditFilter, error) {
	f := AuditFilter{Limit: AuditPageSize}
	errs := Fields{}
	day := func(name string) string {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return ""
		}
		for _, layout := range []string{time.DateOnly, "02-01-2006", "2-1-2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.Format(time.DateOnly)
			}
		}
		errs.Add(name, "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 01-03-2027.")
		return ""
	}
	number := func(name, msg string) int64 {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			errs.Add(name, msg)
			return 0
		}
		return n
	}
	f.From, f.To = day(AuditParamFrom), day(AuditParamTo)
	if f.From != "" && f.To != "" && f.To < f.From {
		errs.Add(AuditParamTo, "De einddatum ligt voor de begindatum.")
	}
	f.ActorID = number(AuditParamUser, "Vul het nummer van de gebruiker in (alleen cijfers).")
	f.ClientID = number(AuditParamClient, "Vul een klantnummer in (alleen cijfers).")
	f.Action = strings.TrimSpace(get(AuditParamAction))
	if len(f.Action) > 100 || TextProblem(f.Action, false) != "" {
		errs.Add(AuditParamAction, "Vul een deel van een handeling in, zoals /klanten of POST, van hoogstens 100 tekens.")
		f.Action = ""
	}
	f.Cursor = cursorFor(strings.TrimSpace(get(AuditParamPage)), auditSort, true)
	return f, errs.Err()
}
