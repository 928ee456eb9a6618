package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// errUnderAge: the public form's applicant is younger than the pilot's
// minimum age; the form is taken in as a melding instead.
var errUnderAge = errors.New("under the minimum age: a melding")

// RecordMelding records the melding of someone younger than the pilot's
// minimum age (Participatiewet art. 41): the client, the day they reported
// and the end of their search period (art. 41 lid 4), a history line and
// the letter that tells them. Staff enter it at the desk (channel fysiek);
// the e-form system sends it (digitaal). Someone of the minimum age or
// older is refused: their report is an application.
func (s *Applications) RecordMelding(ctx context.Context, a Actor, channel string, v Values) (_ Melding, err error) {
	defer wrap(&err, "RecordMelding()")
	if err := authorizeIntake(a, channel, "meldingen"); err != nil {
		return Melding{}, err
	}
	src := process.FromEForm
	if channel == ChannelPhysical {
		src = process.FromDesk
	}
	return s.recordMelding(ctx, a, src, v)
}

// recordMelding is RecordMelding from a form of src.
func (s *Applications) recordMelding(ctx context.Context, a Actor, src process.ApplicationSource, v Values) (Melding, error) {
	def := s.def
	in, errs, err := s.input(process.MeldingForm(src), v, nil, s.env(def))
	if err != nil {
		return Melding{}, err
	}
	today := s.today()
	reported := today
	if d := in.Date(process.FieldReportedOn); !d.IsZero() {
		reported = d
	}
	if birth := in.Date(process.FieldBirthDate); !birth.IsZero() {
		switch {
		case !birth.Before(today):
			errs.Add(process.FieldBirthDate, msgBirthInFuture)
		case def.Policy.Eligible(birth, reported):
			errs.Add(process.FieldBirthDate, fmt.Sprintf("De klant is op de meldingsdatum %d jaar: dat is een aanvraag, geen melding van iemand jonger dan %d. Voer een aanvraag in.",
				process.Age(birth, reported), def.Policy.MinimumAge))
		}
	}
	if err := errs.Err(); err != nil {
		return Melding{}, err
	}
	channel := ChannelDigital
	if src == process.FromDesk {
		channel = ChannelPhysical
	}
	m := Melding{ReportedOn: reported, SearchUntil: process.AddDays(reported, def.Policy.YouthSearchDays-1), Channel: channel, By: a.User.ID, At: s.clock.Now().UTC()}
	if src == process.FromPublic {
		m.Reference = newReference(prefixMelding)
	}
	err = s.store.Update(ctx, func(tx ApplicationTx) error {
		client, _, err := s.saveApplicant(ctx, tx, in, nil)
		if err != nil {
			return err
		}
		m.ClientID = client.ID
		if err := tx.AddMelding(ctx, &m); err != nil {
			return err
		}
		summary := fmt.Sprintf("Melding ontvangen op %s (jonger dan %d, Participatiewet art. 41): de klant zoekt eerst %s zelf naar werk, tot en met %s; een aanvraag kan vanaf %s.",
			FormatDate(m.ReportedOn), def.Policy.MinimumAge, process.TermLength(def.Policy.YouthSearchDays), FormatDate(m.SearchUntil), FormatDate(m.MayApplyFrom()))
		if m.Reference != "" {
			summary += " Referentie van het formulier: " + m.Reference + "."
		}
		if err := s.event(ctx, tx, a, client.ID, 0, 0, eventMelding, summary, ""); err != nil {
			return err
		}
		// The letter that tells the client (Pw art. 41 lid 4). Without a
		// case there is no task to post it: a letter by post waits in the
		// outbox and with the client's documents.
		_, err = s.sendLetter(ctx, tx, a, LetterRequest{Key: process.LetterMelding, ClientID: client.ID,
			Details: LetterDetails{Date: m.ReportedOn, Due: m.MayApplyFrom()}, MessageKind: "Melding jongere"})
		return err
	})
	if err != nil {
		return Melding{}, newClientRace(err)
	}
	s.log.InfoContext(ctx, "melding received", "melding_id", m.ID, "channel", channel, "actor_id", a.User.ID)
	return m, nil
}

// eventMelding is the history kind of a melding.
const eventMelding = "melding"
