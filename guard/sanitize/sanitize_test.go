package sanitize

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

func mustSanitizer(tb testing.TB, p Policy) *Sanitizer {
	tb.Helper()
	s, err := New(p)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in   string
		want Policy
		ok   bool
	}{
		{"strict", Strict, true},
		{" UGC ", UGC, true},
		{"Strict", Strict, true},
		{"", "", false},
		{"ugc2", "", false},
		{"none", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePolicy(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("ParsePolicy(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrUnknownPolicy) || !strings.Contains(err.Error(), `"`+tt.in+`"`) {
				t.Fatalf("ParsePolicy(%q) error = %v, want ErrUnknownPolicy naming the value", tt.in, err)
			}
		})
	}
	if _, err := New(Policy("loose")); !errors.Is(err, ErrUnknownPolicy) {
		t.Errorf("New(loose) error = %v", err)
	}
}

func TestHTML(t *testing.T) {
	tests := []struct {
		policy   Policy
		in, want string
	}{
		{Strict, "<b>hi</b><script>alert(1)</script>", "hi"},
		{Strict, "Tom & Jerry", "Tom &amp; Jerry"},
		{Strict, "plain", "plain"},
		{UGC, `<b>hi</b><script>alert(1)</script>`, "<b>hi</b>"},
		{UGC, `<a href="javascript:alert(1)">x</a>`, "x"},
		{UGC, `<img src="https://x.example/a.png" onerror="alert(1)">`, `<img src="https://x.example/a.png">`},
		{UGC, `<a href="https://go.dev">Go</a>`, `<a href="https://go.dev" rel="nofollow">Go</a>`},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy)+"/"+tt.in, func(t *testing.T) {
			s := mustSanitizer(t, tt.policy)
			if got := s.HTML(tt.in); got != tt.want {
				t.Errorf("HTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if s.Policy() != tt.policy {
				t.Errorf("Policy() = %q", s.Policy())
			}
		})
	}
}

func TestJSONFields(t *testing.T) {
	strict := mustSanitizer(t, Strict)
	tests := []struct {
		name  string
		body  string
		paths []string
		want  string
	}{
		{"top-level member", `{"comment":"<b>hi</b>","n":1}`, []string{"comment"}, `{"comment":"hi","n":1}`},
		{"white space and order kept", "{ \"z\" : 1.50 ,\n \"comment\" : \"<i>x</i>\" , \"a\":[ 1 , 2 ] }", []string{"comment"},
			"{ \"z\" : 1.50 ,\n \"comment\" : \"x\" , \"a\":[ 1 , 2 ] }"},
		{"nested", `{"user":{"bio":"<script>x</script>ok","bio2":"<b>b</b>"}}`, []string{"user.bio"}, `{"user":{"bio":"ok","bio2":"<b>b</b>"}}`},
		{"every element", `{"items":[{"note":"<b>1</b>"},{"note":"<b>2</b>","x":"<b>3</b>"}]}`, []string{"items[*].note"},
			`{"items":[{"note":"1"},{"note":"2","x":"<b>3</b>"}]}`},
		{"one element", `{"items":[{"note":"<b>1</b>"},{"note":"<b>2</b>"}]}`, []string{"items[1].note"},
			`{"items":[{"note":"<b>1</b>"},{"note":"2"}]}`},
		{"every member", `{"users":{"a":{"bio":"<b>1</b>"},"b":{"bio":"<b>2</b>"}}}`, []string{"users.*.bio"},
			`{"users":{"a":{"bio":"1"},"b":{"bio":"2"}}}`},
		{"root array", `[{"name":"<b>x</b>"},{"name":"y"}]`, []string{"[*].name"}, `[{"name":"x"},{"name":"y"}]`},
		{"quoted member", `{"a.b":{"c":"<b>x</b>"},"a":{"b":{"c":"<b>y</b>"}}}`, []string{`["a.b"].c`}, `{"a.b":{"c":"x"},"a":{"b":{"c":"<b>y</b>"}}}`},
		{"container target", `{"c":{"x":"<b>1</b>","y":["<i>2</i>",3,null]},"d":"<b>k</b>"}`, []string{"c"}, `{"c":{"x":"1","y":["2",3,null]},"d":"<b>k</b>"}`},
		{"escaped member name", `{"comm\u0065nt":"<b>x</b>"}`, []string{"comment"}, `{"comm\u0065nt":"x"}`},
		{"duplicate members", `{"comment":"<b>1</b>","comment":"<b>2</b>"}`, []string{"comment"}, `{"comment":"1","comment":"2"}`},
		{"escapes in value", `{"comment":"\u003cscript\u003ealert(1)\u003c/script\u003eok \"q\""}`, []string{"comment"}, `{"comment":"ok &#34;q&#34;"}`},
		{"non-string leaves untouched", `{"comment":12,"x":true,"y":null}`, []string{"comment", "x", "y"}, `{"comment":12,"x":true,"y":null}`},
		{"missing path", `{"a":"<b>1</b>"}`, []string{"b", "a.c", "a[0]"}, `{"a":"<b>1</b>"}`},
		{"clean value keeps spelling", `{"comment":"caf\u00e9"}`, []string{"comment"}, `{"comment":"caf\u00e9"}`},
		{"several paths", `{"a":"<b>1</b>","b":{"c":"<b>2</b>"}}`, []string{"a", "b.c"}, `{"a":"1","b":{"c":"2"}}`},
		{"path with spaces", `{"a":"<b>1</b>"}`, []string{"  a "}, `{"a":"1"}`},
		{"no paths", `{"a":"<b>1</b>"}`, nil, `{"a":"<b>1</b>"}`},
		{"scalar root", ` "<b>x</b>" `, []string{"a"}, ` "<b>x</b>" `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := strict.JSONFields([]byte(tt.body), tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("JSONFields(%s, %q)\n got  %s\n want %s", tt.body, tt.paths, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("output is not valid JSON: %s", got)
			}
		})
	}
}

func TestJSONFieldsFixture(t *testing.T) {
	body, err := os.ReadFile("testdata/comment.json")
	if err != nil {
		t.Fatal(err)
	}
	ugc := mustSanitizer(t, UGC)
	out, err := ugc.JSONFields(body, []string{"comment", "user.bio", "user.name", "items[*].note", "tags"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Post    json.Number `json:"post"`
		Comment string      `json:"comment"`
		User    struct {
			Name, Bio string
			Age       json.Number
		}
		Items []struct{ SKU, Note *string }
		Tags  []string
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output does not decode: %v\n%s", err, out)
	}
	for _, s := range []string{doc.Comment, doc.User.Name, doc.User.Bio, *doc.Items[0].Note, doc.Tags[0]} {
		for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe", "<svg", "onload"} {
			if strings.Contains(strings.ToLower(s), bad) {
				t.Errorf("sanitised value %q still contains %q", s, bad)
			}
		}
	}
	if doc.User.Bio != `I <b>love</b> Go` || doc.Items[1].Note == nil || *doc.Items[1].Note != "plain été note" || doc.Items[2].Note != nil {
		t.Errorf("unexpected values: bio=%q items=%v", doc.User.Bio, doc.Items)
	}
	// Untouched parts keep their bytes: the number spelling, the escapes of
	// unchanged strings, the indentation.
	for _, keep := range []string{`"age": 3.50e1`, `"plain \u00e9t\u00e9 note"`, "\n  \"items\": [\n    {\"sku\": \"A-1\"", `"post": 42,`} {
		if !bytes.Contains(out, []byte(keep)) {
			t.Errorf("output lost %q:\n%s", keep, out)
		}
	}
}

func TestJSONFieldsReturnsBodyWhenUnchanged(t *testing.T) {
	body := []byte(`{"comment":"fine","x":[1,2]}`)
	out, err := mustSanitizer(t, Strict).JSONFields(body, []string{"comment", "x[*]"})
	if err != nil {
		t.Fatal(err)
	}
	if &out[0] != &body[0] || len(out) != len(body) {
		t.Error("unchanged body was copied")
	}
}

func TestJSONFieldsPathErrors(t *testing.T) {
	tests := []struct{ path, reason string }{
		{"", "empty path"},
		{"  ", "empty path"},
		{"a..b", "empty member name"},
		{".a", "empty member name"},
		{"a.", "empty member name"},
		{"a.[0]", "empty member name"},
		{"a[", "missing ']'"},
		{"a[1", "missing ']'"},
		{"a[-1]", "non-negative integer"},
		{"a[01]", "non-negative integer"},
		{"a[x]", "non-negative integer"},
		{"a[*", "missing ']' after '[*'"},
		{`a["b]`, "unterminated quoted member name"},
		{`a["b"`, "missing ']' after quoted member name"},
		{`a["\x"]`, "not a JSON string"},
		{"a[0]b", "missing '.' before member name"},
		{"a]", "unexpected ']'"},
		{"a b", "unexpected ' '"},
	}
	s := mustSanitizer(t, Strict)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := s.JSONFields([]byte(`{}`), []string{"ok", tt.path})
			var pe *PathError
			if !errors.As(err, &pe) || !errors.Is(err, ErrBadPath) {
				t.Fatalf("error %v (%T), want *PathError", err, err)
			}
			if !strings.Contains(err.Error(), tt.reason) || pe.Path != tt.path || !strings.Contains(err.Error(), strconv.Quote(tt.path)) {
				t.Errorf("error %q should name the path and say %q", err, tt.reason)
			}
		})
	}
}

func TestJSONFieldsJSONErrors(t *testing.T) {
	tests := []struct {
		body   string
		offset int
		path   string
		reason string
	}{
		{``, 0, "", "unexpected end of input"},
		{`{"a":1,}`, 7, "", "want a member name"},
		{`{"a":[1,2,}]}`, 10, "a[2]", "want a value"},
		{`{"a":{"b":"x\q"}}`, 13, "a.b", "invalid escape"},
		{`{"a":{"b":"x` + "\x01" + `"}}`, 12, "a.b", "control character"},
		{`{"a":01}`, 6, "", "want ',' or '}'"},
		{`{"a":-}`, 6, "a", "want a digit"},
		{`{"a":1.}`, 7, "a", "after '.'"},
		{`{"a":1e}`, 7, "a", "exponent"},
		{`{"a":tru}`, 5, "a", "want true"},
		{`{"a" 1}`, 5, "", "want ':'"},
		{`{"a":"x"} x`, 10, "", "after the top-level value"},
		{`{"a":"\u12"}`, 7, "a", "hex"},
		{`["x"`, 4, "", "unexpected end of input in array"},
		{strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1), maxDepth, "…" + strings.Repeat("[0]", maxErrPath), "nesting deeper than 10000"},
	}
	s := mustSanitizer(t, Strict)
	for _, tt := range tests {
		name := tt.body
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			_, err := s.JSONFields([]byte(tt.body), []string{"a"})
			var je *JSONError
			if !errors.As(err, &je) || !errors.Is(err, ErrBadJSON) {
				t.Fatalf("error %v (%T), want *JSONError", err, err)
			}
			if je.Offset != tt.offset || je.Path != tt.path || !strings.Contains(je.Reason, tt.reason) {
				t.Errorf("got %+v, want offset %d path %q reason ~%q", *je, tt.offset, tt.path, tt.reason)
			}
			if json.Valid([]byte(tt.body)) {
				t.Errorf("encoding/json accepts %q", tt.body)
			}
		})
	}
}

func TestEncodeString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "ctl\x00\x1f\n\r\t", "é☃\u2028\u2029", "bad\xffutf8", "<&>"} {
		enc := encodeString(s)
		var back string
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("encodeString(%q) = %s: %v", s, enc, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if back != want {
			t.Errorf("round trip of %q = %q", s, back)
		}
	}
	if got := string(encodeString("<b>&amp;</b>")); got != `"<b>&amp;</b>"` {
		t.Errorf("HTML must not be escaped: %s", got)
	}
}

func TestHookRegistered(t *testing.T) {
	if hooks.HTMLSanitizer == nil {
		t.Fatal("init did not set hooks.HTMLSanitizer")
	}
	fn, err := hooks.HTMLSanitizer("UGC")
	if err != nil {
		t.Fatal(err)
	}
	if got := fn("<b>x</b><script>y</script>"); got != "<b>x</b>" {
		t.Errorf("ugc hook = %q", got)
	}
	if _, err := hooks.HTMLSanitizer("bogus"); !errors.Is(err, ErrUnknownPolicy) {
		t.Errorf("hook with bad policy: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := mustSanitizer(t, UGC)
	body := []byte(`{"items":[{"note":"<script>x</script>a"},{"note":"<b>b</b>"}]}`)
	want, err := s.JSONFields(body, []string{"items[*].note"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := s.JSONFields(body, []string{"items[*].note"})
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("concurrent JSONFields = %s, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// sameShape reports whether a and b (decoded JSON) have the same structure,
// keys, numbers, booleans and nulls; strings may differ.
func sameShape(a, b any) bool {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for k, x := range av {
			y, ok := bv[k]
			if !ok || !sameShape(x, y) {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !sameShape(av[i], bv[i]) {
				return false
			}
		}
		return true
	case string:
		_, ok := b.(string)
		return ok
	default:
		return reflect.DeepEqual(a, b)
	}
}
