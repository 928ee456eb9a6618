package casework

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The client search: one search box that recognises what was typed.
//
//	05-03-1980, 5-3-1980, 05/03/1980, 1980-03-05   a date of birth
//	123456782, 1234 56 782, 1234.56.782            a BSN: exactly nine digits, elfproef-valid
//	1 to 8 digits                                  a client number (Klantnummer)
//	anything else with letters                     a name, by the beginnings of its words
//
// A BSN is only ever matched whole: a part of one is a client number, or
// no name, and finds nobody by BSN. Searching by BSN is a BSN view: the
// found client's history records who searched.

// SearchLimit is the most clients a search returns.
const SearchLimit = 100

// SearchKind is what a search looked for.
type SearchKind string

// The kinds of search.
const (
	SearchByName      SearchKind = "naam"
	SearchByBirthDate SearchKind = "geboortedatum"
	SearchByNumber    SearchKind = "klantnummer"
	SearchByBSN       SearchKind = "bsn"
)

// ClientQuery is a search text recognised: its kind and its one value.
type ClientQuery struct {
	Kind      SearchKind
	Name      string
	BirthDate time.Time
	Number    int64
	BSN       string
}

// Describe says what was searched for as a page may show it, e.g. `naam
// “jansen”` or `BSN ******782`: never a full BSN.
func (q ClientQuery) Describe() string {
	switch q.Kind {
	case SearchByBirthDate:
		return "geboortedatum " + FormatDate(q.BirthDate)
	case SearchByNumber:
		return "klantnummer " + strconv.FormatInt(q.Number, 10)
	case SearchByBSN:
		return "BSN " + MaskBSN(q.BSN)
	}
	return "naam “" + q.Name + "”"
}

// The messages of a search text that is none of the kinds.
const (
	searchEmpty   = "Typ een naam, geboortedatum, klantnummer of BSN."
	searchBadDate = "Deze geboortedatum bestaat niet. Typ de datum als dd-mm-jjjj, bijvoorbeeld 05-03-1980."
	searchBadBSN  = "Dit is geen geldig BSN: het voldoet niet aan de elfproef. Controleer de 9 cijfers."
	searchLongNum = "Een BSN heeft 9 cijfers en een klantnummer hooguit 8. Controleer het nummer."
	searchShort   = "Typ minstens 2 letters van de naam, bijvoorbeeld het begin van de achternaam."
	searchMixed   = "Zoek op één ding tegelijk: een naam (zonder cijfers), een geboortedatum, een klantnummer of een BSN."
	searchTooLong = "Typ hooguit 100 tekens."
)

var (
	dayFirst  = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)
	yearFirst = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	number    = regexp.MustCompile(`^[0-9][0-9 .]*$`)
)

// ParseClientQuery recognises a search text. A text that is none of the
// kinds (empty, an impossible date, nine digits failing the elfproef, a
// name with digits) is an invalid error with a Dutch message on
// process.FieldSearch, which never repeats the text.
func ParseClientQuery(text string) (ClientQuery, error) {
	t := strings.TrimSpace(text)
	invalid := func(msg string) (ClientQuery, error) {
		return ClientQuery{}, &Error{Code: CodeInvalid, Message: msg, Fields: Fields{process.FieldSearch: msg}}
	}
	if len([]rune(t)) > process.SearchMaxLength {
		return invalid(searchTooLong)
	}
	if msg := TextProblem(t, false); msg != "" {
		return invalid(msg)
	}
	if m := dayFirst.FindStringSubmatch(t); m != nil {
		return birthDate(m[3], m[2], m[1], invalid)
	}
	if m := yearFirst.FindStringSubmatch(t); m != nil {
		return birthDate(m[1], m[2], m[3], invalid)
	}
	if number.MatchString(t) {
		digits := strings.NewReplacer(" ", "", ".", "").Replace(t)
		switch {
		case len(digits) == 9 && ValidBSN(digits):
			return ClientQuery{Kind: SearchByBSN, BSN: digits}, nil
		case len(digits) == 9:
			return invalid(searchBadBSN)
		case len(digits) > 9:
			return invalid(searchLongNum)
		}
		n, _ := strconv.ParseInt(digits, 10, 64) // at most 8 digits: fits
		return ClientQuery{Kind: SearchByNumber, Number: n}, nil
	}
	if strings.IndexFunc(t, unicode.IsDigit) >= 0 {
		return invalid(searchMixed)
	}
	// A word of two letters or more: one letter would match a large part
	// of all clients ("v": every "van …") and say little.
	longest := 0
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }) {
		longest = max(longest, utf8.RuneCountInString(w))
	}
	switch longest {
	case 0:
		return invalid(searchEmpty)
	case 1:
		return invalid(searchShort)
	}
	return ClientQuery{Kind: SearchByName, Name: t}, nil
}

// birthDate is the query for a date of birth given as year, month, day.
func birthDate(y, m, d string, invalid func(string) (ClientQuery, error)) (ClientQuery, error) {
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	date := time.Date(year, time.Month(month), day, 0, 0, 0, 0, process.Amsterdam)
	if year < 1900 || date.Year() != year || int(date.Month()) != month || date.Day() != day {
		return invalid(searchBadDate)
	}
	return ClientQuery{Kind: SearchByBirthDate, BirthDate: date}, nil
}

// ShowableSearch returns text when a page may show it again (in the
// search box after an error), "" when it holds a BSN-like number.
func ShowableSearch(text string) string {
	if containsBSNLike(text) {
		return ""
	}
	return text
}

// ClientSearch is the answer to a search.
type ClientSearch struct {
	Query ClientQuery
	Found []FoundClient // in name order: family name, then given name
	More  bool          // more than SearchLimit matched: only the first are in Found
}

// FoundClient is a client in the search results: who, and where the
// client stands. It holds no BSN.
type FoundClient struct {
	ID         int64
	GivenName  string
	FamilyName string
	BirthDate  time.Time
	MaskedBSN  string   // for the API; pages show no BSN in lists
	Steps      []string // the titles of the open steps, oldest first
	Status     string   // the status of the latest case in words; "" without a case
	// Known: the searcher has need-to-know of the client. Without it the
	// result holds the name and date of birth only, and opening it asks
	// for a reason.
	Known bool
}

// Name is the full name.
func (f FoundClient) Name() string { return strings.TrimSpace(f.GivenName + " " + f.FamilyName) }

// SearchClients finds clients by a name, a date of birth, a client number
// or a full BSN, recognised from text (see ParseClientQuery). A search by
// BSN records "BSN gezocht" in the history of the client it finds.
func (s *Clients) SearchClients(ctx context.Context, a Actor, text string) (_ ClientSearch, err error) {
	defer wrap(&err, "SearchClients()") // the search text stays out: it can hold a BSN
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return ClientSearch{}, err
	}
	q, err := ParseClientQuery(text)
	if err != nil {
		return ClientSearch{}, err
	}
	out := ClientSearch{Query: q}
	find := func(tx Tx) error {
		var cs []Client
		var err error
		switch q.Kind {
		case SearchByName:
			cs, err = tx.SearchClients(ctx, q.Name, SearchLimit+1)
		case SearchByBirthDate:
			cs, err = tx.ClientsByBirthDate(ctx, q.BirthDate, SearchLimit+1)
		case SearchByNumber:
			cs, err = one(tx.ClientByID(ctx, q.Number))
		case SearchByBSN:
			if cs, err = one(tx.ClientByBSN(ctx, q.BSN)); err == nil && len(cs) == 1 {
				err = s.event(ctx, tx, a, cs[0].ID, 0, 0, eventInzage, "BSN gezocht: klant gevonden door te zoeken op BSN.", "")
			}
		}
		if err != nil {
			return err
		}
		if len(cs) > SearchLimit {
			cs, out.More = cs[:SearchLimit], true
		}
		out.Found, err = s.found(ctx, tx, a, cs)
		return err
	}
	if q.Kind == SearchByBSN {
		err = s.store.Update(ctx, find) // the history line commits with the search
	} else {
		err = s.store.View(ctx, find)
	}
	return out, err
}

// one is a lookup by key as a list: empty when not found.
func one(c Client, err error) ([]Client, error) {
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []Client{c}, nil
}

// found adds to each client where it stands, when the actor has
// need-to-know of the client; of the others it keeps the name and date of
// birth only.
func (s *Clients) found(ctx context.Context, tx Tx, a Actor, cs []Client) ([]FoundClient, error) {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	states, err := tx.ClientStates(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]FoundClient, 0, len(cs))
	for _, c := range cs {
		f := FoundClient{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName, BirthDate: c.BirthDate}
		rel, err := s.ClientRelation(ctx, tx, a, c.ID)
		if err != nil {
			return nil, err
		}
		if f.Known = May(a, process.ActSeeClient, rel); !f.Known {
			out = append(out, f)
			continue
		}
		f.MaskedBSN = MaskBSN(c.BSN)
		st := states[c.ID]
		for _, o := range st.OpenSteps {
			def, err := s.definition(ctx, tx, o.DefinitionVersion)
			if err != nil {
				return nil, fmt.Errorf("client %d: %w", c.ID, err)
			}
			title := string(o.Step)
			if step, ok := def.Step(o.Step); ok {
				title = step.Title
			}
			f.Steps = append(f.Steps, title)
		}
		if st.CaseStatus != "" {
			f.Status = st.CaseStatus
			if n, ok := process.StatusNames[st.CaseStatus]; ok {
				f.Status = n
			}
		}
		out = append(out, f)
	}
	return out, nil
}
