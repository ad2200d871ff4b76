package guard

import (
	"bytes"
	"sort"
	"strings"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/redact"
)

// valueDoc holds what the excerpts of the findings in one string (the
// value scanString judges) read of it, so that a string with a finding of
// each of several categories is decoded and searched for secrets once,
// and only as far as its matches need: the decoded text up to a little
// past the last match looked for, and the redactor's search of both texts
// from their start (a secret whose key is far before the match is still
// masked) up to where it is settled (redact.SearchPrefix). A storm of
// attack tokens (a 1 MB text body of "/bin/sh ｓ'or'expect://") then
// costs a few kilobytes of decoding and searching, not a decoded copy
// and two redactor passes of the whole value per finding (17 times its
// size in memory). A match far into the string costs one pass up to it.
//
// It is valid while scanString's findings for one string are recorded
// (the string may alias a buffer reused for the next one).
type valueDoc struct {
	v    string
	m    sentMap
	a, b []byte // decoding scratch (sentMap.extend)

	searchedD  *redact.Searched // the redactor's search of m.d (a settled prefix search): &searchDBuf once made
	searchDBuf redact.Searched
	searchDTo  int
	searchedV  *redact.Searched // the redactor's search of v
	searchVTo  int

	masks    []redact.Span // secrets of m.d as ranges of v, for searchedV
	masksFor *redact.Searched
	alsoFor  *redact.Searched
	also     []string // secrets of v decoded, for searchedV

	secretsD     []string // the secrets of the whole decoded text (haveSecretsD)
	haveSecretsD bool

	// the last match mapped back: d[i:i+n] is v[a:b]
	li, ln, la, lb int
	haveLast       bool
}

// firstPrefix is how much of a string its first excerpt decodes.
const firstPrefix = 4 << 10

// of returns d set up for v (reset when it described another string).
func (d *valueDoc) of(v string) *valueDoc {
	if d.v == "" || len(d.v) != len(v) || unsafe.StringData(d.v) != unsafe.StringData(v) {
		*d = valueDoc{v: v}
		if !mayDecode(v) {
			d.m = sentMap{v: v, d: v, ident: true}
		} else {
			d.m = sentMap{v: v, sOff: []int{0}, dOff: []int{0}}
		}
	}
	return d
}

// valueDoc returns the excerpt cache of v: the scanner's while
// scanString records the findings of v, else a new one.
func (s *scanner) valueDoc(v string) *valueDoc {
	d := &s.val
	if !s.valOn {
		d = new(valueDoc) // (a string judged outside scanString)
	}
	return d.of(v)
}

// reset forgets the string.
func (d *valueDoc) reset() { *d = valueDoc{} }

// grow decodes about four times as much of v as before (the rest at once
// past wholePrefix: one buffer of its size rather than a series of
// growths; the buffers left behind come to a third of the last one).
func (d *valueDoc) grow() { d.m.extend(d.next(), &d.a, &d.b) }

// next is how much of v grow decodes.
func (d *valueDoc) next() int {
	n := max(firstPrefix, 4*d.m.end())
	if n > wholePrefix {
		n = len(d.v)
	}
	return n
}

// wholePrefix is the prefix past which the rest of a string is decoded at
// once.
const wholePrefix = 64 << 10

// same reports whether the decoded text is the text as sent as far as it
// was decoded (all of v when nothing in it decodes).
func (d *valueDoc) same() bool { return !d.m.differs }

// index returns where the lower-case text want first is in the decoded
// text, ignoring ASCII case (and reading '+' as a blank when plus),
// decoding more of v until it is found; -1 when it is nowhere. A string
// longer than wholePrefix decoded past rawProbe bytes (or about to be
// decoded whole) without it is looked at as sent: when want is there, in
// the part decoded (a rule that matched the text as sent), index returns
// -1 and raw its place in v (else raw is -1), instead of decoding the
// rest.
func (d *valueDoc) index(want string, plus bool) (i, raw int) {
	if want == "" {
		return -1, -1
	}
	from := 0
	for {
		if i := indexFoldFrom(d.m.d, from, want, plus); i >= 0 {
			return i, -1
		}
		if d.m.complete() {
			return -1, -1
		}
		if !plus && len(d.v) > wholePrefix && (d.m.end() >= rawProbe || d.next() == len(d.v)) {
			if j := indexFoldFrom(d.v, 0, want, false); j >= 0 && j+len(want) <= d.m.end() {
				return -1, j
			}
		}
		from = max(0, len(d.m.d)-len(want)+1)
		d.grow()
	}
}

// rawProbe is how much of a string is decoded before a fragment not found
// in it is looked for as sent.
const rawProbe = 32 << 10

// sentRange returns where in v the text decoding to d[i:i+n] is.
func (d *valueDoc) sentRange(i, n int) (a, b int) {
	if !d.haveLast || d.li != i || d.ln != n {
		d.li, d.ln, d.la, d.lb, d.haveLast = i, n, d.m.sentStart(i), d.m.sentEnd(i+n), true
	}
	return d.la, d.lb
}

// searchD returns the redactor's search of the decoded text covering
// end, decoding more of v until the search is settled.
func (d *valueDoc) searchD(r *redact.Redactor, end int) *redact.Searched {
	if d.searchedD != nil && d.searchedD.Covers(end) {
		return d.searchedD
	}
	to := max(end, 2*d.searchDTo, 1<<10)
	for {
		for !d.m.complete() && len(d.m.d) < to+firstPrefix {
			d.grow()
		}
		// (made in the valueDoc: the scanner's, reused for each value
		// with findings; searchedD is read only while it is current)
		if r.SearchPrefixInto(&d.searchDBuf, d.m.d, to, d.m.complete()) {
			d.searchedD, d.searchDTo = &d.searchDBuf, to
			return d.searchedD
		}
		d.grow()
	}
}

// searchV returns the redactor's search of v covering end.
func (d *valueDoc) searchV(r *redact.Redactor, end int) *redact.Searched {
	if d.searchedV == nil {
		d.searchVTo = max(end, 1<<10)
		d.searchedV = r.SearchBefore(d.v, d.searchVTo)
	} else if !d.searchedV.Covers(end) {
		d.searchVTo = max(end, 2*d.searchVTo)
		d.searchedV = r.SearchFurther(d.searchedV, d.searchVTo) // (resumed where it stopped)
	}
	return d.searchedV
}

// decodedExcerpt is the excerpt of the decoded text d[i:i+n]: redacted as
// the decoded text from its start, with the secrets found in v before the
// match (decoded the way v is) masked wherever they are too.
func (g *Guard) decodedExcerpt(d *valueDoc, i, n int) string {
	t := d.searchD(g.red, i+n)
	var extra []redact.Span
	if !d.same() {
		// the secrets as sent, decoded: decoding can break a secret's
		// shape (a '+' read as a blank)
		_, b := d.sentRange(i, n)
		tv := d.searchV(g.red, b)
		if d.alsoFor != tv {
			d.alsoFor, d.also = tv, d.also[:0]
			for _, sp := range tv.SecretSpans() {
				d.also = append(d.also, asciiLower(detect.Decode(d.v[sp.Start:sp.End])))
			}
		}
		stop := t.Stop()
		for _, sec := range d.also {
			for off := 0; off < stop; {
				j := indexFoldFrom(d.m.d[:min(len(d.m.d), stop+len(sec))], off, sec, false)
				if j < 0 || j >= stop {
					break
				}
				extra = append(extra, redact.Span{Start: j, End: j + len(sec)})
				off = j + max(1, len(sec))
			}
		}
	}
	return g.red.ExcerptMaskingSearched(t, i, i+n, maxExcerpt, extra, nil)
}

// sentValueExcerpt is the excerpt of v as sent around the text that
// decodes to the detectors' fragment, or around the fragment itself when
// a rule matched the text as sent (raw reports that); "" when the
// fragment is in neither, or v decodes to itself. The secrets of the
// decoded text are masked in v too.
func (g *Guard) sentValueExcerpt(d *valueDoc, fragment string) (excerpt string, raw bool) {
	v := d.v
	if !mayDecode(v) {
		return "", false
	}
	want := asciiLower(fragment)
	var a, b int
	if i, j := d.index(want, false); i >= 0 {
		a, b = d.sentRange(i, len(want))
	} else if j >= 0 {
		a, b, raw = j, j+len(want), true
	} else if !d.m.differs {
		return "", false // (all of v decoded: it decodes to itself)
	} else if j := indexFoldFrom(v, 0, want, false); j >= 0 {
		a, b, raw = j, j+len(want), true
	} else {
		return "", false
	}
	tv := d.searchV(g.red, b)
	if d.masksFor != tv {
		// the secrets of the decoded text that start before tv stopped,
		// mapped back to v
		stopV := tv.Stop()
		d.m.extend(stopV, &d.a, &d.b)
		dEnd := d.m.decodedEnd(stopV)
		t := d.searchD(g.red, dEnd)
		var spans []redact.Span
		for _, sp := range t.SecretSpans() {
			if sp.Start < dEnd {
				spans = append(spans, sp)
			}
		}
		d.masks = d.masks[:0]
		for _, sp := range sentMasks(&d.m, spans, 0, 0) {
			if sp.Start < stopV {
				d.masks = append(d.masks, sp)
			}
		}
		d.masksFor = tv
	}
	return g.red.ExcerptMaskingSearched(tv, a, b, maxExcerpt, d.masks, escapedSeparator), raw
}

// indexFoldFrom is strings.Index(s[from:], want) + from with s read
// lower-cased (ASCII; and with '+' read as a blank when plus), want being
// lower-case: -1 when it is not there. s is read a block at a time, in
// place while a match is near, without a lower-cased copy of s.
func indexFoldFrom(s string, from int, want string, plus bool) int {
	if want == "" || from+len(want) > len(s) {
		return -1
	}
	if !plus {
		if i, ok := indexFoldBudget(s[from:], want); ok {
			if i < 0 {
				return -1
			}
			return from + i
		}
	}
	return indexFoldBlocks(s, from, want, plus)
}

// indexFoldBlocks is indexFoldFrom lower-casing s a block at a time into
// a buffer on its own stack frame: indexFoldFrom, which most calls leave
// before (indexFoldBudget), keeps a small one, so that the call at the end
// of a finding's chain of calls does not grow the goroutine's stack.
//
//go:noinline
func indexFoldBlocks(s string, from int, want string, plus bool) int {
	var buf [4 << 10]byte
	w := []byte(want)
	for off := from; off+len(w) <= len(s); {
		end := min(len(s), off+len(buf))
		blk := buf[:end-off]
		for k := range blk {
			c := s[off+k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			} else if plus && c == '+' {
				c = ' '
			}
			blk[k] = c
		}
		if j := bytes.Index(blk, w); j >= 0 {
			return off + j
		}
		if end == len(s) || len(w) >= len(buf) {
			return -1
		}
		off = end - len(w) + 1
	}
	return -1
}

// excerptIn is excerptDecoded for the string d describes.
func (g *Guard) excerptIn(d *valueDoc, fragment string) (excerpt string, same bool) {
	want := asciiLower(fragment)
	i, raw := d.index(want, false)
	if i < 0 && raw < 0 && strings.IndexByte(want, ' ') >= 0 && strings.IndexByte(d.m.d, '+') >= 0 {
		// The detectors read a URL-encoded value's '+' as a space
		// (detect's plusIsSpace); the excerpt is cut from the value with
		// its '+' as sent, so that a secret holding one ("…EMI/K7MDENG+bP…")
		// keeps the shape the redactor knows. (The decoded text is
		// whole here: the fragment was looked for everywhere.)
		i, _ = d.index(want, true)
	}
	if i >= 0 {
		return g.decodedExcerpt(d, i, len(want)), d.same()
	}
	// The fragment is not a piece of the decoded value (a detector
	// rewrote it further): mask in it every secret of the value, whole or
	// cut at an edge of the fragment, then anything it shows by itself.
	// (v is decoded whole here, or the fragment was found in v as sent:
	// then the secrets of what was decoded and of v are masked; they are
	// searched for once)
	if !d.haveSecretsD {
		d.secretsD, d.haveSecretsD = g.red.Secrets(d.m.d), true
		if !d.m.complete() {
			d.secretsD = append(d.secretsD, g.red.Secrets(d.v)...)
		}
	}
	return redact.Cut(strings.ToValidUTF8(g.red.StringFold(maskSecretsIn(d.secretsD, fragment)), "\uFFFD"), maxExcerpt), d.same()
}

// decodedEnd returns the end of the decoded text of the chunk of v that
// holds offset t (what the text before t decodes to ends before it); the
// map must cover t.
func (m *sentMap) decodedEnd(t int) int {
	if m.ident {
		return min(t, len(m.v))
	}
	k := sort.SearchInts(m.sOff, t+1) // first chunk start past t
	return m.dOff[min(k, len(m.dOff)-1)]
}
