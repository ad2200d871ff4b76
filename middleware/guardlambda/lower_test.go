package guardlambda

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// asciiLower is arena.lower's reference: ASCII capitals lower-cased, every
// other byte (UTF-8 or not) kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestArenaLower: lower agrees with the byte-by-byte reference for every
// byte value at every offset of a word (the word-at-a-time path must not
// carry between bytes or touch '@', '[', '`', '{' or bytes >= 0x80), and
// returns s itself when it has no capital.
func TestArenaLower(t *testing.T) {
	var a arena
	check := func(s string) {
		t.Helper()
		got := a.lower(s)
		if want := asciiLower(s); got != want {
			t.Fatalf("lower(%q) = %q, want %q", s, got, want)
		}
		if got == s && len(s) > 0 && strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Fatalf("lower(%q) kept a capital", s)
		}
	}
	for n := 0; n <= 24; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := []byte(strings.Repeat("x-Y", 9)[:n])
				b[pos] = byte(c)
				check(string(b))
				for i := range b {
					if i != pos {
						b[i] = 'k'
					}
				}
				check(string(b))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		check(string(b))
	}
	for _, s := range []string{"Content-Type", "X-Forwarded-For", "content-type", "ÄÖÜ-Header", "A", "@[`{"} {
		check(s)
	}
	if s := "x-forwarded-for"; a.lower(s) != s {
		t.Fatal("lower copied a name without capitals")
	}
}

// TestSameName: sameName is ==, whatever the length and wherever two
// names of one length differ (its two words overlap below 16 bytes).
func TestSameName(t *testing.T) {
	for n := 0; n <= 20; n++ {
		name := strings.Repeat("abcdefghij", 3)[:n]
		if !sameName(name, strings.Clone(name)) {
			t.Fatalf("sameName(%q, itself) = false", name)
		}
		for pos := 0; pos < n; pos++ {
			b := []byte(name)
			b[pos] ^= 0x20
			if sameName(name, string(b)) {
				t.Fatalf("sameName(%q, %q) = true", name, b)
			}
		}
		if sameName(name, name+"x") || sameName(name+"x", name) {
			t.Fatalf("sameName of %q and a longer name = true", name)
		}
	}
}
