package guard

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkBlockedStorm: text bodies of one attack token repeated, blocked
// (the adversarial report's "repeated '; ls '" and "repeated '../'"): the
// cost of the finding's excerpt (redacted around the match, not over the
// whole window) on top of the detectors.
func BenchmarkBlockedStorm(b *testing.B) {
	for _, c := range []struct{ name, unit string }{{"semicolon_ls", "; ls "}, {"dotdot", "../"}} {
		for _, n := range []int{16 << 10, 1 << 20} {
			body := []byte(strings.Repeat(c.unit, n/len(c.unit)))
			b.Run(c.name+"/"+map[int]string{16 << 10: "16KB", 1 << 20: "1MB"}[n], func(b *testing.B) {
				g, _ := newTestGuard(b)
				inv := bodyInv("text/plain", body)
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
