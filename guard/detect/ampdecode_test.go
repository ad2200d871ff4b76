package detect

import (
	"bytes"
	"testing"
)

// ampPrepareCheck fails when prepare, which takes a string whose only
// byte to decode is an ampersand that starts no character reference
// (ampDecodes false) as one without anything to decode, gives another
// normalised form, decoded flag or classes than normalising it does.
func ampPrepareCheck(t *testing.T, s string) {
	t.Helper()
	cls := classify(s)
	if cls&needsDecode != kAmp {
		return
	}
	st := new(state)
	st.prepare(s, cls, Input{Kind: Value})
	var a, b []byte
	n, decoded := normalizeInto(s, true, &a, &b)
	if !bytes.Equal(st.n, n) || st.decoded != decoded || st.cls != classify(bufString(n)) {
		t.Errorf("%q (ampDecodes %v): prepare gives %q, decoded %v, classes %#x; normalizeInto %q, %v, %#x",
			s, ampDecodes(s), st.n, st.decoded, st.cls, n, decoded, classify(bufString(n)))
	}
}

func TestAmpDecodes(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"text 5 & more", false}, {"R&D", false}, {"a &", false}, {"&c", false}, {"a & b & C", false},
		{"Tom &amp; Jerry", true}, {"&lt;script", true}, {"x &#60; y", true}, {"&#x3c;", true}, {"a&ampb", false}, {"a&amp b", true},
		{"AT&T", false}, {"Q&A", false}, {"&", false}, {"&&", false}, {"& #", false},
	} {
		if got := ampDecodes(c.s); got != c.want {
			t.Errorf("ampDecodes(%q) = %v, want %v", c.s, got, c.want)
		}
		ampPrepareCheck(t, c.s)
	}
}

func FuzzAmpPrepare(f *testing.F) {
	for _, s := range []string{"text 5 & more", "Bags & More", "a &amp; b", "&lt;x&gt;", "x &#60; y", "AT&T", "&copy 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ampPrepareCheck(t, s)
	})
}
