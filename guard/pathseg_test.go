package guard

import (
	"context"
	"testing"
)

// TestPathShellSegment checks a command probe in the last segment of a
// URL path, judged as a value of its own (the token before its separator
// is the segment's, not the path's), and path segments of data with the
// same separators.
func TestPathShellSegment(t *testing.T) {
	g, _ := newTestGuard(t)
	cases := []struct {
		name, path string
		block      bool
	}{
		{"placeholder and a bare command", "/api/items/x%3Bip%20a", true},
		{"number and a bare command", "/api/items/1%7Cip%20route", true},
		{"word alone", "/api/items/%3Bgroups", true},
		{"trailing slash", "/api/items/%3Bgroups/", true},
		{"separator as sent", "/api/items/x;ip a", true},
		{"capitalised word", "/api/items/%3BON", false},
		{"initials", "/api/teams/R%26D", false},
		{"matrix parameter", "/api/items;jsessionid=abc/view", false},
		{"plain path", "/api/items/42", false},
		{"words", "/api/tags/yes%3Bno", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "GET", Path: c.path})
			if got := d.Action == ActionBlock; got != c.block {
				t.Errorf("Inspect(path %q) = %v %v, want block %v", c.path, d.Action, d.Findings, c.block)
			}
		})
	}
}
