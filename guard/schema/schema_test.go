package schema

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const orderRoute = "POST /orders"

func orderSet(t testing.TB) *Set {
	t.Helper()
	s, err := LoadFS(os.DirFS("testdata"), map[string]string{
		orderRoute:        "schemas/order.json",
		"PUT /orders/*":   "./schemas/order.json",
		"POST /users":     "schemas/user.json",
		"PATCH /users/**": "schemas/user.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const validOrder = `{"customer":{"email":"ada@example.com","name":"Ada"},"items":[{"sku":"ABC-1","qty":2,"price":{"amount":9.99,"currency":"EUR"}}]}`

func TestValidate(t *testing.T) {
	s := orderSet(t)
	items3 := `[{"sku":"AAA","qty":1},{"sku":"BBB","qty":5},{"sku":"CCC","qty":0}]`
	tests := []struct {
		name  string
		route string
		body  string
		want  []string // "location: message"; nil = valid
	}{
		{"valid", orderRoute, validOrder, nil},
		{"valid 1 KB body", orderRoute, string(readFile(t, "bodies/order-1k.json")), nil},
		{"valid on glob route sharing the file", "PUT /orders/*", validOrder, nil},
		{"missing required", orderRoute, `{"items":[{"sku":"AAA","qty":1}]}`,
			[]string{"body.customer: is required"}},
		{"missing nested required", orderRoute, `{"customer":{"email":"a@b.co"},"items":[{"sku":"AAA","qty":1}]}`,
			[]string{"body.customer.name: is required"}},
		{"missing two required", orderRoute, `{}`,
			[]string{"body.customer: is required", "body.items: is required"}},
		{"wrong type", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":"2"}]}`,
			[]string{"body.items[0].qty: must be integer, got string"}},
		{"root wrong type", orderRoute, `[1,2]`,
			[]string{"body: must be object, got array"}},
		{"nested array item path", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":` + items3 + `}`,
			[]string{"body.items[2].qty: must be >= 1"}},
		{"maximum", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1001}]}`,
			[]string{"body.items[0].qty: must be <= 1000"}},
		{"minItems", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[]}`,
			[]string{"body.items: must have at least 1 item (has 0)"}},
		{"additional property", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1}],"admin":true}`,
			[]string{"body.admin: is not allowed"}},
		{"additional property with odd key", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1}],"a.b":1,"0":2,"__proto__":{}}`,
			[]string{`body["0"]: is not allowed`, "body.__proto__: is not allowed", `body["a.b"]: is not allowed`}},
		{"format", orderRoute, `{"customer":{"email":"not-an-email","name":"A"},"items":[{"sku":"AAA","qty":1}]}`,
			[]string{"body.customer.email: must be a valid email"}},
		{"pattern", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"<script>alert(1)</script>","qty":1}]}`,
			[]string{`body.items[0].sku: must match pattern "^[A-Z0-9-]{3,32}$"`}},
		{"enum", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1}],"coupon":"WINTER"}`,
			[]string{`body.coupon: must be one of "SPRING", "SUMMER"`}},
		{"minLength", orderRoute, `{"customer":{"email":"a@b.co","name":""},"items":[{"sku":"AAA","qty":1}]}`,
			[]string{"body.customer.name: must be at least 1 character long (has 0)"}},
		{"ref into another file", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1,"price":{"amount":0,"currency":"GBP"}}]}`,
			[]string{"body.items[0].price.amount: must be > 0", `body.items[0].price.currency: must be one of "EUR", "USD"`}},
		{"multipleOf exact decimal", orderRoute, `{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1,"price":{"amount":0.001,"currency":"EUR"}}]}`,
			[]string{"body.items[0].price.amount: must be a multiple of 0.01"}},
		{"several failures sorted by location", orderRoute, `{"customer":{"email":"x","name":"A"},"items":[{"sku":"a","qty":0},{"sku":"AAA","qty":1,"extra":1}],"note":5}`,
			[]string{"body.customer.email: must be a valid email", "body.items[0].qty: must be >= 1", `body.items[0].sku: must match pattern "^[A-Z0-9-]{3,32}$"`, "body.items[1].extra: is not allowed", "body.note: must be string, got number"}},
		{"draft-07 schema, uuid format", "POST /users", `{"id":"nope"}`,
			[]string{"body.id: must be a valid uuid"}},
		{"uniqueItems", "POST /users", `{"id":"6fa459ea-ee8a-3ca4-894e-db77e160355e","tags":["a","b","a"]}`,
			[]string{"body.tags: must not contain duplicate items ([0] and [2] are equal)"}},
		{"draft-07 valid", "PATCH /users/**", `{"id":"6fa459ea-ee8a-3ca4-894e-db77e160355e","age":36}`, nil},
		{"not JSON", orderRoute, `{"customer":`, []string{"body: is not valid JSON (unexpected end of input)"}},
		{"syntax error", orderRoute, `{"customer" 1}`, []string{"body: is not valid JSON (invalid character '1' after object key at byte 13)"}},
		{"empty body", orderRoute, ``, []string{"body: is not JSON (empty body)"}},
		{"trailing data", orderRoute, validOrder + ` {}`, []string{"body: is not valid JSON (invalid character after top-level value)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := s.Validate(tt.route, []byte(tt.body))
			if !ok {
				t.Fatalf("ok = false for registered route %q", tt.route)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("want *ValidationError, got %v", err)
			}
			if ve.Route != tt.route {
				t.Errorf("Route = %q", ve.Route)
			}
			var got []string
			for _, f := range ve.Failures {
				got = append(got, f.String())
				if f.Keyword == "" {
					t.Errorf("failure %q has no keyword", f)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("failures:\n got %q\nwant %q", got, tt.want)
			}
			if strings.Contains(err.Error(), "<script>") || strings.Contains(err.Error(), "WINTER") {
				t.Errorf("error quotes client data: %v", err)
			}
		})
	}
}

func TestValidateErrorString(t *testing.T) {
	s := orderSet(t)
	_, err := s.Validate(orderRoute, []byte(`{"customer":{"email":"a@b.co","name":"A"},"items":[{"sku":"AAA","qty":1},{"sku":"BBB","qty":1},{"sku":"CCC","qty":0}]}`))
	const want = "schema: POST /orders: body.items[2].qty: must be >= 1"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	var ve *ValidationError
	errors.As(err, &ve)
	if f := ve.Failures[0]; f.Keyword != "minimum" || f.Location != "body.items[2].qty" {
		t.Errorf("failure = %+v", f)
	}
}

// TestEachFailure reads failures the way the engine does: through an
// interface, without naming this package's types.
func TestEachFailure(t *testing.T) {
	s := orderSet(t)
	_, err := s.Validate(orderRoute, []byte(`{"items":[{"sku":"AAA","qty":0}]}`))
	var fl interface {
		EachFailure(func(location, keyword, message string))
	}
	if !errors.As(err, &fl) {
		t.Fatalf("%T does not expose EachFailure", err)
	}
	var got []string
	fl.EachFailure(func(loc, kw, msg string) { got = append(got, kw+" "+loc+": "+msg) })
	want := []string{"required body.customer: is required", "minimum body.items[0].qty: must be >= 1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestValidateCapsFailures(t *testing.T) {
	s := orderSet(t)
	var b strings.Builder
	b.WriteString(`{"customer":{"email":"a@b.co","name":"A"},"items":[`)
	for i := 0; i < 30; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"sku":"AAA","qty":0}`)
	}
	b.WriteString(`]}`)
	_, err := s.Validate(orderRoute, []byte(b.String()))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	if len(ve.Failures) != MaxFailures || ve.Omitted != 30-MaxFailures {
		t.Fatalf("%d failures, %d omitted", len(ve.Failures), ve.Omitted)
	}
	if ve.Failures[MaxFailures-1].Location != "body.items[19].qty" {
		t.Errorf("last listed failure %q: not sorted numerically", ve.Failures[MaxFailures-1].Location)
	}
	if !strings.HasSuffix(err.Error(), "(and 10 more)") {
		t.Errorf("error %q", err)
	}
}

func TestValidateUnknownRoute(t *testing.T) {
	s := orderSet(t)
	for _, route := range []string{"GET /orders", "POST /orders/", "post /orders", ""} {
		ok, err := s.Validate(route, []byte(`not even json`))
		if ok || err != nil {
			t.Errorf("Validate(%q) = %v, %v; want false, nil", route, ok, err)
		}
	}
	var nilSet *Set
	if ok, err := nilSet.Validate(orderRoute, nil); ok || err != nil {
		t.Errorf("nil set: %v, %v", ok, err)
	}
	if r := nilSet.Routes(); r != nil {
		t.Errorf("nil set routes %v", r)
	}
}

func TestRoutes(t *testing.T) {
	s := orderSet(t)
	want := []string{"PATCH /users/**", "POST /orders", "POST /users", "PUT /orders/*"}
	got := s.Routes()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Routes() = %q, want %q", got, want)
	}
	got[0] = "mutated"
	if s.Routes()[0] != want[0] {
		t.Fatal("Routes() exposes internal state")
	}
}

func TestLocationRendering(t *testing.T) {
	s, err := Load(map[string][]byte{"r": []byte(`{"additionalProperties": false, "properties": {"a": {"type": "array", "items": {"type": "object", "properties": {"0": {"type": "string"}}}}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("k", 100)
	tests := []struct{ body, want string }{
		{`{"a":[{"0":1}]}`, `body.a[0]["0"]: must be string, got number`},
		{`{"a b":1}`, `body["a b"]: is not allowed`},
		{`{"q\"\\\n":1}`, `body["q\"\\\u000a"]: is not allowed`},
		{`{"\u2028":1}`, `body["\u2028"]: is not allowed`},
		{`{"` + long + `":1}`, `body["` + strings.Repeat("k", maxKeyBytes) + `..."]: is not allowed`},
		{`{"é":1}`, `body["é"]: is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := s.Validate("r", []byte(tt.body))
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Failures) != 1 {
				t.Fatalf("got %v", err)
			}
			if got := ve.Failures[0].String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestKeywordMessages(t *testing.T) {
	tests := []struct {
		name, schema, body, want string
	}{
		{"const", `{"const": 3}`, `4`, "body: must be 3"},
		{"const object", `{"const": {"a": 1}}`, `4`, "body: must equal the const value"},
		{"single enum", `{"enum": [null]}`, `4`, "body: must be null"},
		{"exclusiveMaximum", `{"exclusiveMaximum": 1.5}`, `1.5`, "body: must be < 1.5"},
		{"maxLength", `{"maxLength": 2}`, `"abc"`, "body: must be at most 2 characters long (has 3)"},
		{"maxItems", `{"maxItems": 1}`, `[1,2]`, "body: must have at most 1 item (has 2)"},
		{"minProperties", `{"minProperties": 2}`, `{"a":1}`, "body: must have at least 2 properties (has 1)"},
		{"maxProperties", `{"maxProperties": 1}`, `{"a":1,"b":2}`, "body: must have at most 1 property (has 2)"},
		{"false schema", `{"properties": {"x": false}}`, `{"x":1}`, "body.x: is not allowed"},
		{"not", `{"not": {"type": "string"}}`, `"s"`, "body: must not match the 'not' schema"},
		{"oneOf two match", `{"oneOf": [{"type": "integer"}, {"minimum": 0}]}`, `1`, "body: must match exactly one oneOf schema, but matches schemas 0 and 1"},
		{"anyOf none", `{"anyOf": [{"type": "integer"}, {"type": "boolean"}]}`, `"s"`, "body: must be boolean, got string; body: must be integer, got string"},
		{"contains", `{"contains": {"const": 1}}`, `[2]`, "body: must contain an item matching the contains schema"},
		{"minContains", `{"contains": {"const": 1}, "minContains": 2}`, `[1,2]`, "body: must contain at least 2 items matching the contains schema (has 1)"},
		{"propertyNames", `{"propertyNames": {"maxLength": 3}}`, `{"abcd":1}`, "body.abcd: is not an allowed property name"},
		{"dependentRequired", `{"dependentRequired": {"card": ["cvv"]}}`, `{"card":"x"}`, `body.cvv: is required when "card" is present`},
		{"prefixItems with items false", `{"prefixItems": [{"type": "integer"}], "items": false}`, `[1,2]`, "body[1]: is not allowed"},
		{"unevaluatedProperties", `{"properties": {"a": true}, "unevaluatedProperties": false}`, `{"a":1,"b":2}`, "body.b: is not allowed"},
		{"type list", `{"type": ["string", "null"]}`, `1`, "body: must be null or string, got number"},
		{"date-time format", `{"format": "date-time"}`, `"yesterday"`, "body: must be a valid date-time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(map[string][]byte{"r": []byte(tt.schema)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Validate("r", []byte(tt.body))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v", err)
			}
			var parts []string
			for _, f := range ve.Failures {
				parts = append(parts, f.String())
			}
			if got := strings.Join(parts, "; "); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		routes map[string][]byte
		want   string
	}{
		{"invalid JSON", map[string][]byte{"POST /a": readFile(t, "bad/invalid-json.json")}, `schema: route "POST /a": schema is not valid JSON`},
		{"keyword of wrong type", map[string][]byte{"POST /a": readFile(t, "bad/wrong-keyword-type.json")}, `schema: route "POST /a": `},
		{"remote ref", map[string][]byte{"POST /a": readFile(t, "bad/remote-ref.json")}, "cannot load https://example.com/schemas/remote.json"},
		{"host file ref", map[string][]byte{"POST /a": readFile(t, "bad/host-file-ref.json")}, "cannot load file:///etc/passwd"},
		{"relative ref", map[string][]byte{"POST /a": readFile(t, "bad/missing-ref.json")}, "may only reference themselves"},
		{"lookahead pattern", map[string][]byte{"POST /a": readFile(t, "bad/lookahead-pattern.json")}, `schema: route "POST /a": `},
		{"unknown draft", map[string][]byte{"POST /a": []byte(`{"$schema": "https://example.com/my-draft"}`)}, "cannot load https://example.com/my-draft"},
		{"empty document", map[string][]byte{"POST /a": []byte("  ")}, `schema: route "POST /a": empty schema document`},
		{"empty route", map[string][]byte{" ": []byte(`{}`)}, `schema: route " ": empty route`},
		{"second route bad", map[string][]byte{"A": []byte(`{}`), "B": []byte(`{"type": 5}`)}, `schema: route "B": `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(tt.routes)
			if err == nil {
				t.Fatalf("loaded: %v", s.Routes())
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) {
				t.Fatalf("want *ConfigError, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	s, err := Load(nil)
	if err != nil || len(s.Routes()) != 0 {
		t.Fatalf("%v %v", s, err)
	}
	if ok, err := s.Validate("x", nil); ok || err != nil {
		t.Fatal(ok, err)
	}
}

func TestLoadFSErrors(t *testing.T) {
	dir := os.DirFS("testdata")
	tests := []struct {
		name string
		fsys map[string]string
		want string
	}{
		{"missing file", map[string]string{"POST /a": "schemas/nope.json"}, `schema: route "POST /a", file "schemas/nope.json": `},
		{"parent directory", map[string]string{"POST /a": "../schema.go"}, `is not a valid path`},
		{"absolute path", map[string]string{"POST /a": "/etc/passwd"}, `must be a slash-separated path relative to the function root`},
		{"backslash", map[string]string{"POST /a": `schemas\order.json`}, `must be a slash-separated path`},
		{"empty path", map[string]string{"POST /a": ""}, `empty schema file`},
		{"invalid JSON file", map[string]string{"POST /a": "bad/invalid-json.json"}, `file "bad/invalid-json.json": `},
		{"ref escaping the FS root", map[string]string{"POST /a": "bad/escape-ref.json"}, `file "bad/escape-ref.json": `},
		{"ref to missing file", map[string]string{"POST /a": "bad/missing-ref.json"}, `bad/missing.json`},
		{"remote ref", map[string]string{"POST /a": "bad/remote-ref.json"}, `only files of the schema file system can be referenced`},
		{"host file ref", map[string]string{"POST /a": "bad/host-file-ref.json"}, `only files of the schema file system can be referenced`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(dir, tt.fsys)
			if err == nil {
				t.Fatal("loaded")
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := LoadFS(nil, map[string]string{"a": "b.json"}); !errors.Is(err, ErrConfig) {
		t.Errorf("nil FS: %v", err)
	}
}

// TestLoadFSMapFS loads from an in-memory FS (as with embed.FS) with a
// reference between directories.
func TestLoadFSMapFS(t *testing.T) {
	fsys := fstest.MapFS{
		"api/order.json":   {Data: []byte(`{"type":"object","properties":{"total":{"$ref":"../defs/money.json"}}}`)},
		"defs/money.json":  {Data: []byte(`{"type":"number","minimum":0}`)},
		"api/unused.json":  {Data: []byte(`{not json`)},
		"api/ping.json":    {Data: []byte(`true`)},
		"api/nothing.json": {Data: []byte(`false`)},
	}
	s, err := LoadFS(fsys, map[string]string{"POST /o": "api/order.json", "GET /ping": "api/ping.json", "DELETE /x": "api/nothing.json"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Validate("POST /o", []byte(`{"total": 3}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Validate("POST /o", []byte(`{"total": -3}`)); err == nil || !strings.Contains(err.Error(), "body.total: must be >= 0") {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Validate("GET /ping", []byte(`{"anything": 1}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Validate("DELETE /x", []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "body: is not allowed") {
		t.Fatalf("got %v", err)
	}
}

func TestParseEnv(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
		err  string
	}{
		{"two entries", "POST /orders=schemas/order.json;PUT /orders/*=schemas/order.json",
			map[string]string{"POST /orders": "schemas/order.json", "PUT /orders/*": "schemas/order.json"}, ""},
		{"spaces and empty entries", " POST /orders = schemas/order.json ;; ;",
			map[string]string{"POST /orders": "schemas/order.json"}, ""},
		{"empty", "", map[string]string{}, ""},
		{"route with path parameter", "GET /orders/{id}=./s/o.json", map[string]string{"GET /orders/{id}": "./s/o.json"}, ""},
		{"missing =", "POST /orders=a.json;PUT /orders", nil, `schema: FNGUARD_SCHEMAS entry "PUT /orders": want "<route>=<schema file>"`},
		{"empty route", "=a.json", nil, `schema: FNGUARD_SCHEMAS entry "=a.json": empty route`},
		{"empty file", "POST /a= ", nil, `schema: FNGUARD_SCHEMAS entry "POST /a= ": empty schema file`},
		{"duplicate route", "POST /a=a.json;POST /a=b.json", nil, `schema: FNGUARD_SCHEMAS entry "POST /a=b.json": route "POST /a" given twice`},
		{"absolute file", "POST /a=/etc/a.json", nil, `schema: FNGUARD_SCHEMAS entry "POST /a=/etc/a.json": schema file "/etc/a.json" must be a slash-separated path relative to the function root`},
		{"escaping file", "POST /a=../a.json", nil, `is not a valid path`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEnv(tt.in)
			if tt.err != "" {
				if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want error containing %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestLoadEnv(t *testing.T) {
	s, err := LoadEnv(os.DirFS("testdata"), "POST /orders=schemas/order.json; POST /users=./schemas/user.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Routes(); !reflect.DeepEqual(got, []string{"POST /orders", "POST /users"}) {
		t.Fatalf("routes %q", got)
	}
	if _, err := LoadEnv(os.DirFS("testdata"), "POST /orders"); !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v", err)
	}
	if _, err := LoadEnv(os.DirFS("testdata"), "POST /orders=schemas/missing.json"); err == nil || !strings.Contains(err.Error(), `route "POST /orders", file "schemas/missing.json"`) {
		t.Fatalf("got %v", err)
	}
}

// TestDeepInput checks that deeply nested bodies neither panic nor hang: a
// recursive schema validates up to MaxDepth levels, deeper bodies are
// refused before decoding.
func TestDeepInput(t *testing.T) {
	s, err := Load(map[string][]byte{"r": []byte(`{"$defs":{"n":{"type":["array","object","number"],"items":{"$ref":"#/$defs/n"},"additionalProperties":{"$ref":"#/$defs/n"}}},"$ref":"#/$defs/n"}`)})
	if err != nil {
		t.Fatal(err)
	}
	deep := func(n int, leaf string) []byte {
		return []byte(strings.Repeat("[", n) + leaf + strings.Repeat("]", n))
	}
	if _, err := s.Validate("r", deep(MaxDepth, "1")); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	_, err = s.Validate("r", deep(MaxDepth, `"s"`))
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.HasPrefix(ve.Failures[0].Location, "body[0][0]") || !strings.HasSuffix(ve.Failures[0].Message, "got string") {
		t.Fatalf("depth %d with a bad leaf: %v", MaxDepth, err)
	}
	// Brackets inside strings do not count.
	if _, err := s.Validate("r", []byte(`[{"[[[[":`+strings.Repeat(`"[\"{"`, 2000)[:5]+`1}]`)); err == nil {
		t.Fatal("want a validation error for a string leaf")
	}
	for _, n := range []int{MaxDepth + 1, 20000} {
		_, err = s.Validate("r", deep(n, "1"))
		if !errors.As(err, &ve) || ve.Failures[0].String() != "body: is nested deeper than 1000 levels" {
			t.Fatalf("depth %d: %v", n, err)
		}
	}
}

func TestTooDeep(t *testing.T) {
	tests := []struct {
		body string
		max  int
		want bool
	}{
		{`[[1]]`, 2, false},
		{`[[[1]]]`, 2, true},
		{`{"a":{"b":{}}}`, 2, true},
		{`{"a":{"b":1},"c":{"d":2}}`, 2, false},
		{`["[[[[", "\"[[[["]`, 1, false},
		{`["\\", [[1]]]`, 2, true},
		{`]]]]][[`, 2, false},
		{`"unterminated [[[[`, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			if got := tooDeep([]byte(tt.body), tt.max); got != tt.want {
				t.Fatalf("tooDeep(%s, %d) = %v", tt.body, tt.max, got)
			}
		})
	}
}

// TestValidatePanicRecovered: a panic inside validation (here a custom
// format; the library's own code paths are fuzzed) becomes an error that is
// not a ValidationError, so the engine treats it as an inspection failure.
func TestValidatePanicRecovered(t *testing.T) {
	c := newCompiler(nil)
	c.RegisterFormat(&jsonschema.Format{Name: "boom", Validate: func(any) error { panic("kaboom") }})
	if err := c.AddResource("route:///r", map[string]any{"format": "boom"}); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("route:///r")
	if err != nil {
		t.Fatal(err)
	}
	s := &Set{schemas: map[string]*jsonschema.Schema{"r": sch}, routes: []string{"r"}}
	ok, err := s.Validate("r", []byte(`"x"`))
	if !ok || err == nil || errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `schema: route "r": validator panicked: kaboom`) {
		t.Fatalf("got %v, %v", ok, err)
	}
}

// TestLoadCrossRouteReference: documents are registered before compiling,
// so a reference between routes' documents does not depend on their order.
func TestLoadCrossRouteReference(t *testing.T) {
	s, err := Load(map[string][]byte{
		"A": []byte(`{"$ref": "route:///Z#/$defs/id"}`),
		"Z": []byte(`{"$defs": {"id": {"type": "integer"}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Validate("A", []byte(`"x"`)); err == nil || !strings.Contains(err.Error(), "must be integer") {
		t.Fatalf("got %v", err)
	}
}

func TestValidateConcurrent(t *testing.T) {
	s := orderSet(t)
	bodies := [][]byte{[]byte(validOrder), readFile(t, "bodies/order-1k.json"), []byte(`{"items":[{"qty":0}]}`)}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				b := bodies[(g+i)%len(bodies)]
				ok, err := s.Validate(orderRoute, b)
				if !ok || (err == nil) != ((g+i)%len(bodies) != 2) {
					t.Errorf("goroutine %d: %v %v", g, ok, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
