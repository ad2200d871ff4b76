package guard

import (
	"context"
	"testing"
)

// TestPathShellSegment checks a command probe in the last segment of a
// URL path, judged as a value of its own (the token before its separator
// is the segment's, not the path's), an injection read as a whole value in
// a segment with a byte of code, and path segments of data with the same
// separators and bytes.
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
		// a byte of code: the segment judged whole, as a path parameter
		{"numeric tautology", "/api/users/1%20or%20true", true},
		{"statement", "/api/q/SELECT%20password%20FROM%20users%20WHERE%20id=1", true},
		{"superglobal", "/api/x/$_GET['cmd']", true},
		{"JSFuck", "/api/x/(![]+[])[+[]]+(![]+[])[!+[]+!+[]]", true},
		{"file name with blanks", "/api/files/My%20Report%20(final).pdf", false},
		{"title in parentheses", "/wiki/C++_(programming_language)", false},
		{"two words", "/api/search/select%20all", false},
		{"sum", "/api/calc/sum(1,2)", false},
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
