package detect

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
)

// indexFromRef is what indexFrom must return: bytes.Index from from.
func indexFromRef(b []byte, lit string, from int) int {
	if from >= len(b) {
		return -1
	}
	if j := bytes.Index(b[from:], []byte(lit)); j >= 0 {
		return from + j
	}
	return -1
}

// TestIndexFromStorms compares indexFrom with bytes.Index on storms (a
// unit repeated, where a literal's first byte recurs every few bytes and
// indexRare searches for a rarer one), with the literal absent, present
// once at the start, middle or end, straddling a unit, and at every
// from near those places.
func TestIndexFromStorms(t *testing.T) {
	units := []string{"(", "concat(../!=php://", "@(!=base64,../", "((", "<a ", "'||/>?{{", "*)(uid=*", "aaab", "ab", "\t"}
	lits := []string{"compilefunction(", "((", "($", "/latest/", "<?php", "ab", "aab", "aaab", "aaaa", "ba", "b(", "(b",
		"php://", "=php", "!=b", "c(", "..", "(|", "${", "&&", "uid=", "(u", "zz"}
	r := rand.New(rand.NewSource(1))
	for _, u := range units {
		for _, size := range []int{rareMin - 1, rareMin, 3000, 20000} {
			base := []byte(strings.Repeat(u, size/len(u)+1)[:size])
			for _, lit := range lits {
				for _, at := range []int{-1, 0, size / 2, size - len(lit), r.Intn(size)} {
					b := append([]byte(nil), base...)
					if at >= 0 && at+len(lit) <= len(b) {
						copy(b[at:], lit)
					}
					froms := []int{0, 1, 7, len(b) - rareMin, len(b) - 1, len(b)}
					if at > 0 {
						froms = append(froms, at-1, at, at+1)
					}
					for _, from := range froms {
						if from < 0 {
							continue
						}
						if got, want := indexFrom(b, lit, from), indexFromRef(b, lit, from); got != want {
							t.Fatalf("unit %q size %d lit %q at %d from %d: indexFrom %d, bytes.Index %d", u, size, lit, at, from, got, want)
						}
					}
				}
			}
		}
	}
}

// FuzzIndexFrom compares indexFrom with bytes.Index on the fuzzer's text
// repeated past rareMin (so that indexRare judges it) and on the text as
// it is.
func FuzzIndexFrom(f *testing.F) {
	f.Add([]byte("concat(../!=php://"), "compilefunction(", 3, uint16(0))
	f.Add([]byte("(("), "((", 1, uint16(700))
	f.Add([]byte("ab"), "aab", 0, uint16(9))
	f.Fuzz(func(t *testing.T, unit []byte, lit string, times int, from uint16) {
		if len(unit) == 0 || len(lit) == 0 || len(lit) > 64 {
			return
		}
		times = 1 + (times&0xff)*(rareMin/len(unit)+1)/64
		b := bytes.Repeat(unit, min(times, 1<<16/len(unit)+1))
		// the literal once, somewhere (or not at all)
		if k := int(from) % (len(b) + 1); k+len(lit) <= len(b) && from&1 == 0 {
			copy(b[k:], lit)
		}
		for _, fr := range []int{0, int(from) % (len(b) + 1), int(from) / 2 % (len(b) + 1)} {
			if got, want := indexFrom(b, lit, fr), indexFromRef(b, lit, fr); got != want {
				t.Fatalf("indexFrom(%q..., %q, %d) = %d, bytes.Index says %d", b[:min(len(b), 40)], lit, fr, got, want)
			}
		}
	})
}
