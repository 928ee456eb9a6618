package process_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// newCal builds a calendar from the default calendar policy changed by change.
func newCal(t testing.TB, change func(*p.CalendarPolicy)) *p.Calendar {
	t.Helper()
	cp := p.DefaultCalendarPolicy()
	if change != nil {
		change(&cp)
	}
	c, err := p.NewCalendar(cp)
	if err != nil {
		t.Fatalf("NewCalendar(%+v): %v", cp, err)
	}
	return c
}

func closeAlso(keys ...string) func(*p.CalendarPolicy) {
	return func(cp *p.CalendarPolicy) { cp.Holidays = append(cp.Holidays, keys...) }
}

func TestDefaultCalendarPolicy(t *testing.T) {
	cp := p.DefaultCalendarPolicy()
	want := []string{"nieuwjaarsdag", "eerste_paasdag", "tweede_paasdag", "koningsdag", "hemelvaartsdag",
		"eerste_pinksterdag", "tweede_pinksterdag", "eerste_kerstdag", "tweede_kerstdag"}
	if !slices.Equal(cp.Holidays, want) {
		t.Errorf("default holidays %v, want %v", cp.Holidays, want)
	}
	if len(cp.ExtraClosed) != 0 {
		t.Errorf("default extra closing days %v, want none", cp.ExtraClosed)
	}
	if err := cp.Validate(); err != nil {
		t.Errorf("default calendar policy: %v", err)
	}
	if err := p.DefaultPolicy().Calendar.Validate(); err != nil || !slices.Equal(p.DefaultPolicy().Calendar.Holidays, want) {
		t.Errorf("DefaultPolicy().Calendar = %+v, %v", p.DefaultPolicy().Calendar, err)
	}
	all := append(slices.Clone(want), p.HolidayGoedeVrijdag, p.HolidayBevrijdingsdag)
	slices.Sort(all)
	keys := p.HolidayKeys()
	slices.Sort(keys)
	if !slices.Equal(keys, all) {
		t.Errorf("HolidayKeys() = %v, want %v", keys, all)
	}
}

func TestCalendarPolicyValidate(t *testing.T) {
	cases := []struct {
		name  string
		cp    p.CalendarPolicy
		words string // empty: valid
	}{
		{"empty", p.CalendarPolicy{}, ""},
		{"every holiday", p.CalendarPolicy{Holidays: p.HolidayKeys()}, ""},
		{"extra date", p.CalendarPolicy{ExtraClosed: []string{"2027-12-24", "2028-02-29"}}, ""},
		{"unknown holiday", p.CalendarPolicy{Holidays: []string{"koningsdag", "kerstmis"}}, `"kerstmis"`},
		{"holiday in capitals", p.CalendarPolicy{Holidays: []string{"Koningsdag"}}, `"Koningsdag"`},
		{"holiday twice", p.CalendarPolicy{Holidays: []string{"koningsdag", "koningsdag"}}, `"koningsdag" is listed twice`},
		{"month 13", p.CalendarPolicy{ExtraClosed: []string{"2027-13-01"}}, `"2027-13-01"`},
		{"Dutch order", p.CalendarPolicy{ExtraClosed: []string{"24-12-2027"}}, `"24-12-2027"`},
		{"no leap day", p.CalendarPolicy{ExtraClosed: []string{"2027-02-29"}}, `"2027-02-29"`},
		{"single digits", p.CalendarPolicy{ExtraClosed: []string{"2027-5-4"}}, `"2027-5-4"`},
		{"with time", p.CalendarPolicy{ExtraClosed: []string{"2027-12-24T00:00:00Z"}}, "2027-12-24T00:00:00Z"},
		{"empty date", p.CalendarPolicy{ExtraClosed: []string{""}}, `extra_closed: ""`},
		{"date twice", p.CalendarPolicy{ExtraClosed: []string{"2027-12-24", "2027-12-24"}}, "listed twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cp.Validate()
			_, newErr := p.NewCalendar(tc.cp)
			if tc.words == "" {
				if err != nil || newErr != nil {
					t.Errorf("Validate() = %v, NewCalendar: %v; want valid", err, newErr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.words) {
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.words)
			}
			if newErr == nil {
				t.Error("NewCalendar accepted an invalid policy")
			}
		})
	}
}

// at is a moment in Amsterdam.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, p.Amsterdam)
}

func TestCalendarClosed(t *testing.T) {
	def := newCal(t, nil)
	both := newCal(t, closeAlso(p.HolidayBevrijdingsdag, p.HolidayGoedeVrijdag))
	extra := newCal(t, func(cp *p.CalendarPolicy) { cp.ExtraClosed = []string{"2027-12-24", "2026-05-15"} })
	cases := []struct {
		name   string
		cal    *p.Calendar
		day    time.Time
		reason string // empty: open
	}{
		{"Koningsdag 2027 on Tuesday 27 April", def, ams(2027, 4, 27), "Koningsdag"},
		{"Monday before Koningsdag 2027 open", def, ams(2027, 4, 26), ""},
		{"Koningsdag 2025 on Saturday 26 April", def, ams(2025, 4, 26), "Koningsdag"},
		{"27 April 2025 is a Sunday, not Koningsdag", def, ams(2025, 4, 27), "zondag"},
		{"Koningsdag 2026 Monday 27 April", def, ams(2026, 4, 27), "Koningsdag"},
		{"Koningsdag 2031: 27 April is a Sunday, moved to 26", def, ams(2031, 4, 26), "Koningsdag"},
		{"Eerste Kerstdag 2026 Friday", def, ams(2026, 12, 25), "Eerste Kerstdag"},
		{"Tweede Kerstdag 2026 Saturday", def, ams(2026, 12, 26), "Tweede Kerstdag"},
		{"Christmas Eve 2026 open", def, ams(2026, 12, 24), ""},
		{"Monday after Christmas 2026 open", def, ams(2026, 12, 28), ""},
		{"Nieuwjaarsdag 2027 Friday", def, ams(2027, 1, 1), "Nieuwjaarsdag"},
		{"Hemelvaart 2027 Thursday 6 May", def, ams(2027, 5, 6), "Hemelvaartsdag"},
		{"Friday after Hemelvaart 2027 open (no brugdag by default)", def, ams(2027, 5, 7), ""},
		{"Hemelvaart 2026 Thursday 14 May", def, ams(2026, 5, 14), "Hemelvaartsdag"},
		{"Tweede Paasdag 2027 Monday 29 March", def, ams(2027, 3, 29), "Tweede Paasdag"},
		{"Eerste Paasdag 2027 Sunday 28 March", def, ams(2027, 3, 28), "Eerste Paasdag"},
		{"Tweede Pinksterdag 2027 Monday 17 May", def, ams(2027, 5, 17), "Tweede Pinksterdag"},
		{"Tweede Pinksterdag 2026 Monday 25 May", def, ams(2026, 5, 25), "Tweede Pinksterdag"},
		{"Bevrijdingsdag 2027 open by default", def, ams(2027, 5, 5), ""},
		{"Bevrijdingsdag 2027 closed when configured", both, ams(2027, 5, 5), "Bevrijdingsdag"},
		{"Bevrijdingsdag 2026 (Tuesday) closed when configured", both, ams(2026, 5, 5), "Bevrijdingsdag"},
		{"Goede Vrijdag 2027 (26 March) open by default", def, ams(2027, 3, 26), ""},
		{"Goede Vrijdag 2027 closed when configured", both, ams(2027, 3, 26), "Goede Vrijdag"},
		{"Goede Vrijdag 2026 (3 April) closed when configured", both, ams(2026, 4, 3), "Goede Vrijdag"},
		{"extra closing day 24 December 2027", extra, ams(2027, 12, 24), "extra sluitingsdag"},
		{"brugdag after Hemelvaart 2026", extra, ams(2026, 5, 15), "extra sluitingsdag"},
		{"extra closing day only in its own year", extra, ams(2026, 12, 24), ""},
		{"ordinary Saturday", def, ams(2027, 5, 1), "zaterdag"},
		{"ordinary Sunday", def, ams(2027, 5, 2), "zondag"},
		{"ordinary Wednesday", def, ams(2027, 5, 12), ""},
		// Times, not dates: the Amsterdam date counts.
		{"late on 26 April in UTC is Koningsdag in Amsterdam", def, time.Date(2027, 4, 26, 22, 30, 0, 0, time.UTC), "Koningsdag"},
		{"late on Koningsdag in UTC is 28 April in Amsterdam", def, time.Date(2027, 4, 27, 22, 30, 0, 0, time.UTC), ""},
		{"late on Christmas Eve in UTC is Christmas in Amsterdam", def, time.Date(2026, 12, 24, 23, 30, 0, 0, time.UTC), "Eerste Kerstdag"},
		{"late Friday in UTC is Saturday in Amsterdam", def, time.Date(2027, 4, 30, 22, 15, 0, 0, time.UTC), "zaterdag"},
		{"Koningsdag afternoon", def, at(2027, 4, 27, 15, 0), "Koningsdag"},
		// A nil calendar closes on weekends only.
		{"nil calendar: Koningsdag open", nil, ams(2027, 4, 27), ""},
		{"nil calendar: Saturday closed", nil, ams(2027, 5, 1), "zaterdag"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reason, closed := tc.cal.Closed(tc.day)
			if reason != tc.reason || closed != (tc.reason != "") {
				t.Errorf("Closed(%s) = %q, %v; want %q", tc.day.Format(time.RFC3339), reason, closed, tc.reason)
			}
			if tc.cal.IsWorkday(tc.day) != (tc.reason == "") {
				t.Errorf("IsWorkday(%s) = %v", tc.day.Format(time.RFC3339), !closed)
			}
		})
	}
}

// Every closed weekday of 2026 with every holiday closed: the list in
// STACK_NOTES.md (2026: 1/1, 3/4, 6/4, 27/4, 5/5, 14/5, 25/5, 25–26/12).
func TestCalendarYear2026(t *testing.T) {
	c := newCal(t, func(cp *p.CalendarPolicy) { cp.Holidays = p.HolidayKeys() })
	want := []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25"}
	var got []string
	for d := ams(2026, 1, 1); d.Year() == 2026; d = p.AddDays(d, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !c.IsWorkday(d) {
			got = append(got, d.Format("2006-01-02"))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("closed weekdays in 2026: %v, want %v", got, want)
	}
	// 26 December 2026 is a Saturday and named after the holiday.
	if r, _ := c.Closed(ams(2026, 12, 26)); r != "Tweede Kerstdag" {
		t.Errorf("26 December 2026: %q", r)
	}
}

func TestAddWorkdays(t *testing.T) {
	def := newCal(t, nil)
	extra := newCal(t, func(cp *p.CalendarPolicy) { cp.ExtraClosed = []string{"2027-12-24"} })
	cases := []struct {
		name string
		cal  *p.Calendar
		from time.Time
		n    int
		want time.Time
	}{
		{"Friday + 1 is Monday", def, ams(2027, 4, 30), 1, ams(2027, 5, 3)},
		{"Monday - 1 is Friday", def, ams(2027, 5, 3), -1, ams(2027, 4, 30)},
		{"Fri 14 May 2027 + 5 is Mon 24 May (skips Tweede Pinksterdag 17 May)", def, ams(2027, 5, 14), 5, ams(2027, 5, 24)},
		{"over Koningsdag: Mon 26 Apr 2027 + 1 is Wed 28 Apr", def, ams(2027, 4, 26), 1, ams(2027, 4, 28)},
		{"back over Koningsdag: Wed 28 Apr 2027 - 1 is Mon 26 Apr", def, ams(2027, 4, 28), -1, ams(2027, 4, 26)},
		{"back over Christmas: Mon 28 Dec 2026 - 1 is Thu 24 Dec", def, ams(2026, 12, 28), -1, ams(2026, 12, 24)},
		{"back over Christmas: Mon 28 Dec 2026 - 2 is Wed 23 Dec", def, ams(2026, 12, 28), -2, ams(2026, 12, 23)},
		{"over Christmas: Thu 24 Dec 2026 + 1 is Mon 28 Dec", def, ams(2026, 12, 24), 1, ams(2026, 12, 28)},
		{"over New Year: Thu 31 Dec 2026 + 1 is Mon 4 Jan 2027", def, ams(2026, 12, 31), 1, ams(2027, 1, 4)},
		{"back over New Year: Mon 4 Jan 2027 - 1 is Thu 31 Dec 2026", def, ams(2027, 1, 4), -1, ams(2026, 12, 31)},
		{"over Hemelvaart: Wed 5 May 2027 + 1 is Fri 7 May", def, ams(2027, 5, 5), 1, ams(2027, 5, 7)},
		{"extra closing day: Thu 23 Dec 2027 + 1 is Mon 27 Dec", extra, ams(2027, 12, 23), 1, ams(2027, 12, 27)},
		{"from a closed day forward: Sat + 1 is Mon", def, ams(2027, 5, 1), 1, ams(2027, 5, 3)},
		{"from a closed day back: Koningsdag - 1 is Mon 26 Apr", def, ams(2027, 4, 27), -1, ams(2027, 4, 26)},
		{"zero keeps a workday", def, ams(2027, 4, 28), 0, ams(2027, 4, 28)},
		{"zero keeps a closed day", def, ams(2027, 4, 27), 0, ams(2027, 4, 27)},
		{"time of day dropped", def, at(2027, 4, 30, 17, 45), 1, ams(2027, 5, 3)},
		{"UTC evening counts as the next Amsterdam date", def, time.Date(2027, 4, 29, 22, 30, 0, 0, time.UTC), 1, ams(2027, 5, 3)},
		{"over the spring clock change (Easter 2027)", def, ams(2027, 3, 25), 1, ams(2027, 3, 26)},
		{"over the spring clock change and Pasen", def, ams(2027, 3, 26), 1, ams(2027, 3, 30)},
		{"over the autumn clock change", def, ams(2026, 10, 23), 1, ams(2026, 10, 26)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameDate(t, "AddWorkdays", tc.cal.AddWorkdays(tc.from, tc.n), tc.want)
		})
	}
}

func TestOnOrBeforeOnOrAfter(t *testing.T) {
	c := newCal(t, nil)
	cases := []struct {
		name          string
		day           time.Time
		before, after time.Time
	}{
		{"workday stays", ams(2027, 4, 28), ams(2027, 4, 28), ams(2027, 4, 28)},
		{"Saturday", ams(2027, 5, 1), ams(2027, 4, 30), ams(2027, 5, 3)},
		{"Koningsdag 2027", ams(2027, 4, 27), ams(2027, 4, 26), ams(2027, 4, 28)},
		{"Tweede Kerstdag 2026 (Saturday)", ams(2026, 12, 26), ams(2026, 12, 24), ams(2026, 12, 28)},
		{"Nieuwjaarsdag 2028 (Saturday)", ams(2028, 1, 1), ams(2027, 12, 31), ams(2028, 1, 3)},
		{"Sunday afternoon", at(2027, 5, 2, 15, 0), ams(2027, 4, 30), ams(2027, 5, 3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameDate(t, "OnOrBefore", c.OnOrBefore(tc.day), tc.before)
			sameDate(t, "OnOrAfter", c.OnOrAfter(tc.day), tc.after)
		})
	}
}

// Property: for random moments and n in [-30, 30], AddWorkdays lands on a
// date (midnight Amsterdam) that is a workday when n ≠ 0, and exactly |n|
// workdays lie between the input's date (excluded) and the result
// (included). Counting here steps through the calendar independently.
func TestAddWorkdaysProperty(t *testing.T) {
	c := newCal(t, func(cp *p.CalendarPolicy) {
		cp.Holidays = append(cp.Holidays, p.HolidayBevrijdingsdag)
		cp.ExtraClosed = []string{"2026-05-15", "2027-12-24", "2027-12-31", "2028-05-26"}
	})
	r := rand.New(rand.NewPCG(2026, 1))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5000 {
		// Any instant in 2024–2031, in UTC: late evenings exercise the Amsterdam date.
		in := start.Add(time.Duration(r.Int64N(int64(8 * 365 * 24 * time.Hour))))
		n := r.IntN(61) - 30
		out := c.AddWorkdays(in, n)
		if !out.Equal(p.Date(out)) || out.Location() != p.Amsterdam {
			t.Fatalf("#%d AddWorkdays(%s, %d) = %s, not a date in Amsterdam", i, in, n, out)
		}
		if n == 0 {
			if !out.Equal(p.Date(in)) {
				t.Fatalf("#%d AddWorkdays(%s, 0) = %s, want %s", i, in, out, p.Date(in))
			}
			continue
		}
		if !c.IsWorkday(out) {
			t.Fatalf("#%d AddWorkdays(%s, %d) = %s, a closed day", i, in, n, out)
		}
		lo, hi := p.Date(in), out // count (lo, hi]
		if n < 0 {
			lo, hi = p.AddDays(out, -1), p.AddDays(p.Date(in), -1) // count [out, in)
		}
		count := 0
		for d := p.AddDays(lo, 1); !d.After(hi); d = p.AddDays(d, 1) {
			if c.IsWorkday(d) {
				count++
			}
		}
		if want := max(n, -n); count != want {
			t.Fatalf("#%d AddWorkdays(%s, %d) = %s: %d workdays between, want %d", i, in, n, out, count, want)
		}
	}
}

// The calendar fills its per-year cache on first use; it must stand
// concurrent callers (run with -race).
func TestCalendarConcurrent(t *testing.T) {
	c := newCal(t, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for y := 2020; y < 2040; y++ {
				d := ams(y, 4, 27)
				if _, closed := c.Closed(d); !closed && d.Weekday() != time.Sunday {
					t.Errorf("goroutine %d: Koningsdag %d open", g, y)
				}
				c.AddWorkdays(d, 10-g)
			}
		})
	}
	wg.Wait()
}
