package guard

import (
	"math/rand/v2"
	"testing"
)

// looksBase64Ref is looksBase64 as it was before its class table: a
// switch per byte.
func looksBase64Ref(s string) bool {
	if len(s) < minB64 {
		return false
	}
	n := len(s)
	for n > 0 && s[n-1] == '=' {
		n--
	}
	if len(s)-n > 2 || (len(s) != n && len(s)%4 != 0) || n%4 == 1 {
		return false
	}
	var std, url, lower, upper, digit bool
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		case c == '+' || c == '/':
			std = true
		case c == '-' || c == '_':
			url = true
		default:
			return false
		}
	}
	if std && url {
		return false
	}
	classes := 0
	for _, b := range [...]bool{lower, upper, digit} {
		if b {
			classes++
		}
	}
	return classes >= 2
}

// TestLooksBase64 compares looksBase64 with the reference on strings of
// every length up to 70 drawn from small alphabets that mix the classes
// (so that both answers are common), and on printable text.
func TestLooksBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"aZ09", "az", "AZ", "09", "aZ+/", "aZ-_", "a9+-", "aZ0 ", "aZ0=", "aZ0\x80", "aZ09/=", "aZ09+/-_=.", "\x00aZ09"}
	yes := 0
	for n := 0; n <= 70; n++ {
		for _, a := range alphabets {
			for range 40 {
				b := make([]byte, n)
				for i := range b {
					b[i] = a[r.IntN(len(a))]
				}
				s := string(b)
				if got, want := looksBase64(s), looksBase64Ref(s); got != want {
					t.Fatalf("looksBase64(%q) = %v, want %v", s, got, want)
				} else if got {
					yes++
				}
			}
		}
	}
	if yes < 1000 {
		t.Fatalf("only %d strings looked like base64: the test exercises too little", yes)
	}
}

// TestPrintableText compares printableText's eight-byte steps with a
// byte-at-a-time reading on every printable/control/DEL/non-ASCII mix of
// a 20-byte window.
func TestPrintableText(t *testing.T) {
	ref := func(b []byte) bool {
		if len(b) == 0 {
			return false
		}
		for _, r := range string(b) {
			if r == 0xFFFD || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0 {
				return false
			}
		}
		return true
	}
	pieces := [][]byte{[]byte("a"), []byte(" "), []byte("~"), {0x7f}, {0x1f}, []byte("\t"), []byte("\n"), []byte("é"), {0xc2, 0x85}, {0xff}, {0x00}}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b []byte
		for len(b) < 20 {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		b = b[:r.IntN(len(b)+1)]
		if got, want := printableText(b), ref(b); got != want {
			t.Fatalf("printableText(%q) = %v, want %v", b, got, want)
		}
	}
}
