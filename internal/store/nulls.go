package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Conversions between domain values and columns. The domain's zero values
// (time.Time{}, ID 0) are NULL in the database, both ways.

// timeArg is a timestamp column value: NULL for the zero time, else UTC at
// microsecond precision, the precision both engines keep.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// now is the current time as the store would write it, for defaults of
// required timestamps the caller left zero.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// stamp sets a required timestamp to now when the caller left it zero.
func stamp(t *time.Time) {
	if t.IsZero() {
		*t = now()
	}
}

// dateArg is a date column value: NULL for the zero time, else the
// calendar day in Europe/Amsterdam as YYYY-MM-DD, which both engines read
// as a date and which compares as one.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.In(process.Amsterdam).Format(time.DateOnly)
}

// idArg is a reference column value: NULL for 0.
func idArg(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// intArg is an optional number: NULL for 0.
func intArg(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// textArg is an optional unique text column value: NULL for "", so that
// empty values do not collide.
func textArg(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeCol scans a nullable timestamp into a UTC time.Time (zero for NULL).
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.p = time.Time{}
	case time.Time:
		*c.p = x.UTC()
	default:
		return fmt.Errorf("timestamp column holds %T %v", v, v)
	}
	return nil
}

// dateCol scans a nullable date into midnight Europe/Amsterdam of the same
// calendar day (zero for NULL). Both drivers return dates as midnight UTC;
// the day is taken as stored, never converted between zones.
type dateCol struct{ p *time.Time }

func (c dateCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.p = time.Time{}
	case time.Time:
		*c.p = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, process.Amsterdam)
	default:
		return fmt.Errorf("date column holds %T %v", v, v)
	}
	return nil
}

// idCol scans a nullable reference into an ID (0 for NULL).
type idCol struct{ p *int64 }

func (c idCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.p = 0
	case int64:
		*c.p = x
	case int32:
		*c.p = int64(x)
	default:
		return fmt.Errorf("id column holds %T %v", v, v)
	}
	return nil
}

// intCol scans a nullable number into an int (0 for NULL).
type intCol struct{ p *int }

func (c intCol) Scan(v any) error {
	var n int64
	if err := (idCol{&n}).Scan(v); err != nil {
		return fmt.Errorf("number column: %w", err)
	}
	*c.p = int(n)
	return nil
}

// textCol scans a nullable text into a string ("" for NULL).
type textCol struct{ p *string }

func (c textCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.p = ""
	case string:
		*c.p = x
	case []byte:
		*c.p = string(x)
	default:
		return fmt.Errorf("text column holds %T %v", v, v)
	}
	return nil
}

// jsonArg encodes v as JSON text.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// jsonCol scans JSON text into the value p points to.
type jsonCol struct{ p any }

func (c jsonCol) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("json column holds %T", v)
	}
	if err := json.Unmarshal(b, c.p); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}

// rolesArg stores roles as comma-separated text.
func rolesArg(rs process.Roles) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// rolesCol scans comma-separated text into roles (nil when empty).
type rolesCol struct{ p *process.Roles }

func (c rolesCol) Scan(v any) error {
	var s string
	if err := (textCol{&s}).Scan(v); err != nil {
		return err
	}
	var rs process.Roles
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			rs = append(rs, process.Role(name))
		}
	}
	*c.p = rs
	return nil
}
