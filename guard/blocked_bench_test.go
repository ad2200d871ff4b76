package guard

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkBlockedStorm: bodies of one attack token repeated, blocked (the
// adversarial report's "repeated '; ls '", "repeated '../'" and "many
// attack strings (JSON)", and storms of the sweep): the cost of the findings' excerpts (redacted
// around the match, not over the whole window) on top of the detectors.
func BenchmarkBlockedStorm(b *testing.B) {
	for _, c := range []struct{ name, unit, ct string }{{"semicolon_ls", "; ls ", "text/plain"}, {"dotdot", "../", "text/plain"},
		// a JSON array of attack strings: a finding in each up to the
		// bound, their excerpts from one search of the document
		{"json_attack_strings", `"' OR 1=1--",`, "application/json"},
		// one string with findings of several categories, escaped or
		// full-width: each finding's excerpts read the string as far as
		// the match (valueDoc), not a decoded copy of all of it
		{"shell_fullwidth", "/bin/sh ｓ'or'expect://", "text/plain"}, {"escaped_dotdot_sqli", "%2e%2e%2fconstructor[169.254.169.254 ' or 1=1 ", "text/plain"},
		{"crlf_file_url", "%u%0d%0afile://ldap://", "text/plain"}} {
		for _, n := range []int{16 << 10, 1 << 20} {
			body := []byte(strings.Repeat(c.unit, n/len(c.unit)))
			if c.ct == "application/json" {
				body = append(append([]byte{'['}, body[:len(body)-1]...), ']')
			}
			b.Run(c.name+"/"+map[int]string{16 << 10: "16KB", 1 << 20: "1MB"}[n], func(b *testing.B) {
				g, _ := newTestGuard(b)
				inv := bodyInv(c.ct, body)
				ctx := context.Background()
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if d := g.Inspect(ctx, inv); d.Action != ActionBlock {
						b.Fatal(d)
					}
				}
			})
		}
	}
}
