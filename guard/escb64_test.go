package guard

import (
	"compress/gzip"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// escB64Ref is the plain reading of escapedBase64's decision that
// escapedB64Maybe pre-filters: v made only of the base64 alphabet, '=',
// blanks after its first byte and the escapes %2B, %2F, %3D (either case),
// with a blank or an escape, decoded (blanks as '+'), looksBase64 of the
// result, and b64MayBeText of the result (base64Text refuses what that
// refuses before it decodes a byte).
func escB64Ref(v string) bool {
	esc := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if b64Class[c]&b64Other == 0 || c == '=' {
			continue
		}
		if c == ' ' && i > 0 {
			esc = true
			continue
		}
		if c != '%' || i+2 >= len(v) {
			return false
		}
		switch v[i+1 : i+3] {
		case "2B", "2b", "2F", "2f", "3D", "3d":
		default:
			return false
		}
		esc = true
		i += 2
	}
	if !esc {
		return false
	}
	d, ok := unescapeB64(nil, v)
	return ok && b64MayBeText(string(d))
}

// TestEscapedB64Maybe: escapedB64Maybe, the pre-filter of escapedBase64,
// and its lead escB64Lead refuse only text escB64Ref refuses. Random texts
// of lower-case prose, capitals, digits, both alphabets' punctuation,
// escapes, padding and a non-ASCII byte; lowerBlank is checked against its
// byte-by-byte meaning.
func TestEscapedB64Maybe(t *testing.T) {
	lowerRef := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != ' ' && (c < 'a' || c > 'z') {
				return false
			}
		}
		return true
	}
	pieces := []string{"blue cotton shirt ", "gift wrap", " ", "  ", "a", "z", "{", "`", "Q", "Z", "0", "9", "+", "/", "-", "_", "=", "==",
		"%2B", "%2b", "%2F", "%3D", "%3d", "%2A", "%", "%3", "PHN2Zz4", "e3s3Kjd9fQ", "\xe1", "\x7f", "\x00", "."}
	r := rand.New(rand.NewPCG(7, 8))
	accepted, leadRefused := 0, 0
	for n := range 200000 {
		var b []byte
		for k := r.IntN(12); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		v := string(b)
		if got, want := lowerBlank(v), lowerRef(v); got != want {
			t.Fatalf("case %d: lowerBlank(%q) = %v, want %v", n, v, got, want)
		}
		want := escB64Ref(v)
		if want {
			accepted++
		}
		if want && !escapedB64Maybe(v) {
			t.Fatalf("case %d: escapedB64Maybe(%q) refuses what escapedBase64 judged", n, v)
		}
		if !escB64Lead(v) {
			if want {
				t.Fatalf("case %d: escB64Lead(%q) refuses what escapedBase64 judged", n, v)
			}
			leadRefused++
		}
	}
	if accepted < 100 || leadRefused < 1000 {
		t.Fatalf("%d of the random texts decode as base64, %d are refused by their lead: the test says little", accepted, leadRefused)
	}
}

// TestEscB64LeadProse: prose of everyday words and blanks is refused by
// its first eight characters (its blanks read as '+' seldom decode to
// printable bytes), not by a pass over all of it; and base64 sent with
// its '+' read as blanks or escaped is still judged.
func TestEscB64LeadProse(t *testing.T) {
	words := strings.Fields("please leave the parcel at side door thanks gift wrap blue cotton shirt size large " +
		"Monday order delivery before noon call me when you arrive Dublin fragile glass handle with care a an of to in")
	r := rand.New(rand.NewPCG(3, 4))
	const texts = 2000
	refused := 0
	for range texts {
		var b strings.Builder
		for k := 3 + r.IntN(40); k > 0; k-- {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		v := b.String()
		if !escB64Lead(v) {
			refused++
		} else if escB64Ref(v) && !escapedB64Maybe(v) {
			t.Fatalf("escapedB64Maybe(%q) refuses what escapedBase64 judged", v)
		}
	}
	t.Logf("the lead refused %d of %d prose texts", refused, texts)
	if refused < texts*3/4 {
		t.Fatalf("the lead refused %d of %d prose texts; want most", refused, texts)
	}
	for _, v := range []string{
		"PHN2ZyBvbmxvYWQ9YWxlcnQoMSk%2B",       // <svg onload=alert(1)>, '>' escaped
		"PHN2ZyBvbmxvYWQ9YWxlcnQoMSk ",         // its '+' read as a blank
		"e3s3Kjd9fQ%3D%3D",                     // {{7*7}}
		"J29yIDE9MS0tIGFuZCBzbGVlcCg1KQ%3D%3D", // 'or 1=1-- and sleep(5)
	} {
		if !escB64Ref(v) || !escapedB64Maybe(v) {
			t.Errorf("%q: escB64Ref %v, escapedB64Maybe %v; want both true", v, escB64Ref(v), escapedB64Maybe(v))
		}
	}
}

// FuzzEscapedB64Maybe: escapedB64Maybe and escB64Lead never refuse what
// escB64Ref accepts.
func FuzzEscapedB64Maybe(f *testing.F) {
	for _, s := range []string{"PHN2Zz4 ", "e3s3Kjd9fQ%3D%3D", "blue cotton shirt", "Ab cd%2fEF 12", "%2B%2b%2F%3D ab CD", " abcdEFGH", "QUJD REVG"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if escB64Ref(v) && (!escapedB64Maybe(v) || !escB64Lead(v)) {
			t.Fatalf("%q: escapedB64Maybe %v, escB64Lead %v refuse what escapedBase64 judged", v, escapedB64Maybe(v), escB64Lead(v))
		}
	})
}

// TestB64TextLead: b64TextLead is b64MayBeText's test of the first
// decoded byte: a text whose first byte it refuses is refused whatever
// follows, and each byte it lets pass begins some text b64MayBeText lets
// pass.
func TestB64TextLead(t *testing.T) {
	tails := []string{"", "ab", "\x8b\x08\x00", "\x80\x80\x80", "\x90\x80\x80", "\xa0\x80\x80", "\x80ab", "\xa0ab", "\x00\x00\x00", "\xff\xff\xff"}
	for x := range 256 {
		pass := false
		for _, tail := range tails {
			for _, n := range []int{3, 6} {
				b := []byte(string([]byte{byte(x)}) + tail + "\x00\x00\x00\x00\x00")[:n]
				pass = pass || b64MayBeText(base64.StdEncoding.EncodeToString(b))
			}
		}
		if pass != b64TextLead[x] {
			t.Errorf("first byte %#x: b64MayBeText passes some texts: %v, b64TextLead %v", x, pass, b64TextLead[x])
		}
	}
	if b64DecBlank[' '] != 62 || b64DecBlank['+'] != 62 || b64DecBlank['a'] != b64Dec['a'] || b64DecBlank['.'] != b64Bad {
		t.Fatal("b64DecBlank is not b64Dec with a blank read as '+'")
	}
}

// TestB64QuantumMayBeText: a first quantum b64QuantumMayBeText refuses
// begins no text b64MayBeText passes, whatever follows it (every quantum
// of the first three characters, with a few last ones and second quanta);
// and base64 of gzip, sent escaped, is not refused by its lead.
func TestB64QuantumMayBeText(t *testing.T) {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	refused := 0
	for _, a := range alpha {
		for _, b := range alpha {
			for _, c := range alpha {
				for _, d := range "AQgw/9+a" {
					q := string([]rune{a, b, c, d})
					if b64QuantumMayBeText(b64Dec[a], b64Dec[b], b64Dec[c], b64Dec[d]) {
						continue
					}
					refused++
					for _, tail := range []string{"", "AAAA", "gICA", "QUJD", "iwgA", "wqDC", "8J+Y"} {
						if b64MayBeText(q + tail) {
							t.Fatalf("%q: refused by its first quantum, passed by b64MayBeText", q+tail)
						}
					}
				}
			}
		}
	}
	if refused == 0 {
		t.Fatal("no quantum refused: the test says little")
	}
	var gz strings.Builder
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"q":"' OR 1=1--"}`))
	zw.Close()
	v := base64.StdEncoding.EncodeToString([]byte(gz.String()))
	esc := strings.NewReplacer("+", " ", "/", "%2F", "=", "%3D").Replace(v)
	if !b64MayBeText(v) || !escB64Lead(esc) || escB64Ref(esc) != escapedB64Maybe(esc) {
		t.Fatalf("gzip base64 %q (escaped %q): b64MayBeText %v, escB64Lead %v", v, esc, b64MayBeText(v), escB64Lead(esc))
	}
}
