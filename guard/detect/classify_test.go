package detect

import (
	"math/rand/v2"
	"testing"
)

// classifyRef is classify byte by byte.
func classifyRef(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		m |= classTable[s[i]]
	}
	return m
}

// TestClassifyWords: classify, which classes eight letters, digits and
// spaces at once, gives the byte-by-byte union on strings dense in the
// bytes at the edges of those ranges.
func TestClassifyWords(t *testing.T) {
	edges := []byte{0, 0x1f, ' ', '!', '"', '/', '0', '5', '9', ':', '@', 'A', 'M', 'Z', '[', '`', 'a', 'q', 'z', '{', 0x7e, 0x7f, 0x80, 0xc3, 0xff}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			switch r.IntN(4) {
			case 0:
				b[i] = edges[r.IntN(len(edges))]
			case 1:
				b[i] = byte(r.IntN(256))
			default:
				b[i] = "abcdefghij klmnoXYZ0123 "[r.IntN(24)]
			}
		}
		s := string(b)
		if got, want := classify(s), classifyRef(s); got != want {
			t.Fatalf("case %d: classify(%q) = %#x, want %#x", n, s, got, want)
		}
		if got, want := classify(b), classifyRef(s); got != want {
			t.Fatalf("case %d: classify([]byte %q) = %#x, want %#x", n, s, got, want)
		}
	}
	// runs of lower-case letters and spaces (lowerRun reads them sixteen
	// bytes a round) with one byte of any value somewhere, or none
	for n := range 100000 {
		b := make([]byte, r.IntN(80))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz "[r.IntN(27)]
		}
		if len(b) > 0 && n%5 != 0 {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		s := string(b)
		if got, want := classify(s), classifyRef(s); got != want {
			t.Fatalf("run %d: classify(%q) = %#x, want %#x", n, s, got, want)
		}
	}
	for c := range 256 {
		s := string([]byte{'a', 'b', 'c', byte(c), 'd', 'e', 'f', 'g'})
		if got, want := classify(s), classifyRef(s); got != want {
			t.Errorf("byte %#x: classify = %#x, want %#x", c, got, want)
		}
	}
}
