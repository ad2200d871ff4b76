package detect

import "testing"

// TestFullWidthASCII checks decodePass's table of full-width letters
// against the code points: every EF BC xx and EF BD xx maps to the
// letter U+FF01..U+FF5E stands for (lower-cased when folding), or to 0
// (not a full-width ASCII letter, left to the general decoder); and
// Normalize reads each letter, alone and in a run, as that letter.
func TestFullWidthASCII(t *testing.T) {
	for _, b1 := range []byte{0xBC, 0xBD} {
		for b2 := 0x80; b2 <= 0xBF; b2++ {
			r := rune(0xF000) | rune(b1&0x3F)<<6 | rune(b2&0x3F) // EF b1 b2
			want := byte(0)
			if r >= 0xFF01 && r <= 0xFF5E {
				want = byte(r - 0xFEE0)
			}
			k := int(b1&1)<<6 | b2&0x3F
			if got := fullWidthASCII[0][k]; got != want {
				t.Fatalf("fullWidthASCII[0] of EF %X %X = %q, want %q", b1, b2, got, want)
			}
			if got := fullWidthASCII[1][k]; got != lower(want) {
				t.Fatalf("fullWidthASCII[1] of EF %X %X = %q, want %q", b1, b2, got, lower(want))
			}
			if want == 0 {
				continue
			}
			s := string([]byte{0xEF, b1, byte(b2)})
			if got := Normalize(s); got != string(lower(want)) {
				t.Fatalf("Normalize(%q) = %q, want %q", s, got, lower(want))
			}
			if got := Normalize("x" + s + s + "\u3000" + s + "y"); got != "x"+string([]byte{lower(want), lower(want), ' ', lower(want)})+"y" {
				t.Fatalf("Normalize of a run of %q = %q", s, got)
			}
		}
	}
}
