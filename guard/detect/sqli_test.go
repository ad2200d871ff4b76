package detect

import (
	"strings"
	"testing"
)

// sqlRule scans s and returns the SQL rule reported ("" for none).
func sqlRule(d *Detector, s string) string {
	for _, m := range d.Scan(nil, s, Input{Kind: Value}) {
		if m.Category == SQLi {
			return m.Rule
		}
	}
	return ""
}

// TestSQLWindows checks that the windowed judgement of long token streams
// finds position-independent injections wherever they sit relative to the
// window boundaries, and keeps long benign streams clean.
func TestSQLWindows(t *testing.T) {
	d := mustNew(t, Config{})
	attacks := []struct{ name, in, rule string }{
		{"union", "x) union select 1,2 from users", "sqli.union"},
		{"stacked", "x; drop table users; x", "sqli.stacked"},
		{"time", "x and sleep(5)", "sqli.time"},
		{"function", "x and extractvalue(1,concat(0x7e,version()))", "sqli.function"},
	}
	// "a, " lexes to two tokens: a pad of k units puts the payload at
	// token 2k, on both sides of each boundary.
	for _, k := range []int{0, 300, (sqlWindow-sqlLook)/2 - 3, (sqlWindow-sqlLook)/2 + 1, sqlWindow/2 - 2, sqlWindow, 5000} {
		pad := strings.Repeat("a, ", k)
		for _, a := range attacks {
			t.Run(a.name, func(t *testing.T) {
				if got := sqlRule(d, pad+a.in); got != a.rule {
					t.Errorf("after %d pad tokens: %q reported %q, want %q", 2*k, a.in, got, a.rule)
				}
			})
		}
	}
	for _, b := range []string{"It's O'Brien's, and D'Angelo's (1 or 2) - ", "x = 1, y = 2; ", "select the 3rd (or 4th) item; "} {
		t.Run("benign", func(t *testing.T) {
			s := strings.Repeat(b, 3*sqlWindow/len(b)+7)
			if got := sqlRule(d, s); got != "" {
				t.Errorf("%d bytes of %q reported %q", len(s), b, got)
			}
		})
	}
}
