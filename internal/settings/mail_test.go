package settings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

func TestMailValidate(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("geen certificaat"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    settings.Mail
		want string // "" = valid
	}{
		{settings.Mail{Host: "mail.example.nl"}, ""},
		{settings.Mail{PickupDir: "./mail"}, ""},
		{settings.Mail{}, "mail.host"},
		{settings.Mail{Host: "mail.example.nl", TLS: "foo"}, `mail.tls "foo": use starttls, opportunistic, tls or none`},
		{settings.Mail{Host: "mail.example.nl:587"}, "mail.host"},
		{settings.Mail{Host: "::1", TLS: "none"}, ""},
		{settings.Mail{Host: "mail.example.nl", Port: 70000}, "mail.port"},
		{settings.Mail{Host: "mail.example.nl", Timeout: "dertig"}, "mail.timeout"},
		{settings.Mail{Host: "mail.example.nl", Timeout: "-1s"}, "mail.timeout"},
		{settings.Mail{Host: "mail.example.nl", Password: "x"}, "mail.username"},
		{settings.Mail{Host: "mail.example.nl", HeloName: "a b"}, "mail.helo_name"},
		{settings.Mail{Host: "mail.example.nl", CAFile: ca}, "mail.ca_file"},
		{settings.Mail{Host: "mail.example.nl", CAFile: ca + ".ontbreekt"}, "mail.ca_file"},
		{settings.Mail{Host: "mail.example.nl", TLS: "none", CAFile: ca}, "mail.ca_file"},
	} {
		err := tc.c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tc.c, err)
		case tc.want != "" && err == nil:
			t.Errorf("%+v: no error, want %q", tc.c, tc.want)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%+v: error %q does not contain %q", tc.c, err, tc.want)
		}
	}
}

func TestMailDescribe(t *testing.T) {
	for _, tc := range []struct {
		c    settings.Mail
		want string
	}{
		{settings.Mail{Host: "mail.example.nl", Username: "x", Password: "geheim"}, "smtp mail.example.nl:587 starttls user=x"},
		{settings.Mail{Host: "mail.example.nl", TLS: "tls"}, "smtp mail.example.nl:465 tls"},
		{settings.Mail{Host: "127.0.0.1", Port: 2525, TLS: "none"}, "smtp 127.0.0.1:2525 none"},
		{settings.Mail{PickupDir: "./x"}, "pickup dir ./x"},
	} {
		got := tc.c.Describe()
		if got != tc.want {
			t.Errorf("Describe = %q, want %q", got, tc.want)
		}
		if strings.Contains(got, "geheim") {
			t.Errorf("Describe leaks the password: %q", got)
		}
	}
}
