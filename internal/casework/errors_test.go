package casework_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

func asError(err error, target **casework.Error) bool { return errors.As(err, target) }

func TestValidBSN(t *testing.T) {
	for bsn, want := range map[string]bool{
		"123456782": true, "249566758": true,
		"123456789": false, "12345678a": false, "000000000": false, "12345678": false, "1234567820": false, "": false,
	} {
		if got := casework.ValidBSN(bsn); got != want {
			t.Errorf("ValidBSN(%q) = %v, want %v", bsn, got, want)
		}
	}
	if got := casework.MaskBSN("123456782"); got != "******782" {
		t.Errorf("MaskBSN = %q", got)
	}
}

func TestParseDate(t *testing.T) {
	for in, ok := range map[string]bool{"03-02-2027": true, "2027-02-03": true, "3-2-2027": true, "31-02-2027": false, "2027-13-01": false, "morgen": false} {
		if _, got := casework.ParseDate(in); got != ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h := casework.HashPassword("correct horse battery")
	if !casework.CheckPassword(h, "correct horse battery") || casework.CheckPassword(h, "wrong horse battery") {
		t.Fatal("argon2id hash does not verify")
	}
	if a, b := casework.HashPassword("x"), casework.HashPassword("x"); a == b {
		t.Fatal("hashes are not salted")
	}
}

func TestRedactEmails(t *testing.T) {
	in := `550 5.1.1 <jan.jansen@example.org>: Recipient address rejected; from "poort@bar-organisatie.nl"`
	got := casework.RedactEmails(in)
	if strings.Contains(got, "jan.jansen") || strings.Contains(got, "poort@") || !strings.Contains(got, "j…@example.org") || !strings.Contains(got, "550 5.1.1") {
		t.Errorf("RedactEmails = %q", got)
	}
}
