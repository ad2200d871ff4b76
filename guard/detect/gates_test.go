package detect

import (
	"strings"
	"testing"
)

// gateCheck scans s with the gates (the byte-class pre-filter, the key
// fast path and the feature gates) and with them bypassed, and fails when
// a category found by the ungated scan is missing from the gated one: a
// gate may only skip work that cannot produce a match.
func gateCheck(t *testing.T, d *Detector, s string, in Input) {
	t.Helper()
	gated := d.Scan(nil, s, in)
	noGates = true
	ungated := d.Scan(nil, s, in)
	noGates = false
	for _, m := range ungated {
		if !hasCategory(gated, m.Category) {
			t.Errorf("gate hides %s (%s, fragment %q) in %q (%v): gated scan = %v", m.Category, m.Rule, m.Fragment, s, in.Kind, gated)
		}
	}
}

// gateInputs are the strings the soundness test runs: every rule example,
// the hand-written fixtures and, when present, the development corpus
// (read at test time; its payloads are inputs here, not expectations).
func gateInputs(t testing.TB) []string {
	var out []string
	for _, r := range Rules() {
		out = append(out, r.Attacks...)
		out = append(out, r.Benign...)
	}
	if tt, ok := t.(*testing.T); ok {
		for _, f := range []string{"attacks.tsv", "benign.tsv"} {
			for _, l := range readFixture(tt, f) {
				if _, p, ok := strings.Cut(l, "\t"); ok && f == "attacks.tsv" {
					l = p
				}
				out = append(out, unescapeFixture(l))
			}
		}
	}
	return out
}

// mutations derives variants that move a payload into other shapes: as a
// suffix of benign text, after separators, with case changed, URL-encoded
// once, and cut in half.
func mutations(s string) []string {
	out := []string{s, "x " + s, "a;" + s, s + " --", strings.ToUpper(s), "\n" + s, s[:len(s)/2], s[len(s)/2:]}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			continue
		}
		b.WriteByte(c)
	}
	return append(out, b.String())
}

// TestGatesSound checks that no gate changes a verdict on the rule
// examples, the fixtures, the development corpus and their mutations.
func TestGatesSound(t *testing.T) {
	d := mustNew(t, Config{})
	ins := gateInputs(t)
	if p := findCorpus(); p != "" {
		for _, it := range loadCorpus(t) {
			ins = append(ins, it.Payload)
		}
	}
	for _, s := range ins {
		for _, m := range mutations(s) {
			gateCheck(t, d, m, Input{Kind: Value})
			gateCheck(t, d, m, Input{Kind: Key})
		}
	}
}

// FuzzGatesSound checks the same property on fuzzed strings.
func FuzzGatesSound(f *testing.F) {
	fuzzSeeds(f)
	for _, r := range Rules() {
		for _, a := range r.Attacks {
			f.Add(a)
		}
	}
	// sqlDigitWords read 'j' as the first letter of "from" (the bit it
	// chose the word by is 0 for 'j' too): a join before a catalog in a
	// value with digits was hidden
	f.Add("x2 JOIN information_schema.tables")
	// a parenthesised literal compared with NULL after AND/OR, in a value
	// that does not start with a number, was hidden by sqlHint
	f.Add("And(00is null")
	f.Add("x or (1)is not null")
	// words joined by spaced ampersands: detectCmdI's shortcut
	// (proseAmpersands) against the shell grammars
	f.Add("text 5 & more")
	f.Add("bags & more & time")
	f.Add("q & a & sort")
	d, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gateCheck(t, d, s, Input{Kind: Value})
		gateCheck(t, d, s, Input{Kind: Key})
	})
}
