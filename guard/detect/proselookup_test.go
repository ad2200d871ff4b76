package detect

import (
	"strings"
	"testing"
)

// proseVocab is the words of the keyword table in proseFeatures' alphabet
// (lower-case letters and digits), and words next to them: one letter
// more, one less, the last changed, digits glued before.
func proseVocab() []string {
	var v []string
	for _, e := range keywordIndex().words {
		if !plainLowerWord(e.word) {
			continue
		}
		w := e.word
		v = append(v, w, w+"s", "5"+w, "0x"+w, w[:len(w)-1]+"q")
		if len(w) > 1 {
			v = append(v, w[:len(w)-1], w[1:])
		}
	}
	return append(v, "text", "more", "5", "12", "a", "on", "onload", "onclickx", "aced0005", "0x41", "1e5union")
}

// lookupLowerCheck fails when lookupLower, given w's wordHash, answers
// otherwise than lookup and wordGroups' look-up for a lower-case word.
func lookupLowerCheck(t *testing.T, w string) {
	t.Helper()
	if !plainLowerWord(w) || len(w) >= len(keywordIndex().possible) {
		return
	}
	x := keywordIndex()
	if got, want := lookupLower(x, w, wordHash(w)), lookup(x, w); got != want {
		t.Fatalf("%q: lookupLower %#x, lookup %#x", w, got, want)
	}
}

func TestLookupLower(t *testing.T) {
	n := 0
	for _, w := range proseVocab() {
		lookupLowerCheck(t, w)
		n++
	}
	for _, e := range keywordIndex().words {
		if plainLowerWord(e.word) && lookupLower(keywordIndex(), e.word, wordHash(e.word)) != e.groups {
			t.Errorf("%q: lookupLower misses the keyword", e.word)
		}
	}
	if n < 500 {
		t.Errorf("only %d words: the test no longer exercises lookupLower", n)
	}
	// rule-shaped values: keywords joined as proseFeatures reads them
	v := proseVocab()
	for i, w := range v {
		p := v[(i*7+3)%len(v)]
		for _, s := range []string{w, w + " " + p, p + " & " + w, w + " 5 & " + p + " " + w, "12 & " + w, w + " & " + p + " & " + w} {
			proseFeaturesCheck(t, s)
		}
	}
}

// FuzzProseLookup compares proseFeatures (its word hash read along and
// lookupLower) with features on values made of keywords and words next to
// them, joined by the fuzzer's choice of " " and " & ", and lookupLower
// with lookup on the fuzzer's words folded into the prose alphabet.
func FuzzProseLookup(f *testing.F) {
	for _, s := range []string{"\x00\x01\x02", "text 5 & more", "onload", "\xff\x10\x80\x07"} {
		f.Add(s)
	}
	v := proseVocab()
	f.Fuzz(func(t *testing.T, s string) {
		// the fuzzer's bytes folded into the prose alphabet
		b := []byte(s)
		for i, c := range b {
			switch {
			case '0' <= c && c <= '9' || 'a' <= c && c <= 'z':
			case c%3 == 0:
				b[i] = '0' + c%10
			default:
				b[i] = 'a' + c%26
			}
		}
		lookupLowerCheck(t, string(b))
		proseFeaturesCheck(t, string(b))
		// the bytes as a choice of words and separators
		var sb strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if i > 0 {
				switch c >> 6 {
				case 0, 1:
					sb.WriteByte(' ')
				case 2:
					sb.WriteString(" & ")
				default:
					sb.WriteString(" 5 ")
				}
			}
			w := v[(int(c)*131+i*17)%len(v)]
			lookupLowerCheck(t, w)
			sb.WriteString(w)
		}
		proseFeaturesCheck(t, sb.String())
	})
}
