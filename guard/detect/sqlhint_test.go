package detect

import (
	"math/rand/v2"
	"strings"
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
				if boringHint(s, cls, 0) || bareHostMaybe(s, cls) || len(s) == len("prototype") {
					t.Fatalf("%q: tinyPlain, but boringHint %v, bareHostMaybe %v", s, boringHint(s, cls, 0), bareHostMaybe(s, cls))
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
		checkClassifyWords(t, s)
		cls, sw := classifyWords(s)
		if got, want := unionFromHint(s, classifyRef(s), 0), ref(s); got != want {
			t.Fatalf("case %d: unionFromHint(%q) = %v, the searches say %v", n, s, got, want)
		}
		if got, want := unionFromHint(s, cls, sw), ref(s); got != want {
			t.Fatalf("case %d: unionFromHint(%q) with classifyWords' search %#x = %v, the searches say %v", n, s, sw, got, want)
		}
	}
}

// TestAlnumHint: boringHint's path for strings of letters and digits only
// (alnumHint) says what boringHintRef, every test in full, says: over every
// such string of up to three bytes, every one of four bytes of digits and
// lower-case letters, and strings joined from keywords (every word of the
// keyword groups, in both cases), numbers at the edges alnumHint reads
// (number bounds, exponents, 0x forms) and the markers deserMarker finds.
func TestAlnumHint(t *testing.T) {
	check := func(s string) {
		t.Helper()
		cls := classifyRef(s)
		if cls&^(kUpper|kDigit) != 0 {
			t.Fatalf("%q: not letters and digits", s)
		}
		_, sw := classifyWords(s)
		if got, want := boringHint(s, cls, 0), boringHintRef(s, cls); got != want {
			t.Fatalf("boringHint(%q) = %v, reference %v", s, got, want)
		}
		if got, want := boringHint(s, cls, sw), boringHintRef(s, cls); got != want {
			t.Fatalf("boringHint(%q) with classifyWords' search = %v, reference %v", s, got, want)
		}
	}
	all := "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [4]byte
	for n := 1; n <= 4; n++ {
		alpha := all
		if n == 4 {
			alpha = all[:36] // digits and lower case: 1.7 million strings
		}
		var walk func(i int)
		walk = func(i int) {
			if i == n {
				check(string(b[:n]))
				return
			}
			for j := 0; j < len(alpha); j++ {
				b[i] = alpha[j]
				walk(i + 1)
			}
		}
		walk(0)
	}
	parts := []string{"0", "1", "9", "00", "12", "0x", "0X", "0b", "x", "e", "E", "e309", "E308", "1e309", "2e5",
		"7fffffff", "80000000", "ffffffff", "7fffffffffffffff", "8000000000000000", "ffffffffffffffff",
		"rO0AB", "AAEAAAD", "aced0005", "ACED0005", "sys", "msys", "objects", "sysobjects", "SysColumns", "msysaccessobjects",
		"from", "FROM", "join", "union", "UNION", "select", "sleep", "waitfor", "benchmark", "exec", "update"}
	parts = append(parts, numberBounds[:]...)
	var words []string
	for _, kg := range keywordGroups {
		for _, w := range kg.words {
			if classifyRef(w)&^(kUpper|kDigit) == 0 {
				words = append(words, w, strings.ToUpper(w[:1])+w[1:])
			}
		}
	}
	for _, p := range parts {
		check(p)
		for _, q := range parts {
			check(p + q)
			for _, r := range []string{"0", "1", "a", "x", "e", "7", "sys"} {
				check(p + q + r)
				check(r + p + q)
			}
		}
		for _, w := range words {
			check(p + w)
			check(w + p)
		}
	}
	for _, w := range words {
		check(w)
		for _, r := range []string{"0", "1", "9", "0x", "1e", "12", "a", "x", "sys"} {
			check(r + w)
			check(w + r)
			check(r + w + r)
		}
	}
}

// TestShortAlnum: a string of up to seven letters and digits that
// alnumHint does not flag, which Scan passes at once, is one in which
// every detector finds nothing, as a value and as a key: every such string
// of up to two bytes, of three bytes of digits and lower-case letters, and
// strings of four to seven bytes joined from the pieces alnumHint reads.
func TestShortAlnum(t *testing.T) {
	d, _ := NewBuiltin()
	n := 0
	check := func(s string) {
		t.Helper()
		cls := classifyRef(s)
		if len(s) == 0 || len(s) >= 8 || cls&^(kUpper|kDigit) != 0 || alnumHint(s, cls, 0) {
			return
		}
		n++
		if sessionKey(s) || bareHostMaybe(s, cls) {
			t.Fatalf("%q: a session key or a bare host", s)
		}
		for _, k := range []Kind{Value, Key} {
			noGates = true
			ms := d.Scan(nil, s, Input{Kind: k})
			noGates = false
			if len(ms) > 0 {
				t.Fatalf("%q (%v): passed at once, but every detector finds %v", s, k, ms)
			}
		}
	}
	all := "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for i := 0; i < len(all); i++ {
		check(all[i : i+1])
		for j := 0; j < len(all); j++ {
			check(all[i:i+1] + all[j:j+1])
			if i < 36 && j < 36 {
				for k := 0; k < 36; k++ {
					check(all[i:i+1] + all[j:j+1] + all[k:k+1])
				}
			}
		}
	}
	pieces := []string{"0", "1", "9", "0x", "1e", "e3", "ff", "id", "or", "and", "div", "sys", "rO0AB", "AAEAAAD", "aced", "Ab", "union", "from", "sid", "jwt", "ip", "x"}
	for _, p := range pieces {
		for _, q := range pieces {
			check(p + q)
			for _, r := range pieces {
				check(p + q + r)
			}
		}
	}
	if n == 0 {
		t.Fatal("no string checked")
	}
}
