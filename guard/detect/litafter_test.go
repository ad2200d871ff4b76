package detect

import (
	"math/rand"
	"testing"
)

// TestLitAfter checks litAfter.index against indexFrom for searches from
// positions in increasing order (the detectors' use), in any order, and
// past the end, on values where the literal is absent, rare and dense.
func TestLitAfter(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	values := []string{"", "\n.", "data\n.\r\n", "\n.\n\n.\n", "data\ndata\ndata\n", "x\n.\ry\n.\nz"}
	for range 200 {
		b := make([]byte, r.Intn(64))
		for i := range b {
			b[i] = "\n.\rab"[r.Intn(5)]
		}
		values = append(values, string(b))
	}
	for _, v := range values {
		b := []byte(v)
		for _, lit := range []string{"\n.\r", "\n.\n", "."} {
			var inc, any litAfter
			for from := 0; from <= len(b)+1; from += 1 + r.Intn(3) {
				if got, want := inc.index(b, lit, from), indexFrom(b, lit, from); got != want {
					t.Fatalf("increasing: litAfter.index(%q, %q, %d) = %d, indexFrom = %d", v, lit, from, got, want)
				}
				f := r.Intn(len(b) + 2)
				if got, want := any.index(b, lit, f), indexFrom(b, lit, f); got != want {
					t.Fatalf("any order: litAfter.index(%q, %q, %d) = %d, indexFrom = %d", v, lit, f, got, want)
				}
			}
		}
	}
}
