package casework

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The fuzz targets of casework run for a few seconds each in CI
// (scripts/test.sh); their seed corpus is in testdata/fuzz.

// bsnFrom makes a BSN in format from eight digits: the ninth is the one
// that makes 9·d1 + … + 2·d8 − d9 divisible by 11, written here from the
// rule itself rather than through ValidBSN. ok is false when no digit fits
// (the remainder is 10) or every digit is zero.
func bsnFrom(n uint32) (bsn string, ok bool) {
	eight := strconv.FormatUint(uint64(n%100_000_000), 10)
	eight = strings.Repeat("0", 8-len(eight)) + eight
	sum := 0
	for i, c := range eight {
		sum += (9 - i) * int(c-'0')
	}
	check := sum % 11
	if check == 10 || eight == "00000000" {
		return "", false
	}
	return eight + strconv.Itoa(check), true
}

// FuzzBSN: ValidBSN accepts exactly nine ASCII digits passing the
// elfproef, never 000000000; MaskBSN shows at most the last three
// characters; the free-text detector finds every BSN between two other
// characters and finds nothing where there is no run of nine digits.
func FuzzBSN(f *testing.F) {
	for _, s := range []string{"123456782", "249566758", "123456789", "12345678a", "000000000", "", "1234 56 782", "123.456.782", "0612345678", "١٢٣٤٥٦٧٨٢"} {
		f.Add(s, uint32(12345678), "Uw BSN is", "graag.")
	}
	f.Fuzz(func(t *testing.T, s string, n uint32, before, after string) {
		if ValidBSN(s) {
			if len(s) != 9 || s == "000000000" {
				t.Fatalf("ValidBSN(%q): not nine digits or all zero", s)
			}
			sum := 0
			for i := 0; i < 9; i++ {
				if s[i] < '0' || s[i] > '9' {
					t.Fatalf("ValidBSN(%q): byte %d is not an ASCII digit", s, i)
				}
				w := 9 - i
				if i == 8 {
					w = -1
				}
				sum += w * int(s[i]-'0')
			}
			if sum%11 != 0 {
				t.Fatalf("ValidBSN(%q): the elfproef sum %d is not divisible by 11", s, sum)
			}
		}
		if m := MaskBSN(s); len(m) != 9 || strings.Trim(m[:6], "*") != "" || (len(s) >= 3 && m[6:] != s[len(s)-3:]) {
			t.Fatalf("MaskBSN(%q) = %q: want six stars and the last three characters", s, m)
		}
		if containsBSN(s) && !containsBSNLike(s) {
			t.Fatalf("containsBSN(%q) without a run of nine digits", s)
		}
		bsn, ok := bsnFrom(n)
		if !ok {
			return
		}
		if !ValidBSN(bsn) {
			t.Fatalf("ValidBSN(%q) = false for a number made by the elfproef", bsn)
		}
		if text := before + "|" + bsn + "|" + after; !containsBSN(text) {
			t.Fatalf("containsBSN(%q) = false: the BSN %s is not found", text, bsn)
		}
	})
}

// fuzzForms are every form of the process: the steps' own and the others.
func fuzzForms(t testing.TB) []process.Form {
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	forms := []process.Form{
		process.ApplicationForm(process.FromDesk), process.ApplicationForm(process.FromEForm), process.ApplicationForm(process.FromPublic),
		process.MeldingForm(process.FromDesk), process.MeldingForm(process.FromEForm), process.MeldingForm(process.FromPublic),
		process.RegistrationStatusForm(), process.FinishTrajectoryForm(), process.AppointmentForm(), process.SuspensionForm(),
		process.EndSuspensionForm(), process.UserForm(), process.LoginForm(), process.SearchForm(), process.ClientDetailsForm(),
		process.CloseDossierForm(), process.ContactForm(), process.NoteForm(), process.TransferForm(), process.UploadForm(),
		process.LetterRequestForm(),
	}
	for _, s := range def.Steps {
		forms = append(forms, s.Form)
	}
	return forms
}

// FuzzDecodeForm: whatever is typed into whichever form, decode answers
// without panicking, gives every refused field a message, and keeps only
// values that fit their field: within the length limit, on one line where
// the field is one line, without invisible control or direction
// characters, a real date, an amount that reads back as itself, one of
// the options offered.
func FuzzDecodeForm(f *testing.F) {
	for i, vals := range [][4]string{
		{"Noor", "03-02-2027", "1.234,56", "06-12345678"},
		{"noor@example.nl", "2027-02-03", "250", "ja"},
		{"regel een\nregel twee", "31-02-2027", "1234.56", "+31 10 123 4567"},
		{"\u202eevil", "09:30", "€ 12,5", "abc"},
		{"a\x00b", "29-02-2028", "1.000.000,01", "toekenning"},
		{strings.Repeat("x", 5000), "", "0,00", "on"},
	} {
		f.Add(uint8(i*7), vals[0], vals[1], vals[2], vals[3])
	}
	forms := fuzzForms(f)
	f.Fuzz(func(t *testing.T, sel uint8, a, b, c, d string) {
		form := forms[int(sel)%len(forms)]
		typed := []string{a, b, c, d}
		v := Values{}
		for i, fld := range form.Fields {
			v.Set(fld.Name, typed[(i+int(sel))%len(typed)])
		}
		in, errs := decode(form, v, nil)
		for _, fld := range form.Fields {
			if msg, refused := errs[fld.Name]; refused {
				if strings.TrimSpace(msg) == "" {
					t.Fatalf("field %s refused without a message", fld.Name)
				}
				continue
			}
			got, kept := in.text[fld.Name]
			if !kept {
				continue
			}
			checkKept(t, fld, got, in)
		}
	})
}

// checkKept fails t when a value decode kept does not fit its field.
func checkKept(t *testing.T, fld process.Field, got string, in Input) {
	t.Helper()
	if n := utf8.RuneCountInString(got); n > fld.Limit() {
		t.Fatalf("field %s kept %d characters, limit %d", fld.Name, n, fld.Limit())
	}
	multiLine := fld.Kind == process.KindTextarea
	if fld.Kind != process.KindPassword {
		for _, r := range got {
			switch {
			case r == '\n' || r == '\r':
				if !multiLine {
					t.Fatalf("one-line field %s kept a line break: %q", fld.Name, got)
				}
			case r == '\t' && multiLine:
			case unicode.IsControl(r) || isInvisibleFormat(r):
				t.Fatalf("field %s kept the control character %U: %q", fld.Name, r, got)
			}
		}
	}
	switch fld.Kind {
	case process.KindDate:
		d := in.Date(fld.Name)
		if back, ok := ParseDate(d.Format("02-01-2006")); !ok || !back.Equal(d) {
			t.Fatalf("date field %s kept %q as %v, which does not read back", fld.Name, got, d)
		}
	case process.KindAmount:
		cents := in.Cents(fld.Name)
		if cents < 0 || cents > MaxAmountCents {
			t.Fatalf("amount field %s kept %q as %d cents", fld.Name, got, cents)
		}
		if back, msg := ParseAmount(FormatAmount(cents)); msg != "" || back != cents {
			t.Fatalf("amount %d cents formats as %q, which reads back as %d (%s)", cents, FormatAmount(cents), back, msg)
		}
	case process.KindRadio, process.KindSelect:
		if fld.OptionsFrom == "" && !hasOption(fld.Options, got) {
			t.Fatalf("field %s kept %q, which is not one of its options", fld.Name, got)
		}
	}
}
