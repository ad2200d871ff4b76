package guard

import (
	"context"
	"strings"
	"testing"
)

// The excerpt of a finding is redacted on the value as sent, before it is
// decoded, lower-cased or cut: nothing of a secret next to an attack
// survives, whatever its case, encoding or distance from the attack, and a
// secret sent as a name does not survive in the location or the reason.
func TestExcerptRedactsBeforeNormalisingAndCutting(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "Qm8tZz9vXr2Lp4Wk7Ns1Jd5Hf3Gb6Cv0Ty8Ue2Ai")
	g, _ := newTestGuard(t)
	for _, tc := range []struct {
		name, value, leak string
	}{
		{"AWS key id after SQL injection", "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE", "IOSFODNN"},
		{"card straddling the excerpt limit", "' OR 1=1 -- see the order notes for the delivery team 4111111111111111", "11111111"},
		{"GitHub token straddling the limit", "' OR 1=1 -- see the order notes for the delivery team ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcD"},
		{"JWT cut mid-signature", "' OR 1=1 -- see the notes eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNry"},
		{"URL-escaped Google key", "%27%20OR%201%3D1%20--%20AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "9tSrke72"},
		{"own credential lower-cased", "' or 1=1 -- qm8tzz9vxr2lp4wk7ns1jd5hf3gb6cv0ty8ue2ai", "qm8tzz9v"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = tc.value }))
			if d.Action != ActionBlock || len(d.Findings) == 0 {
				t.Fatalf("not blocked: %+v", d)
			}
			for _, f := range d.Findings {
				if strings.Contains(strings.ToLower(f.Excerpt), strings.ToLower(tc.leak)) {
					t.Errorf("excerpt %q leaks %q", f.Excerpt, tc.leak)
				}
				if !strings.Contains(strings.ToLower(f.Excerpt), "1=1") {
					t.Errorf("excerpt %q does not show the attack", f.Excerpt)
				}
			}
		})
	}
	t.Run("secret as a header name", func(t *testing.T) {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
			i.Headers = append(i.Headers, Param{"akiaiosfodnn7example", "' OR 1=1 --"})
		}))
		if d.Action != ActionBlock {
			t.Fatalf("not blocked: %+v", d)
		}
		if strings.Contains(d.Findings[0].Location, "iosfodnn") || strings.Contains(d.Reason, "iosfodnn") || strings.Contains(d.Err().Error(), "iosfodnn") {
			t.Errorf("location %q / reason %q leak the header name", d.Findings[0].Location, d.Reason)
		}
		if d.Findings[0].Location != "headers.[REDACTED]" {
			t.Errorf("location = %q", d.Findings[0].Location)
		}
	})
	t.Run("excerpt keeps the attack's case", func(t *testing.T) {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE" }))
		if got := d.Findings[0].Excerpt; got != "' OR 1=1 -- [REDACTED]" {
			t.Errorf("excerpt = %q", got)
		}
	})
}
