package guard

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/redact"
)

// The excerpt of a finding is redacted on the value as sent, before it is
// decoded, lower-cased or cut: nothing of a secret next to an attack
// survives, whatever its case, encoding or distance from the attack, and a
// secret sent as a name does not survive in the location or the reason.
func TestExcerptRedactsBeforeNormalisingAndCutting(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "Qm8tZz9vXr2Lp4Wk7Ns1Jd5Hf3Gb6Cv0Ty8Ue2Ai")
	g, _ := newTestGuard(t)
	for _, tc := range []struct {
		name, value, leak string
	}{
		{"AWS key id after SQL injection", "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE", "IOSFODNN"},
		{"card straddling the excerpt limit", "' OR 1=1 -- see the order notes for the delivery team 4111111111111111", "11111111"},
		{"GitHub token straddling the limit", "' OR 1=1 -- see the order notes for the delivery team ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcD"},
		{"JWT cut mid-signature", "' OR 1=1 -- see the notes eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNry"},
		{"URL-escaped Google key", "%27%20OR%201%3D1%20--%20AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "9tSrke72"},
		{"own credential lower-cased", "' or 1=1 -- qm8tzz9vxr2lp4wk7ns1jd5hf3gb6cv0ty8ue2ai", "qm8tzz9v"},
		// a form-encoded value: the detectors read '+' as a space, the
		// secret's own '+' must not split it out of the redactor's reach
		{"form-encoded, secret-key shape with '+'", "%27+or+1%3D1+--+see+the+notes+wJalrXUtnFEMI%2FK7MDENG+bPxRfiCYEXAMPLEKEY", "bPxRfiCY"},
		{"form-encoded, own credential with '+'", "%27+OR+1%3D1+--+note+Qm8tZz9vXr2Lp4Wk7Ns1Jd5H+3Gb6Cv0Ty8Ue2Ai", "3Gb6Cv0T"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = tc.value }))
			if d.Action != ActionBlock || len(d.Findings) == 0 {
				t.Fatalf("not blocked: %+v", d)
			}
			for _, f := range d.Findings {
				if strings.Contains(strings.ToLower(f.Excerpt), strings.ToLower(tc.leak)) || strings.Contains(strings.ToLower(f.DecodedExcerpt), strings.ToLower(tc.leak)) {
					t.Errorf("excerpt %q / decoded %q leaks %q", f.Excerpt, f.DecodedExcerpt, tc.leak)
				}
				if !strings.Contains(strings.ToLower(f.Excerpt), "1=1") && !strings.Contains(strings.ToLower(f.Excerpt), "1%3d1") {
					t.Errorf("excerpt %q does not show the attack", f.Excerpt)
				}
			}
		})
	}
	t.Run("secret as a header name", func(t *testing.T) {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
			i.Headers = append(i.Headers, Param{"akiaiosfodnn7example", "' OR 1=1 --"})
		}))
		if d.Action != ActionBlock {
			t.Fatalf("not blocked: %+v", d)
		}
		if strings.Contains(d.Findings[0].Location, "iosfodnn") || strings.Contains(d.Reason, "iosfodnn") || strings.Contains(d.Err().Error(), "iosfodnn") {
			t.Errorf("location %q / reason %q leak the header name", d.Findings[0].Location, d.Reason)
		}
		if d.Findings[0].Location != "headers.[REDACTED]" {
			t.Errorf("location = %q", d.Findings[0].Location)
		}
	})
	t.Run("excerpt keeps the attack's case", func(t *testing.T) {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE" }))
		if got := d.Findings[0].Excerpt; got != "' OR 1=1 -- [REDACTED]" {
			t.Errorf("excerpt = %q", got)
		}
	})
}

// A finding shows the text as sent and, when the detectors matched a
// decoded form of it, that decoded form: percent-, entity-, \u-escaped,
// full-width, JSON-in-a-string and base64 inputs. Secrets are masked in
// both, whatever form they were sent in, and both are cut at token
// boundaries (an escape of a separator is one).
func TestExcerptAsSentAndDecoded(t *testing.T) {
	g, _ := newTestGuard(t)
	awsKey := "AKIAIOSFODNN7EXAMPLE"
	for _, tc := range []struct {
		name, value, sent, decoded string
	}{
		{"plain", "' OR 1=1 --", "' OR 1=1 --", ""},
		{"percent-encoded", "%27%20OR%201%3D1%20--", "%27%20OR%201%3D1%20--", "' OR 1=1 --"},
		{"percent-encoded twice", "%2527%2520OR%25201%253D1%2520--", "%2527%2520OR%25201%253D1%2520--", "' OR 1=1 --"},
		{"HTML entities", "&#39; OR 1=1 --", "&#39; OR 1=1 --", "' OR 1=1 --"},
		{"JSON \\u escapes", `\u0027 OR 1=1 --`, `\u0027 OR 1=1 --`, "' OR 1=1 --"},
		{"full-width", "＇ ＯＲ １＝１ －－", "＇ ＯＲ １＝１ －－", "' OR 1=1 --"},
		{"escaped tag cut at an escaped separator", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%3Cscript%3E", "<script>"},
		{"JSON in a string, escaped inside", `{"note":"\u0027 OR 1=1 --"}`, `\u0027 OR 1=1 --`, "' OR 1=1 --"},
		{"percent-encoded, AWS key id next to it", "%27%20OR%201%3D1%20--%20" + awsKey, "%27%20OR%201%3D1%20--%20[REDACTED]", "' OR 1=1 -- [REDACTED]"},
		{"\\u-escaped AWS key id (masked: both read the same)", `' OR 1=1 -- ` + jsonUnicodeAll(awsKey), `' OR 1=1 -- [REDACTED]`, ""},
		{"entity-escaped AWS key id", `&#39; OR 1=1 -- ` + entityAll(awsKey), `&#39; OR 1=1 -- [REDACTED]`, "' OR 1=1 -- [REDACTED]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = tc.value }))
			if d.Action != ActionBlock || len(d.Findings) == 0 {
				t.Fatalf("not blocked: %+v", d)
			}
			f := d.Findings[0]
			if f.Excerpt != tc.sent || f.DecodedExcerpt != tc.decoded {
				t.Errorf("excerpt %q, decoded %q; want %q, %q", f.Excerpt, f.DecodedExcerpt, tc.sent, tc.decoded)
			}
		})
	}
	t.Run("base64 text", func(t *testing.T) {
		v := base64.StdEncoding.EncodeToString([]byte("hello there ' OR 1=1 -- friend"))
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = v }))
		if d.Action != ActionBlock {
			t.Fatalf("not blocked: %+v", d)
		}
		f := d.Findings[0]
		if f.Location != "query.q<base64>" || f.DecodedExcerpt != "' OR 1=1 -- friend" {
			t.Errorf("location %q, decoded %q", f.Location, f.DecodedExcerpt)
		}
		// The base64 text as sent is a long random-looking run: the
		// redactor masks it whole rather than guess it is not a key.
		if f.Excerpt != "[REDACTED]" && !strings.Contains(v, strings.Trim(f.Excerpt, "…")) {
			t.Errorf("excerpt %q is not a piece of the base64 text %q", f.Excerpt, v)
		}
	})
}

func entityAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "&#%d;", s[i])
	}
	return b.String()
}

// FuzzSentMap: decoding a string chunk by chunk gives what decoding it
// whole does, the map's offsets stay inside the string and in order, and
// the text the map names for any decoded range decodes to text holding it.
func FuzzSentMap(f *testing.F) {
	for _, s := range []string{"%27%20OR%201%3D1", "%2527 &#39; \\u0027 \\x27 ＇ %c0%ae%c0%ae/", "&lt;script&gt; a&b;c", "\\u{41} %u0041 \x00 x",
		strings.Repeat("ab%41 ", 40) + "%25" + strings.Repeat("%", 70) + "27"} {
		f.Add(s, 3, 9)
	}
	f.Fuzz(func(t *testing.T, v string, p, q int) {
		if len(v) > 2048 {
			return
		}
		m := newSentMap(v)
		if want := detect.Decode(v); m.d != want {
			t.Fatalf("chunked decoding %q != %q (chunks %v)", m.d, want, m.sOff)
		}
		if len(m.d) == 0 {
			return
		}
		p, q = abs(p)%len(m.d), abs(q)%(len(m.d)+1)
		if p > q {
			p, q = q, p
		}
		a, b := m.sentStart(p), m.sentEnd(q)
		if a < 0 || b > len(v) || (q > p && a > b) {
			t.Fatalf("d[%d:%d] maps to v[%d:%d] of %d bytes", p, q, a, b, len(v))
		}
		if q > p && utf8.ValidString(v) && len(v) < 256 && !strings.Contains(detect.Decode(v[a:b]), m.d[p:q]) {
			t.Logf("v[%d:%d]=%q decodes to %q, not holding d[%d:%d]=%q (approximate map)", a, b, v[a:b], detect.Decode(v[a:b]), p, q, m.d[p:q])
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// A rule that matches the text as sent (an identifier spelled with \u
// escapes is xss.js_obfuscated) shows it as sent, with the secrets its
// decoded form holds masked: a \u-escaped token is not shown escaped.
func TestExcerptOfRawMatchMasksDecodedSecrets(t *testing.T) {
	g, _ := newTestGuard(t)
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	for _, tc := range [][2]string{{jwt, jwt}, {"Authorization: Bearer abcdefghij.KLMNOPQRSTUVWX", "abcdefghij.KLMNOPQRSTUVWX"}} {
		secret := tc[1]
		v := `' OR 1=1 -- ` + jsonUnicodeAll(tc[0])
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = v }))
		if d.Action != ActionBlock {
			t.Fatalf("not blocked: %+v", d)
		}
		for _, f := range d.Findings {
			for _, s := range []string{f.Excerpt, f.DecodedExcerpt} {
				plain := detect.Decode(s)
				for i := 0; i+8 <= len(secret); i++ {
					if w := secret[i : i+8]; strings.Contains(plain, w) {
						t.Fatalf("%s: excerpt %q leaks %q", f.Rule, s, w)
					}
				}
			}
		}
	}
}

// TestSentMapIdentity: a string with nothing to decode maps every offset to
// itself, as decoding it chunk by chunk does.
func TestSentMapIdentity(t *testing.T) {
	for _, v := range []string{"", "x", `["' OR 1=1--","' OR 1=1--"]`, strings.Repeat(`{"name":"red shoes","qty":2} `, 20), "a;b<c>d(e)f.g/h"} {
		m, c := newSentMap(v), chunkedSentMap(v)
		if !m.ident || m.d != v || c.d != v {
			t.Fatalf("%q: ident %v, d %q, chunked %q", v, m.ident, m.d, c.d)
		}
		for i := -1; i <= len(v)+1; i++ {
			if m.sentStart(i) != c.sentStart(i) || m.sentEnd(i) != c.sentEnd(i) {
				t.Errorf("%q at %d: start %d end %d, chunked %d %d", v, i, m.sentStart(i), m.sentEnd(i), c.sentStart(i), c.sentEnd(i))
			}
		}
	}
}

// FuzzIndexASCIIFold compares indexASCIIFold, which compares candidates in
// place, with searching the lower-cased text.
func FuzzIndexASCIIFold(f *testing.F) {
	for _, c := range [][2]string{{"; LS ; ls ; ls", "; ls"}, {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "aab"}, {"xÀ../..", "../"},
		{strings.Repeat("Aa", 300) + "AAB", "aab"}, {"", "a"}, {"abc", ""}, {"%2E%2e/", "%2e/"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, want string) {
		want = asciiLower(want)
		got := indexASCIIFold(s, want)
		exp := -1
		if want != "" {
			exp = strings.Index(asciiLower(s), want)
		}
		if got != exp {
			t.Fatalf("indexASCIIFold(%q, %q) = %d, want %d", s, want, got, exp)
		}
	})
}

// FuzzMayDecode compares mayDecode, eight bytes a step, with reading byte
// by byte.
func FuzzMayDecode(f *testing.F) {
	for _, s := range []string{"", "abcdefgh", "abcdefgh%", "abcdefg\x00", "[\"' OR 1=1--\",\"' OR 1=1--\"]", "x\\u0041", "ＡＢ", "abcdefghijklmno&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '%' || c == '&' || c == '\\' || c == 0 || c >= 0x80 {
				want = true
			}
		}
		if got := mayDecode(s); got != want {
			t.Fatalf("mayDecode(%q) = %v, want %v", s, got, want)
		}
		for c := 0; c < 256; c++ { // each byte at a place of a long text
			b := []byte(strings.Repeat("abcdefghijklmnop", 40))[:mayDecodeLong+len(s)%300]
			b[len(s)*7%len(b)] = byte(c)
			if got, want := mayDecode(string(b)), c == '%' || c == '&' || c == '\\' || c == 0 || c >= 0x80; got != want {
				t.Fatalf("mayDecode(%q) = %v, want %v", b, got, want)
			}
		}
		for c := 0; c < 256; c++ { // each byte at each place of a block
			b := []byte("abcdefghijklmnop")
			b[len(s)%16] = byte(c)
			if got, want := mayDecode(string(b)), c == '%' || c == '&' || c == '\\' || c == 0 || c >= 0x80; got != want {
				t.Fatalf("mayDecode(%q) = %v, want %v", b, got, want)
			}
		}
	})
}

// TestExcerptMemo: a finding's excerpt is the one taken afresh, whatever
// finding came before it in the same inspection (scanner.excerptDecoded
// remembers the last short value's): repeated values, values alike but
// for a byte or a letter's case, the same value under a key that names a
// secret, a value with its secret, the value again, in an object, an
// array and a form.
func TestExcerptMemo(t *testing.T) {
	g, _ := newTestGuard(t)
	values := []string{`' OR 1=1--`, `' OR 1=1--`, `' OR 2=2--`, `' OR 1=1--`, `' OR 1=1-- AKIAIOSFODNN7EXAMPLE`,
		`' OR 1=1-- ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789`, `' OR 1=1--`, `' or 1=1--`, `<script>alert(1)</script>`, `' OR 1=1--`}
	var obj, arr, form []string
	for i, v := range values {
		k := fmt.Sprintf("k%d", i)
		if i == 3 {
			k = "password"
		}
		obj = append(obj, fmt.Sprintf("%q:%q", k, v))
		arr = append(arr, fmt.Sprintf("%q", v))
		form = append(form, k+"="+strings.NewReplacer(" ", "+", "=", "%3D", "<", "%3C", ">", "%3E", "(", "%28", ")", "%29").Replace(v))
	}
	defer func() { noExcerptMemo = false }()
	for name, inv := range map[string]func() *Invocation{
		"object": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte("{" + strings.Join(obj, ",") + "}")}
		},
		"array": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte("[" + strings.Join(arr, ",") + "]")}
		},
		"form": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/x-www-form-urlencoded", Body: []byte(strings.Join(form, "&"))}
		},
	} {
		noExcerptMemo = true
		want := g.Inspect(context.Background(), inv())
		noExcerptMemo = false
		got := g.Inspect(context.Background(), inv())
		if len(want.Findings) < len(values)-1 {
			t.Fatalf("%s: %d findings: %+v", name, len(want.Findings), want.Findings)
		}
		if !reflect.DeepEqual(got.Findings, want.Findings) {
			t.Errorf("%s: findings with the memo\n%+v\nwant\n%+v", name, got.Findings, want.Findings)
		}
	}
}

// FuzzSentDocWindow checks that the excerpts of a text as sent (longer
// than lazySentDoc) taken with
// its map made only as far as they need (sentDoc's first prefix, the
// decoded text searched for secrets only until the masks further on
// cannot reach the excerpt) are the excerpts taken with the whole text
// mapped and searched, finding after finding: fragments of its decoded
// text (or of the text as sent, or none), escapes and secrets around
// them, configured literal secrets or none.
func FuzzSentDocWindow(f *testing.F) {
	f.Add(`{"comment":"\\php://%27/etc/passwd \\php://%27/etc/passwd "}`, "", uint16(3), uint16(40), uint16(900), uint8(7), uint8(1))
	f.Add(`{"a":"&amp;eval(&amp;eval(","token":"ghp_abcdefghijklmnopqrstuvwxyz0123456789","b":"%27 or 1=1"}`, "s3cretvalue123", uint16(9), uint16(3000), uint16(70), uint8(12), uint8(2))
	f.Add(`%41%4b%49%41IOSFODNN7EXAMPLE ..%2f..%2f password=%73%33%63%72%65%74 \u0041KIAIOSFODNN7EXAMPLE`, "", uint16(0), uint16(200), uint16(5000), uint8(30), uint8(3))
	f.Add(`&lt;script&gt;alert(1)&lt;/script&gt; Authorization: Bearer abc123XYZabc123XYZ&#x41;&#x42; `, "abc123XYZabc123", uint16(1), uint16(60), uint16(2000), uint8(25), uint8(0))
	f.Add(`%%zz&&x\\q plain text that decodes to itself mostly ' or 1=1 -- `, "", uint16(5), uint16(17), uint16(4100), uint8(9), uint8(4))
	g0, err := New(WithoutEnv())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, unit, secret string, p, q, r uint16, n, shape uint8) {
		checkSentDocWindow(t, g0, unit, secret, p, q, r, n, shape)
	})
}

// TestSentDocWindow is FuzzSentDocWindow's check on storms of the sweep's
// tokens, mixed at random (seeded), with and without secrets around them.
func TestSentDocWindow(t *testing.T) {
	g0, err := New(WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	toks := []string{"<a ", "&#x", "&amp;", "%u", "%25", "\\u", "\\x", "${", "'or'", "%27", "%2e%2e%2f", "..%2f", "%c0%af", "&lt;",
		"&#60;", "\\\"", "＜", "ｓ", "\\php://", "/etc/passwd ", "1=1 ", "eval(", "\"", "'", " ", "a", "A1", "%0d%0a", "+ADw-", "\x00",
		"token=", "password=", "Bearer ", "AKIA", "%41", "&#x41;", "\\u0041"}
	secrets := []string{"", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "s3cretvalue123"}
	rnd := rand.New(rand.NewSource(11))
	for i := 0; i < 60; i++ {
		var unit strings.Builder
		for k := 1 + rnd.Intn(4); k > 0; k-- {
			unit.WriteString(toks[rnd.Intn(len(toks))])
		}
		u := unit.String()
		if rnd.Intn(2) == 0 {
			u = `{"k":"` + u + `","n":1}`
		}
		checkSentDocWindow(t, g0, u, secrets[rnd.Intn(len(secrets))], uint16(rnd.Intn(1<<16)), uint16(rnd.Intn(1<<16)), uint16(rnd.Intn(1<<16)), uint8(rnd.Intn(256)), uint8(rnd.Intn(256)))
	}
}

func checkSentDocWindow(t *testing.T, g0 *Guard, unit, secret string, p, q, r uint16, n, shape uint8) {
	t.Helper()
	{
		if unit == "" || len(unit) > 512 {
			return
		}
		g := &Guard{red: g0.red}
		if len(secret) >= redact.MinSecretLen && len(secret) <= 64 && !strings.ContainsAny(secret, " \t\r\n") {
			red, err := redact.New(redact.Config{Secrets: []string{secret}})
			if err != nil {
				return
			}
			g.red = red
		}
		// a text of 16-32 KB: the unit repeated, a secret or an escape
		// run placed by shape, a tail that differs
		doc := unit
		for len(doc) < lazySentDoc+1+int(shape)*60 {
			doc += unit
		}
		switch shape % 4 {
		case 1:
			doc = doc[:len(doc)/2] + " token=" + secret + " " + doc[len(doc)/2:]
		case 2:
			doc += strings.Repeat("%41", 40) + secret + "&#x27;"
		case 3:
			doc = strings.Repeat("x", int(p)%6000) + doc
		}
		if len(doc) > maxSentDoc {
			doc = doc[:maxSentDoc]
		}
		dec := detect.Decode(doc)
		var frags []string
		for _, at := range []int{int(p), int(q), int(r)} {
			if len(dec) > 0 {
				i := at % len(dec)
				frags = append(frags, dec[i:min(len(dec), i+1+int(n))])
			}
			i := at % len(doc)
			frags = append(frags, doc[i:min(len(doc), i+1+int(n))])
		}
		frags = append(frags, "absent fragment", secret)
		var lazy, whole sentDoc
		for _, fr := range frags {
			got, gotRaw := g.sentExcerpt(doc, fr, &lazy)
			wholeSentDoc = true
			want, wantRaw := g.sentExcerpt(doc, fr, &whole)
			wholeSentDoc = false
			if got != want || gotRaw != wantRaw {
				t.Fatalf("excerpt of %q in %q (%d bytes): mapped as needed %q %v, whole %q %v", fr, doc[:min(len(doc), 300)], len(doc), got, gotRaw, want, wantRaw)
			}
		}
	}
}
