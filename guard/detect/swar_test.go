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
		if !strings.ContainsAny(s, ";|&\n\r") && sepLead(s) {
			// features asks sepLead only when it saw a separator
			t.Fatalf("sepLead(%q) without a separator", s)
		}
	})
}

// dequotedWordGroupsRef is dequotedWordGroups copying byte by byte as it
// joins (before the pieces were measured first).
func dequotedWordGroupsRef(s string, i, j int, x *kwIndex) (uint32, int) {
	var buf [31]byte
	w := buf[:0]
	if j-i >= len(buf) {
		return 0, j
	}
	for k := i; k < j; k++ {
		w = append(w, s[k])
	}
	joined := false
	k := j
	for k < len(s) {
		q := k
		for q < len(s) && (s[q] == '\'' || s[q] == '"' || s[q] == '\\') {
			q++
		}
		if q == k || q >= len(s) || !isWordByte[s[q]] {
			break
		}
		for q < len(s) && isWordByte[s[q]] {
			if len(w) == len(buf) {
				return 0, q
			}
			w = append(w, s[q])
			q++
		}
		joined = true
		k = q
	}
	if !joined {
		return 0, k
	}
	return wordGroups(x, w), k
}

func FuzzDequotedWordGroups(f *testing.F) {
	for _, s := range []string{"c'a't", `w"h"o'am'i`, `c\at`, strings.Repeat("'or'", 40), "who'" + strings.Repeat("a", 27) + "'mi",
		strings.Repeat("ab'", 15) + "'cat", "x''", "sel'ect'", strings.Repeat("abcdefghij", 3) + "'x"} {
		f.Add(s)
	}
	x := keywordIndex()
	f.Fuzz(func(t *testing.T, s string) {
		// every word of s that a quote or backslash follows, as features
		// asks
		for i := 0; i < len(s); {
			if !isWordByte[s[i]] {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && isWordByte[s[j]] {
				j++
			}
			if j+1 < len(s) && (s[j] == '\'' || s[j] == '"' || s[j] == '\\') {
				g, e := dequotedWordGroups(s, i, j, x)
				rg, re := dequotedWordGroupsRef(s, i, j, x)
				if g != rg || e != re {
					t.Fatalf("dequotedWordGroups(%q, %d, %d) = %#x, %d; want %#x, %d", s, i, j, g, e, rg, re)
				}
			}
			i = j
		}
	})
}

// braceEndRef is braceEnd byte by byte.
func braceEndRef(b []byte, j, lim int) int {
	depth := 1
	e := j
	for ; e < lim; e++ {
		if b[e] == '{' {
			depth++
		} else if b[e] == '}' {
			if depth--; depth == 0 {
				return e
			}
		}
	}
	return e
}

// FuzzBraceEnd compares braceEnd, eight bytes a step while no '}' is
// among them, with braceEndRef from every start and several limits.
func FuzzBraceEnd(f *testing.F) {
	for _, s := range []string{"", "}", "${${${${${${${${${${}}", "{{{{{{{{}}}}}}}}}", "a{b}c{{d}e}}f", strings.Repeat("x{", 40) + strings.Repeat("}", 41), "\xfb\x7b\x7d{}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		for j := 0; j <= len(b) && j < 12; j++ {
			for _, lim := range []int{j, j + 7, j + 8, j + 9, j + 17, len(b)} {
				lim = min(max(lim, j), len(b))
				if got, want := braceEnd(b, j, lim), braceEndRef(b, j, lim); got != want {
					t.Fatalf("braceEnd(%q, %d, %d) = %d, want %d", s, j, lim, got, want)
				}
			}
		}
	})
}

func TestIsByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			// c at pos, among bytes next to it in value (the borrows
			// of hasByte's test)
			var x uint64
			for k := 0; k < 8; k++ {
				v := byte(c) + 1
				if k%2 == 1 {
					v = byte(c) - 1
				}
				if k == pos {
					v = byte(c)
				}
				x |= uint64(v) << (8 * k)
			}
			if got, want := isByte(x, byte(c)), uint64(0x80)<<(8*pos); got != want {
				t.Fatalf("isByte(%#x, %#x) = %#x, want %#x", x, c, got, want)
			}
		}
	}
}

// FuzzFeaturesWordRepeat: features gives the same flags, keyword groups
// and first-command answer when a repeated word costs a comparison as when
// every word is judged in full.
func FuzzFeaturesWordRepeat(f *testing.F) {
	for _, s := range []string{strings.Repeat("'or'", 30), "ls ls;ls ls", "a$b a$c a$b", `x\nls x\nls`, "this[this[ this[", "qx(qx{qx(",
		"0x41 0x41 0x41", "c'a't c'a't c'a't", strings.Repeat("on", 9) + " " + strings.Repeat("on", 9), "1e0union 1e0union", "w\"h\"o w\"h\"o",
		"__a __a", "v$x v$version", "v$v$v$version", "ot\\not\\not\\", "x\\nx \\nsleep", "id id id", "$x $x $x", "sleep sleep(", "cat\\ cat\\ cat",
		strings.Repeat("'or'", 20) + "'", strings.Repeat("ab\"", 25) + "\"x", strings.Repeat("w'h'", 12) + "o'am'i", strings.Repeat("x''", 40) + "who'ami"} {
		f.Add(s)
	}
	x := keywordIndex()
	defer func() { noWordRepeat = false }()
	f.Fuzz(func(t *testing.T, s string) {
		noWordRepeat = true
		wf, wk, wc := features(s, x)
		noWordRepeat = false
		gf, gk, gc := features(s, x)
		if gf != wf || gk != wk || gc != wc {
			t.Fatalf("features(%q) = %#x %#x %v, judging every word: %#x %#x %v", s, gf, gk, gc, wf, wk, wc)
		}
	})
}
