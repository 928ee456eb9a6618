package web

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
)

// rowCache keeps the HTML of worklist rows by the row itself: a
// WorklistRow holds everything its template ("worklist-row") may show, so
// an equal row renders to equal HTML, and a changed task, a day that
// passed or another user's actions make another row. A worklist is read
// far more often than its tasks change, by every member of a team, and
// its rows are most of a page's rendering (every value a template writes
// costs a reflective call of its escaper: some 28 µs a row). The HTML is
// html/template's own output for the row, so it is as safe as the page.
type rowCache struct {
	mu   sync.Mutex
	rows map[WorklistRow]template.HTML
	max  int // rows kept at most; when full, the cache starts afresh
}

// rowCacheSize bounds the rows kept: about 1.2 KB each.
const rowCacheSize = 2048

func newRowCache() *rowCache {
	return &rowCache{rows: map[WorklistRow]template.HTML{}, max: rowCacheSize}
}

// worklistRows returns the HTML of rows, rendering those not kept.
func (s *server) worklistRows(rows []WorklistRow) ([]template.HTML, error) {
	out := make([]template.HTML, len(rows))
	var missing []int
	s.rows.mu.Lock()
	for i, r := range rows {
		if h, ok := s.rows.rows[r]; ok {
			out[i] = h
		} else {
			missing = append(missing, i)
		}
	}
	s.rows.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	t, ok := s.pages.byName["worklist"]
	if !ok {
		return nil, fmt.Errorf("web: no page template %q", "worklist")
	}
	var buf bytes.Buffer
	for _, i := range missing {
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "worklist-row", rows[i]); err != nil {
			return nil, fmt.Errorf("web: render worklist row: %w", err)
		}
		out[i] = template.HTML(buf.String()) //nolint:gosec // html/template's output for the row
	}
	s.rows.mu.Lock()
	if len(s.rows.rows)+len(missing) > s.rows.max {
		clear(s.rows.rows)
	}
	for _, i := range missing {
		s.rows.rows[rows[i]] = out[i]
	}
	s.rows.mu.Unlock()
	return out, nil
}
