// Package archtest checks the architecture the docs describe: which
// package may import which, and that a form's field names are spelled in
// one package only. It reads the code; it runs none of it.
package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

const module = "github.com/bar-organisatie/werkdiagnose"

// pkg is what `go list -json` says of a package.
type pkg struct {
	ImportPath string
	Dir        string
	Imports    []string
	Deps       []string
	GoFiles    []string
}

// list runs `go list -deps=false -json` over the module's packages.
func list(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[strings.TrimPrefix(p.ImportPath, module+"/")] = p
	}
	return pkgs
}

// own returns the project's packages among paths, without the module prefix.
func own(paths []string) []string {
	var out []string
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(p, module+"/"); ok {
			out = append(out, rest)
		}
	}
	return out
}

// TestLayering fails when a package imports what the architecture (docs/
// architecture.md) says it must not: dependencies point inward, to the
// process and the use cases; adapters never import each other; only cmd
// wires everything.
func TestLayering(t *testing.T) {
	pkgs := list(t)
	infrastructure := []string{"github.com/riverqueue/", "github.com/jackc/", "modernc.org/sqlite", "github.com/wneessen/go-mail",
		"github.com/arran4/golang-ical", "github.com/pressly/goose", "net/http", "database/sql"}
	rules := []struct {
		pkg string
		// mayImport lists the project's packages it may import (directly).
		mayImport []string
		// noDeps lists import-path prefixes that must not be among its
		// dependencies at all, direct or not.
		noDeps []string
	}{
		{"internal/process", nil, infrastructure},
		{"internal/casework", []string{"internal/process"}, infrastructure},
		{"internal/settings", nil, infrastructure},
		{"internal/config", []string{"internal/casework", "internal/process", "internal/settings"}, infrastructure},
		{"internal/jobs", nil, nil},
		{"internal/ics", []string{"internal/casework"}, nil},
		{"internal/mailer", []string{"internal/settings"}, nil},
		{"internal/store", []string{"internal/casework", "internal/process", "internal/settings"}, nil},
		{"internal/httpstatus", []string{"internal/casework"}, []string{"database/sql"}},
		{"internal/origin", nil, []string{"database/sql"}},
		{"internal/web", []string{"internal/casework", "internal/httpstatus", "internal/origin", "internal/process", "internal/settings"}, []string{"database/sql", "github.com/riverqueue/"}},
		{"internal/api", []string{"internal/casework", "internal/httpstatus", "internal/origin", "internal/process"}, []string{"database/sql", "github.com/riverqueue/"}},
		{"internal/worker", []string{"internal/casework", "internal/jobs", "internal/mailer", "internal/process", "internal/settings"}, nil},
		{"internal/demo", []string{"internal/casework", "internal/process", "internal/ics", "internal/letters"}, []string{"database/sql"}},
		{"internal/letters", []string{"internal/casework", "internal/process"}, []string{"database/sql", "github.com/riverqueue/", "github.com/chromedp/"}},
		{"internal/pdf", []string{"internal/casework"}, []string{"database/sql", "github.com/riverqueue/"}},
		{"internal/server", []string{"internal/api", "internal/casework", "internal/origin", "internal/settings", "internal/web"}, []string{"database/sql"}},
	}
	for _, r := range rules {
		p, ok := pkgs[r.pkg]
		if !ok {
			t.Errorf("package %s not found", r.pkg)
			continue
		}
		for _, imp := range own(p.Imports) {
			if !slices.Contains(r.mayImport, imp) {
				t.Errorf("%s imports %s; it may import only %v", r.pkg, imp, r.mayImport)
			}
		}
		for _, dep := range p.Deps {
			for _, bad := range r.noDeps {
				if dep == bad || strings.HasPrefix(dep, bad) {
					t.Errorf("%s depends on %s (through its imports); it must not depend on %s", r.pkg, dep, bad)
				}
			}
		}
	}
}

// fieldNames returns every field name of every form of the system.
func fieldNames(t *testing.T) map[string]bool {
	t.Helper()
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	forms := []process.Form{process.ApplicationForm(process.FromEForm), process.ApplicationForm(process.FromPublic), process.ApplicationForm(process.FromDesk), process.MeldingForm(process.FromDesk), def.Policy.PlanForm(),
		def.Policy.RegistrationForm(), process.RegistrationStatusForm(), def.Policy.TrajectoryForm(), process.FinishTrajectoryForm(),
		process.AppointmentForm(), process.SuspensionForm(), process.EndSuspensionForm(), process.AssignForm(nil),
		process.UserForm(), process.LoginForm(), process.TokenForm(nil), process.SearchForm(),
		process.ContactForm(), process.NoteForm(), process.TransferForm(), process.UploadForm(), process.LetterRequestForm()}
	for _, st := range def.Steps {
		forms = append(forms, st.Form)
	}
	names := map[string]bool{process.FieldVersion: true, process.FieldPlanVersion: true, process.FieldPlan: true,
		process.FieldChannel: true, process.FieldDailyDigest: true, process.FieldFile: true}
	for _, f := range forms {
		for _, fl := range f.Fields {
			names[fl.Name] = true
		}
	}
	return names
}

// TestFieldNamesInOnePackage fails when a form's field name is spelled as a
// string outside internal/process where code reads or writes a form: as
// the name given to Get, Set, Add, Del or Has (form values, field
// messages), as a key of a composite literal (Values{…}, Fields{…}), as an
// index (v["…"]) or as a Field's Name. Code reads fields through process's
// Field… constants, so renaming a field is one edit. Query strings of
// links and URL query parameters are navigation, not forms, and are left
// alone; so are tests.
func TestFieldNamesInOnePackage(t *testing.T) {
	names := fieldNames(t)
	pkgs := list(t)
	var found []string
	for path, p := range pkgs {
		if path == "internal/process" || strings.HasPrefix(path, "internal/archtest") {
			continue
		}
		for _, file := range p.GoFiles {
			name := filepath.Join(p.Dir, file)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			check := func(e ast.Expr) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && names[s] {
					rel, _ := filepath.Rel(filepath.Dir(p.Dir), name)
					found = append(found, path+"/"+filepath.Base(rel)+":"+strconv.Itoa(fset.Position(lit.Pos()).Line)+": "+strconv.Quote(s))
				}
			}
			skip := map[ast.Node]bool{}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Encode" {
					skip[sel.X] = true // url.Values{…}.Encode(): a link's query string
				}
				return true
			})
			ast.Inspect(f, func(n ast.Node) bool {
				if skip[n] {
					return false
				}
				switch n := n.(type) {
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok || len(n.Args) == 0 {
						return true
					}
					switch sel.Sel.Name {
					case "Get", "Set", "Add", "Del", "Has":
						if q, ok := sel.X.(*ast.CallExpr); ok {
							if qs, ok := q.Fun.(*ast.SelectorExpr); ok && qs.Sel.Name == "Query" {
								return true // r.URL.Query().Get(…): a query parameter
							}
						}
						if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "os" || id.Name == "http") {
							return true
						}
						if hs, ok := sel.X.(*ast.SelectorExpr); ok && (hs.Sel.Name == "Header" || hs.Sel.Name == "Cookie") {
							return true
						}
						if hc, ok := sel.X.(*ast.CallExpr); ok {
							if hs, ok := hc.Fun.(*ast.SelectorExpr); ok && hs.Sel.Name == "Header" {
								return true
							}
						}
						check(n.Args[0])
					}
				case *ast.CompositeLit:
					for _, elt := range n.Elts {
						kv, ok := elt.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Name" {
							if typ, ok := n.Type.(*ast.SelectorExpr); ok && typ.Sel.Name == "Field" {
								check(kv.Value)
							}
							continue
						}
						check(kv.Key)
					}
				case *ast.IndexExpr:
					check(n.Index)
				}
				return true
			})
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("field name outside internal/process: %s", f)
	}
}
