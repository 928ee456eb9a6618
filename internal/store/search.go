package store

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Client search. A name is searched by the beginnings of its words, in
// client_words (migration 00006): every word typed must begin a different
// word of the name, in any order. A prefix is a range of the index on
// client_words.word on both engines, where a match anywhere inside the name
// (LIKE '%…%') would read every client: SQLite has no index for a leading
// %, and PostgreSQL would need an extension (pg_trgm) SQLite does not have.

// wordSeparators are the characters, besides the space, at which a name is
// split into the words it is searched by: "Jansen-de Vries" is found by
// "de vries", "d'Hondt" by "hondt". Migration 00006 splits the names stored
// before it at the same characters in SQL: keep the two in step.
const wordSeparators = " -'’‘.,/()‐–"

// splitWords returns the words of s, a searchName, in order.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(wordSeparators, r) })
}

// nameWords returns the distinct words of s, a searchName, in order.
func nameWords(s string) []string {
	var out []string
	for _, w := range splitWords(s) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// writeNameWords replaces the words a client is searched by, each with
// the client's sort_name.
func (t *tx) writeNameWords(ctx context.Context, clientID int64, given, family string) error {
	if _, err := t.exec(ctx, `DELETE FROM client_words WHERE client_id = ?`, clientID); err != nil {
		return err
	}
	words := nameWords(searchName(given, family))
	if len(words) == 0 {
		return nil
	}
	sort := sortName(given, family)
	args := make([]any, 0, 3*len(words))
	for _, w := range words {
		args = append(args, clientID, w, sort)
	}
	_, err := t.exec(ctx, `INSERT INTO client_words (client_id, word, sort_name) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(words)), ", "), args...)
	return err
}

// prefixEnd returns the least string greater than every string that begins
// with p, in the byte order both engines compare words in (UTF-8 bytes
// order as code points do), so that "word >= p AND word < prefixEnd(p)"
// is "word begins with p". ok is false when there is none (p is empty or
// only U+10FFFF).
func prefixEnd(p string) (end string, ok bool) {
	for p != "" {
		r, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		switch {
		case r == utf8.MaxRune || r == utf8.RuneError:
			continue // no successor of this length: carry to the rune before
		case r == 0xD7FF:
			return p + string(rune(0xE000)), true // skip the surrogates
		default:
			return p + string(r+1), true
		}
	}
	return "", false
}

// wordRange is the condition "alias.word begins with p" and its arguments.
func wordRange(alias, p string) (string, []any) {
	if end, ok := prefixEnd(p); ok {
		return alias + `.word >= ? AND ` + alias + `.word < ?`, []any{p, end}
	}
	return alias + `.word >= ?`, []any{p}
}

// SearchClients returns up to n clients (default 50) in name order
// (family name, then given name, as sort_name) whose name has, for every
// word of name, a different word it begins with, ignoring case, accents
// and the separators of nameWords: "jan jans" and "JANSEN jan" find Jan
// Jansen, "jan jansen" does not find Piet Jansen, "ans" finds neither. A
// name without words lists every client. Both engines give the same
// answer.
func (t *tx) SearchClients(ctx context.Context, name string, n int) (_ []casework.Client, err error) {
	defer wrap(&err, "SearchClients") // the search text is a name: it stays out
	words := nameWords(searchName(name))
	if len(words) == 0 {
		return queryAll(ctx, t, scanClient, `SELECT `+clientCols+` FROM clients c
			ORDER BY c.sort_name, c.id LIMIT ?`, limit(n, 50))
	}
	// The longest word is likely the rarest: its range of the word index
	// picks the candidates. Each word then needs as many different words
	// of the name beginning with it as there are words typed that begin
	// with it ("jan jansen": two beginning with "jan"). Prefix ranges are
	// nested or apart, so these counts are enough for every word to have a
	// word of its own.
	typed := splitWords(searchName(name)) // with repeats: "jan jan" needs two
	slices.SortStableFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	match, args := wordRange("w", words[0])
	for i, p := range words {
		need := 0
		for _, w := range typed {
			if strings.HasPrefix(w, p) {
				need++
			}
		}
		if i == 0 && need == 1 {
			continue // the range has it
		}
		cond, a := wordRange("o", p)
		if need == 1 {
			match += ` AND w.client_id IN (SELECT o.client_id FROM client_words o WHERE ` + cond + `)`
		} else {
			match += ` AND (SELECT COUNT(*) FROM client_words o WHERE o.client_id = w.client_id AND ` + cond + `) >= ?`
			a = append(a, need)
		}
		args = append(args, a...)
	}
	ids, err := t.matchingClients(ctx, match, args, limit(n, 50))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	found, err := queryAll(ctx, t, scanClient, `SELECT `+clientCols+` FROM clients c WHERE c.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	order := make(map[int64]int, len(ids))
	for i, id := range ids {
		order[id.(int64)] = i
	}
	slices.SortFunc(found, func(a, b casework.Client) int { return order[a.ID] - order[b.ID] })
	return found, nil
}

// matchingClients returns the ids of the first n clients in name order
// that have a word matching match (conditions on client_words w). They come
// from one range of the index on (word, sort_name, client_id), sorted there
// without reading clients. A client with two words in the range ("jan"
// for Jan Jansen) comes twice, next to itself; the duplicates are dropped
// here rather than by DISTINCT, which would sort every match (some 20 000
// for "va") where ORDER BY with LIMIT keeps only the first few. The limit
// grows when the duplicates leave fewer than n.
func (t *tx) matchingClients(ctx context.Context, match string, args []any, n int) ([]any, error) {
	type row struct {
		id   int64
		sort string
	}
	for l := 2 * n; ; l *= 4 {
		rows, err := queryAll(ctx, t, func(s scanner) (row, error) {
			var r row
			err := s.Scan(&r.id, &r.sort)
			return r, err
		}, `SELECT w.client_id, w.sort_name FROM client_words w WHERE `+match+`
			ORDER BY w.sort_name, w.client_id LIMIT ?`, append(slices.Clip(args), l)...)
		if err != nil {
			return nil, err
		}
		var ids []any
		for i, r := range rows {
			if i > 0 && rows[i-1].id == r.id {
				continue
			}
			if ids = append(ids, r.id); len(ids) == n {
				return ids, nil
			}
		}
		if len(rows) < l {
			return ids, nil
		}
	}
}

// ClientsByBirthDate returns up to n clients (default 50) born on day, in
// name order.
func (t *tx) ClientsByBirthDate(ctx context.Context, day time.Time, n int) (_ []casework.Client, err error) {
	defer wrap(&err, "ClientsByBirthDate") // a date of birth is personal data: it stays out
	return queryAll(ctx, t, scanClient, `SELECT `+clientCols+` FROM clients c
		WHERE c.birth_date = ? ORDER BY c.sort_name, c.id LIMIT ?`, dateArg(day), limit(n, 50))
}

// ClientStates returns where each of the clients stands: the steps of its
// open tasks, oldest first, and the status of its latest case. Clients
// without tasks or cases are missing from the map.
func (t *tx) ClientStates(ctx context.Context, clientIDs []int64) (_ map[int64]casework.ClientState, err error) {
	defer wrap(&err, "ClientStates(%d clients)", len(clientIDs))
	out := map[int64]casework.ClientState{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	ids := make([]any, len(clientIDs))
	for i, id := range clientIDs {
		ids[i] = id
	}
	type open struct {
		client int64
		step   casework.OpenStep
	}
	steps, err := queryAll(ctx, t, func(s scanner) (open, error) {
		var o open
		err := s.Scan(&o.client, &o.step.Step, &o.step.DefinitionVersion)
		return o, err
	}, `SELECT t.client_id, t.step, ap.definition_version FROM tasks t JOIN cases ap ON ap.id = t.application_id
		WHERE `+openTask("t")+` AND t.client_id IN (`+placeholders(len(ids))+`) ORDER BY t.created_at, t.id`, ids...)
	if err != nil {
		return nil, err
	}
	for _, o := range steps {
		st := out[o.client]
		st.OpenSteps = append(st.OpenSteps, o.step)
		out[o.client] = st
	}
	type status struct {
		client int64
		status string
	}
	// The latest case is the one made last: a 17/PA after its 0/L2, a new
	// application after a closed one.
	statuses, err := queryAll(ctx, t, func(s scanner) (status, error) {
		var x status
		err := s.Scan(&x.client, &x.status)
		return x, err
	}, `SELECT client_id, status FROM cases WHERE client_id IN (`+placeholders(len(ids))+`) ORDER BY client_id, id`, ids...)
	if err != nil {
		return nil, err
	}
	for _, x := range statuses {
		st := out[x.client]
		st.CaseStatus = x.status
		out[x.client] = st
	}
	return out, nil
}
