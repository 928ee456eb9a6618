package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// `werkdiagnose process show` prints the definition the system runs: every
// step, its form and what follows; --json is the definition itself.
func TestProcessShow(t *testing.T) {
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"process", "show"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.Contains(text, def.Version) {
		t.Errorf("output lacks the version %s", def.Version)
	}
	for _, st := range def.Steps {
		if !strings.Contains(text, st.Title+" ["+string(st.Key)+"]") {
			t.Errorf("output lacks step %s", st.Key)
		}
		for _, f := range st.Form.Fields {
			if !strings.Contains(text, "- "+f.Name+" (") {
				t.Errorf("output lacks field %s of step %s", f.Name, st.Key)
			}
		}
	}
	for _, want := range []string{"Controle: not_future op gesprek_datum", "Gevolg: plant de afspraak “Intake KM Werkdiagnose”", "Routes:", "Regulier: toekenning:"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	out.Reset()
	if err := run(context.Background(), []string{"process", "show", "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := process.ParseDefinition(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != def.Version || len(got.Steps) != len(def.Steps) {
		t.Errorf("--json gave version %s with %d steps, want %s with %d", got.Version, len(got.Steps), def.Version, len(def.Steps))
	}
	var raw map[string]any
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil || raw["steps"] == nil {
		t.Errorf("--json is not the definition: %v", err)
	}
}

// `werkdiagnose process permissions` prints every line of the permission
// table and the need-to-know rules, for a security review.
func TestProcessPermissions(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"process", "permissions"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, g := range process.Table() {
		if !strings.Contains(text, string(g.Action)) {
			t.Errorf("output lacks action %s", g.Action)
		}
	}
	for _, want := range []string{"client.see           team", "application.status   owner           eformulier", "need_to_know_days",
		"poort: poortwachter (supported by ondersteuner_poortwachter)"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
