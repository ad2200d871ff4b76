package detect

import (
	"math/rand/v2"
	"testing"
)

// TestBlankMask checks the eight-byte blank test against isSpace.
func TestBlankMask(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			x := uint64(c) << (8 * pos)
			x |= uint64(0x41) << (8 * ((pos + 1) % 8)) // another byte beside it
			want := uint64(0)
			if isSpace(byte(c)) {
				want = 0x80 << (8 * pos)
			}
			if got := blankMask(x); got != want {
				t.Fatalf("blankMask(%#x) = %#x, want %#x", x, got, want)
			}
		}
	}
}

// TestBlankRuns checks that scans through blankRuns step over a run of
// blanks to where skipSpaces ends it and tokenEnd counts the tokens as a
// byte-by-byte count does, for scans from increasing starts over random
// texts of words and blank runs.
func TestBlankRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		var b []byte
		for len(b) < 2000 {
			if rng.IntN(2) == 0 {
				b = append(b, "ab(\x00\x08\x0e\x1f!\x89\xa0\x8b"[rng.IntN(11)])
			} else {
				for range rng.IntN(60) {
					b = append(b, " \t\n\r"[rng.IntN(4)])
				}
			}
		}
		var br, bt blankRuns
		for p := 0; p < len(b); p += 1 + rng.IntN(40) {
			cur := br.begin(p)
			for k := p; k < len(b); k++ {
				if isSpace(b[k]) {
					got, want := br.skip(b, k, &cur), skipSpaces(b, k)
					if got != want {
						t.Fatalf("skip at %d (scan from %d): %d, want %d", k, p, got, want)
					}
					k = got - 1
				}
			}
			lim, max := min(len(b), p+rng.IntN(1500)), rng.IntN(100)
			want, tokens := lim, 0
			for k := p; k < lim; k++ {
				if !isSpace(b[k]) {
					if tokens == max {
						want = k
						break
					}
					tokens++
				}
			}
			if got := tokenEnd(b, p, lim, max, &bt); got != want {
				t.Fatalf("tokenEnd(%d, %d, %d) = %d, want %d", p, lim, max, got, want)
			}
		}
	}
}
