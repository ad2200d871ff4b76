package detect

import (
	"strings"
	"testing"
)

// Tests of the eight-bytes-a-step scans against their byte-by-byte forms.

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

// sepLeadRef is sepLead reading byte by byte (before the eight-byte skip),
// with its rule for a number or an address, blanks, then the separator
// ("127.0.0.1 && ip a", "0 &A").
func sepLeadRef(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\'' || s[i] == '"') {
		i++
	}
	t0 := i
	for ; i < len(s); i++ {
		switch s[i] {
		case ';', '|', '&', '\n', '\r':
			i++
			if i < len(s) && (s[i] == s[i-1] || s[i-1] == '\r' && s[i] == '\n') {
				i++
			}
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			return i < len(s) && isLetter(s[i]|0x20)
		case ' ', '\t':
			if t0 < 0 || i == t0 || !isDigit(s[t0]) || strings.Trim(s[t0:i], "0123456789.") != "" {
				return false
			}
			t0 = -1
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j == len(s) || !strings.ContainsRune(";|&\n\r", rune(s[j])) {
				return false
			}
			i = j - 1
		}
	}
	return false
}

func FuzzSepLead(f *testing.F) {
	for _, s := range []string{";ps aux", "127.0.0.1| ip a", strings.Repeat("${", 20) + ";id", "x\x80\x80\x80\x80\x80\x80\x80\x80;ls", "abcdefgh\tx", "'\"abcdefghijk&&ls", "0 &A", "127.0.0.1 \t&& ip a", "1.2 x;id"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := sepLead(s), sepLeadRef(s); got != want {
			t.Fatalf("sepLead(%q) = %v, want %v", s, got, want)
		}
		if got, want := sepLead([]byte(s)), sepLeadRef(s); got != want {
			t.Fatalf("sepLead([]byte(%q)) = %v, want %v", s, got, want)
		}
	})
}
