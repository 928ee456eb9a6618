package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// docURL is where the contract registers the OpenAPI document as a
// JSON Schema resource; it is never fetched.
const docURL = "https://werkdiagnose.invalid/api/openapi.json"

// contract validates real responses against the OpenAPI document the API
// serves. OpenAPI 3.1 schemas are JSON Schema 2020-12, so each response
// schema is compiled straight from its place in the document.
type contract struct {
	doc      map[string]any
	compiler *jsonschema.Compiler

	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
	seen     map[string]map[int]bool // "METHOD /path" → statuses seen
	statuses map[int]bool
}

// newContract loads the document served by a fresh API.
func newContract(t testing.TB, raw []byte) *contract {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatalf("openapi.json as schema resource: %v", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		t.Fatalf("openapi.json is not an object")
	}
	return &contract{doc: m, compiler: c, schemas: map[string]*jsonschema.Schema{},
		seen: map[string]map[int]bool{}, statuses: map[int]bool{}}
}

// pointerToken escapes a JSON pointer token for use in a URL fragment.
func pointerToken(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	s = strings.ReplaceAll(s, "/", "~1")
	return url.PathEscape(s)
}

// operation returns the documented operation for method and path template.
func (c *contract) operation(method, tmpl string) (map[string]any, bool) {
	paths, _ := c.doc["paths"].(map[string]any)
	item, _ := paths[tmpl].(map[string]any)
	op, ok := item[strings.ToLower(method)].(map[string]any)
	return op, ok
}

// operations lists every documented operation as "METHOD /path".
func (c *contract) operations() []string {
	var out []string
	paths, _ := c.doc["paths"].(map[string]any)
	for p, item := range paths {
		for m := range item.(map[string]any) {
			switch m {
			case "get", "post", "put", "patch", "delete":
				out = append(out, strings.ToUpper(m)+" "+p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// check fails the test unless the operation documents the response's
// status and media type and the body validates against that schema.
func (c *contract) check(t testing.TB, method, tmpl string, r response) {
	t.Helper()
	op, ok := c.operation(method, tmpl)
	if !ok {
		if r.Status != http.StatusNotFound {
			t.Errorf("%s: operation %s %s is not documented", r.what, method, tmpl)
		}
		return
	}
	key := method + " " + tmpl
	c.mu.Lock()
	if c.seen[key] == nil {
		c.seen[key] = map[int]bool{}
	}
	c.seen[key][r.Status] = true
	c.statuses[r.Status] = true
	c.mu.Unlock()

	status := strconv.Itoa(r.Status)
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[status].(map[string]any)
	if !ok {
		t.Errorf("%s: status %s of operation %s is not documented (documented: %v)", r.what, status, op["operationId"], keys(responses))
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		t.Errorf("%s: content type %q: %v", r.what, r.Header.Get("Content-Type"), err)
		return
	}
	content, _ := resp["content"].(map[string]any)
	if _, ok := content[mt]; !ok {
		t.Errorf("%s: media type %s of status %s is not documented (documented: %v)", r.what, mt, status, keys(content))
		return
	}
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return // a file (a document's download): its type is documented, its bytes are the file
	}
	loc := fmt.Sprintf("%s#/paths/%s/%s/responses/%s/content/%s/schema", docURL,
		pointerToken(tmpl), strings.ToLower(method), status, pointerToken(mt))
	sch, err := c.schema(loc)
	if err != nil {
		t.Errorf("%s: compile the documented schema %s: %v", r.what, loc, err)
		return
	}
	body, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
	if err != nil {
		t.Errorf("%s: body is not JSON: %v; body: %s", r.what, err, r.Body)
		return
	}
	if err := sch.Validate(body); err != nil {
		t.Errorf("%s: status %s body does not match the documented schema:\n%v\nbody: %s", r.what, status, err, r.Body)
	}
}

func (c *contract) schema(loc string) (*jsonschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.schemas[loc]; ok {
		return s, nil
	}
	s, err := c.compiler.Compile(loc)
	if err != nil {
		return nil, err
	}
	c.schemas[loc] = s
	return s, nil
}

// unexercised lists the documented operations no test called.
func (c *contract) unexercised() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, op := range c.operations() {
		if len(c.seen[op]) == 0 {
			out = append(out, op)
		}
	}
	return out
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fetchDocument starts an API without a contract and reads its document.
func fetchDocument(t testing.TB) []byte {
	t.Helper()
	s := newServer(t, nil)
	res, err := s.srv.Client().Get(s.srv.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/openapi.json: status %d", res.StatusCode)
	}
	return buf.Bytes()
}

// TestAPI runs every scenario against the contract, then checks that every
// documented operation was exercised and every refusal status was seen.
func TestAPI(t *testing.T) {
	raw := fetchDocument(t)
	c := newContract(t, raw)

	t.Run("document", func(t *testing.T) { testDocument(t, c, raw) })
	t.Run("route_regulier_toekenning", func(t *testing.T) { testRouteRegulier(t, newServer(t, c)) })
	t.Run("refusals", func(t *testing.T) { testRefusals(t, newServer(t, c)) })
	t.Run("search", func(t *testing.T) { testSearch(t, newServer(t, c)) })
	t.Run("paging", func(t *testing.T) { testPaging(t, newServer(t, c)) })
	t.Run("participation", func(t *testing.T) { testParticipation(t, newServer(t, c)) })
	t.Run("administration", func(t *testing.T) { testAdministration(t, newServer(t, c)) })
	t.Run("delivery", func(t *testing.T) { testDelivery(t, newServer(t, c)) })
	t.Run("meldingen", func(t *testing.T) { testMeldingen(t, newServer(t, c)) })
	t.Run("voorschot", func(t *testing.T) { testVoorschot(t, newServer(t, c)) })
	t.Run("signed_plan", func(t *testing.T) { testSignedPlan(t, newServer(t, c)) })
	t.Run("documents", func(t *testing.T) { testDocuments(t, newServer(t, c)) })
	t.Run("least_privilege", func(t *testing.T) { testLeastPrivilege(t, newServer(t, c)) })
	t.Run("operation_permissions", func(t *testing.T) { testOperationPermissions(t, newServer(t, c)) })

	if t.Failed() {
		return
	}
	if missing := c.unexercised(); len(missing) > 0 {
		t.Errorf("operations never exercised: %v", missing)
	}
	for _, st := range []int{200, 201, 401, 403, 404, 409, 422} {
		if !c.statuses[st] {
			t.Errorf("no response with status %d was checked against the contract", st)
		}
	}
}

// testDocument checks the document itself: OpenAPI 3.1, the bearer scheme
// on every operation, Dutch descriptions, and the errors each declares.
func testDocument(t *testing.T, c *contract, raw []byte) {
	if v, _ := c.doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := c.doc["info"].(map[string]any)
	if info["title"] != "Werkdiagnose API" {
		t.Errorf("title = %v", info["title"])
	}
	comps, _ := c.doc["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearer"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("security scheme bearer = %v", bearer)
	}
	var global []any
	if sec, ok := c.doc["security"].([]any); ok {
		global = sec
	}
	ids := map[string]bool{}
	for _, key := range c.operations() {
		method, path, _ := strings.Cut(key, " ")
		op, _ := c.operation(method, path)
		id, _ := op["operationId"].(string)
		if id == "" || ids[id] {
			t.Errorf("%s: operationId %q missing or not unique", key, id)
		}
		ids[id] = true
		if !strings.HasPrefix(path, "/api/") {
			t.Errorf("%s: path outside /api/", key)
		}
		sec := global
		if s, ok := op["security"].([]any); ok {
			sec = s
		}
		if !strings.Contains(fmt.Sprint(sec), "bearer") {
			t.Errorf("%s: does not require the bearer token (security %v)", key, sec)
		}
		if d, _ := op["description"].(string); len(d) < 40 {
			t.Errorf("%s: description too short: %q", key, d)
		}
		responses, _ := op["responses"].(map[string]any)
		for _, st := range []string{"401", "500"} {
			if _, ok := responses[st]; !ok {
				t.Errorf("%s: status %s not documented", key, st)
			}
		}
	}
	// The form documentation follows casework's forms.
	op, _ := c.operation("POST", "/api/taken/{id}/afronden")
	desc, _ := op["description"].(string)
	for _, field := range []string{"gesprek_datum", "doelgroep", "klantmanager", "besluit", "vervolg_spreekkamer", "reden_termijn",
		"voorschot", "bedrag", "volgende_evaluatie"} {
		if !strings.Contains(desc, "`"+field+"`") {
			t.Errorf("completeTask description does not document field %s", field)
		}
	}
	op, _ = c.operation("POST", "/api/aanvragen")
	if desc, _ := op["description"].(string); !strings.Contains(desc, "`bsn`") || !strings.Contains(desc, "`aanvraagdatum`") {
		t.Errorf("submitApplication description does not document the application fields")
	}
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Problem", "Task", "ClientFile", "Definition"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("schema %s missing from components", name)
			continue
		}
		if _, err := c.compiler.Compile(docURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s does not compile: %v", name, err)
		}
	}
}
