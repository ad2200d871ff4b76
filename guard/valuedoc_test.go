package guard

import (
	"context"
	"strings"
	"testing"
)

// The excerpts of a long string are taken from as much of it as they
// need (valueDoc): its decoded text up to a little past the match, and
// the redactor's search of both texts from their start. A secret far
// before the match whose value runs over it, and a secret that straddles
// where the first decoded part ends, are masked as they would be in the
// whole text; the attack is still shown.
func TestValueExcerptWindows(t *testing.T) {
	g, _ := newTestGuard(t)
	filler := func(n int) string { // escaped words: the value decodes
		return strings.Repeat("lorem%20ipsum ", n/14+1)[:n/14*14]
	}
	attack := "<script>alert(1)</script>"
	for _, tc := range []struct {
		name, value, leak string
	}{
		{"key 20 KB before, quoted value over the match",
			filler(1000) + ` token="s3cr3tv4lue ` + filler(20<<10) + " " + attack + ` tail" ` + filler(1000), "s3cr3tv4lue"},
		{"key 20 KB before, quoted value over the match, escaped",
			filler(1000) + ` password=%22s3cr3tv4lue ` + filler(20<<10) + " " + attack + `%22 ` + filler(1000), "s3cr3tv4lue"},
		{"AWS key id straddling the first decoded part",
			filler(firstPrefix-10) + "AKIAIOSFODNN7EXAMPLE" + attack + " " + filler(200<<10), "IOSFODNN"},
		{"AWS key id far in, next to the match",
			filler(300<<10) + " AKIAIOSFODNN7EXAMPLE" + attack + " " + filler(1000), "IOSFODNN"},
		{"JWT straddling the first decoded part, escaped",
			filler(firstPrefix-30) + " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U%3Cscript%3Ealert(1)%3C/script%3E " + filler(1000), "dozjgNry"},
		{"base64 secret run from the match past the first decoded part",
			"%3Cscript%3Ealert(1)%3C/script%3E " + letterRun(3*firstPrefix) + "7 " + filler(1000), letterRun(3 * firstPrefix)[:12]},
		{"long quoted secret straddling several doublings",
			` secret="` + strings.Repeat("q", 70<<10) + "Zx9Kq2 " + attack + `"` + filler(1000), "Zx9Kq2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/u",
				Headers: []Param{{"content-type", "text/plain"}}, ContentType: "text/plain", Body: []byte(tc.value)})
			if d.Action != ActionBlock || len(d.Findings) == 0 {
				t.Fatalf("not blocked: %+v", d)
			}
			for _, f := range d.Findings {
				if strings.Contains(f.Excerpt, tc.leak) || strings.Contains(f.DecodedExcerpt, tc.leak) {
					t.Errorf("%s: excerpt %q / decoded %q leaks %q", f.Rule, f.Excerpt, f.DecodedExcerpt, tc.leak)
				}
				if f.Excerpt == "" {
					t.Errorf("%s: no excerpt", f.Rule)
				}
			}
		})
	}
}

// The excerpts of a long string are those the whole string gives: the
// same findings, excerpts and decoded excerpts whether the string is
// decoded a part at a time or whole at once.
func TestValueExcerptPrefixAsWhole(t *testing.T) {
	g, _ := newTestGuard(t)
	for _, v := range []string{
		strings.Repeat("/bin/sh ｓ'or'expect:// ", 3000),
		strings.Repeat("%2e%2e%2fconstructor[169.254.169.254 ' or 1=1 ", 2000),
		strings.Repeat("%u%0d%0afile://ldap://", 4000),
		strings.Repeat("&amp;eval(", 8000),
		strings.Repeat("rO0ABE1＜<script>", 5000),
		strings.Repeat("a ", 40000) + "%3Cscript%3Ealert(1)%3C/script%3E api_key=Zx9Kq2Zx9Kq2Zx9Kq2 " + strings.Repeat("b%20", 1000),
	} {
		s := &scanner{g: g}
		var whole, parts []string
		for _, frag := range []string{"<script>", "expect://", "' or 1=1", "file://", "eval(", "ro0abe1", "../constructor["} {
			s.valOn = true
			d := s.valueDoc(v)
			ex, same := g.excerptIn(d, frag)
			sent, _ := g.sentValueExcerpt(d, frag)
			parts = append(parts, ex, sent, boolStr(same))
			w := new(valueDoc).of(v)
			w.m.extend(len(v), &w.a, &w.b) // all of it decoded first
			ex, same = g.excerptIn(w, frag)
			sent, _ = g.sentValueExcerpt(w, frag)
			whole = append(whole, ex, sent, boolStr(same && !w.m.differs))
			s.valOn = false
			s.val.reset()
		}
		for k := range whole {
			if whole[k] != parts[k] {
				t.Errorf("%.40q…: excerpt %d %q decoded in parts, %q whole", v, k, parts[k], whole[k])
			}
		}
	}
}

// letterRun is n pseudo-random letters of both cases: base64 text that
// looks random but for a digit.
func letterRun(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		c := byte('a' + x%26)
		if x&(1<<20) != 0 {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// indexFoldFrom finds what strings.Index finds in the lower-cased text
// (with '+' read as a blank when asked).
func FuzzIndexFoldFrom(f *testing.F) {
	f.Add("Hello World+X", 0, "o w", true)
	f.Add(strings.Repeat("aB", 3000)+"ab+c", 5, "b c", true)
	f.Add(strings.Repeat("x", 5000)+"NEEDLE", 100, "needle", false)
	f.Fuzz(func(t *testing.T, s string, from int, want string, plus bool) {
		want = strings.ToLower(want)
		if from < 0 || from > len(s) {
			from = 0
		}
		// ASCII case only, byte for byte (strings.ToLower would rewrite
		// invalid UTF-8 and change the length: "\xff")
		low := []byte(s)
		for k, c := range low {
			if 'A' <= c && c <= 'Z' {
				low[k] = c + 'a' - 'A'
			} else if plus && c == '+' {
				low[k] = ' '
			}
		}
		exp := -1
		if want != "" {
			if j := strings.Index(string(low[from:]), want); j >= 0 {
				exp = from + j
			}
		}
		if got := indexFoldFrom(s, from, want, plus); got != exp {
			t.Fatalf("indexFoldFrom(%q, %d, %q, %v) = %d, want %d", s, from, want, plus, got, exp)
		}
	})
}
