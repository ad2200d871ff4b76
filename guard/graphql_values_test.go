package guard

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// gqlValuesDoc is a query of n fields whose arguments take turns among
// values (more of them than gqlValues has slots), with the attack at
// every third field.
func gqlValuesDoc(values []string, attack string, n int) string {
	var b strings.Builder
	b.WriteString("query Q {")
	for i := range n {
		v, w := values[i%len(values)], values[(i*7+3)%len(values)]
		fmt.Fprintf(&b, " f%d(id: %s, tag: %s, n: %q) { a }", i, strconv.Quote(v), strconv.Quote(w), strconv.Itoa(i%12))
		if i%3 == 0 && attack != "" {
			fmt.Fprintf(&b, " g%d(q: %s) # %s\n", i, strconv.Quote(attack), attack)
		}
	}
	b.WriteString("}")
	return b.String()
}

func gqlGuard(t testing.TB, opts ...Option) *Guard {
	g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGraphQLValues: values repeated across a document's selections are
// judged once when clean (gqlValues) and at every place when not: the
// decision is the one of judging each (noGqlValues), past the findings
// bound too, and the attack is found.
func TestGraphQLValues(t *testing.T) {
	values := []string{"a b", "USD", "true", "kg", "red shoes", "42", "Tom & Jerry", "x y z", "EUR", "false",
		"2024-01-02", "ok", "n/a", "none", "yes", "blue", "green", "m", "s", "l", "100", "1234567", "12345678", ""}
	defer func() { noGqlValues = false }()
	for _, tc := range []struct {
		name, attack string
		n            int
	}{
		{"clean", "", 60},
		{"sqli", "' OR 1=1--", 40},
		{"xss", "<script>alert(1)</script>", 200},
		{"cmd", "$(id)", 10},
		{"digits", "0123456", 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(gqlValuesDoc(values, tc.attack, tc.n))
			for _, opts := range [][]Option{nil, {WithMaxElements(20)}} {
				noGqlValues = true
				want := gqlGuard(t, opts...).Inspect(context.Background(), bodyInv("application/graphql", body))
				noGqlValues = false
				got := gqlGuard(t, opts...).Inspect(context.Background(), bodyInv("application/graphql", body))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("with gqlValues\n%+v\nwant\n%+v", got, want)
				}
				if tc.attack != "" && tc.name != "digits" && len(got.Findings) == 0 {
					t.Fatalf("%q not found: %+v", tc.attack, got)
				}
				if tc.attack == "" && len(got.Findings) > 0 {
					t.Fatalf("clean document flagged: %+v", got)
				}
			}
		})
	}
}

// FuzzGraphQLValues: a GraphQL document of the fuzzer's values, repeated
// and mixed (in a body and in a JSON "query" member), gets the same
// decision whether gqlValue skips the values found clean before and short
// digit runs (gqlValues) or judges each (noGqlValues).
func FuzzGraphQLValues(f *testing.F) {
	for _, s := range [][3]string{{"a b", "x", "1"}, {"' OR 1=1--", "ok", "42"}, {"<script>", "a\\u0041", "0"}, {"$(id)", "true", "\"\"\""}, {"é", "\xff", "12345678"}} {
		f.Add(s[0], s[1], s[2], uint8(30))
	}
	defer func() { noGqlValues = false }()
	f.Fuzz(func(t *testing.T, v1, v2, v3 string, n uint8) {
		if len(v1)+len(v2)+len(v3) > 96 {
			return
		}
		var b strings.Builder
		b.WriteString("{")
		for i := range int(n % 80) {
			vs := [3]string{v1, v2, v3}
			fmt.Fprintf(&b, " f%d(a: \"%s\", b: \"%s\") { c }", i, vs[i%3], vs[(i*2+1)%3])
			if i%7 == 3 {
				fmt.Fprintf(&b, " # %s\n", vs[i%3])
			}
		}
		b.WriteString("}")
		doc := b.String()
		jdoc, _ := json.Marshal(doc)
		for _, in := range []*Invocation{bodyInv("application/graphql", []byte(doc)), bodyInv("application/json", []byte(`{"query":`+string(jdoc)+`}`))} {
			noGqlValues = true
			want := gqlGuard(t).Inspect(context.Background(), in)
			noGqlValues = false
			got := gqlGuard(t).Inspect(context.Background(), in)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: with gqlValues\n%+v\nwant\n%+v", doc, got, want)
			}
		}
	})
}
