package guard

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidUTF8(t *testing.T) {
	for _, s := range []string{
		"", "a", "plain ascii text, longer than eight bytes",
		strings.Repeat("ｓｅｌｅｃｔ　ｆｒｏｍ　", 5), "\uFFFD\uFFFD\uFFFD abc", "日本語のテキスト", "é", "ab\xe0\xa0\x80cdefgh",
		"abcdefgh\xe0\x80\x80", "abcdefgh\xed\xa0\x80xyz", "abcdefgh\xed\x9f\xbfxyz", "abcdefgh\xef\xbf\xbf", "abcdefgh\xef\xbf",
		"abcdefgh\xf0\x9f\x98\x80 smile", "abcdefgh\xf4\x90\x80\x80", "abcdefgh\xc0\xafxxxxxxxx", "ｓｅｌ\xffｅｃｔ　ｆｒｏｍ",
		"ｓｅｌｅｃｔ\xe3\x80", "ｓｅｌｅｃｔ\xe3\x80x", strings.Repeat("a", 7) + "\xe3\x80\x80" + strings.Repeat("ｓ", 3),
	} {
		t.Run(s, func(t *testing.T) {
			if got, want := validUTF8([]byte(s)), utf8.ValidString(s); got != want {
				t.Errorf("validUTF8(%q) = %v, utf8.Valid %v", s, got, want)
			}
		})
	}
}

func FuzzValidUTF8(f *testing.F) {
	for _, s := range []string{"ｓｅｌｅｃｔ　ｆｒｏｍ　ｕｓｅｒｓ　", "abcdefgh\xed\xa0\x80xyz", "abcdefgh\xe0\x80\x80", "日本語 text é \U0001F600", "\xef\xbf\xbd"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("validUTF8(%q) = %v, utf8.Valid %v", b, got, want)
		}
		// the bytes as three-byte runes' leads and continuations, so that
		// the fuzzer's input reaches the rune loop
		c := make([]byte, 0, 3*len(b))
		for _, x := range b {
			switch x % 4 {
			case 0:
				c = append(c, 0xE0|x>>4, 0x80|x&0x3F, 0x80|(x*7)&0x3F)
			case 1:
				c = append(c, x)
			default:
				c = append(c, 0xEF, 0x80|x&0x3F, 0xBF^(x&0x40))
			}
		}
		if got, want := validUTF8(c), utf8.Valid(c); got != want {
			t.Fatalf("validUTF8(%q) = %v, utf8.Valid %v", c, got, want)
		}
	})
}
