package casework

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// PageSize is the number of rows of a page of a list a caseworker reads
// (worklists, dossiers, clients, the outbox, the audit log).
const PageSize = 50

// PageSizes are the page sizes a caseworker may choose for a worklist:
// fewer rows on a small screen, more to scan a team's work at once.
var PageSizes = []int{25, PageSize, 100}

// Cursor is a position in a list sorted by a key and then by id: keyset
// pagination, so a page costs the same at the start and at the end of a
// long list (no OFFSET that reads and throws away every row before it).
//
// A cursor travels in URLs (?pagina=…) and in the API (cursor, volgende,
// vorige), so it never holds personal data. Value is the sort key of the
// row the page starts after (or before) only when that key is no personal
// data: a date, a time, a step key. When the list is sorted by a name (a
// client's, a holder's), Value is the id of the client or user whose name
// it is, and the store reads the name from that row by id: a position key,
// not a name, is what the URL carries. Encoding in base64 would only hide a
// name from a glance, not from anyone who decodes it, and a name in a URL
// ends up in browser histories and access logs.
type Cursor struct {
	Sort string // the sort the cursor belongs to; a cursor of another sort is ignored
	Desc bool
	// Back: the page ends before this position (the "Vorige" link);
	// else it starts after it.
	Back  bool
	Null  bool   // the row's sort key is NULL (sorted last)
	Value string // the row's sort key, or the id of the row that has it (see above)
	ID    int64  // the row's id, the tie breaker
}

// String encodes the cursor for a URL: opaque to the reader, but no
// secret (see Cursor).
func (c Cursor) String() string {
	flags := ""
	if c.Desc {
		flags += "d"
	}
	if c.Back {
		flags += "b"
	}
	if c.Null {
		flags += "n"
	}
	raw := strings.Join([]string{c.Sort, flags, c.Value, strconv.FormatInt(c.ID, 36)}, "~")
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor reads a cursor made by Cursor.String. It returns false for
// "" and for anything that is no cursor, which a list reads as its first
// page.
func ParseCursor(s string) (Cursor, bool) {
	if s == "" || len(s) > 200 {
		return Cursor{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, false
	}
	parts := strings.Split(string(raw), "~")
	if len(parts) != 4 {
		return Cursor{}, false
	}
	id, err := strconv.ParseInt(parts[3], 36, 64)
	if err != nil || id <= 0 {
		return Cursor{}, false
	}
	c := Cursor{Sort: parts[0], Value: parts[2], ID: id}
	for _, f := range parts[1] {
		switch f {
		case 'd':
			c.Desc = true
		case 'b':
			c.Back = true
		case 'n':
			c.Null = true
		default:
			return Cursor{}, false
		}
	}
	return c, true
}

// cursorFor returns the cursor of sort and direction from s, or nil when s
// is empty, no cursor, or one of another sort or direction (then the list
// shows its first page).
func cursorFor(s, sort string, desc bool) *Cursor {
	c, ok := ParseCursor(s)
	if !ok || c.Sort != sort || c.Desc != desc {
		return nil
	}
	return &c
}

// Page says where a page of a list is: the cursors of the pages before
// and after it ("" when there is none) and the number of rows of the whole
// list (with the same filters).
type Page struct {
	Prev, Next string
	Total      int
}

// pageOf trims rows, read with one row more than a page (Limit+1) in the
// direction of cur, to a page in list order and says where it is. key
// gives a row's cursor (sort, value, id).
func pageOf[T any](rows []T, size int, cur *Cursor, key func(T) Cursor) ([]T, Page) {
	var p Page
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	back := cur != nil && cur.Back
	if back {
		// Read backwards from the cursor: put them in list order.
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	if len(rows) == 0 {
		return rows, p
	}
	first, last := key(rows[0]), key(rows[len(rows)-1])
	first.Back, last.Back = true, false
	switch {
	case back:
		p.Next = last.String()
		if more {
			p.Prev = first.String()
		}
	default:
		if more {
			p.Next = last.String()
		}
		if cur != nil {
			p.Prev = first.String()
		}
	}
	return rows, p
}

// TaskCursor is the position of task k in a worklist sorted by sort
// ("due" when empty or unknown). Its value is what the store compares:
// the deadline as YYYY-MM-DD (Europe/Amsterdam), the creation time in
// RFC 3339, the step's key, and for the names the id of the client or the
// holder (never the name: see Cursor).
func TaskCursor(sort string, desc bool, k Task) Cursor {
	c := Cursor{Sort: sort, Desc: desc, ID: k.ID}
	switch sort {
	case "since":
		c.Value = k.CreatedAt.UTC().Format(time.RFC3339Nano)
	case "client":
		c.Value = strconv.FormatInt(k.ClientID, 10)
	case "step":
		c.Value = string(k.Step)
	case "holder":
		c.Null = k.HolderID == 0
		if !c.Null {
			c.Value = strconv.FormatInt(k.HolderID, 10)
		}
	default:
		c.Sort = "due"
		c.Null = k.DueOn.IsZero()
		if !c.Null {
			c.Value = k.DueOn.In(process.Amsterdam).Format(time.DateOnly)
		}
	}
	return c
}
