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

// classifyWordsRef is classifyWords with classifyRef and a search for
// each word (none in a string with a class other than boringClasses).
func classifyWordsRef(s string) (uint32, sqlWords) {
	if cls := classifyRef(s); cls&^boringClasses != 0 {
		return cls, 0
	}
	sw := swKnown
	if containsFoldRef(s, "union") {
		return classifyRef(s), sw | swUnion // (the search stops there)
	}
	if containsFoldRef(s, "from") || containsFoldRef(s, "join") {
		sw |= swFromJoin
	}
	return classifyRef(s), sw
}

// checkClassifyWords compares classifyWords with classifyWordsRef.
func checkClassifyWords(t *testing.T, s string) {
	t.Helper()
	cls, sw := classifyWords(s)
	wcls, wsw := classifyWordsRef(s)
	if sw&swUnion != 0 {
		sw &^= swFromJoin // not searched to the end
		wsw &^= swFromJoin
	}
	if cls != wcls || sw != wsw {
		t.Fatalf("classifyWords(%q) = %#x, %#x, want %#x, %#x", s, cls, sw, wcls, wsw)
	}
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
		checkClassifyWords(t, s)
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
		checkClassifyWords(t, s)
	}
	// long values of runs of other bytes and of lower-case letters
	// (classify reads more words by table each time lowerRun refuses
	// one at once again)
	for n := range 3000 {
		var b []byte
		for len(b) < 1500 {
			k := r.IntN(400)
			for range k {
				if n%2 == 0 {
					b = append(b, "abcdefghijklmnopqrstuvwxyz "[r.IntN(27)])
				} else {
					b = append(b, byte(r.IntN(256)))
				}
			}
			n++
		}
		s := string(b)
		if got, want := classify(s), classifyRef(s); got != want {
			t.Fatalf("long %d: classify(%q) = %#x, want %#x", n, s, got, want)
		}
		checkClassifyWords(t, s)
	}
	for c := range 256 {
		s := string([]byte{'a', 'b', 'c', byte(c), 'd', 'e', 'f', 'g'})
		if got, want := classify(s), classifyRef(s); got != want {
			t.Errorf("byte %#x: classify = %#x, want %#x", c, got, want)
		}
		checkClassifyWords(t, s)
	}
}

// ctlPlain's strings (control bytes, none a NUL, and no other byte a
// decoding pass reads) are prepared as plain strings: the same text (case
// folded), the same classes and nothing decoded as normalising them gives.
func FuzzCtlPlainPrepare(f *testing.F) {
	for _, s := range []string{
		"2026-12-06T14:00:00.000Z\tINFO\tOrder 42 shipped",
		"REPORT RequestId: 6f0b8f5e\tDuration: 12.34 ms\tBilled Duration: 13 ms\t\n",
		"line one\r\nLINE TWO\r\n",
		"a\x01b\x7fC\x1f",
		"x+y\tZ", // a '+' with no escape: no plus pass
		"\t",
		"A\x00B\tc", // a NUL: not ctlPlain
		"50%\tOFF",  // a '%': not ctlPlain
		"caf\xc3\xa9\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cls := classify(s)
		if !ctlPlain(s, cls) {
			return
		}
		var plain, norm state
		plain.prepareAs(s, cls, Input{}, true)
		norm.prepareAs(s, cls, Input{}, false)
		if string(plain.n) != string(norm.n) || plain.cls != norm.cls || plain.decoded != norm.decoded {
			t.Fatalf("%q: plain %q (classes %#x, decoded %v), normalised %q (%#x, %v)", s, plain.n, plain.cls, plain.decoded, norm.n, norm.cls, norm.decoded)
		}
	})
}
