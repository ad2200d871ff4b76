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

// TestHeaderNames: every common header name is in headerTable (no bucket
// takes three), its lower-case form is right, and lowerName agrees with
// lower on any name.
func TestHeaderNames(t *testing.T) {
	var a arena
	for _, h := range headerNames {
		if h.lower != strings.ToLower(h.name) {
			t.Errorf("%q: lower %q", h.name, h.lower)
		}
		b := headerTable[headerHash(h.name)]
		if b[0] != h && b[1] != h {
			t.Errorf("%q is not in its bucket", h.name)
		}
		if got := a.lowerName(h.name); got != h.lower {
			t.Errorf("lowerName(%q) = %q", h.name, got)
		}
	}
	for _, s := range []string{"", "x", "X-Custom-Header", "ACCEPT", "accept", "Accept ", "Content-type", "Hosts", "Ü-Name", "X-Forwarded-FOR"} {
		if got, want := a.lowerName(s), a.lower(s); got != want {
			t.Errorf("lowerName(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzLowerName(f *testing.F) {
	for _, h := range headerNames {
		f.Add(h.name)
	}
	f.Add("X-Forwarded-FOR")
	f.Fuzz(func(t *testing.T, s string) {
		var a arena
		if got, want := a.lowerName(s), a.lower(s); got != want {
			t.Errorf("lowerName(%q) = %q, lower gives %q", s, got, want)
		}
	})
}
