package detect

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// unescapeFixture expands \t, \n and \\ in fixture lines.
func unescapeFixture(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// readFixture returns the non-comment lines of testdata/name.
func readFixture(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Fatalf("testdata/%s has no cases", name)
	}
	return lines
}

func mustNew(t testing.TB, cfg Config) *Detector {
	t.Helper()
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func hasCategory(ms []Match, c Category) bool {
	for _, m := range ms {
		if m.Category == c {
			return true
		}
	}
	return false
}

func TestAttackFixtures(t *testing.T) {
	d := mustNew(t, Config{})
	seen := map[Category]int{}
	for i, line := range readFixture(t, "attacks.tsv") {
		cat, payload, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("attacks.tsv line %d: no tab: %q", i+1, line)
		}
		c, err := ParseCategory(cat)
		if err != nil {
			t.Fatalf("attacks.tsv line %d: %v", i+1, err)
		}
		seen[c]++
		payload = unescapeFixture(payload)
		t.Run(fmt.Sprintf("%s/%d", c, seen[c]), func(t *testing.T) {
			ms := d.Scan(nil, payload, Input{Kind: Value})
			if !hasCategory(ms, c) {
				t.Errorf("Scan(%q) = %v, want a %s match", payload, ms, c)
			}
			checkMatches(t, payload, ms)
		})
	}
	for _, c := range Categories() {
		if seen[c] == 0 {
			t.Errorf("attacks.tsv has no %s case", c)
		}
	}
}

func TestBenignFixtures(t *testing.T) {
	d := mustNew(t, Config{})
	for i, line := range readFixture(t, "benign.tsv") {
		s := unescapeFixture(line)
		t.Run(fmt.Sprint(i+1), func(t *testing.T) {
			for _, k := range []Kind{Value, Key} {
				if ms := d.Scan(nil, s, Input{Kind: k}); len(ms) != 0 {
					t.Errorf("Scan(%q, %v) = %v, want no match", s, k, ms)
				}
			}
		})
	}
}

// checkMatches verifies the structural guarantees of Scan's output.
func checkMatches(t *testing.T, s string, ms []Match) {
	t.Helper()
	seen := map[Category]bool{}
	for _, m := range ms {
		if _, err := ParseCategory(string(m.Category)); err != nil {
			t.Errorf("Scan(%q): bad category in %+v", s, m)
		}
		if seen[m.Category] {
			t.Errorf("Scan(%q): two matches for %s: %v", s, m.Category, ms)
		}
		seen[m.Category] = true
		if m.Rule == "" {
			t.Errorf("Scan(%q): empty rule id in %+v", s, m)
		}
		if len(m.Fragment) > MaxFragment {
			t.Errorf("Scan(%q): fragment of %d bytes > %d", s, len(m.Fragment), MaxFragment)
		}
		if utf8.ValidString(s) && !utf8.ValidString(m.Fragment) && len(m.Fragment) > 0 {
			// Decoding may produce bytes that were percent-encoded, so only
			// check that the cut itself did not split a rune.
			if f := m.Fragment; !utf8.RuneStart(f[0]) {
				t.Errorf("Scan(%q): fragment %q starts inside a rune", s, f)
			}
		}
	}
}

func TestRuleIDs(t *testing.T) {
	d := mustNew(t, Config{})
	tests := []struct {
		name, in string
		kind     Kind
		parent   string
		cat      Category
		rule     string
	}{
		{"union", "1 union select 1,2", Value, "", SQLi, "sqli.union"},
		{"tautology", "' or 1=1 --", Value, "", SQLi, "sqli.tautology"},
		{"stacked", "1; drop table users", Value, "", SQLi, "sqli.stacked"},
		{"time", "1 and sleep(5)", Value, "", SQLi, "sqli.time"},
		{"comment", "admin'--", Value, "", SQLi, "sqli.comment"},
		{"script", "<script>x</script>", Value, "", XSS, "xss.script_tag"},
		{"handler", "<img src=x onerror=f()>", Value, "", XSS, "xss.event_handler"},
		{"script url", "javascript:alert(1)", Value, "", XSS, "xss.script_url"},
		{"subshell", "a;id", Value, "", CmdI, "cmdi.separator"},
		{"ifs", "cat${IFS}x", Value, "", CmdI, "cmdi.ifs"},
		{"substitution", "report-$(touch pwned).pdf", Value, "", CmdI, "cmdi.substitution"},
		{"backtick substitution", "`rm out`", Value, "", CmdI, "cmdi.substitution"},
		{"chained weak command", "notes.txt && touch pwned", Value, "", CmdI, "cmdi.separator"},
		{"glob", "/???/??t /???/p??s??", Value, "", CmdI, "cmdi.glob"},
		{"dotdot", "../../x", Value, "", PathTraversal, "path.traversal"},
		{"passwd", "/etc/passwd", Value, "", PathTraversal, "path.sensitive_file"},
		{"proc", "/proc/self/environ", Value, "", PathTraversal, "path.proc"},
		{"metadata", "http://169.254.169.254/", Value, "", SSRF, "ssrf.metadata"},
		{"metadata decimal", "http://2852039166/", Value, "", SSRF, "ssrf.metadata"},
		{"runtime api", "http://127.0.0.1:9001/", Value, "", SSRF, "ssrf.lambda_runtime"},
		{"loopback", "http://localhost/", Value, "", SSRF, "ssrf.loopback"},
		{"scheme", "gopher://x/", Value, "", SSRF, "ssrf.scheme"},
		{"obfuscated public ip", "http://0x5db8d822/", Value, "", SSRF, "ssrf.obfuscated_ip"},
		{"mongo key", "$ne", Key, "", NoSQLi, "nosqli.operator_key"},
		{"mongo bracket key", "user[$ne]", Key, "", NoSQLi, "nosqli.operator"},
		{"mongo where", `{"$where": "1"}`, Value, "", NoSQLi, "nosqli.where"},
		{"ssti arithmetic", "{{7*7}}", Value, "", SSTI, "ssti.expression"},
		{"ssti dunder", "{{x.__class__}}", Value, "", SSTI, "ssti.dunder"},
		{"ssti statement", "{% include 'x' %}", Value, "", SSTI, "ssti.statement"},
		{"jndi", "${jndi:ldap://x/a}", Value, "", JNDI, "jndi.lookup"},
		{"jndi nested", "${${lower:j}ndi:ldap://x/a}", Value, "", JNDI, "jndi.lookup"},
		{"log4j lookup", "${env:HOME}", Value, "", JNDI, "jndi.log4j_lookup"},
		{"proto key", "__proto__", Key, "", ProtoPollution, "proto.key"},
		{"constructor prototype key", "prototype", Key, "constructor", ProtoPollution, "proto.constructor_prototype"},
		{"proto path key", "a[__proto__][x]", Key, "", ProtoPollution, "proto.proto"},
		{"entity", `<!ENTITY x SYSTEM "file:///etc/passwd">`, Value, "", XXE, "xxe.external_entity"},
		{"external dtd", `<!DOCTYPE x SYSTEM "http://e/x.dtd">`, Value, "", XXE, "xxe.external_dtd"},
		{"xinclude", `<xi:include href="x"/>`, Value, "", XXE, "xxe.xinclude"},
		{"ldap break", "*)(uid=*", Value, "", LDAPi, "ldapi.filter_break"},
		{"ldap filter", "(|(cn=*)(uid=x))", Value, "", LDAPi, "ldapi.filter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := d.Scan(nil, tc.in, Input{Kind: tc.kind, ParentKey: tc.parent})
			for _, m := range ms {
				if m.Category == tc.cat {
					if m.Rule != tc.rule {
						t.Errorf("Scan(%q) %s rule = %q, want %q", tc.in, tc.cat, m.Rule, tc.rule)
					}
					return
				}
			}
			t.Errorf("Scan(%q) = %v, want %s/%s", tc.in, ms, tc.cat, tc.rule)
		})
	}
}

func TestKeys(t *testing.T) {
	d := mustNew(t, Config{})
	tests := []struct {
		key, parent string
		want        Category // "" = no match
	}{
		{"$gt", "", NoSQLi},
		{"$where", "filter", NoSQLi},
		{"$schema", "", ""}, // JSON Schema keyword, not a Mongo operator
		{"$ref", "", ""},
		{"__proto__", "", ProtoPollution},
		{"__PROTO__", "", ProtoPollution},
		{"prototype", "constructor", ProtoPollution},
		{"prototype", "", ""},
		{"constructor", "", ""},
		{"a[__proto__][b]", "", ProtoPollution},
		{"price[$lt]", "", NoSQLi},
		{"user_name", "", ""},
		{"sort[desc]", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.parent+"/"+tc.key, func(t *testing.T) {
			ms := d.Scan(nil, tc.key, Input{Kind: Key, ParentKey: tc.parent})
			if tc.want == "" {
				if len(ms) != 0 {
					t.Errorf("Scan(key %q) = %v, want none", tc.key, ms)
				}
				return
			}
			if !hasCategory(ms, tc.want) {
				t.Errorf("Scan(key %q, parent %q) = %v, want %s", tc.key, tc.parent, ms, tc.want)
			}
		})
	}
}

func TestXMLBodies(t *testing.T) {
	d := mustNew(t, Config{})
	tests := []struct {
		name, body string
		xml        bool
		want       bool
	}{
		{"plain document", `<?xml version="1.0"?><order><id>7</id></order>`, true, false},
		{"internal subset", `<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "b">]><o>&a;</o>`, true, true},
		{"external dtd", `<!DOCTYPE o SYSTEM "http://evil.example/o.dtd"><o/>`, true, true},
		{"stylesheet", `<?xml-stylesheet href="http://evil.example/x.xsl"?><o/>`, true, true},
		{"stylesheet outside XML mode is XSS, not XXE", `<?xml-stylesheet href="x.xsl"?>`, false, false},
		{"entity in a plain string", `see <!ENTITY x SYSTEM "file:///etc/hosts">`, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := d.Scan(nil, tc.body, Input{XML: tc.xml})
			if got := hasCategory(ms, XXE); got != tc.want {
				t.Errorf("Scan(%q, XML=%v) XXE = %v (%v), want %v", tc.body, tc.xml, got, ms, tc.want)
			}
		})
	}
}

func TestScanAppendsAndIsDeterministic(t *testing.T) {
	d := mustNew(t, Config{})
	prev := []Match{{Rule: "keep", Category: SQLi}}
	out := d.Scan(prev, "<script>alert(1)</script>", Input{})
	if len(out) < 2 || out[0].Rule != "keep" {
		t.Fatalf("Scan did not append to dst: %v", out)
	}
	again := d.Scan(nil, "<script>alert(1)</script>", Input{})
	if fmt.Sprint(again) != fmt.Sprint(out[1:]) {
		t.Errorf("Scan not deterministic: %v vs %v", again, out[1:])
	}
	if got := d.Scan(nil, "", Input{}); len(got) != 0 {
		t.Errorf("Scan(\"\") = %v", got)
	}
}

func TestCategoriesConfig(t *testing.T) {
	d := mustNew(t, Config{Categories: []Category{XSS}})
	if ms := d.Scan(nil, "' or 1=1 --", Input{}); len(ms) != 0 {
		t.Errorf("sqli reported with only xss enabled: %v", ms)
	}
	if ms := d.Scan(nil, "<script>x</script>", Input{}); !hasCategory(ms, XSS) {
		t.Errorf("xss not reported: %v", ms)
	}
	if !d.Enabled(XSS) || d.Enabled(SQLi) || d.Enabled("nope") {
		t.Errorf("Enabled() wrong")
	}
	all := mustNew(t, Config{Categories: []Category{}})
	for _, c := range Categories() {
		if !all.Enabled(c) {
			t.Errorf("empty Categories must enable %s", c)
		}
	}
}

// NewBuiltin is New without user rules: the same categories enabled, the
// same verdicts, and the same category errors.
func TestNewBuiltin(t *testing.T) {
	inputs := []string{"' or 1=1 --", "<script>x</script>", "; cat /etc/passwd", "../../etc/passwd", "hello world"}
	for _, cats := range [][]Category{nil, {}, {XSS}, {SQLi, CmdI}} {
		b, err := NewBuiltin(cats...)
		if err != nil {
			t.Fatal(err)
		}
		n := mustNew(t, Config{Categories: cats})
		for _, c := range Categories() {
			if b.Enabled(c) != n.Enabled(c) {
				t.Errorf("categories %v: NewBuiltin enables %s: %v, New: %v", cats, c, b.Enabled(c), n.Enabled(c))
			}
		}
		for _, in := range inputs {
			if got, want := fmt.Sprint(b.Scan(nil, in, Input{})), fmt.Sprint(n.Scan(nil, in, Input{})); got != want {
				t.Errorf("categories %v, %q: NewBuiltin %s, New %s", cats, in, got, want)
			}
		}
	}
	var ce *CategoryError
	if _, err := NewBuiltin(XSS, "nope"); !errors.As(err, &ce) || ce.Value != "nope" || !errors.Is(err, ErrUnknownCategory) {
		t.Errorf("NewBuiltin(xss, nope) = %v, want a *CategoryError", err)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		sentinel error
		field    string
		mention  []string
	}{
		{"bad category", Config{Categories: []Category{SQLi, "sql"}}, ErrUnknownCategory, "", []string{`"sql"`, "Config.Categories[1]", "sqli", "ldapi"}},
		{"empty id", Config{Rules: []Rule{{Category: SQLi, Pattern: "x"}}}, ErrInvalidRule, "ID", []string{"Config.Rules[0]", "empty rule id"}},
		{"duplicate id", Config{Rules: []Rule{{ID: "a", Category: SQLi, Pattern: "x"}, {ID: "a", Category: XSS, Pattern: "y"}}}, ErrInvalidRule, "ID", []string{"Config.Rules[1]", `"a"`, "duplicate"}},
		{"rule category", Config{Rules: []Rule{{ID: "r1", Category: "bogus", Pattern: "x"}}}, ErrUnknownCategory, "Category", []string{`"r1"`, `"bogus"`}},
		{"rule category disabled", Config{Categories: []Category{XSS}, Rules: []Rule{{ID: "r2", Category: SQLi, Pattern: "x"}}}, ErrInvalidRule, "Category", []string{`"r2"`, "not enabled"}},
		{"empty pattern", Config{Rules: []Rule{{ID: "r3", Category: SQLi}}}, ErrInvalidRule, "Pattern", []string{`"r3"`, "empty pattern"}},
		{"bad pattern", Config{Rules: []Rule{{ID: "r4", Category: SQLi, Pattern: "a(b"}}}, ErrInvalidRule, "Pattern", []string{`"r4"`, "missing closing )"}},
		{"huge pattern", Config{Rules: []Rule{{ID: "r5", Category: SQLi, Pattern: strings.Repeat("a", maxRulePattern+1)}}}, ErrInvalidRule, "Pattern", []string{`"r5"`, "longer than"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(tc.cfg)
			if err == nil || d != nil {
				t.Fatalf("New() = %v, %v; want error", d, err)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("error %q does not wrap %v", err, tc.sentinel)
			}
			if tc.field != "" {
				var re *RuleError
				if !errors.As(err, &re) || re.Field != tc.field {
					t.Errorf("error %q: want *RuleError with Field %q", err, tc.field)
				}
			}
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
	var serr *syntax.Error
	_, err := New(Config{Rules: []Rule{{ID: "r", Category: SQLi, Pattern: "[z-a]"}}})
	if !errors.As(err, &serr) {
		t.Errorf("bad pattern error %v should expose *syntax.Error", err)
	}
}

func TestUserRules(t *testing.T) {
	d := mustNew(t, Config{Rules: []Rule{
		{ID: "acme.internal_path", Category: PathTraversal, Pattern: `/internal/admin`},
		{ID: "acme.sqli_word", Category: SQLi, Pattern: `\bpwned\b`},
	}})
	// matched against the normalised form: decoded and case-folded
	ms := d.Scan(nil, "%2FINTERNAL%2Fadmin", Input{})
	if len(ms) != 1 || ms[0].Rule != "acme.internal_path" || ms[0].Category != PathTraversal || ms[0].Fragment != "/internal/admin" {
		t.Errorf("user rule: got %v", ms)
	}
	// a built-in match of the same category wins (one match per category)
	ms = d.Scan(nil, "' or 1=1 -- pwned", Input{})
	if len(ms) != 1 || ms[0].Rule == "acme.sqli_word" {
		t.Errorf("built-in should take precedence: %v", ms)
	}
	if ms := d.Scan(nil, "all good here", Input{}); len(ms) != 0 {
		t.Errorf("clean string matched: %v", ms)
	}
}

func TestParseCategory(t *testing.T) {
	for _, c := range Categories() {
		got, err := ParseCategory(string(c))
		if err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	for _, bad := range []string{"", "SQLI", "sql", "path-traversal"} {
		_, err := ParseCategory(bad)
		var ce *CategoryError
		if !errors.As(err, &ce) || ce.Value != bad || !errors.Is(err, ErrUnknownCategory) {
			t.Errorf("ParseCategory(%q) error = %v", bad, err)
		}
	}
	cs := Categories()
	cs[0] = "mutated"
	if Categories()[0] != SQLi {
		t.Error("Categories returned shared storage")
	}
	if len(Categories()) != int(numCategories) {
		t.Errorf("Categories() has %d entries, want %d", len(Categories()), numCategories)
	}
	if Value.String() != "value" || Key.String() != "key" || Kind(9).String() != "Kind(9)" {
		t.Error("Kind.String")
	}
}

func TestFragmentBounds(t *testing.T) {
	d := mustNew(t, Config{})
	long := "<script>" + strings.Repeat("é", 100) + "</script>"
	ms := d.Scan(nil, long, Input{})
	if len(ms) == 0 {
		t.Fatal("no match")
	}
	checkMatches(t, long, ms)
	if !utf8.ValidString(ms[0].Fragment) {
		t.Errorf("fragment cut inside a rune: %q", ms[0].Fragment)
	}
}

func TestLargeInputs(t *testing.T) {
	d := mustNew(t, Config{})
	big := strings.Repeat("plain words, numbers 123 and (parentheses); ", 30000) // ~1.3 MB
	if ms := d.Scan(nil, big, Input{}); len(ms) != 0 {
		t.Errorf("large clean input matched: %v", ms[0])
	}
	attack := big + "' OR 'x'='x"
	if ms := d.Scan(nil, attack, Input{}); !hasCategory(ms, SQLi) {
		t.Errorf("attack at the end of a large input missed: %v", ms)
	}
	// pathological inputs stay linear: many unclosed openers
	for _, p := range []string{"<", "{{", "{%", "${", "<%", "&{", "(", "'", "%%", "&#", "\\u", "..", "$(", "//"} {
		s := strings.Repeat(p+"a", 1<<16)
		d.Scan(nil, s, Input{})
	}
}

func TestConcurrentScans(t *testing.T) {
	d := mustNew(t, Config{Rules: []Rule{{ID: "u", Category: XSS, Pattern: "zzz"}}})
	inputs := []string{"<script>x</script>", "clean text", "../../etc/passwd", "O'Brien", "%3Cscript%3E", "zzz"}
	want := make([]string, len(inputs))
	for i, s := range inputs {
		want[i] = fmt.Sprint(d.Scan(nil, s, Input{}))
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []Match
			for n := 0; n < 200; n++ {
				for i, s := range inputs {
					dst = d.Scan(dst[:0], s, Input{})
					if got := fmt.Sprint(dst); got != want[i] {
						t.Errorf("concurrent Scan(%q) = %s, want %s", s, got, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestCleanScanDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector; allocation counts are meaningless")
	}
	d := mustNew(t, Config{})
	dst := make([]Match, 0, 4)
	for _, s := range cleanEvent {
		allocs := testing.AllocsPerRun(50, func() { dst = d.Scan(dst[:0], s, Input{}) })
		if allocs != 0 {
			t.Errorf("Scan(%q) allocates %.1f times", s, allocs)
		}
	}
}

// TestAppendKeyHits: the key fast path's appendKeyHits finds what scanKey
// and appendHits do, in the same order, for keys of every shape.
func TestAppendKeyHits(t *testing.T) {
	d := mustNew(t, Config{})
	keys := []string{"$gt", "$where", "$schema", "__proto__", "prototype", "constructor", "a[__proto__][b]",
		"price[$lt]", "user_name", "sort[desc]", "email", "1a2f", "", "$ne", "PROTOTYPE", "$", "$$"}
	for _, k := range keys {
		for _, parent := range []string{"", "constructor", "filter"} {
			in := Input{Kind: Key, ParentKey: parent}
			var res [numCategories]catHit
			want := appendHits(nil, &res, d.scanKey(&res, k, in))
			if got := d.appendKeyHits(nil, k, in); !slices.Equal(got, want) {
				t.Errorf("key %q parent %q: appendKeyHits %v, scanKey %v", k, parent, got, want)
			}
		}
	}
}
