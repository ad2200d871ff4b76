package guard

import (
	"strings"
	"testing"
)

// b64ScreenWant is what b64Screen must answer about v's base64 paths:
// none when neither looksBase64 nor escapedB64Maybe holds, and blank
// (looksBase64 cannot hold) when v holds a blank or a '%'.
func checkB64Screen(t *testing.T, v string) {
	t.Helper()
	sc := b64Screen(v)
	plain, esc := looksBase64(v), escapedB64Maybe(v)
	if sc == b64None && (plain || esc) {
		t.Errorf("b64Screen(%q) = none, but looksBase64 %v, escapedB64Maybe %v", v, plain, esc)
	}
	if !b64Plain(sc) && plain {
		t.Errorf("b64Screen(%q) = %#x, not plain, but looksBase64 holds", v, sc)
	}
	if b64Plain(sc) && b64Looks(sc, v) != plain {
		t.Errorf("b64Looks(%#x, %q) = %v, looksBase64 %v", sc, v, !plain, plain)
	}
	if blank := strings.ContainsAny(v, " %"); sc != b64None && (sc&b64Blank != 0) != blank {
		t.Errorf("b64Screen(%q) = %#x: blank bit %v, want %v", v, sc, sc&b64Blank != 0, blank)
	}
}

func TestB64Screen(t *testing.T) {
	for _, v := range []string{
		"", "a", "abcdefgh", "ABCDEFGH", "abcdEFGH", "abcd1234", "QUJDREVG", "QUJD REVG", "PHN2Zz4+", "PHN2Zz4 ",
		"PHN2Zz4%2B", "PHN2Zz4%3d", "%2BPHN2Zz4", " PHN2Zz4+", "red shoes", "red shoes and more", "a123 (b) c-861",
		"' OR 1=1--", "aGVsbG8=", "aGVsbG8gd29ybGQ=", "aGVs bG8g d29y bGQ=", "x7k2%08dqz", "abc_def-ghi", "abc/def+ghi",
		"hello%20world", "hello world!", "ÿÿÿÿÿÿÿÿ", "abcdefgh\x00", "==", "abcd====", strings.Repeat("QUJD", 20),
		"abcdefg", "abcdefghi", "abcdefghij", "abcdefghijk", "ab=cdefgh", "abcdefgh==", "abcdefg=", "abc+def_ghi", "ABCD1234",
		"12345678", "abcdEFGH1", "abcd+/12", "abcd-_12", "x7k2qz0abcde",
		strings.Repeat("ab ", 30), strings.Repeat("Ab ", 30) + "(",
	} {
		checkB64Screen(t, v)
	}
	// every byte, alone and in a base64-like and a prose-like string
	for c := 0; c < 256; c++ {
		b := string(rune(c))
		if c >= 0x80 {
			b = string([]byte{byte(c)})
		}
		checkB64Screen(t, b)
		checkB64Screen(t, "QUJDREVG"+b+"SEk")
		checkB64Screen(t, "abc def "+b+"ghij")
		checkB64Screen(t, b+"QUJDREVG")
	}
}

func FuzzB64Screen(f *testing.F) {
	for _, v := range []string{"QUJD REVG", "PHN2Zz4%2B", "red shoes", "a123 (b) c-861", "aGVsbG8="} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkB64Screen(t, v)
	})
}
