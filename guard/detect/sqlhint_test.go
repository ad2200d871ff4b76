package detect

import (
	"math/rand/v2"
	"testing"
)

// TestSqlDigitWords: sqlDigitWords, one pass over a string with digits,
// says what a search for each word says: "from" or "join" (any case)
// before a catalog (fromCatalog), or from 10 bytes on, UNION, SELECT,
// SLEEP, WAITFOR or BENCHMARK.
func TestSqlDigitWords(t *testing.T) {
	ref := func(s string) bool {
		if (containsFold(s, "from") || containsFold(s, "join")) && fromCatalog(s) {
			return true
		}
		if len(s) < 10 {
			return false
		}
		for _, w := range []string{"union", "select", "sleep", "waitfor", "benchmark"} {
			if containsFold(s, w) {
				return true
			}
		}
		return false
	}
	pieces := []string{"from", "FROM", "Join", "union", "UNION", "sElect", "sleep", "waitfor", "BENCHMARK", "sysobjects",
		"information_schema.tables", "users", " ", "1", "9", "x", "f", "j", "u", "s", "w", "b", "F", "J", "U", "S", "W", "B",
		"fro", "joi", "unio", "selec", "slee", "waitfo", "benchmar", "_", "."}
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 200000 {
		var b []byte
		for k := r.IntN(8); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		if got, want := sqlDigitWords(s), ref(s); got != want {
			t.Fatalf("case %d: sqlDigitWords(%q) = %v, the searches say %v", n, s, got, want)
		}
	}
}

// TestTinyPlain: every string tinyPlain lets Scan return at once for is
// one scan would return at once for: boringHint says nothing of it, it is
// no bare host, and no key check applies (all strings of up to four bytes
// of letters, digits and spaces that tinyPlain accepts, over an alphabet
// of each kind of byte).
func TestTinyPlain(t *testing.T) {
	alphabet := "aAbdDeEfFiIjnNoOrRsStTuUwxXz019 "
	d, _ := NewBuiltin()
	var walk func(b []byte)
	n := 0
	walk = func(b []byte) {
		if len(b) > 0 {
			s := string(b)
			cls := classifyRef(s)
			if tinyPlain(s, cls) {
				n++
				if boringHint(s, cls) || bareHostMaybe(s, cls) || len(s) == len("prototype") {
					t.Fatalf("%q: tinyPlain, but boringHint %v, bareHostMaybe %v", s, boringHint(s, cls), bareHostMaybe(s, cls))
				}
				if cls&^(boringClasses|kDollar|kBracket) != 0 || cls&(kDollar|kBracket|kDot|kUnder) != 0 {
					t.Fatalf("%q: tinyPlain, but a key of classes %#x has key checks", s, cls)
				}
				for _, k := range []Kind{Value, Key} {
					noGates = true
					ms := d.Scan(nil, s, Input{Kind: k})
					noGates = false
					if len(ms) > 0 {
						t.Fatalf("%q (%v): tinyPlain, but every detector finds %v", s, k, ms)
					}
				}
			}
		}
		if len(b) == 4 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(append(b, alphabet[i]))
		}
	}
	walk(nil)
	if n == 0 {
		t.Fatal("no string checked")
	}
}

// TestUnionFromHint: unionFromHint, one loop of IndexByte searches and
// four-byte comparisons, says what the searches it replaced say: "union"
// in any case, or "from" or "join" in any case in a string fromCatalog
// flags — over strings built of the words, their prefixes, their first
// letters in both cases and look-alike bytes (0x55 is 'U', 0xf5 and 0xe6
// differ from 'u' and 'f' by the top bit), with and without upper-case
// letters (the two ways it searches).
func TestUnionFromHint(t *testing.T) {
	ref := func(s string) bool {
		return containsFold(s, "union") || len(s) > len("from ") && (containsFold(s, "from") || containsFold(s, "join")) && fromCatalog(s)
	}
	pieces := []string{"union", "UNION", "uNiOn", "from", "FROM", "Join", "join", "sysobjects", "users", "information_schema.tables",
		" ", "  ", "x", "ab", "u", "U", "f", "F", "j", "J", "uni", "unio", "fro", "joi", "\xf5", "\xe6", "\x01", "_", "!", "?", "1",
		"blue cotton shirt", "fragile gift"}
	r := rand.New(rand.NewPCG(5, 6))
	for n := range 300000 {
		var b []byte
		for k := r.IntN(10); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		if got, want := unionFromHint(s, classifyRef(s)), ref(s); got != want {
			t.Fatalf("case %d: unionFromHint(%q) = %v, the searches say %v", n, s, got, want)
		}
	}
}
