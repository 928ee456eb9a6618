package casework_test

import (
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// TestParseAmount reads amounts as Dutch writes them and refuses what is
// ambiguous or wrong, saying why.
func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in    string
		cents int64
		want  string // part of the refusal; "" when accepted
	}{
		{"1.234,56", 123456, ""},
		{"1234,56", 123456, ""},
		{"€ 1.234,5", 123450, ""},
		{"€1.000.000", 100000000, ""},
		{"250", 25000, ""},
		{"1.234", 123400, ""},
		{"0,01", 1, ""},
		{"1234.56", 0, "komma"},
		{"12.5", 0, "komma"},
		{"1.23.456", 0, "groepen van drie"},
		{"12,345", 0, "twee cijfers"},
		{"12,", 0, "twee cijfers"},
		{"1,234.56", 0, "geen bedrag"},
		{"-5", 0, "geen bedrag"},
		{"twaalf", 0, "geen bedrag"},
		{"0", 0, "groter zijn dan nul"},
		{"1.000.000,01", 0, "te hoog"},
	} {
		got, msg := casework.ParseAmount(c.in)
		switch {
		case c.want == "" && (msg != "" || got != c.cents):
			t.Errorf("ParseAmount(%q) = %d, %q; want %d", c.in, got, msg, c.cents)
		case c.want != "" && !strings.Contains(msg, c.want):
			t.Errorf("ParseAmount(%q) = %d, %q; want a refusal saying %q", c.in, got, msg, c.want)
		}
	}
	for cents, want := range map[int64]string{123456: "€ 1.234,56", 5: "€ 0,05", 100000000: "€ 1.000.000,00"} {
		if got := casework.FormatAmount(cents); got != want {
			t.Errorf("FormatAmount(%d) = %q, want %q", cents, got, want)
		}
		if back, msg := casework.ParseAmount(casework.FormatAmount(cents)); back != cents || msg != "" {
			t.Errorf("ParseAmount(FormatAmount(%d)) = %d, %q", cents, back, msg)
		}
	}
}
