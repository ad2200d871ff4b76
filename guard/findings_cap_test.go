package guard

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/detect"

	"go.uber.org/zap"
)

// TestFindingsBounded: a body of many attack strings keeps at most
// maxFindings findings (plus the first of each action in a later record),
// and the decision is the one all findings would give: action, reason
// (the first blocking finding) and every blocked record of a batch.
func TestFindingsBounded(t *testing.T) {
	g, err := New(WithoutEnv(), WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	attacks := func(n int) []byte {
		return []byte(`["` + strings.Repeat(`' OR 1=1--","`, n-1) + `' OR 1=1--"]`)
	}
	t.Run("one body", func(t *testing.T) {
		d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p",
			ContentType: "application/json", Body: attacks(500)})
		if d.Action != ActionBlock || d.Status != 403 {
			t.Fatalf("decision %v %d, want block 403", d.Action, d.Status)
		}
		if len(d.Findings) != maxFindings {
			t.Errorf("%d findings, want %d", len(d.Findings), maxFindings)
		}
		if !strings.Contains(d.Reason, "body[0]") {
			t.Errorf("reason %q, want the first string's finding", d.Reason)
		}
	})
	t.Run("batch", func(t *testing.T) {
		inv := &Invocation{Source: SourceSQS}
		for i := range 5 {
			body := attacks(40)
			if i == 3 {
				body = []byte(`{"clean":true}`)
			}
			inv.Records = append(inv.Records, Record{ID: string(rune('a' + i)), Body: body})
		}
		d := g.Inspect(context.Background(), inv)
		if want := []int{0, 1, 2, 4}; !slices.Equal(d.BlockedRecords, want) {
			t.Errorf("blocked records %v, want %v", d.BlockedRecords, want)
		}
		if len(d.Findings) > maxFindings+3 {
			t.Errorf("%d findings, want at most %d", len(d.Findings), maxFindings+3)
		}
	})
}

// TestFindingsBoundShortcut: once the findings reach maxFindings and the
// record already has a finding of each action a detector's finding could
// take, its strings are no longer judged (scanner.detector). The decision
// — action, status, reason, blocked records — and every finding kept must
// be exactly those of judging every string.
func TestFindingsBoundShortcut(t *testing.T) {
	attack := `' OR 1=1--`
	tool := `sqlmap/1.7.2#stable (https://sqlmap.org)`
	b64 := base64.StdEncoding.EncodeToString([]byte(`<script>alert(1)</script>`))
	jsonOf := func(n int, tail ...string) []byte {
		vs := make([]string, 0, n+len(tail))
		for range n {
			vs = append(vs, strconv.Quote(attack))
		}
		for _, t := range tail {
			vs = append(vs, strconv.Quote(t))
		}
		return []byte("[" + strings.Join(vs, ",") + "]")
	}
	formOf := func(n int, tail string) []byte {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "f%d=%s&", i, url.QueryEscape(attack))
		}
		return []byte(b.String() + tail)
	}
	body := func(ct string, b []byte) *Invocation {
		return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: ct, Body: b}
	}
	invs := map[string]func() *Invocation{
		"json":               func() *Invocation { return body("application/json", jsonOf(300)) },
		"json, tool after":   func() *Invocation { return body("application/json", jsonOf(300, tool, "benign", tool)) },
		"json, base64 after": func() *Invocation { return body("application/json", jsonOf(300, b64, tool)) },
		"json, nested after": func() *Invocation { return body("application/json", jsonOf(300, `{"a":"`+tool+`"}`)) },
		"form, bad UTF-8 after": func() *Invocation {
			return body("application/x-www-form-urlencoded", formOf(200, "x=%ff&y="+url.QueryEscape(tool)))
		},
		"text after a JSON cap": func() *Invocation {
			inv := body("application/json", jsonOf(100))
			inv.Query = []Param{{Name: "q", Value: attack}}
			return inv
		},
		"batch": func() *Invocation {
			inv := &Invocation{Source: SourceSQS}
			for i := range 6 {
				var b []byte
				switch i {
				case 2:
					b = []byte(`{"clean":true}`)
				case 3:
					b = jsonOf(70, tool)
				case 4:
					b = []byte("not json \xff " + attack)
				default:
					b = jsonOf(90)
				}
				inv.Records = append(inv.Records, Record{ID: strconv.Itoa(i), Body: b})
			}
			return inv
		},
	}
	guards := map[string][]Option{
		"default":        nil,
		"tools block":    {WithCategoryMode(AttackTool, Block)},
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"xss monitored":  {WithCategoryMode(XSS, Monitor)},
		"custom rule":    {WithDenyPattern("no-sqlmap", `sqlmap/`)},
		"custom monitor": {WithDenyPattern("no-sqlmap", `sqlmap/`), WithCategoryMode(Custom, Monitor)},
	}
	defer func() { noSaturation = false }()
	for gname, opts := range guards {
		g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		for iname, inv := range invs {
			noSaturation = true
			want := g.Inspect(context.Background(), inv())
			noSaturation = false
			got := g.Inspect(context.Background(), inv())
			if len(want.Findings) < maxFindings {
				t.Errorf("%s, %s: %d findings: the case does not reach the bound", gname, iname, len(want.Findings))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: with the shortcut\n%+v\nwant\n%+v", gname, iname, got, want)
			}
		}
	}
}

// TestMonitorDetector: the detector of the categories in monitor mode
// (Guard.detMon) finds in a string exactly the matches of those categories
// the full detector finds, for every rule example, as value and as key.
func TestMonitorDetector(t *testing.T) {
	full, err := detect.New(detect.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range detect.Categories() {
		one, err := detect.New(detect.Config{Categories: []detect.Category{c}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range detect.Rules() {
			for _, s := range append(append([]string{}, r.Attacks...), r.Benign...) {
				for _, in := range []detect.Input{{}, {Kind: detect.Key, ParentKey: "constructor"}} {
					var want []detect.Match
					for _, m := range full.Scan(nil, s, in) {
						if m.Category == c {
							want = append(want, m)
						}
					}
					if got := one.Scan(nil, s, in); !reflect.DeepEqual(got, want) {
						t.Errorf("%s only, %q (%v): %+v, want %+v", c, s, in.Kind, got, want)
					}
				}
			}
		}
	}
}

// TestMatchMemo: scanString's memo of the last short string's detector
// matches leaves every decision as judging each string afresh does:
// repeated attack strings as values and as keys, strings a byte apart,
// under prototype keys (a parent key), in a form, a query, an XML body,
// base64 and JSON inside strings, a batch, past the findings bound, with
// monitored categories and a deny pattern.
func TestMatchMemo(t *testing.T) {
	attack := `' OR 1=1--`
	b64 := base64.StdEncoding.EncodeToString([]byte(attack))
	many := strings.TrimSuffix(strings.Repeat(strconv.Quote(attack)+",", 80), ",")
	body := func(ct, b string) func() *Invocation {
		return func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: ct, Body: []byte(b)}
		}
	}
	invs := map[string]func() *Invocation{
		"alike strings":                     body("application/json", `["' OR 1=1--","' OR 2=2--","' OR 1=1--","' or 1=1--","' OR 1=1--"]`),
		"value, then key":                   body("application/json", `{"a":"__proto__","__proto__":{"x":1},"b":"' OR 1=1--","' OR 1=1--":1}`),
		"values and keys":                   body("application/json", `{"' OR 1=1--":"' OR 1=1--","a":"' OR 1=1--","' OR 1=1--x":"' OR 1=1--","b":"' OR 2=2--"}`),
		"prototype keys":                    body("application/json", `{"constructor":{"prototype":{"x":1}},"a":{"prototype":"prototype"},"prototype":{"prototype":1}}`),
		"array past the bound, then others": body("application/json", "["+many+`,"<script>alert(1)</script>","`+b64+`","{\"q\":\"' OR 1=1--\"}","`+attack+`"]`),
		"base64 and nested":                 body("application/json", `["`+b64+`","`+b64+`","{\"q\":\"' OR 1=1--\"}","{\"q\":\"' OR 1=1--\"}"]`),
		"form":                              body("application/x-www-form-urlencoded", "a=%27+OR+1%3D1--&b=%27+OR+1%3D1--&%27+OR+1%3D1--=x&c=%ff"),
		"xml":                               body("application/xml", `<r><a>' OR 1=1--</a><a>' OR 1=1--</a><b x="' OR 1=1--"/></r>`),
		"query": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "GET", Path: "/p", Query: []Param{{Name: "q", Value: attack}, {Name: "r", Value: attack}, {Name: attack, Value: "1"}}}
		},
		"batch": func() *Invocation {
			inv := &Invocation{Source: SourceSQS}
			for i := range 4 {
				inv.Records = append(inv.Records, Record{ID: strconv.Itoa(i), Body: []byte("[" + many + "]")})
			}
			return inv
		},
	}
	guards := map[string][]Option{
		"default":        nil,
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"custom rule":    {WithDenyPattern("no-or", `OR 1=1`)},
	}
	defer func() { noMatchMemo = false }()
	for gname, opts := range guards {
		g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		for iname, inv := range invs {
			noMatchMemo = true
			want := g.Inspect(context.Background(), inv())
			noMatchMemo = false
			got := g.Inspect(context.Background(), inv())
			if len(want.Findings) == 0 {
				t.Errorf("%s, %s: no finding: the case tests nothing", gname, iname)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: with the memo\n%+v\nwant\n%+v", gname, iname, got, want)
			}
		}
	}
}
