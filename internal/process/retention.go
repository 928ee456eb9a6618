package process

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Retention per the Selectielijst gemeenten en intergemeentelijke organen
// 2020 (Staatscourant 2020, 11143), procestype 8 "Voorzieningen
// verstrekken". Every closed case gets a result type (resultaattype), and
// through it a selectielijst category, an archive nomination and a period
// that runs from a source date (brondatum) to the day its data may be
// destroyed. The values are configuration with the selectielijst as
// default; see docs/security.md, "Retention and destruction".

// Result types of a closed case.
const (
	ResultGranted   = "toegekend"  // application: benefit granted
	ResultRefused   = "afgewezen"  // application: no benefit
	ResultEnded     = "beeindigd"  // participation dossier: guidance ran (a plan van aanpak was made) and ended
	ResultBrokenOff = "afgebroken" // participation dossier: closed before guidance began (no plan van aanpak)
)

// Archive nominations (archiefnominatie).
const (
	NominationDestroy = "vernietigen"
	NominationKeep    = "bewaren"
)

// Source dates (brondatum) a rule can run from.
const (
	// SourceClosed: the day the case closed (the decision's date for an
	// application).
	SourceClosed = "afsluiting"
	// SourceProvisionEnd: the day the provision ended. The benefit itself
	// is paid from another system; here its end is read as the close of
	// the participation dossier that followed the grant (the decision's
	// date when none followed), and unknown while that dossier runs.
	SourceProvisionEnd = "einde_voorziening"
)

// RetentionRule is what one result type means for retention.
type RetentionRule struct {
	Result       string `json:"result"`        // result type key, e.g. "toegekend"
	Label        string `json:"label"`         // shown to staff: "Toegekend"
	Category     string `json:"category"`      // selectielijst result number, e.g. "8.1"
	CategoryName string `json:"category_name"` // the selectielijst's name of it, e.g. "Verstrekt"
	Nomination   string `json:"nomination"`    // vernietigen or bewaren
	Period       string `json:"period"`        // ISO 8601 period from the source date: P10Y, P5Y, P42D
	Source       string `json:"source"`        // afsluiting or einde_voorziening
}

// Retention is the retention policy of the instance.
type Retention struct {
	// Selectielijst names the list the categories are from, for the
	// destruction report.
	Selectielijst string          `json:"selectielijst"`
	Rules         []RetentionRule `json:"rules"`
	// FourEyes requires that the functioneel beheerder who approves a
	// destruction is not the one who proposed it.
	FourEyes bool `json:"four_eyes"`
	// RunAt is when the daily retention run starts (hh:mm, Amsterdam).
	RunAt string `json:"run_at"`
}

// DefaultRetention is the Selectielijst 2020, procestype 8, for the
// pilot's results (checked against VNG's published values, see
// docs/security.md).
func DefaultRetention() Retention {
	return Retention{
		Selectielijst: "Selectielijst gemeenten en intergemeentelijke organen 2020 (Stcrt. 2020, 11143), procestype 8 Voorzieningen verstrekken",
		Rules: []RetentionRule{
			{Result: ResultGranted, Label: "Toegekend", Category: "8.1", CategoryName: "Verstrekt", Nomination: NominationDestroy, Period: "P10Y", Source: SourceProvisionEnd},
			{Result: ResultRefused, Label: "Afgewezen", Category: "8.2", CategoryName: "Geweigerd", Nomination: NominationDestroy, Period: "P5Y", Source: SourceClosed},
			{Result: ResultEnded, Label: "Beëindigd", Category: "8.3", CategoryName: "Beëindigd", Nomination: NominationDestroy, Period: "P10Y", Source: SourceClosed},
			{Result: ResultBrokenOff, Label: "Afgebroken", Category: "8.4.1", CategoryName: "Afgebroken, voorziening in sociaal domein", Nomination: NominationDestroy, Period: "P42D", Source: SourceClosed},
		},
		FourEyes: true,
		RunAt:    "02:30",
	}
}

// Rule returns the rule of a result type.
func (r Retention) Rule(result string) (RetentionRule, bool) {
	for _, x := range r.Rules {
		if x.Result == result {
			return x, true
		}
	}
	return RetentionRule{}, false
}

// Validate reports the first problem of the policy.
func (r Retention) Validate() error {
	if len(r.Rules) == 0 {
		return errors.New("retention: no rules")
	}
	seen := map[string]bool{}
	for _, x := range r.Rules {
		if x.Result == "" || seen[x.Result] {
			return fmt.Errorf("retention: result %q is empty or given twice", x.Result)
		}
		seen[x.Result] = true
		if x.Nomination != NominationDestroy && x.Nomination != NominationKeep {
			return fmt.Errorf("retention: result %q: nomination must be %q or %q", x.Result, NominationDestroy, NominationKeep)
		}
		if x.Source != SourceClosed && x.Source != SourceProvisionEnd {
			return fmt.Errorf("retention: result %q: source must be %q or %q", x.Result, SourceClosed, SourceProvisionEnd)
		}
		if x.Nomination == NominationDestroy {
			if _, err := AddPeriod(time.Time{}, x.Period); err != nil {
				return fmt.Errorf("retention: result %q: %w", x.Result, err)
			}
		}
	}
	for _, res := range []string{ResultGranted, ResultRefused, ResultEnded, ResultBrokenOff} {
		if !seen[res] {
			return fmt.Errorf("retention: no rule for result %q", res)
		}
	}
	if _, err := time.Parse("15:04", r.RunAt); err != nil {
		return fmt.Errorf("retention: run_at %q is not hh:mm", r.RunAt)
	}
	return nil
}

var isoPeriod = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)

// AddPeriod adds an ISO 8601 period of years, months and days (P10Y,
// P42D, P1Y6M) to a date.
func AddPeriod(t time.Time, period string) (time.Time, error) {
	m := isoPeriod.FindStringSubmatch(period)
	if m == nil || period == "P" {
		return time.Time{}, fmt.Errorf("period %q is not an ISO 8601 period such as P10Y or P42D", period)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return t.AddDate(n(m[1]), n(m[2]), n(m[3])), nil
}

// CaseResult is the result type of a closed case: an application by its
// decision, a participation dossier by whether guidance began (a plan van
// aanpak was made). false: the case has no result this policy knows.
func CaseResult(kind CaseKind, decisionOutcome string, hadPlan bool) (string, bool) {
	switch kind {
	case CaseAanvraag:
		switch decisionOutcome {
		case OutcomeToekenning:
			return ResultGranted, true
		case OutcomeGeenToekenning:
			return ResultRefused, true
		}
	case CaseParticipatie:
		if hadPlan {
			return ResultEnded, true
		}
		return ResultBrokenOff, true
	}
	return "", false
}

// DestroyOn is the day a case's data may be destroyed: the source date
// plus the rule's period; zero for a rule that keeps (bewaren) or when the
// source date is not known yet.
func (x RetentionRule) DestroyOn(source time.Time) time.Time {
	if x.Nomination != NominationDestroy || source.IsZero() {
		return time.Time{}
	}
	d, err := AddPeriod(Date(source), x.Period)
	if err != nil {
		return time.Time{}
	}
	return d
}

// NextRun is the first moment of the daily run after now.
func (r Retention) NextRun(now time.Time) time.Time {
	at, err := time.Parse("15:04", r.RunAt)
	if err != nil {
		at = time.Date(0, 1, 1, 2, 30, 0, 0, time.UTC)
	}
	local := now.In(Amsterdam)
	next := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, Amsterdam)
	if !next.After(now) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, at.Hour(), at.Minute(), 0, 0, Amsterdam)
	}
	return next
}

// FieldConfirmDestruction is the approver's tick on the approval form.
const FieldConfirmDestruction = "bevestig_vernietiging"

// DestructionApprovalForm is the confirmation a functioneel beheerder
// gives before a proposed destruction is carried out.
func DestructionApprovalForm() Form {
	return Form{Fields: []Field{{Name: FieldConfirmDestruction, Kind: KindCheckbox, Required: true,
		Label: "Ik heb het overzicht gecontroleerd: de gegevens van deze klanten mogen definitief worden vernietigd"}}}
}

// Fields of the export form.
const (
	FieldClientNumber = "klantnummer"
	FieldRequest      = "verzoek"
	FieldExportFormat = "vorm"
)

// Export formats.
const (
	ExportJSON = "json"
	ExportHTML = "html"
)

// ExportForm asks for the client and the request a data subject's export
// answers (UAVG art. 15, 20), which is recorded in the client's history,
// and the form of the export.
func ExportForm() Form {
	return Form{Fields: []Field{
		{Name: FieldClientNumber, Label: "Klantnummer", Kind: KindText, Required: true, MaxLength: 20,
			Help: "Het klantnummer staat op de klantpagina."},
		{Name: FieldRequest, Kind: KindText, Required: true, MaxLength: MaxAddress, Label: "Verzoek van de klant",
			Help: "Datum en kenmerk van het schriftelijke verzoek om inzage of om de gegevens mee te nemen, bijvoorbeeld: verzoek 12-03-2027, kenmerk Z-2027-114. Zet hier geen BSN in."},
		{Name: FieldExportFormat, Label: "Vorm", Kind: KindRadio, Required: true, Options: []Option{
			{Value: ExportJSON, Label: "JSON-bestand met alles, ook de documenten (om mee te nemen, art. 20)"},
			{Value: ExportHTML, Label: "Leesbare pagina om af te drukken of als PDF te bewaren (inzage, art. 15)"}}},
	}, Checks: []Check{{Name: CheckNoBSN, Field: FieldRequest, Message: "Zet geen BSN in het verzoek."}}}
}

// RectifyForm corrects a client's name, date of birth or BSN (UAVG art.
// 16), with the reason; the old values stay in the client's history (the
// old BSN masked). An empty BSN keeps the stored one.
func RectifyForm() Form {
	return Form{Fields: []Field{
		{Name: FieldGivenNames, Label: "Voornamen", Kind: KindText, Required: true, MaxLength: MaxName},
		{Name: FieldFamilyName, Label: "Achternaam", Help: "Met tussenvoegsel, bijvoorbeeld: van Dijk.", Kind: KindText, Required: true, MaxLength: MaxName},
		{Name: FieldBirthDate, Label: "Geboortedatum", Help: "Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
		{Name: FieldBSN, Label: "Nieuw BSN", Help: "Alleen invullen als het BSN fout is: 9 cijfers die voldoen aan de elfproef. Leeg laten houdt het huidige BSN.",
			Kind: KindText, Numeric: true, MaxLength: 20, Autocomplete: "off"},
		{Name: FieldReason, Label: "Reden van de correctie", Help: "Waarom klopte het niet, en waaruit blijkt het juiste gegeven? Bijvoorbeeld: verzoek van de klant, kopie ID-bewijs gezien. Zet hier geen BSN in.",
			Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
	}, Checks: []Check{
		{Name: CheckBSN, Field: FieldBSN, Message: "Vul een geldig BSN in: 9 cijfers die voldoen aan de elfproef."},
		{Name: CheckNotFuture, Field: FieldBirthDate, Message: "De geboortedatum kan niet in de toekomst liggen."},
	}}
}
