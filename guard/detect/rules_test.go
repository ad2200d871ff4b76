package detect

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var updateRulesDoc = flag.Bool("update-rules-doc", false, "rewrite RULES.md from the rule inventory")

// rulePrefix is the id prefix of each category's rules.
var rulePrefix = map[Category]string{
	SQLi: "sqli.", XSS: "xss.", CmdI: "cmdi.", PathTraversal: "path.", SSRF: "ssrf.", NoSQLi: "nosqli.",
	SSTI: "ssti.", JNDI: "jndi.", ProtoPollution: "proto.", XXE: "xxe.", LDAPi: "ldapi.",
	CRLF: "crlf.", Deserialization: "deser.", AttackTool: "tool.", SessionFixation: "session.",
}

// TestRuleInventory checks the declarations themselves: unique ids with the
// category's prefix, a description, at least one attack example and at
// least one benign look-alike per rule, and the documented order.
func TestRuleInventory(t *testing.T) {
	rules := Rules()
	if len(rules) == 0 {
		t.Fatal("empty rule inventory")
	}
	seen := map[string]bool{}
	order := map[Category]int{}
	for i, c := range Categories() {
		order[c] = i
	}
	for i, r := range rules {
		t.Run(r.ID, func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("duplicate rule id %q", r.ID)
			}
			seen[r.ID] = true
			p, ok := rulePrefix[r.Category]
			if !ok {
				t.Fatalf("rule %q: no id prefix for category %q", r.ID, r.Category)
			}
			if !strings.HasPrefix(r.ID, p) || len(r.ID) == len(p) {
				t.Errorf("rule %q of category %s: id must start with %q", r.ID, r.Category, p)
			}
			if strings.TrimSpace(r.Description) == "" || strings.Contains(r.Description, "\n") {
				t.Errorf("rule %q: want a one-line description, got %q", r.ID, r.Description)
			}
			if len(r.Attacks) == 0 {
				t.Errorf("rule %q has no attack examples", r.ID)
			}
			if len(r.Benign) == 0 {
				t.Errorf("rule %q has no benign look-alike examples", r.ID)
			}
			if r.Confidence > Low {
				t.Errorf("rule %q: bad confidence %v", r.ID, r.Confidence)
			}
			if got, ok := LookupRule(r.ID); !ok || got.ID != r.ID {
				t.Errorf("LookupRule(%q) = %v, %v", r.ID, got.ID, ok)
			}
		})
		if i > 0 {
			p := rules[i-1]
			if order[p.Category] > order[r.Category] || (p.Category == r.Category && p.ID >= r.ID) {
				t.Errorf("inventory order: %q after %q (want category order, then id)", r.ID, p.ID)
			}
		}
	}
	if IsRule("sqli.nope") || IsRule("") {
		t.Error("IsRule accepted an undeclared id")
	}
}

// TestRuleExamples runs every rule's examples: each attack must be
// reported with the rule's id (and also with the gates bypassed), each
// benign look-alike must produce no match at all.
func TestRuleExamples(t *testing.T) {
	d := mustNew(t, Config{})
	for _, r := range Rules() {
		in := Input{Kind: r.Kind, ParentKey: r.Parent, XML: r.XML}
		for i, a := range r.Attacks {
			t.Run(fmt.Sprintf("%s/attack/%d", r.ID, i), func(t *testing.T) {
				ms := d.Scan(nil, a, in)
				if !hasRule(ms, r.ID) {
					t.Errorf("Scan(%q, %+v) = %v, want rule %s", a, in, ms, r.ID)
				}
				checkMatches(t, a, ms)
			})
		}
		for i, b := range r.Benign {
			t.Run(fmt.Sprintf("%s/benign/%d", r.ID, i), func(t *testing.T) {
				for _, k := range []Kind{Value, Key} {
					if ms := d.Scan(nil, b, Input{Kind: k}); len(ms) != 0 {
						t.Errorf("Scan(%q, %v) = %v, want no match", b, k, ms)
					}
				}
			})
		}
	}
}

// TestRuleExamplesFreshState: every attack example is found when its scan
// starts from a new state (no buffer left by an earlier scan), as after a
// GC or under the race detector, which drops pooled items: f528e4c gave
// the cmd.exe reading a scratch buffer sized for the decoded text, and
// the shell lexer cut its view at that size, so "& echo %CD%" passed
// unless an earlier scan had grown the buffer.
func TestRuleExamplesFreshState(t *testing.T) {
	d := mustNew(t, Config{})
	freshStates = true
	defer func() { freshStates = false }()
	for _, r := range Rules() {
		in := Input{Kind: r.Kind, ParentKey: r.Parent, XML: r.XML}
		for i, a := range r.Attacks {
			if ms := d.Scan(nil, a, in); !hasRule(ms, r.ID) {
				t.Errorf("%s/attack/%d: Scan(%q) from a fresh state = %v, want rule %s", r.ID, i, a, ms, r.ID)
			}
		}
	}
}

// TestLengthInvariance: how long a value is never decides whether an
// attack in it is seen. Each rule's attack examples are padded on one side
// or both with filler lines, once to about 1 KB and once past every size
// bound a detector has had (64 KB); the category found must be the same
// (a bound that stopped reading a value's cmd.exe variables after 4 KB let
// "& echo %CD%" after 70 KB of digits pass).
func TestLengthInvariance(t *testing.T) {
	d := mustNew(t, Config{})
	fillers := []string{"\n", "0123456789"}
	sizes := []int{1 << 10, 70 << 10}
	if testing.Short() {
		sizes[1] = 20 << 10
	}
	for _, r := range Rules() {
		if r.Kind != Value || r.XML || r.Parent != "" {
			continue
		}
		in := Input{Kind: Value}
		for i, a := range r.Attacks {
			for _, f := range fillers {
				t.Run(fmt.Sprintf("%s/%d/%q", r.ID, i, f), func(t *testing.T) {
					for place := range 3 {
						var seen [2]bool
						for k, n := range sizes {
							pad := strings.Repeat(f, n/len(f))
							v := [...]string{pad + " " + a, a + " " + pad, pad + " " + a + " " + pad}[place]
							seen[k] = hasCategory(d.Scan(nil, v, in), r.Category)
						}
						if seen[0] != seen[1] {
							t.Errorf("%q padded with %q (placement %d): %s found at %d bytes: %v, at %d bytes: %v", a, f, place, r.Category, sizes[0], seen[0], sizes[1], seen[1])
						}
					}
				})
			}
		}
	}
}

func hasRule(ms []Match, id string) bool {
	for _, m := range ms {
		if m.Rule == id {
			return true
		}
	}
	return false
}

// ruleLiteral finds rule ids written as string literals in the detector
// sources.
var ruleLiteral = regexp.MustCompile(`"((?:sqli|xss|cmdi|path|ssrf|nosqli|ssti|jndi|proto|xxe|ldapi|crlf|deser|tool|session)\.[a-z0-9_]+)"`)

// TestRuleIDsDeclared checks that every rule id a detector can report is
// declared in the inventory, and that every declared rule is reported by
// some detector.
func TestRuleIDsDeclared(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "rules_data.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ruleLiteral.FindAllSubmatch(src, -1) {
			used[string(m[1])] = f
		}
	}
	for id, f := range used {
		if !IsRule(id) {
			t.Errorf("%s reports rule %q, which is not declared in rules_data.go", f, id)
		}
	}
	for _, r := range Rules() {
		if _, ok := used[r.ID]; !ok {
			t.Errorf("rule %q is declared but no detector source reports it", r.ID)
		}
	}
}

// TestRulesDoc checks that RULES.md is generated from the inventory (go
// generate rewrites it).
//
//go:generate go test -run ^TestRulesDoc$ -args -update-rules-doc
func TestRulesDoc(t *testing.T) {
	for _, f := range []struct {
		name string
		want []byte
	}{{"RULES.md", rulesDoc()}, {"rules_ids.go", ruleIDsFile()}} {
		if *updateRulesDoc {
			if err := os.WriteFile(f.name, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s: %d rules", f.name, len(Rules()))
			continue
		}
		got, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatalf("%v: run go generate ./guard/detect", err)
		}
		if !bytes.Equal(got, f.want) {
			t.Fatalf("%s does not match the rule inventory: run go generate ./guard/detect", f.name)
		}
	}
}

// ruleIDsFile is rules_ids.go: the ids of ruleInventory, which IsRule reads.
func ruleIDsFile() []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by go test -run ^TestRulesDoc$ -args -update-rules-doc; DO NOT EDIT.\n\n")
	b.WriteString("package detect\n\n")
	b.WriteString("// ruleIDs holds the id of every rule of ruleInventory, each between two\n")
	b.WriteString("// newlines: IsRule reads it, so that checking an id does not link the\n")
	b.WriteString("// inventory's descriptions and examples.\n")
	b.WriteString("const ruleIDs = `\n")
	for _, r := range Rules() {
		b.WriteString(r.ID + "\n")
	}
	b.WriteString("`\n")
	return b.Bytes()
}

// TestIsRule checks IsRule (which reads ruleIDs) against the inventory.
func TestIsRule(t *testing.T) {
	for _, r := range Rules() {
		if !IsRule(r.ID) {
			t.Errorf("IsRule(%q) = false for a rule of the inventory", r.ID)
		}
		if _, ok := LookupRule(r.ID); !ok {
			t.Errorf("LookupRule(%q) found nothing", r.ID)
		}
		for _, near := range []string{r.ID[:len(r.ID)-1], r.ID + "x", "x" + r.ID, r.ID + "\n", "\n" + r.ID, strings.ToUpper(r.ID)} {
			if _, ok := LookupRule(near); IsRule(near) != ok {
				t.Errorf("IsRule(%q) = %v, LookupRule says %v", near, IsRule(near), ok)
			}
		}
	}
	for _, s := range []string{"", "\n", "sqli", "sqli.", string(SQLi), "custom.x"} {
		if IsRule(s) {
			t.Errorf("IsRule(%q) = true", s)
		}
	}
}

func rulesDoc() []byte {
	var b bytes.Buffer
	rules := Rules()
	b.WriteString("<!-- Code generated by go test -run ^TestRulesDoc$ -args -update-rules-doc; DO NOT EDIT. -->\n\n")
	b.WriteString("# fnguard detection rules\n\n")
	fmt.Fprintf(&b, "%d built-in rules. Each finding reports one of these ids (`Finding.Rule`); ", len(rules))
	b.WriteString("`FNGUARD_EXCLUDE` and `guard.WithExclusion` accept them as well as categories, ")
	b.WriteString("e.g. `FNGUARD_EXCLUDE=\"body.query=sqli.tautology\"`.\n")
	b.WriteString("The attack examples and benign look-alikes below are the rule's table tests (`TestRuleExamples`).\n\n")
	b.WriteString("| rule | category | confidence |\n|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, anchor(r.ID), r.Category, r.Confidence)
	}
	cat := Category("")
	for _, r := range rules {
		if r.Category != cat {
			cat = r.Category
			fmt.Fprintf(&b, "\n## %s\n", cat)
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", r.ID, r.Description)
		fmt.Fprintf(&b, "- category: `%s`, confidence: %s", r.Category, r.Confidence)
		if r.Kind == Key {
			b.WriteString(", applies to object keys and parameter names")
		}
		if r.XML {
			b.WriteString(", applies to XML request bodies")
		}
		b.WriteString("\n- attacks:\n")
		for _, a := range r.Attacks {
			fmt.Fprintf(&b, "  - %s\n", mdCode(a))
		}
		b.WriteString("- benign look-alikes (must pass):\n")
		for _, a := range r.Benign {
			fmt.Fprintf(&b, "  - %s\n", mdCode(a))
		}
	}
	return b.Bytes()
}

func anchor(id string) string {
	return strings.NewReplacer(".", "", "_", "_").Replace(id)
}

// mdCode renders s as inline code, with control bytes escaped.
func mdCode(s string) string {
	q := fmt.Sprintf("%q", s)
	q = q[1 : len(q)-1]
	q = strings.ReplaceAll(q, `\"`, `"`)
	fence := "`"
	for strings.Contains(q, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(q, "`") || strings.HasSuffix(q, "`") {
		pad = " "
	}
	return fence + pad + q + pad + fence
}
