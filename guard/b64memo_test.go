package guard

import (
	"context"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// TestB64Memo: base64Text's memo (the last string judged at a depth that
// reported nothing) changes no decision: invocations of repeated base64
// documents, clean and not, where a finding is dropped (an exclusion, a
// category off, the findings bound) or filtered (an address header's SSRF)
// at one place and kept at another, nested base64 and deny patterns, are
// inspected with and without it, by guards configured each way.
func TestB64Memo(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	clean := enc(`{"name":"red shoes","tags":["a","b"],"qty":2}`)
	sqli := enc(`{"q":"' OR 1=1--"}`)
	ssrf := enc("http://169.254.169.254/latest/meta-data/")
	nested := enc(`{"x":"` + sqli + `","y":"` + clean + `"}`)
	many := strings.Repeat(`"' OR 1=1--",`, 70)
	jsonBody := func(b string) func() *Invocation {
		return func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte(b)}
		}
	}
	arr := func(vs ...string) string { return `["` + strings.Join(vs, `","`) + `"]` }
	invs := map[string]func() *Invocation{
		"clean repeated, then an attack": jsonBody(arr(clean, clean, clean, sqli, clean, sqli)),
		"excluded, then not":             jsonBody(`{"a":"` + sqli + `","b":"` + sqli + `","a2":"` + clean + `","b2":"` + clean + `"}`),
		"nested base64":                  jsonBody(arr(nested, nested, clean, nested)),
		"past the bound":                 jsonBody("[" + many + `"` + clean + `","` + sqli + `","` + sqli + `","` + clean + `"]`),
		"address header, then body": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json",
				Headers: []Param{{Name: "x-forwarded-for", Value: ssrf}, {Name: "x-forwarded-for", Value: ssrf}},
				Body:    []byte(arr(ssrf, ssrf))}
		},
		"query and form": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/x-www-form-urlencoded",
				Query: []Param{{Name: "a", Value: clean}, {Name: "b", Value: sqli}, {Name: "c", Value: clean}},
				Body:  []byte("a=" + clean + "&b=" + sqli + "&c=" + sqli + "&" + clean + "=1")}
		},
	}
	guards := map[string][]Option{
		"default":        nil,
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"sqli off":       {WithCategoryMode(SQLi, Off)},
		"excluded a":     {WithExclusion("body.a**")},
		"custom rule":    {WithDenyPattern("no-shoes", `red shoes`)},
	}
	defer func() { noB64Memo = false }()
	found := 0
	for gname, opts := range guards {
		g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		for iname, inv := range invs {
			noB64Memo = true
			want := g.Inspect(context.Background(), inv())
			noB64Memo = false
			got := g.Inspect(context.Background(), inv())
			found += len(want.Findings)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: with the memo\n%+v\nwant\n%+v", gname, iname, got, want)
			}
		}
	}
	if found == 0 {
		t.Fatal("no finding at all: the test says little")
	}
}
