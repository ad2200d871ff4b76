package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// lowerBlocksRef is lowerBlocks byte by byte.
func lowerBlocksRef(s string) (int, bool) {
	// wordOK reports whether the word at o passes, and has a space
	wordOK := func(o int) (ok, sp bool) {
		for j := o; j < o+8; j++ {
			c := s[j]
			if !isLetter(c) && c != ' ' {
				return false, false
			}
			if sqlPair(c, s[j+1]) && (j+4 > len(s) || sqlWord4(uint32(s[j])|uint32(s[j+1])<<8|uint32(s[j+2])<<16|uint32(s[j+3])<<24)) {
				return false, false
			}
			sp = sp || c == ' '
		}
		return true, sp
	}
	k, sp := 0, false
	for ; k+17 <= len(s); k += 16 {
		ok1, sp1 := wordOK(k)
		if !ok1 {
			break
		}
		ok2, sp2 := wordOK(k + 8)
		if !ok2 {
			return k + 8, sp || sp1
		}
		sp = sp || sp1 || sp2
	}
	return k, sp
}

// checkLowerBlocks compares lowerBlocks and lowerBlocksGo with
// lowerBlocksRef on s and on each of its suffixes from the first 17
// bytes.
func checkLowerBlocks(t *testing.T, s string) {
	t.Helper()
	for o := 0; o < len(s) && o < 17; o++ {
		u := s[o:]
		wk, wsp := lowerBlocksRef(u)
		p := unsafe.StringData(u)
		if k, sp := lowerBlocks(p, len(u)); k != wk || sp != wsp {
			t.Fatalf("lowerBlocks(%q) = %d, %v, want %d, %v", u, k, sp, wk, wsp)
		}
		if k, sp := lowerBlocksGo(p, len(u)); k != wk || sp != wsp {
			t.Fatalf("lowerBlocksGo(%q) = %d, %v, want %d, %v", u, k, sp, wk, wsp)
		}
	}
}

// TestLowerBlocks places every byte value at every place of four blocks
// of letters (with and without spaces: two rounds of two blocks, and a
// block at a time), after every byte that starts a
// pair and before every byte that ends one, and reads a string of 17
// bytes or less (no whole block); and a longer string of rounds of two
// (several of two32's with AVX2). It does so with AVX2 when the machine has
// it and without (SSE2 only).
func TestLowerBlocks(t *testing.T) {
	avx := lowerAVX2
	defer func() { lowerAVX2 = avx }()
	for _, on := range []bool{false, true} {
		if on && !avx {
			continue
		}
		lowerAVX2 = on
		testLowerBlocks(t)
	}
}

func testLowerBlocks(t *testing.T) {
	bases := []string{
		strings.Repeat("abcdeghiklmn", 6)[:66],
		strings.Repeat("the cat sat ", 6)[:66],
		strings.Repeat("zzzzzzz ", 9)[:66],
		strings.Repeat("fragile cup ", 9)[:98],
	}
	for _, base := range bases {
		for pos := range len(base) {
			for c := range 256 {
				b := []byte(base)
				b[pos] = byte(c)
				checkLowerBlocks(t, string(b))
				if pos > 0 {
					for _, first := range []byte{'u', 'f', 'j', 'U'} {
						b[pos-1] = first
						checkLowerBlocks(t, string(b))
					}
				}
			}
		}
	}
	for _, s := range []string{"", "a", strings.Repeat("a", 16), strings.Repeat("a", 17), strings.Repeat(" ", 33),
		strings.Repeat("a", 15) + "un" + strings.Repeat("a", 16), strings.Repeat("a", 15) + "uN" + strings.Repeat("a", 16),
		strings.Repeat("a", 15) + "u\xee" + strings.Repeat("a", 16), strings.Repeat("a", 15) + "f\xf2" + strings.Repeat("a", 16)} {
		checkLowerBlocks(t, s)
	}
	// the words and their pairs, in every case, at every place of the
	// blocks and of the string's end
	parts := []string{"unio", "from", "join", "union", "un", "fr", "jo", "uNIO", "fROM", "jOiN", "UNIO", "u\xeeio", "fr\xef",
		"u\xce", "j\xef", " ", "a", "q z", "abcdefg", "frog", "jog", "fun", "uni"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		var b []byte
		for len(b) < 20+r.IntN(120) {
			b = append(b, parts[r.IntN(len(parts))]...)
		}
		checkLowerBlocks(t, string(b))
	}
	r = rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		b := make([]byte, r.IntN(100))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz  unfrjoUNFRJO"[r.IntN(40)]
		}
		if len(b) > 0 && r.IntN(3) == 0 {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		checkLowerBlocks(t, string(b))
	}
	// long runs of lower-case words and spaces (AVX2's rounds of 32 bytes
	// read most of them) with the words and pairs at every place of the
	// rounds, and a pair's second byte in any case or with its top bit set
	// where a run ends
	prose := []string{"the ", "cat ", "sat ", "wool ", "scarf ", "a", " ", "fun ", "frog ", "jog ", "fr", "un", "jo",
		"from ", "union ", "join ", "unio", "fro", "joi", "u", "f", "j"}
	ends := []string{"", "N", "R", "O", "\xee", "\xf2", "\xef", "NIO", "ROM", "OIN", "\xeeion", ".", "1"}
	r = rand.New(rand.NewPCG(7, 8))
	for range 60000 {
		var b []byte
		for len(b) < 40+r.IntN(300) {
			b = append(b, prose[r.IntN(len(prose))]...)
		}
		if r.IntN(2) == 0 {
			b = append(b, ends[r.IntN(len(ends))]...)
			for len(b) < 400 && r.IntN(4) > 0 {
				b = append(b, prose[r.IntN(len(prose))]...)
			}
		}
		checkLowerBlocks(t, string(b))
	}
}

// FuzzLowerBlocks compares lowerBlocks (SSE2 on amd64) with lowerBlocksGo
// and the byte-by-byte reference.
func FuzzLowerBlocks(f *testing.F) {
	for _, s := range []string{"", strings.Repeat("please wrap it ", 5), strings.Repeat("a", 15) + "uN" + strings.Repeat("b", 20),
		strings.Repeat("x", 31) + "j\xef" + strings.Repeat("y", 3), "fragile from union join " + strings.Repeat("q", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLowerBlocks(t, s)
	})
}
