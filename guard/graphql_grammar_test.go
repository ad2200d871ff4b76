package guard

import (
	"context"
	"strings"
	"testing"
)

// TestGraphQLNotAHidingPlace: a string is judged by its GraphQL values
// only when it is an executable GraphQL document; text in braces that the
// grammar does not allow in a selection set (values, variables, "{{",
// template syntax) is inspected as text, so wrapping an attack in braces
// does not hide it.
func TestGraphQLNotAHidingPlace(t *testing.T) {
	g, _ := newTestGuard(t)
	tests := []struct {
		name, v string
		block   bool
	}{
		{"template in braces", `{{request|attr("__class__")}}`, true},
		{"expression in braces", `{${sleep(10)}}`, true},
		{"operator in braces", `{ $ne: 1 }`, true},
		{"query with id fields", "{\n  user(id: 1) {\n    id\n    name\n  }\n}", false},
		{"mutation with an object value", `mutation { add(input: {name: "x", tags: ["a"]}) { id } }`, false},
		{"variables and fragments", `query Q($id: ID!) { user(id: $id) { ...F @include(if: true) } } fragment F on User { id }`, false},
		{"inline fragment without a type condition", "query Q($on: Boolean) {\n  node(id: 4) {\n    ... {\n      id\n    }\n    ... @skip(if: $on) {\n      name\n    }\n  }\n}", false},
		{"shorthand query after a definition", "mutation like {\n  like(story: 123) { id }\n}\n\n{\n  unnamed(truthy: true),\n  query\n}", false},
		{"spread of braces in text", `text ... { ; cat /etc/passwd }`, true},
		{"braces after a field set at depth", "query { a { b } { ;cat /etc/passwd } }", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &Invocation{Source: SourceHTTP, Method: "GET", Path: "/graphql", Query: []Param{{Name: "query", Value: tc.v}}}
			d := g.Inspect(context.Background(), inv)
			if got := d.Action == ActionBlock; got != tc.block {
				t.Errorf("%q: action %s (%v), want block=%v", tc.v, d.Action, d.Findings, tc.block)
			}
		})
	}
}

// TestGraphQLOnePass: the pass that checks a document's grammar judges
// its values as it reads them; when the document turns out not to be
// GraphQL (here: unbalanced at its very end), what those values reported
// is undone and the body is judged as text, as it was when the grammar
// was checked in a pass of its own first.
func TestGraphQLOnePass(t *testing.T) {
	g, _ := newTestGuard(t)
	inspect := func(body string) Decision {
		return g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/graphql",
			ContentType: "application/graphql", Body: []byte(body)})
	}
	valid := `query { user(name: "x' OR 1=1--") { id } }`
	d := inspect(valid)
	if len(d.Findings) == 0 || d.Findings[0].Location != "body<graphql>.name" {
		t.Fatalf("%q: findings %v, want one at body<graphql>.name", valid, d.Findings)
	}
	for _, body := range []string{valid[:len(valid)-1], valid + " }", valid[:len(valid)-1] + "]"} {
		d := inspect(body)
		if len(d.Findings) == 0 {
			t.Fatalf("%q: no finding", body)
		}
		for _, f := range d.Findings {
			if strings.Contains(f.Location, "<graphql>") {
				t.Errorf("%q: finding %s at %s kept from the GraphQL attempt", body, f.Rule, f.Location)
			}
		}
	}
}
