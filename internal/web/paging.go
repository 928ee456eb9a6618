package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// pageParam is the URL parameter of a list's page: a casework.Cursor,
// which holds no personal data.
const pageParam = "pagina"

// sizeParam is the URL parameter of a worklist's page size, one of
// casework.PageSizes; without it a page has casework.PageSize rows.
const sizeParam = "aantal"

// Paging is the navigation between the pages of a list (the partial
// "paging"): links, empty when there is no page that way.
type Paging struct {
	Prev, Next string
	Size       int // rows per page, for "Volgende 50"
	// PrevText and NextText name the links when "Vorige" and "Volgende
	// 50" do not fit the list (a history: "Nieuwere", "Eerdere").
	PrevText, NextText string
}

// pagingLinks makes the links to the pages around p of the list at path
// with the filters and sort in q (which it leaves unchanged).
func pagingLinks(path string, q url.Values, p casework.Page) Paging {
	link := func(cursor string) string {
		if cursor == "" {
			return ""
		}
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set(pageParam, cursor)
		return path + "?" + v.Encode()
	}
	return Paging{Prev: link(p.Prev), Next: link(p.Next), Size: casework.PageSize}
}

// pageCount says how many rows a page shows of how many: "50 van 1.234
// taken", or "12 taken" when the page shows them all.
func pageCount(shown, total int, one, more string) string {
	noun := func(n int) string {
		if n == 1 {
			return one
		}
		return more
	}
	if total <= shown {
		return fmt.Sprintf("%s %s", thousands(shown), noun(shown))
	}
	return fmt.Sprintf("%s van %s %s", thousands(shown), thousands(total), noun(total))
}

// thousands writes n with a dot between thousands, as Dutch does (1.234).
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
