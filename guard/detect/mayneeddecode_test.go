package detect

import (
	"strings"
	"testing"
)

// FuzzMayNeedDecode compares mayNeedDecode, eight bytes a step, with
// classify.
func FuzzMayNeedDecode(f *testing.F) {
	for _, s := range []string{"", "a", "; ls ; ls ; ls ", "abc%def", "ＡＢ", "x\x00y", strings.Repeat("../", 9) + "\\",
		"abcdefg\x7f", "abcdefgh&", "\x1f\x20\x24\x25\x26\x27\x5b\x5c\x5d\x7e\x7f\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for k := 0; k < len(s) && k < 9; k++ {
			if got, want := mayNeedDecode(s[k:]), classify(s[k:])&needsDecode != 0; got != want {
				t.Fatalf("mayNeedDecode(%q) = %v, classify says %v", s[k:], got, want)
			}
		}
	})
}

func TestMayNeedDecodeBytes(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 9; pos++ {
			s := strings.Repeat("a", pos) + string([]byte{byte(c)}) + strings.Repeat("b", 8-pos)
			if got, want := mayNeedDecode(s), classTable[c]&needsDecode != 0; got != want {
				t.Fatalf("mayNeedDecode(%q) = %v, want %v", s, got, want)
			}
		}
	}
}
