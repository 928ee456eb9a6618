package casework

import (
	"context"
	"fmt"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// handoverMessage writes the source's hand-over e-mail ("E-mail TOP", ...)
// to the receiving team's mailbox. It names the task and links to it; it
// carries no BSN and no client details: the recipient reads those in the
// system after logging in.
func (s *Service) handoverMessage(ctx context.Context, tx Tx, def *process.Definition, t Task, step process.Step, team process.Team, label, caseCode string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Beste collega's van %s,\n\n", team.Name)
	fmt.Fprintf(&b, "Er staat een nieuwe taak voor jullie klaar in Werkdiagnose:\n\n")
	fmt.Fprintf(&b, "  Taak:      %s\n", step.Title)
	fmt.Fprintf(&b, "  Werkproces: %s\n", caseCode)
	if team.Worklist != "" {
		fmt.Fprintf(&b, "  Werkvoorraad: %s\n", team.Worklist)
	}
	if !t.DueOn.IsZero() {
		fmt.Fprintf(&b, "  Termijn:   %s\n", FormatDate(t.DueOn))
	}
	fmt.Fprintf(&b, "\nOpen de taak: %s/taken/%d\n\n", s.cfg.BaseURL, t.ID)
	fmt.Fprintf(&b, "Dit bericht bevat bewust geen klantgegevens. Deze vindt u na inloggen bij de taak.\n\n-- \nWerkdiagnose (%s)\n", label)
	return s.enqueue(ctx, tx, &Message{ClientID: t.ClientID, CaseID: t.CaseID, TaskID: t.ID, Kind: label,
		From: def.Policy.ClientMailbox, To: team.Mailbox,
		Subject: fmt.Sprintf("%s: nieuwe taak %q", label, step.Title), Body: b.String()})
}

// clientInvitation writes the invitation to the client, sent from the
// shared mailbox, and a notice to the klantmanager for their calendar.
func (s *Service) clientInvitation(ctx context.Context, tx Tx, def *process.Definition, client Client, ap Appointment, km User, room Room) error {
	kind := AppointmentKindNames[ap.Kind]
	when := FormatDateTime(ap.StartAt)
	place := room.Name
	if room.Location != "" {
		place += ", " + room.Location
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Beste %s,\n\n", client.Name())
	fmt.Fprintf(&b, "U bent uitgenodigd voor een %s.\n\n", strings.ToLower(kind))
	fmt.Fprintf(&b, "  Datum en tijd: %s uur (tot %s uur)\n", when, ap.EndAt.In(process.Amsterdam).Format("15:04"))
	fmt.Fprintf(&b, "  Plaats:        %s\n", place)
	fmt.Fprintf(&b, "  Met:           %s\n\n", km.Name)
	fmt.Fprintf(&b, "Kunt u niet? Antwoord dan op deze e-mail of bel ons.\n\nMet vriendelijke groet,\n\nTeam Werkdiagnose\n%s\n", def.Policy.ClientMailbox)
	if err := s.enqueue(ctx, tx, &Message{ClientID: client.ID, CaseID: ap.CaseID, Kind: "Uitnodiging klant",
		From: def.Policy.ClientMailbox, To: client.Email, Subject: "Uitnodiging: " + kind, Body: b.String()}); err != nil {
		return err
	}
	var k strings.Builder
	fmt.Fprintf(&k, "Beste %s,\n\nEr is een afspraak voor u ingepland:\n\n  %s\n  %s uur, %s\n\nDe klant is uitgenodigd. Open het dossier: %s/klanten/%d\n",
		km.Name, kind, when, place, s.cfg.BaseURL, client.ID)
	return s.enqueue(ctx, tx, &Message{ClientID: client.ID, CaseID: ap.CaseID, Kind: "Afspraak klantmanager",
		From: def.Policy.ClientMailbox, To: km.Email, Subject: "Afspraak ingepland: " + kind, Body: k.String()})
}
