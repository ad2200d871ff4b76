package guard

import (
	"context"
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
