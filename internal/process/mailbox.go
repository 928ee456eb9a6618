package process

import (
	"fmt"
	"net/mail"
)

// ValidMailbox checks that s is one e-mail address (a display name is
// allowed: "Werkdiagnose <werkdiagnose@example.nl>").
func ValidMailbox(s string) error {
	if _, err := mail.ParseAddress(s); err != nil {
		return fmt.Errorf("%q is not an e-mail address", s)
	}
	return nil
}
