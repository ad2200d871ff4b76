package redact

import (
	"slices"
	"strings"
	"testing"
)

// collectFromRef is collectFrom as it was before its loop of the bytes
// that call nothing (FuzzCollectFrom compares them).
func (sc scanner) collectFromRef(spans []span, limit int, at *passState) ([]span, int) {
	s := sc.s
	n := len(s)
	runStart := -1 // start of the current run of base64 characters
	prev := at.prev
	maxEnd := at.maxEnd // the end of the spans found so far
	lits := at.lits
	for i := at.i; i < n; i++ {
		if i >= limit && runStart < 0 {
			for k := len(spans) - 1; k >= 0 && k >= lits.counted; k-- {
				maxEnd = max(maxEnd, spans[k].end)
			}
			lits.counted = len(spans)
			if maxEnd < i {
				spans = sc.literalsBefore(spans, &lits, i)
				for k := len(spans) - 1; k >= lits.counted; k-- {
					maxEnd = max(maxEnd, spans[k].end)
				}
				lits.counted = len(spans)
				if maxEnd < i {
					*at = passState{i: i, prev: prev, maxEnd: maxEnd, lits: lits}
					return spans, i
				}
			}
			limit = maxEnd + 1
		}
		cl := class[s[i]]
		if sc.fold && s[i] == '%' && i+2 < n && isHexByte(s[i+1]) && isHexByte(s[i+2]) {
			// A percent-escape continues a run in folded text: an
			// escaped '/' or '+' does not split a secret.
			if runStart < 0 {
				runStart = i
			}
			i += 2
			prev = cB64
			continue
		}
		if cl&cB64 != 0 {
			if runStart < 0 {
				runStart = i
			}
		} else if runStart >= 0 {
			if i-runStart >= minLongToken {
				spans = add(spans, sc.run(s[runStart:i], runStart))
			}
			runStart = -1
		}
		// Tokens recognised by their first characters.
		if cl&cAlnum != 0 && prev&cWord == 0 {
			if sp := sc.wordStart(i); sp.end > sp.start {
				spans = append(spans, sp)
				runStart = -1
				i = sp.end - 1
				prev = class[s[i]]
				continue
			}
		}
		if cl&cSpecial != 0 {
			sp, next := sc.special(i)
			spans = add(spans, sp)
			if next > i+1 {
				runStart = -1
				i = next - 1
				cl = class[s[i]]
			}
		}
		prev = cl
	}
	if runStart >= 0 && n-runStart >= minLongToken {
		spans = add(spans, sc.run(s[runStart:], runStart))
	}
	at.i = n
	return sc.literalsBefore(spans, &lits, n+1), n
}

// FuzzCollectFrom: collectFrom finds what collectFromRef finds, in the
// same order, stops where it stops and leaves the same state to resume
// from (resumed once more, farther), in each mode, with literal secrets
// configured or not.
func FuzzCollectFrom(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", uint16(3), uint16(90))
	}
	for _, a := range attackFragments {
		f.Add(`{"k1":"`+a+`","token":"abcdef0123456789","k2":"`+a+`"}`, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==", uint16(1), uint16(64))
	}
	f.Add("x=1 password=\"s3cret value 123 s3cretvalue123\" -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END", "s3cretvalue123", uint16(2), uint16(60))
	f.Add("AKIAABCDEFGHIJKLMNOP%2Fab%2bQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789 https://u:p4ssw0rd@h/x Bearer     abc123XYZ= 4111 1111 1111 1111", "abc123XYZabc", uint16(0), uint16(400))
	f.Fuzz(func(t *testing.T, in, secret string, a, b uint16) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret}
			in = in + " " + secret + in + strings.ToUpper(secret)
		}
		r, err := New(Config{Secrets: secrets})
		if err != nil {
			t.Fatal(err)
		}
		l1, l2 := int(a)%(len(in)+2), int(b)%(len(in)+2)
		l1, l2 = min(l1, l2), max(l1, l2)
		for _, m := range []scanner{{r: r, s: in}, {r: r, s: in, fold: true}, {r: r, s: in, creds: true}} {
			var at, atRef passState
			got, stop := m.collectFrom(nil, l1, &at)
			want, stopRef := m.collectFromRef(nil, l1, &atRef)
			if stop != stopRef || !slices.Equal(got, want) || at.i != atRef.i || at.prev != atRef.prev || at.maxEnd != atRef.maxEnd {
				t.Fatalf("%q to %d (fold %v creds %v): stop %d spans %v at %+v; before: stop %d spans %v at %+v", in, l1, m.fold, m.creds, stop, got, at, stopRef, want, atRef)
			}
			if stop >= len(in) {
				continue
			}
			got, stop = m.collectFrom(slices.Clone(got), l2, &at)
			want, stopRef = m.collectFromRef(slices.Clone(want), l2, &atRef)
			if stop != stopRef || !slices.Equal(mergeSpans(got), mergeSpans(want)) {
				t.Fatalf("%q resumed to %d (fold %v creds %v): stop %d spans %v; before: stop %d spans %v", in, l2, m.fold, m.creds, stop, got, stopRef, want)
			}
		}
	})
}
