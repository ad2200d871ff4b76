package detect

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lower(c)
	}
	return string(b)
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"", "a", "O'Brien", "1' OR '1'='1' --", "<svg/onload=alert(1)>", "%253Cscript%253E",
		"&#x3c;img src=x onerror=alert(1)&#x3e;", "\\u003cscript\\u003e", "＜ｓｃｒｉｐｔ＞", "%c0%ae%c0%ae/etc/passwd",
		"..%252f..%252fetc%252fpasswd", "%uff0e%uff0e%u2215", "http://[::ffff:169.254.169.254]/", "http://0251.0376.0251.0376/",
		"${${lower:j}ndi:ldap://x/a}", "{{''.__class__}}", "<!DOCTYPE a [<!ENTITY b SYSTEM \"file:///\">]>", "*)(uid=*",
		"{\"$ne\":1}", "a[__proto__][b]=1", "; cat /etc/passwd", "c''at${IFS}/etc/passwd", "\x00\xff\xc0\xae",
		"&lt&gt&amp&quot;&#0;&#x110000;&#99999999999;", "%%%%%", "\\x", "\\u{1F600}", "&{",
	} {
		f.Add(s)
	}
}

// FuzzNormalize checks the normaliser's invariants: it never grows the
// input, never panics, and agrees with Decode up to ASCII case folding.
func FuzzNormalize(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if len(n) > len(s) {
			t.Fatalf("Normalize grew %d -> %d bytes: %q -> %q", len(s), len(n), s, n)
		}
		for i := 0; i < len(n); i++ {
			if n[i] >= 'A' && n[i] <= 'Z' {
				t.Fatalf("Normalize(%q) = %q keeps upper case", s, n)
			}
			if n[i] == 0 {
				t.Fatalf("Normalize(%q) = %q keeps a NUL byte", s, n)
			}
		}
		d := Decode(s)
		if len(d) > len(s) {
			t.Fatalf("Decode grew: %q -> %q", s, d)
		}
		if got := asciiLower(d); got != n && plusAsSpace(got) != plusAsSpace(n) {
			// Normalize reads a '+' of a URL-encoded string (in any pass) as a space
			// (plusIsSpace), Decode keeps it (log excerpts show what was
			// sent, and the redactor finds a secret with a '+' in them)
			t.Fatalf("Normalize(%q) = %q, lower(Decode) = %q", s, n, got)
		}
		// A string without encodings is only case-folded.
		if !strings.ContainsAny(s, "%&\\\x00") && utf8.ValidString(s) && isASCII(s) && n != asciiLower(s) {
			t.Fatalf("Normalize(%q) = %q, want plain lower-casing", s, n)
		}
	})
}

// plusAsSpace maps every '+' of s to a space.
func plusAsSpace(s string) string { return strings.ReplaceAll(s, "+", " ") }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			return false
		}
	}
	return true
}

// FuzzScan checks that Scan never panics, reports at most one match per
// category with a bounded fragment, is deterministic, and that every
// match is stable when the string is scanned again as a key.
func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	d, err := New(Config{Rules: []Rule{{ID: "fuzz.rule", Category: XSS, Pattern: `zz+`}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := d.Scan(nil, s, Input{})
		checkMatches(t, s, ms)
		again := d.Scan(make([]Match, 0, 1), s, Input{})
		if len(again) != len(ms) {
			t.Fatalf("Scan(%q) not deterministic: %v vs %v", s, ms, again)
		}
		for i := range ms {
			if ms[i] != again[i] {
				t.Fatalf("Scan(%q) not deterministic: %v vs %v", s, ms, again)
			}
		}
		checkMatches(t, s, d.Scan(nil, s, Input{Kind: Key, ParentKey: "constructor"}))
		checkMatches(t, s, d.Scan(nil, s, Input{XML: true}))
	})
}
