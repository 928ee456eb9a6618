package casework

import (
	"strings"
	"testing"
)

// TestTextProblem: the one rule for typed characters, on one line and in
// free text.
func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiLine bool
		want      string // "" for fine, else a part of the message
	}{
		{"Jan de Vries", false, ""},
		{"Noël Öztürk-Ça'lar", false, ""},
		{"regel 1\nregel 2\r\nregel 3\tmet tab", true, ""},
		{"Jan\x00", false, "niet is toegestaan"},
		{"Jan\x00", true, "niet is toegestaan"},
		{"Jan\x07", true, "niet is toegestaan"},
		{"Jan\u0085", true, "niet is toegestaan"}, // C1 (NEL)
		{"Jan\u009b", false, "niet is toegestaan"},
		{"Jan\u200bde Vries", false, "niet is toegestaan"},
		{"Jan\u200c", true, "niet is toegestaan"},
		{"Jan\u200d", false, "niet is toegestaan"},
		{"Jan\u2060", false, "niet is toegestaan"},
		{"\ufeffJan", false, "niet is toegestaan"},
		{"Jan \u202egnirts", false, "niet is toegestaan"},
		{"Jan \u202a", true, "niet is toegestaan"},
		{"Jan \u2066x\u2069", false, "niet is toegestaan"},
		{"Jan\u200f", false, "niet is toegestaan"},
		{"Jan\nde Vries", false, "één regel"},
		{"Jan\rde Vries", false, "één regel"},
		{"Jan\tde Vries", false, "één regel"},
		{"Jan\xffde", false, "niet is toegestaan"}, // no UTF-8
	} {
		got := TextProblem(tc.in, tc.multiLine)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("TextProblem(%q, %v) = %q, want %q", tc.in, tc.multiLine, got, tc.want)
		}
	}
}

func TestPhoneProblem(t *testing.T) {
	for in, want := range map[string]string{
		"06-12345678":       "",
		"06 1234 5678":      "",
		"010-123 4567":      "",
		"(010) 123 45 67":   "",
		"+31 6 12345678":    "",
		"+31 (0)6 12345678": "",
		"0031 10 123 4567":  "",
		"+32 2 123 45 67":   "",
		"14 0180":           "",
		"abc":               "Letters",
		"06-CALLME":         "Letters",
		"06+12345678":       "cijfers, spaties",
		"12-34":             "te kort",
		"06-1234567":        "te kort",
		"06-123456789":      "geen Nederlands",
		"+31 6":             "8 tot 15",
		"+1234567890123456": "8 tot 15",
		"1234567890":        "geen Nederlands",
	} {
		got := phoneProblem(in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("phoneProblem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"jan@example.nl":              true,
		"j.de.vries+post@gemeente.nl": true,
		"noël@bücher.de":              true,
		"jan@":                        false,
		"jan@example":                 false,
		"@example.nl":                 false,
		"jan@@example.nl":             false,
		"jan de vries@example.nl":     false,
		"Jan <jan@example.nl>":        false,
		"jan@example..nl":             false,
		"jan@-example.nl":             false,
		"jan@example.123":             false,
		"jan@[127.0.0.1]":             false,
		"jan@example.nl\n":            false,
		"jan@exa_mple.nl":             false,
	} {
		if got := validEmail(in); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", in, got, want)
		}
	}
}
