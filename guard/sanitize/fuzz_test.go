package sanitize

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

func FuzzJSONFields(f *testing.F) {
	fixture, err := os.ReadFile("testdata/comment.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture, "items[*].note")
	f.Add(fixture, "user")
	f.Add(fixture, "*")
	f.Add([]byte(`{"comment":"<b>x</b>"}`), "comment")
	f.Add([]byte(`[{"a":["<i>1</i>",{"b":"<s>2</s>"}]}]`), "[*].a[1].b")
	f.Add([]byte(`{"a.b":{"c":"<b>x</b>"}}`), `["a.b"].c`)
	f.Add([]byte(`{"a":"\ud800<b>\u0000</b>"}`), "a")
	f.Add([]byte(`{"a":1e5,"b":-0.0,"c":[true,false,null]}`), "c")
	f.Add([]byte(`{"a":[1,2,}`), "a")
	s := mustSanitizer(f, UGC)
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		if _, err := parsePath(path); err != nil {
			return
		}
		out, err := s.JSONFields(body, []string{path})
		valid := json.Valid(body)
		if (err == nil) != valid {
			t.Fatalf("JSONFields error = %v but json.Valid = %v for %q", err, valid, body)
		}
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("output is not valid JSON: %q", out)
		}
		var a, b any
		if decodeNumbers(body, &a) != nil || decodeNumbers(out, &b) != nil {
			t.Fatalf("decode failed for %q -> %q", body, out)
		}
		if !sameShape(a, b) {
			t.Fatalf("structure changed:\n in  %q\n out %q", body, out)
		}
		// A path that cannot match leaves the body byte-identical.
		same, err := s.JSONFields(body, []string{"no_such_member_zz"})
		if err != nil || !bytes.Equal(same, body) {
			t.Fatalf("non-matching path changed the body: %q -> %q (%v)", body, same, err)
		}
	})
}

func FuzzParsePath(f *testing.F) {
	for _, p := range []string{"comment", "user.bio", "items[*].note", "items[0].note", "users.*.bio", "[*].name", `["a.b"].c`, `a["\u0062"]`, "a..b", "a[", "a[01]"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		steps, err := parsePath(path)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) || pe.Path != path || pe.Offset < 0 || pe.Offset > len(path) {
				t.Fatalf("parsePath(%q) error %v is not a well-formed *PathError", path, err)
			}
			return
		}
		if len(steps) == 0 {
			t.Fatalf("parsePath(%q) accepted a path with no steps", path)
		}
	})
}

// decodeNumbers decodes keeping numbers as json.Number, so that valid JSON
// numbers too large for float64 (310 digits) do not fail the comparison.
func decodeNumbers(b []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}
