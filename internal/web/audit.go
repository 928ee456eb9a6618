package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// AuditPage is the audit log for a functioneel beheerder: filters, one
// page of rows, and the export of what the filter selects.
type AuditPage struct {
	Layout
	Values   url.Values        // the filter as typed
	Errors   map[string]string // per filter field
	Summary  []SummaryItem
	Rows     []AuditRow
	Total    int
	Paging   Paging // links to the pages before and after this one
	CSV      string // link to the export of the filter
	Caption  string
	Invalid  bool
	Alert    string
	AlertFor string
	Link     string
}

// AuditRow is a row of the audit log in words.
type AuditRow struct {
	casework.AuditEntry
	Actor  string // the user's name and number, or who it was
	Result string // in Dutch
}

var auditResultText = map[string]string{
	casework.AuditAllowed: "toegestaan",
	casework.AuditRefused: "geweigerd",
	casework.AuditFailed:  "mislukt",
}

// auditPage shows the audit log.
func (s *server) auditPage(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := casework.Authorize(a, process.ActSeeAudit, process.RelNone); err != nil {
		return err
	}
	q := r.URL.Query()
	p := AuditPage{Layout: s.base(r, "Auditlog"), Values: q}
	f, ferr := casework.ParseAuditFilter(q.Get)
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
		p.Invalid, p.Errors = true, casework.FieldErrors(ferr)
		for _, k := range []string{casework.AuditParamFrom, casework.AuditParamTo, casework.AuditParamUser,
			casework.AuditParamClient, casework.AuditParamAction, casework.AuditParamPage} {
			if m, ok := p.Errors[k]; ok {
				p.Summary = append(p.Summary, SummaryItem{Href: "#f-" + k, Message: m})
			}
		}
		return s.render(w, r, status, "audit", &p)
	}
	rows, pg, err := s.Audit.AuditLog(r.Context(), a, f)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	if users, err := s.Accounts.Users(r.Context(), a); err == nil {
		for _, u := range users {
			names[u.ID] = u.Name
		}
	}
	for _, e := range rows {
		row := AuditRow{AuditEntry: e, Result: auditResultText[e.Result]}
		switch {
		case e.ActorID == 0:
			row.Actor = "niet ingelogd"
		case names[e.ActorID] != "":
			row.Actor = fmt.Sprintf("%s (%d)", names[e.ActorID], e.ActorID)
		default:
			row.Actor = fmt.Sprintf("gebruiker %d", e.ActorID)
		}
		p.Rows = append(p.Rows, row)
	}
	p.Total = pg.Total
	p.Paging = pagingLinks("/beheer/audit", filterValues(q), pg)
	p.CSV = "/beheer/audit.csv"
	if v := filterValues(q); len(v) > 0 {
		p.CSV += "?" + v.Encode()
	}
	p.Caption = pageCount(len(p.Rows), pg.Total, "regel", "regels")
	return s.render(w, r, status, "audit", &p)
}

// filterValues is the filter of q without its page.
func filterValues(q url.Values) url.Values {
	v := url.Values{}
	for _, k := range []string{casework.AuditParamFrom, casework.AuditParamTo, casework.AuditParamUser,
		casework.AuditParamClient, casework.AuditParamAction} {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// auditCSV exports the rows the filter selects as CSV, oldest first, under
// a file name with the date range.
func (s *server) auditCSV(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := casework.Authorize(a, process.ActSeeAudit, process.RelNone); err != nil {
		return err
	}
	f, err := casework.ParseAuditFilter(r.URL.Query().Get)
	if err != nil {
		return err
	}
	f.Oldest, f.Cursor, f.Limit = true, nil, 5000
	from, to := f.From, f.To
	if from == "" {
		from = "begin"
	}
	if to == "" {
		to = casework.AuditDay(s.Process.Now())
	}
	// The first page before any byte is written: a refusal or failure is
	// still a proper error page.
	rows, pg, err := s.Audit.AuditLog(r.Context(), a, f)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="auditlog-%s-tot-%s.csv"`, from, to))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "dag", "volgnummer", "moment", "gebruiker", "soort_gebruiker", "handeling", "kanaal",
		"klant", "zaak", "taak", "resultaat", "http_status", "adres", "trace_id", "vorige_hash", "hash"})
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	for {
		for _, e := range rows {
			status := ""
			if e.Status != 0 {
				status = strconv.Itoa(e.Status)
			}
			_ = cw.Write([]string{strconv.FormatInt(e.ID, 10), e.Day, strconv.FormatInt(e.Seq, 10),
				e.At.In(process.Amsterdam).Format("2006-01-02T15:04:05.000000-07:00"), id(e.ActorID), e.ActorKind,
				csvSafe(e.Action), e.Channel, id(e.ClientID), id(e.CaseID), id(e.TaskID), e.Result, status,
				csvSafe(e.Address), e.TraceID, e.PrevHash, e.Hash})
		}
		next, ok := casework.ParseCursor(pg.Next)
		if !ok {
			break
		}
		f.Cursor = &next
		if rows, pg, err = s.Audit.AuditLog(r.Context(), a, f); err != nil {
			// The answer has begun: end it, and let the log say why.
			s.log.ErrorContext(r.Context(), "audit export broke off", "error", err)
			break
		}
	}
	cw.Flush()
	return nil
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// ProcessingPage is the register of processing activities.
type ProcessingPage struct {
	Layout
	Activities []casework.ProcessingActivity
}

// processingRegister shows the register of processing activities.
func (s *server) processingRegister(w http.ResponseWriter, r *http.Request) error {
	if err := casework.Authorize(actor(r), process.ActSeeAudit, process.RelNone); err != nil {
		return err
	}
	p := ProcessingPage{Layout: s.base(r, "Register van verwerkingen"), Activities: s.Audit.ProcessingActivities()}
	return s.render(w, r, http.StatusOK, "processing", &p)
}

// AuditField is one field of the audit log's filter.
type AuditField struct {
	Name, Label, Help, Type, Value, Error string
	Numeric                               bool
}

// auditField builds a filter field with what was typed and its message.
func auditField(name, label, help, typ string, numeric bool, values url.Values, errs map[string]string) AuditField {
	return AuditField{Name: name, Label: label, Help: help, Type: typ, Numeric: numeric, Value: values.Get(name), Error: errs[name]}
}
