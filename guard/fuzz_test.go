package guard

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSecret is a GitHub-style token the redactor recognises by its shape.
// FuzzInspect places it next to every fuzzed string: it must never appear in
// a finding or a reason, whatever the fuzzer puts around it.
const fuzzSecret = "ghp_Zq4T7mW2xV9bN3kL8pR5sD1fG6hJ0aY2cE4u"

// FuzzInspect drives the engine directly with arbitrary strings in every
// part of an invocation (HTTP fields, a JSON or text body, batch records
// with JSON fields) under a blocking policy with small limits, and checks
// the contract adapters rely on: no panic, a consistent and deterministic
// Decision, findings with a rule, a category, a location and an excerpt
// that is short (64 bytes and an ellipsis), valid UTF-8 and free of the
// secret.
func FuzzInspect(f *testing.F) {
	for _, s := range []struct {
		src        uint8
		value      string
		body       []byte
		recordBody []byte
	}{
		{0, "red shoes", []byte(`{"q":"red shoes","items":[1,2]}`), []byte(`{"a":1}`)},
		{1, "' OR 1=1--", []byte(`{"note":"<script>alert(1)</script>"}`), []byte("plain text")},
		{2, "../../etc/passwd", []byte("a=1&b=%27"), []byte(`{"$where":"sleep(1)"}`)},
		{3, "${jndi:ldap://x/a}", []byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`), []byte(`{"__proto__":{"x":1}}`)},
		{4, "http://169.254.169.254/latest", []byte("caf\xe9"), []byte(`{"a":"b","a":"c"}`)},
		{5, "$(touch pwned)", nil, []byte(strings.Repeat("x", 300))},
	} {
		f.Add(s.src, s.value, s.body, s.recordBody)
	}
	g, err := New(WithoutEnv(), WithLogRate(0, 0), WithMaxStringBytes(256), WithMaxDepth(16), WithMaxBodyBytes(4096))
	if err != nil {
		f.Fatal(err)
	}
	sources := []Source{SourceAPIGatewayREST, SourceAPIGatewayHTTP, SourceALB, SourceHTTP, SourceSQS, SourceLambdaUnknown}
	f.Fuzz(func(t *testing.T, src uint8, value string, body, recordBody []byte) {
		inv := func() *Invocation {
			in := &Invocation{
				Source:      sources[int(src)%len(sources)],
				Method:      "POST",
				Path:        "/p/" + value,
				Headers:     []Param{{"authorization", "Bearer " + fuzzSecret}, {"x-note", value}},
				Query:       []Param{{"q", value}, {value, "1"}},
				Cookies:     []Param{{"session", fuzzSecret}},
				PathParams:  []Param{{"id", value}},
				ContentType: "application/json",
				Body:        body,
				Fields:      []Field{{Loc: "subject", Value: value + " " + fuzzSecret}},
			}
			if src&1 == 1 {
				in.ContentType = "application/x-www-form-urlencoded"
			}
			if in.Source == SourceSQS || in.Source == SourceLambdaUnknown {
				in.Records = []Record{
					{ID: "1", Body: []byte(`{"ok":true}`)},
					{ID: "2", Body: recordBody, Fields: []Field{{Loc: "detail", Value: string(recordBody), JSON: true}}},
				}
			}
			return in
		}
		d := g.Inspect(context.Background(), inv())
		again := g.Inspect(context.Background(), inv())
		if !reflect.DeepEqual(d, again) {
			t.Fatalf("not deterministic:\n%+v\n%+v", d, again)
		}
		if d.Allowed() != (d.Action == ActionAllow || d.Action == ActionMonitor) {
			t.Fatalf("Allowed() = %v for action %v", d.Allowed(), d.Action)
		}
		if !d.Allowed() {
			if d.Reason == "" || d.Status < 400 {
				t.Fatalf("action %v with reason %q and status %d", d.Action, d.Reason, d.Status)
			}
			if d.Err() == nil {
				t.Fatalf("action %v but Err() is nil", d.Action)
			}
		}
		if strings.Contains(d.Reason, fuzzSecret) || !utf8.ValidString(d.Reason) {
			t.Fatalf("reason leaks the secret or is not UTF-8: %q", d.Reason)
		}
		blocking := false
		for _, fd := range d.Findings {
			if fd.Rule == "" || fd.Category == "" || fd.Location == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
			if strings.Contains(fd.Excerpt, fuzzSecret) || strings.Contains(fd.Location, fuzzSecret) {
				t.Fatalf("finding leaks the secret: %+v", fd)
			}
			if !utf8.ValidString(fd.Excerpt) || !utf8.ValidString(fd.Location) || len(fd.Excerpt) > 64+len("…") {
				t.Fatalf("excerpt or location not short, valid UTF-8: %+v", fd)
			}
			if fd.Record < -1 || fd.Record >= len(inv().Records) {
				t.Fatalf("finding %+v points at record %d of %d", fd, fd.Record, len(inv().Records))
			}
			blocking = blocking || fd.Action == ActionBlock || fd.Action == ActionReject
		}
		if d.Action == ActionBlock && !blocking {
			t.Fatalf("blocked without a blocking finding: %+v", d)
		}
		for _, r := range d.BlockedRecords {
			if r < 0 || r >= len(inv().Records) {
				t.Fatalf("blocked record %d of %d", r, len(inv().Records))
			}
		}
	})
}
