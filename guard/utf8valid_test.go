package guard

import (
	"testing"
	"unicode/utf8"
)

// TestUTF8Valid checks utf8Valid against utf8.Valid on every sequence of
// up to three bytes, every four-byte sequence whose first byte may lead
// one, and those sequences after and before runs of ASCII and of
// full-width letters (the eight-byte blocks cut them anywhere).
func TestUTF8Valid(t *testing.T) {
	check := func(b []byte) {
		if got, want := utf8Valid(b), utf8.Valid(b); got != want {
			t.Fatalf("utf8Valid(% x) = %v, utf8.Valid %v", b, got, want)
		}
	}
	var seqs [][]byte
	for c0 := range 256 {
		check([]byte{byte(c0)})
		for c1 := range 256 {
			check([]byte{byte(c0), byte(c1)})
			for c2 := range 256 {
				check([]byte{byte(c0), byte(c1), byte(c2)})
			}
		}
	}
	for _, c0 := range []byte{0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5} {
		for c1 := range 256 {
			for c2 := 0x70; c2 < 0xd0; c2 += 7 {
				for _, c3 := range []byte{0x41, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff} {
					b := []byte{c0, byte(c1), byte(c2), c3}
					check(b)
					if c1%17 == 0 {
						seqs = append(seqs, b)
					}
				}
			}
		}
	}
	seqs = append(seqs, []byte("ｓ"), []byte("é"), []byte("\U0001F600"), []byte{0xed, 0xa0, 0x80}, []byte{0xc0, 0x80}, []byte{0xe0, 0x80, 0x80}, []byte{0xf4, 0x90, 0x80, 0x80})
	for _, s := range seqs {
		for pre := range 17 {
			for _, fill := range []string{"a", "ｓ"} {
				var b []byte
				for len(b) < pre {
					b = append(b, fill...)
				}
				b = append(b, s...)
				check(b)
				for k := range 10 {
					b = append(b, "abcdefghi"[:k]...)
					check(b)
				}
			}
		}
	}
}

// FuzzUTF8Valid checks utf8Valid against utf8.Valid.
func FuzzUTF8Valid(f *testing.F) {
	for _, s := range []string{"", "plain ascii text, long enough", "ｓｅｌｅｃｔ　ｆｒｏｍ", "a\xffb", "\xed\xa0\x80", "\xf4\x90\x80\x80", "café €5 \U0001F600"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := utf8Valid(b), utf8.Valid(b); got != want {
			t.Fatalf("utf8Valid(%q) = %v, utf8.Valid %v", b, got, want)
		}
	})
}
