package guard

import (
	"context"
	"testing"
)

// TestInvalidJSONBodyJudgedAsText: a body whose content type says JSON but
// that does not parse is refused (400) — and judged as text as well, so an
// attack sent that way is blocked as the attack it is (403 outranks 400),
// while benign malformed input keeps its precise 400.
func TestInvalidJSONBodyJudgedAsText(t *testing.T) {
	g, _ := newTestGuard(t)
	tests := []struct {
		name, body string
		status     int
		category   Category
	}{
		{"tautology as the whole body", `1' OR '1'='1`, 403, SQLi},
		{"script after a broken object", `{"comment": "<script>alert(1)</script>"`, 403, XSS},
		{"command in a bare word list", `name; cat /etc/passwd`, 403, CmdI},
		{"prose", `hello, this is not JSON`, 400, Validation},
		{"a truncated object", `{"order": 42, "note": "leave at the door"`, 400, Validation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/orders", ContentType: "application/json", Body: []byte(tt.body)})
			if d.Status != tt.status {
				t.Fatalf("status %d (%s), want %d", d.Status, d.Reason, tt.status)
			}
			var invalid, cat bool
			for _, f := range d.Findings {
				invalid = invalid || f.Rule == "validation.invalid_json"
				cat = cat || f.Category == tt.category
			}
			if !invalid || !cat {
				t.Errorf("findings %+v: want validation.invalid_json and %s", d.Findings, tt.category)
			}
		})
	}
}
