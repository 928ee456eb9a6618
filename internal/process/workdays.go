package process

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/nl"
)

// CalendarPolicy says on which days the municipality's office is closed,
// beyond weekends.
type CalendarPolicy struct {
	Holidays    []string `json:"holidays"`     // keys of Dutch holidays the office is closed on (see HolidayKeys)
	ExtraClosed []string `json:"extra_closed"` // ISO dates "2027-12-24" (brugdagen, collective closing days)
}

// dutchHoliday is one holiday the calendar knows: its configuration key,
// its Dutch name and the rickar definition that computes its date.
type dutchHoliday struct {
	key  string
	name string
	h    *cal.Holiday
}

// dutchHolidays are the holidays a CalendarPolicy may name, in calendar
// order. The dates come from rickar/cal: Koningsdag and Bevrijdingsdag have
// no "public" observance type there, so they are matched by the holiday
// objects themselves, never by type. Koningsdag moves to 26 April when 27
// April is a Sunday (the observed date of nl.Koningsdag). Eerste Paasdag and
// Eerste Pinksterdag always fall on a Sunday; they are listed so the reason
// a day is closed names them.
var dutchHolidays = []dutchHoliday{
	{"nieuwjaarsdag", "Nieuwjaarsdag", nl.Nieuwjaar},
	{"goede_vrijdag", "Goede Vrijdag", nl.GoedeVrijdag},
	{"eerste_paasdag", "Eerste Paasdag", aa.Easter},
	{"tweede_paasdag", "Tweede Paasdag", nl.TweedePaasdag},
	{"koningsdag", "Koningsdag", nl.Koningsdag},
	{"bevrijdingsdag", "Bevrijdingsdag", nl.BevrijdingsDag},
	{"hemelvaartsdag", "Hemelvaartsdag", nl.Hemelvaart},
	{"eerste_pinksterdag", "Eerste Pinksterdag", aa.Pentecost},
	{"tweede_pinksterdag", "Tweede Pinksterdag", nl.TweedePinksterDag},
	{"eerste_kerstdag", "Eerste Kerstdag", nl.EersteKerstdag},
	{"tweede_kerstdag", "Tweede Kerstdag", nl.TweedeKerstdag},
}

// Holiday keys that are open by default (a municipality decides).
const (
	HolidayGoedeVrijdag   = "goede_vrijdag"
	HolidayBevrijdingsdag = "bevrijdingsdag"
)

// HolidayKeys lists every key a CalendarPolicy may name, in calendar order.
func HolidayKeys() []string {
	keys := make([]string, len(dutchHolidays))
	for i, h := range dutchHolidays {
		keys[i] = h.key
	}
	return keys
}

// HolidayName returns the Dutch name of a holiday key, or false.
func HolidayName(key string) (string, bool) {
	for _, h := range dutchHolidays {
		if h.key == key {
			return h.name, true
		}
	}
	return "", false
}

// DefaultCalendarPolicy closes the office on every Dutch holiday except Goede
// Vrijdag and Bevrijdingsdag (national holidays on which most municipalities
// stay open; configurable).
func DefaultCalendarPolicy() CalendarPolicy {
	var keys []string
	for _, h := range dutchHolidays {
		if h.key != HolidayGoedeVrijdag && h.key != HolidayBevrijdingsdag {
			keys = append(keys, h.key)
		}
	}
	return CalendarPolicy{Holidays: keys, ExtraClosed: []string{}}
}

// DefaultTermCalendarPolicy is the calendar of the Algemene termijnenwet: a
// term that would end on one of its holidays (art. 3 lid 1: Nieuwjaarsdag,
// tweede Paasdag, Koningsdag, 5 mei, Hemelvaartsdag, tweede Pinksterdag and
// both Kerstdagen; lid 2: Goede Vrijdag), a Saturday or a Sunday ends on the
// next day that is none of these (art. 1). Days the government equates by
// decree (art. 3 lid 3, published in the Staatscourant) go in ExtraClosed.
// Eerste Paasdag and Eerste Pinksterdag are Sundays.
func DefaultTermCalendarPolicy() CalendarPolicy {
	return CalendarPolicy{Holidays: []string{"nieuwjaarsdag", HolidayGoedeVrijdag, "tweede_paasdag", "koningsdag",
		HolidayBevrijdingsdag, "hemelvaartsdag", "tweede_pinksterdag", "eerste_kerstdag", "tweede_kerstdag"}, ExtraClosed: []string{}}
}

// isoDate is the layout of CalendarPolicy.ExtraClosed.
const isoDate = "2006-01-02"

// Validate reports an unknown holiday key or an extra closing day that is not
// a date, naming it.
func (c CalendarPolicy) Validate() error { return c.validate("calendar") }

// validate is Validate with the configuration key the calendar is under.
func (c CalendarPolicy) validate(key string) error {
	seen := map[string]bool{}
	for _, k := range c.Holidays {
		if _, ok := HolidayName(k); !ok {
			return fmt.Errorf("%s.holidays: unknown holiday %q (known: %s)", key, k, strings.Join(HolidayKeys(), ", "))
		}
		if seen[k] {
			return fmt.Errorf("%s.holidays: holiday %q is listed twice", key, k)
		}
		seen[k] = true
	}
	dates := map[string]bool{}
	for _, s := range c.ExtraClosed {
		d, err := time.Parse(isoDate, s)
		if err != nil || d.Format(isoDate) != s {
			return fmt.Errorf("%s.extra_closed: %q is not a date of the form 2027-12-24", key, s)
		}
		if dates[s] {
			return fmt.Errorf("%s.extra_closed: date %q is listed twice", key, s)
		}
		dates[s] = true
	}
	return nil
}

// Calendar answers which days the office is open. It is safe for concurrent
// use. A nil *Calendar closes on weekends only.
type Calendar struct {
	holidays []dutchHoliday     // the configured holidays
	extra    map[dayKey]bool    // extra closing days
	mu       sync.Mutex         // guards years
	years    map[int]yearClosed // holidays per year, filled on first use
}

// dayKey is a calendar date without a time zone.
type dayKey struct {
	y int
	m time.Month
	d int
}

// yearClosed maps the holidays of one year to their Dutch names.
type yearClosed map[dayKey]string

func keyOf(t time.Time) dayKey { return dayKey{t.Year(), t.Month(), t.Day()} }

// NewCalendar builds a calendar from a validated or unvalidated policy; it
// refuses an invalid one.
func NewCalendar(c CalendarPolicy) (*Calendar, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cl := &Calendar{extra: map[dayKey]bool{}, years: map[int]yearClosed{}}
	for _, h := range dutchHolidays {
		for _, k := range c.Holidays {
			if k == h.key {
				cl.holidays = append(cl.holidays, h)
			}
		}
	}
	for _, s := range c.ExtraClosed {
		d, _ := time.Parse(isoDate, s) // validated above
		cl.extra[keyOf(d)] = true
	}
	return cl, nil
}

// holidaysOf returns the configured holidays of a year, computing them once.
func (c *Calendar) holidaysOf(year int) yearClosed {
	c.mu.Lock()
	defer c.mu.Unlock()
	if y, ok := c.years[year]; ok {
		return y
	}
	y := yearClosed{}
	for _, h := range c.holidays {
		// Only year, month and day of rickar's result are used: it returns
		// times in cal.DefaultLoc, which is not ours.
		_, observed := h.h.Calc(year)
		if observed.IsZero() {
			continue
		}
		k := keyOf(observed)
		if _, taken := y[k]; !taken {
			y[k] = h.name
		}
	}
	c.years[year] = y
	return y
}

// Closed reports whether the office is closed on the Amsterdam date of d and
// why, in Dutch: the holiday's name, "zaterdag", "zondag" or
// "extra sluitingsdag" (in that order of precedence).
func (c *Calendar) Closed(d time.Time) (reason string, closed bool) {
	d = d.In(Amsterdam)
	k := keyOf(d)
	if c != nil {
		if name, ok := c.holidaysOf(k.y)[k]; ok {
			return name, true
		}
	}
	switch d.Weekday() {
	case time.Saturday:
		return "zaterdag", true
	case time.Sunday:
		return "zondag", true
	}
	if c != nil && c.extra[k] {
		return "extra sluitingsdag", true
	}
	return "", false
}

// IsWorkday reports whether the office is open on the Amsterdam date of d.
func (c *Calendar) IsWorkday(d time.Time) bool {
	_, closed := c.Closed(d)
	return !closed
}

// AddWorkdays moves n working days from the Amsterdam date of d: forward
// when n > 0, back when n < 0, counting only working days (d itself is not
// counted). The result is a date (midnight Europe/Amsterdam, like Date);
// n == 0 returns Date(d), open or not.
func (c *Calendar) AddWorkdays(d time.Time, n int) time.Time {
	d = Date(d)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = AddDays(d, step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// OnOrBefore returns the last working day on or before the Amsterdam date of d.
func (c *Calendar) OnOrBefore(d time.Time) time.Time {
	d = Date(d)
	for !c.IsWorkday(d) {
		d = AddDays(d, -1)
	}
	return d
}

// OnOrAfter returns the first working day on or after the Amsterdam date of d.
func (c *Calendar) OnOrAfter(d time.Time) time.Time {
	d = Date(d)
	for !c.IsWorkday(d) {
		d = AddDays(d, 1)
	}
	return d
}
