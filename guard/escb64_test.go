package guard

import (
	"math/rand/v2"
	"testing"
)

// TestEscapedB64Maybe: escapedB64Maybe, the pre-filter of escapedBase64,
// refuses only text whose decoding (blanks as '+', %2B, %2F, %3D) the
// plain reading of escapedBase64 it replaced refused too — that reading is
// written out here: v made only of the base64 alphabet, '=', blanks after
// its first byte and those escapes, with a blank or an escape, decoded,
// and looksBase64 of the result. Random texts of lower-case prose,
// capitals, digits, both alphabets' punctuation, escapes, padding and a
// non-ASCII byte; lowerBlank is checked against its byte-by-byte meaning.
func TestEscapedB64Maybe(t *testing.T) {
	ref := func(v string) bool {
		esc := false
		for i := 0; i < len(v); i++ {
			c := v[i]
			if b64Class[c]&b64Other == 0 || c == '=' {
				continue
			}
			if c == ' ' && i > 0 {
				esc = true
				continue
			}
			if c != '%' || i+2 >= len(v) {
				return false
			}
			switch v[i+1 : i+3] {
			case "2B", "2b", "2F", "2f", "3D", "3d":
			default:
				return false
			}
			esc = true
			i += 2
		}
		if !esc {
			return false
		}
		_, ok := unescapeB64(nil, v)
		return ok
	}
	lowerRef := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != ' ' && (c < 'a' || c > 'z') {
				return false
			}
		}
		return true
	}
	pieces := []string{"blue cotton shirt ", "gift wrap", " ", "  ", "a", "z", "{", "`", "Q", "Z", "0", "9", "+", "/", "-", "_", "=", "==",
		"%2B", "%2b", "%2F", "%3D", "%3d", "%2A", "%", "%3", "PHN2Zz4", "e3s3Kjd9fQ", "\xe1", "\x7f", "\x00", "."}
	r := rand.New(rand.NewPCG(7, 8))
	accepted := 0
	for n := range 200000 {
		var b []byte
		for k := r.IntN(12); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		v := string(b)
		if got, want := lowerBlank(v), lowerRef(v); got != want {
			t.Fatalf("case %d: lowerBlank(%q) = %v, want %v", n, v, got, want)
		}
		want := ref(v)
		if want {
			accepted++
		}
		if want && !escapedB64Maybe(v) {
			t.Fatalf("case %d: escapedB64Maybe(%q) refuses what escapedBase64 judged", n, v)
		}
	}
	if accepted < 100 {
		t.Fatalf("only %d of the random texts decode as base64: the test says little", accepted)
	}
}
