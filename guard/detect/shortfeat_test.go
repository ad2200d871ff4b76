package detect

import (
	"strings"
	"testing"
)

// shortAlphabet is the bytes shortFeatures reads (shortClasses).
const shortAlphabet = " (),-./:_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// shortFeaturesCheck fails when shortFeatures reads s and gives another
// answer than features, or reads a value it should not (or refuses one it
// should read); it reports whether shortFeatures read s.
func shortFeaturesCheck(t *testing.T, s string) bool {
	t.Helper()
	f, kw, first, ok := shortFeatures(s, keywordIndex())
	want := s != "" && len(s) < featRunFrom && strings.Trim(s, shortAlphabet) == "" && classOfString(s)&^shortClasses == 0
	if ok != want {
		t.Fatalf("%q: shortFeatures ok = %v, want %v", s, ok, want)
	}
	if !ok {
		return false
	}
	wf, wkw, wfirst := features(s, keywordIndex())
	if f != wf || kw != wkw || first != wfirst {
		t.Fatalf("%q: shortFeatures %#x %#x %v, features %#x %#x %v", s, f, kw, first, wf, wkw, wfirst)
	}
	return true
}

func classOfString(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		m |= classTable[s[i]]
	}
	return m
}

func TestShortFeatures(t *testing.T) {
	vocab := []string{"do", "on", "onload", "onError", "0x41", "0X41", "0x", "1e5", "1e5union", "5union", "0xor", "aced0005", "rO0AB",
		"AAEAAAD", "ab12cd34ef", "__proto__", "a__b", "_", "qx", "QX", "1", "12", "2147483648", "a1", "ls", "id", "sleep", "union",
		"select", "or", "and", "etc", "passwd", "localhost", "http", "file", "v1.2.3", "10:30", "Mon", "x86_64"}
	for _, e := range keywordIndex().words {
		if strings.Trim(e.word, shortAlphabet) == "" {
			vocab = append(vocab, e.word)
		}
	}
	partners := []string{"a12", "5", "b", "(b)", "c-84", "-", "--", ".", "..", "./", "/", "//", ":", "://", ")(", "(", ")", ",", " ", "/./", "-x", "Text"}
	taken := 0
	for _, v := range vocab {
		for _, p := range partners {
			for _, s := range []string{
				v, p + v, v + p, p + " " + v, v + " " + p, p + v + p, v + "(" + p + ")", " " + v, "(" + v, "-" + v, "." + v,
				" -" + v, " --" + v, v + " -" + p, p + " ." + v, v + "." + p, p + ":" + v, "1" + v + p,
			} {
				if shortFeaturesCheck(t, s) {
					taken++
				}
			}
		}
	}
	if taken < 20000 {
		t.Errorf("shortFeatures read %d values: the test no longer exercises it", taken)
	}
	for _, c := range []struct {
		s  string
		ok bool
	}{
		{"a12 (b) c-84", true}, {"Mon, 7 Dec 2026", true}, {"v1.2.3-rc1", true}, {"10:30", true}, {"http://x/y", true},
		{"", false}, {"a\tb", false}, {"a'b", false}, {"a&b", false}, {"a[b]", false}, {"a+b", false}, {"é", false},
		{strings.Repeat("ab ", 11), false},
	} {
		if _, _, _, ok := shortFeatures(c.s, keywordIndex()); ok != c.ok {
			t.Errorf("shortFeatures(%q) ok = %v, want %v", c.s, ok, c.ok)
		}
	}
}

func FuzzShortFeatures(f *testing.F) {
	for _, s := range []string{"a12 (b) c-84", "Mon, 7 Dec 2026", "v1.2.3-rc1", "qx(ls)", " -rf x", "0x41 __a", "1e5union", "a)(b", "x://y/./z", "a..b --"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		shortFeaturesCheck(t, s)
		// the same bytes folded into shortFeatures' alphabet, so that the
		// fuzzer's strings reach it
		b := []byte(s)
		if len(b) >= featRunFrom {
			b = b[:featRunFrom-1]
		}
		for i, c := range b {
			if strings.IndexByte(shortAlphabet, c) < 0 {
				b[i] = shortAlphabet[int(c)%len(shortAlphabet)]
			}
		}
		shortFeaturesCheck(t, string(b))
	})
}
