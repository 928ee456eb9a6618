package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ClientDetailsTx is what changing a client's contact details reads and
// writes: the client and its history.
type ClientDetailsTx interface {
	ClientTx
	EventTx
}

// eventContactDetails is the kind of the history line of a change of
// contact details.
const eventContactDetails = "contactgegevens"

// UpdateClientDetails changes a client's contact details (e-mail, phone,
// address, preferred channel, contact person or interpreter) from the
// ClientDetailsForm, if version is still the client's version: a
// colleague's change in between is a conflict that names who changed
// what, never an overwrite. It returns the labels of the details that
// changed (none: nothing is written) and appends one history line naming
// them, never their values.
func (s *Clients) UpdateClientDetails(ctx context.Context, a Actor, clientID int64, version int, v Values) (_ []string, err error) {
	defer wrap(&err, "UpdateClientDetails(clientID=%d)", clientID)
	if err := mayEver(a, process.ActEditClient); err != nil {
		return nil, err
	}
	if _, err := knowClientIn(ctx, s.core, s.details, a, process.ActEditClient, clientID); err != nil {
		return nil, err
	}
	form := process.ClientDetailsForm()
	in, errs, err := s.input(form, v, nil, s.env(s.def))
	if err != nil {
		return nil, err
	}
	want := Client{Email: in.Text(process.FieldEmail), Phone: in.Text(process.FieldPhone), Address: in.Text(process.FieldAddress),
		Contact: in.Text(process.FieldPreferredChannel), ContactPerson: in.Text(process.FieldContactPerson)}
	preferenceNeeds(want, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var changed []string
	err = s.details.Update(ctx, func(tx ClientDetailsTx) error {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return notFoundAs(err, "De klant")
		}
		if err := requireVersion(version); err != nil {
			return err
		}
		if c.Version != version {
			return detailsConflict(ctx, tx, c.ID)
		}
		next := c
		next.Email, next.Phone, next.Address, next.Contact, next.ContactPerson = want.Email, want.Phone, want.Address, want.Contact, want.ContactPerson
		if changed = detailsChanged(c, next); len(changed) == 0 {
			return nil
		}
		if err := tx.UpdateClient(ctx, &next); err != nil {
			if errors.Is(err, ErrStale) {
				return detailsConflict(ctx, tx, c.ID)
			}
			return err
		}
		return s.event(ctx, tx, a, c.ID, 0, 0, eventContactDetails, "Contactgegevens gewijzigd: "+strings.Join(changed, ", ")+".", "")
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// preferenceNeeds asks for what the preferred channel needs: an e-mail
// address to mail, an address to post, a number to call. A field that
// already has a message keeps it.
func preferenceNeeds(c Client, errs Fields) {
	need := func(field, value, msg string) {
		if value == "" && errs[field] == "" {
			errs.Add(field, msg)
		}
	}
	switch c.Contact {
	case process.PreferEmail:
		need(process.FieldEmail, c.Email, "Vul het e-mailadres in, of kies als voorkeur post of telefoon: zonder e-mailadres kan de gemeente niet mailen.")
	case process.PreferPost:
		need(process.FieldAddress, c.Address, "Vul het adres in, of kies een andere voorkeur: zonder adres kan de gemeente geen brief sturen.")
	case process.PreferPhone:
		need(process.FieldPhone, c.Phone, "Vul het telefoonnummer in, of kies een andere voorkeur: zonder nummer kan de gemeente niet bellen.")
	}
}

// detailsConflict is the conflict of a change based on an older version of
// the client's details: it names the colleague who changed them last and
// what they changed, from the history.
func detailsConflict(ctx context.Context, tx EventTx, clientID int64) error {
	msg := "Een collega heeft de contactgegevens van deze klant intussen gewijzigd."
	if evs, err := tx.EventsByClient(ctx, clientID); err == nil {
		var last *Event
		for i := range evs {
			if evs[i].Kind == eventContactDetails && (last == nil || evs[i].ID > last.ID) {
				last = &evs[i]
			}
		}
		if last != nil {
			what := strings.TrimSuffix(strings.TrimPrefix(last.Summary, "Contactgegevens gewijzigd: "), ".")
			msg = fmt.Sprintf("%s heeft de contactgegevens van deze klant intussen gewijzigd (%s, %s).", last.ActorName, what, FormatDateTime(last.At))
		}
	}
	return Conflict(msg + " Uw invoer staat hieronder en is nog niet opgeslagen; de huidige gegevens staan bovenaan de pagina. Sla opnieuw op als uw invoer moet blijven.")
}

// detailsChanged names, in the labels of the form, the contact details
// that differ between old and next.
func detailsChanged(old, next Client) []string {
	form := process.ClientDetailsForm()
	label := func(name string) string {
		f, _ := form.Field(name)
		return strings.ToLower(f.Label[:1]) + f.Label[1:]
	}
	var out []string
	for _, d := range []struct {
		name     string
		old, new string
	}{
		{process.FieldEmail, old.Email, next.Email},
		{process.FieldPhone, old.Phone, next.Phone},
		{process.FieldAddress, old.Address, next.Address},
		{process.FieldPreferredChannel, old.Contact, next.Contact},
		{process.FieldContactPerson, old.ContactPerson, next.ContactPerson},
	} {
		if d.old != d.new {
			out = append(out, label(d.name))
		}
	}
	return out
}

// DefaultContact is the preferred channel of a client who has not chosen
// one: e-mail when there is an address, else post.
func DefaultContact(email string) string {
	if email != "" {
		return process.PreferEmail
	}
	return process.PreferPost
}
