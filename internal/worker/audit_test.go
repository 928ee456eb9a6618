package worker

import (
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The audit purge runs daily at 03:00 in Amsterdam, also across the change
// to summer time.
func TestAuditPurgeSchedule(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, process.Amsterdam)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for now, want := range map[string]string{
		"2027-03-01 01:00": "2027-03-01 03:00",
		"2027-03-01 03:00": "2027-03-02 03:00",
		"2027-03-01 23:59": "2027-03-02 03:00",
		"2027-10-30 12:00": "2027-10-31 03:00",
	} {
		if got := (auditPurgeSchedule{}).Next(at(now)); !got.Equal(at(want)) {
			t.Errorf("after %s: %s, want %s", now, got.In(process.Amsterdam), want)
		}
	}
}
