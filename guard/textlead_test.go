package guard

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"go.uber.org/zap"
)

// textPrefixRef is b64MayBeText's test of the bytes it decodes, without
// its first quantum's shortcut: false when printableText refuses a
// character complete within p, true for gzip's magic bytes and for a
// character p cuts.
func textPrefixRef(p []byte) bool {
	if len(p) >= 2 && p[0] == 0x1f && p[1] == 0x8b {
		return true
	}
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			return true
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError || r >= 0x80 && r < 0xa0 {
			return false
		}
		i += n
	}
	return true
}

// TestTextLead3: every three bytes textLead3 refuses are refused by the
// test b64MayBeText makes of them (so that a quantum refused at once is
// one b64MayBeText and escB64Lead would refuse after decoding more), and
// it refuses what its continuation tests are for: a lead without its
// continuation, an overlong form, a surrogate, a C1 control.
func TestTextLead3(t *testing.T) {
	refused := 0
	for x := 0; x < 256; x++ {
		for y := 0; y < 256; y++ {
			for z := 0; z < 256; z++ {
				if textLead3(byte(x), byte(y), byte(z)) {
					continue
				}
				refused++
				if p := []byte{byte(x), byte(y), byte(z)}; textPrefixRef(p) {
					t.Fatalf("% x: refused by textLead3, passed by b64MayBeText's test", p)
				}
			}
		}
	}
	for _, p := range []string{"\xc3A", "\xc2\x85", "\xe0\x80\x80", "\xed\xa0\x80", "\xf0\x80\x80", "\xf4\x90\x80", "a\xc3(", "ab\x1f", "\xe2\x82A"} {
		q := []byte(p + "aa")
		if textLead3(q[0], q[1], q[2]) {
			t.Errorf("%q: passed by textLead3", p)
		}
	}
	for _, p := range []string{"abc", "\x1f\x8b\x08", "é!", "a€", "\xf0\x9f\x98", "\t\r\n", "ab\xe2"} {
		q := []byte(p)
		if !textLead3(q[0], q[1], q[2]) {
			t.Errorf("%q: refused by textLead3", p)
		}
	}
	if refused < 1<<23 {
		t.Fatalf("only %d of 2^24 refused: the test says little", refused)
	}
}

// gqlMaybeRef is gqlMaybe as it read each keyword in turn.
func gqlMaybeRef(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ',') {
		i++
	}
	if i < len(s) && s[i] == '#' {
		return strings.IndexByte(s, '{') >= 0
	}
	if i < len(s) && s[i] == '{' {
		return true
	}
	for _, kw := range [...]string{"query", "mutation", "subscription", "fragment"} {
		if strings.HasPrefix(s[i:], kw) {
			j := i + len(kw)
			return j < len(s) && !isNameChar(s[j])
		}
	}
	return false
}

var gqlLeadCases = []string{
	"", " ", "q", "query", "query ", "query{a}", "queryx { a }", "query_1 { a }", "query Q { a }", " ,query { a }",
	"mutation", "mutation{m}", "mutations { a }", "subscription S { s }", "subscript", "fragment F on T { a }",
	"fragmentX", "# c\n{ a }", "# no brace", "{ a }", "quantity", "shoes", "free shipping", "mutation(", "m",
	"sql' OR 1=1--", "select * from users", "fragment'--", "query' OR '1'='1", "s", "f{", "q0k2x7zz9m1a",
}

func TestGqlMaybe(t *testing.T) {
	for _, s := range gqlLeadCases {
		if got, want := gqlMaybe(s), gqlMaybeRef(s); got != want {
			t.Errorf("gqlMaybe(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzGqlMaybe(f *testing.F) {
	for _, s := range gqlLeadCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := gqlMaybe(s), gqlMaybeRef(s); got != want {
			t.Errorf("gqlMaybe(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestGqlWordLead: JSON strings that start with a GraphQL lead letter
// (documents, words, attacks, ids, repeats) get the same decisions
// whether the visitor judges the ones gqlMaybe refuses itself
// (gqlWordLead) or hands them to judgeString, from guards configured in
// several ways, each inspection by a guard of its own (cleanMemo).
func TestGqlWordLead(t *testing.T) {
	vals := append([]string(nil), gqlLeadCases...)
	vals = append(vals, "query { user(id: \"1' OR '1'='1\") { name } }", "mutation { a(x: \"<script>alert(1)</script>\") }",
		"sleep(5)", "system('id')", "file:///etc/passwd", "fetch('//evil')", "sh -c id", "shoes", "shoes", "q0k2x7zz9m1a")
	for i := range 30 {
		vals = append(vals, fmt.Sprintf("f%dq%x", i, i*7919), fmt.Sprintf("size %d", i), fmt.Sprintf("mQ%02dAbCdEfGh", i))
	}
	many := strings.Repeat(`"' OR 1=1--",`, 70)
	arr := `["` + strings.Join(jsonEscapeAll(vals), `","`) + `"]`
	bodies := map[string]string{"array": arr, "past the bound": "[" + many + arr + "]", "object": `{"a":` + arr + `,"b":{"s":"select 1","q":"quantity"}}`}
	guards := map[string][]Option{
		"default":        nil,
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"xss off":        {WithCategoryMode(XSS, Off)},
		"excluded":       {WithExclusion("body[40]")},
	}
	defer func() { noGqlWordLead = false }()
	found := 0
	for gname, opts := range guards {
		for bname, body := range bodies {
			var ds [2]Decision
			for k, off := range []bool{true, false} {
				g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				noGqlWordLead = off
				ds[k] = g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte(body)})
			}
			found += len(ds[0].Findings)
			if !reflect.DeepEqual(ds[1], ds[0]) {
				t.Errorf("%s, %s: with gqlWordLead\n%+v\nwant\n%+v", gname, bname, ds[1], ds[0])
			}
		}
	}
	if found == 0 {
		t.Fatal("no finding at all: the test says little")
	}
}

func jsonEscapeAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(v)
	}
	return out
}
