package redact

import (
	"strings"
	"unicode/utf8"
)

// Ellipsis marks where an excerpt or a cut string was shortened.
const Ellipsis = "…"

// tokenByte reports whether c belongs to a word a cut must not split:
// letters, digits, '_', '-' and percent-escapes. Secrets are masked whole
// before anything is cut, so this only keeps the ends of an excerpt from
// showing a piece of a word; '.', '/' and ':' stay cut points, so that a
// path or URL in an attack remains readable.
func tokenByte(c byte) bool { return class[c]&cWord != 0 || c == '%' }

// Excerpt returns the part s[start:end] of s for a log line, so that no
// piece of a secret in s can survive:
//
//  1. the secrets are found in the whole of s, in its original letter case
//     and with [Redactor.StringFold]'s rules, before anything is cut;
//  2. the window is widened to cover every secret it overlaps, which is
//     then written as [Mask] whole (never a prefix or a suffix of it);
//  3. the window is narrowed to token boundaries: a word, base64 or
//     percent-escaped run cut by the window is dropped, not shown in part;
//  4. the result is cut to at most max bytes (plus [Ellipsis] marks), at a
//     token boundary too, and made valid UTF-8.
//
// [Ellipsis] marks each end where a token was dropped. start and end are
// clamped to s; max <= 0 means no limit. also are more secrets to mask
// wherever they appear in s, ignoring case: typically the secrets found
// in the text as sent, when s is its decoded form (decoding can break a
// secret's shape, a '+' becoming a space).
func (r *Redactor) Excerpt(s string, start, end, max int, also ...string) string {
	return r.excerpt(s, start, end, max, nil, also, nil, nil, false)
}

// Span is the byte range [Start, End) of a string.
type Span struct{ Start, End int }

// SecretSpans returns the byte ranges of s that [Redactor.StringFold]
// masks, sorted and merged; nil when there are none. A caller that found
// them in a decoded copy of a text maps them back to the text as sent and
// hands them to [Redactor.ExcerptMasking].
func (r *Redactor) SecretSpans(s string) []Span {
	if r == nil {
		r = defaultRedactor()
	}
	var buf [8]span
	var out []Span
	for _, sp := range r.spans(buf[:0], s, modeFold) {
		if !onlyMasks(s[sp.start:sp.end]) {
			out = append(out, Span{sp.start, sp.end})
		}
	}
	return out
}

// ExcerptMasking is [Redactor.Excerpt] with more ranges of s to mask whole,
// like the secrets it finds itself: typically secrets found in the decoded
// form of s (a JSON-\u-escaped or percent-encoded key the redactor cannot
// recognise as sent), mapped back to s. Ranges outside s are clamped.
//
// cuttable, when not nil, names more token boundaries than the bytes show:
// cuttable(t, i) reports whether a cut between t[i-1] and t[i] is at one,
// for t being s or the masked text cut to max. An escaped text uses it to
// cut at an escape of a separator ("%20", "&lt;", "\u0027"), where its
// decoded form has a boundary. Masks are never cut, whatever it says.
func (r *Redactor) ExcerptMasking(s string, start, end, max int, mask []Span, cuttable func(t string, i int) bool) string {
	return r.excerpt(s, start, end, max, clampSpans(s, mask), nil, cuttable, nil, false)
}

func clampSpans(s string, mask []Span) []span {
	extra := make([]span, 0, len(mask))
	for _, m := range mask {
		a, b := min(len(s), maxInt(0, m.Start)), min(len(s), maxInt(0, m.End))
		if a < b {
			extra = append(extra, span{a, b})
		}
	}
	return extra
}

// Searched is a text searched once for the secrets its excerpts mask, for
// taking several excerpts of it ([Redactor.ExcerptMaskingSearched]): a
// document with many findings is not searched again for each.
type Searched struct {
	s     string
	spans []span
	upTo  int // the spans starting before upTo are all in spans
	// where the pass stopped, for SearchFurther (when resumable: made by
	// SearchBefore or SearchFurther, and not resumed already)
	at        passState
	resumable bool
}

// Search searches s for the secrets [Redactor.Excerpt] masks in it.
func (r *Redactor) Search(s string) *Searched {
	return r.SearchBefore(s, len(s))
}

// SearchBefore searches s for the secrets [Redactor.Excerpt] masks in it,
// as far as the excerpts of matches ending at or before end need (and
// maybe further): [Searched.Covers] tells which it can take.
func (r *Redactor) SearchBefore(s string, end int) *Searched {
	if r == nil {
		r = defaultRedactor()
	}
	t := &Searched{s: s, resumable: true}
	spans, stop := scanner{r: r, s: s, fold: true}.collectFrom(nil, end, &t.at)
	t.spans, t.upTo = mergeSpans(spans), stop
	return t
}

// SearchFurther is [Redactor.SearchBefore] of the text t was made from by
// SearchBefore, as far as end: it resumes t's search where it stopped
// instead of searching the text again from its start (the findings of a
// document, searched for as far as each one needs, cost one pass). t stays
// valid for its own excerpts, but is not resumed again. A t made
// otherwise, or resumed already, is searched afresh.
func (r *Redactor) SearchFurther(t *Searched, end int) *Searched {
	if r == nil {
		r = defaultRedactor()
	}
	if end <= t.upTo {
		return t
	}
	if !t.resumable {
		return r.SearchBefore(t.s, end)
	}
	t.resumable = false
	// (the spans are merged: each ends before where the pass stopped, and
	// at.maxEnd took them all into account)
	u := &Searched{s: t.s, at: t.at, resumable: true}
	u.at.lits.counted = len(t.spans)
	spans, stop := scanner{r: r, s: t.s, fold: true}.collectFrom(append([]span(nil), t.spans...), end, &u.at)
	u.spans, u.upTo = mergeSpans(spans), stop
	return u
}

// SearchPrefix is [Redactor.SearchBefore] of a text of which s is only
// the first bytes (the rest not read yet, a long value decoded as far as
// its excerpts need): settled reports whether what it found is what
// searching the whole text finds before where it stopped, whatever
// follows s. When it is not, the caller searches a longer prefix;
// complete says that s is the whole text.
//
// The reads of the search that start before where it stopped are of
// three kinds. Runs of token bytes (a base64 run, a token after its
// vendor prefix, a JWT's segments, a credential after its scheme) end at
// the first byte that belongs to no token; a URL's authority (only after
// a "://") ends at a '/', '?', '#', blank, quote, '<', '>', '\' or '`',
// and the look for its '@' a few hundred bytes further at most; the
// others read a bounded number of bytes (a card's digit groups, a PEM
// label, a configured literal secret) or make a span or a jump that
// reaches the end of s when s cuts them (a quoted value, a PEM body, the
// blanks after a secret key), and the search then stops at the end of s.
// So a search that stopped with those ends between where it stopped and
// the last prefixSlack bytes of s is settled. FuzzSearchPrefix checks it.
func (r *Redactor) SearchPrefix(s string, end int, complete bool) (t *Searched, settled bool) {
	t = new(Searched)
	return t, r.SearchPrefixInto(t, s, end, complete)
}

// SearchPrefixInto is [Redactor.SearchPrefix] made in t, which it
// overwrites (the caller's, reused from one search to the next: an
// inspection takes the excerpts of many values one after another).
func (r *Redactor) SearchPrefixInto(t *Searched, s string, end int, complete bool) (settled bool) {
	if r == nil {
		r = defaultRedactor()
	}
	spans, stop := r.spansStop(nil, s, modeFold, end)
	*t = Searched{s: s, spans: spans, upTo: stop}
	if complete {
		return true
	}
	last := len(s) - prefixSlack
	if len(r.secrets) > 0 {
		last -= len(r.secrets[0]) // the longest
	}
	// (the bytes past where it stopped are read as far as settleScan
	// only: a prefix a long run of token bytes follows is not settled
	// there, and its caller searches a longer one)
	last = min(last, t.upTo+settleScan)
	tokenEnd := false
	for k := t.upTo; k < last && !tokenEnd; k++ {
		c := s[k]
		tokenEnd = class[c]&(cWord|cTok68|cB64) == 0 && c != '.' && c != '=' && c != '%'
	}
	if !tokenEnd {
		return false
	}
	if !strings.Contains(s[:t.upTo], "://") {
		return true
	}
	for k := t.upTo; k < last; k++ {
		if urlAuthorityEnd(s[k]) {
			return true
		}
	}
	return false
}

// settleScan bounds how far past where a prefix search stopped
// SearchPrefixInto looks for what settles it.
const settleScan = 8 << 10

// prefixSlack is how far past a byte that ends its reads a prefix search
// may still read (the look for a URL password's '@', a card's digit
// groups, the bytes around a PEM label).
const prefixSlack = maxURLLookhead + 128

// ReachEnd returns how far the window of an excerpt of t's text ending at
// end can be widened over the secrets t found and the ranges of mask (the
// spans that overlap or touch it, one after another): an upper bound of
// where [Redactor.ExcerptMaskingSearched] reads masks, so that more masks
// starting past it would not change the excerpt.
func (t *Searched) ReachEnd(end int, mask []Span) int {
	for changed := true; changed; {
		changed = false
		for _, sp := range t.spans {
			if sp.start <= end && sp.end > end {
				end, changed = sp.end, true
			}
		}
		for _, sp := range mask {
			if sp.Start <= end && sp.End > end {
				end, changed = sp.End, true
			}
		}
	}
	return end
}

// Covers reports whether t was searched as far as the excerpts of matches
// ending at end need.
func (t *Searched) Covers(end int) bool { return end <= t.upTo }

// Stop returns where the search stopped: the secrets starting before it
// are all known.
func (t *Searched) Stop() int { return t.upTo }

// SecretSpans is [Redactor.SecretSpans] of the text t was made from (for
// a search that stopped early, the spans starting before where it did).
func (t *Searched) SecretSpans() []Span {
	var out []Span
	for _, sp := range t.spans {
		if !onlyMasks(t.s[sp.start:sp.end]) {
			out = append(out, Span{sp.start, sp.end})
		}
	}
	return out
}

// ExcerptMaskingSearched is [Redactor.ExcerptMasking] of the text t was
// made from, with the secrets found when it was searched; t must cover
// end, and mask hold no span that starts at or after where t stopped
// (t's own SecretSpans, or ranges of secrets that end before end).
// cuttable(t, i) must read t only within cutReach bytes of i: of a window
// much longer than max, only the first bytes, as far as its cut reads,
// are masked and cut.
func (r *Redactor) ExcerptMaskingSearched(t *Searched, start, end, max int, mask []Span, cuttable func(t string, i int) bool) string {
	found := t.spans
	if found == nil {
		found = []span{} // searched, nothing found
	}
	return r.excerpt(t.s, start, end, max, clampSpans(t.s, mask), nil, cuttable, found[:len(found):len(found)], true)
}

// boundaryAt reports whether a cut between s[i-1] and s[i] is at a token
// boundary: an end of s, a byte that is not a token byte on either side, or
// a place cuttable names.
func boundaryAt(s string, i int, cuttable func(string, int) bool) bool {
	if i <= 0 || i >= len(s) || !tokenByte(s[i-1]) || !tokenByte(s[i]) {
		return true
	}
	return cuttable != nil && cuttable(s, i)
}

// excerpt is Excerpt and ExcerptMasking; found, when not nil, is what
// searching s for secrets found (never modified: its capacity is its length).
func (r *Redactor) excerpt(s string, start, end, max int, extra []span, also []string, cuttable func(string, int) bool, found []span, local bool) string {
	if r == nil {
		r = defaultRedactor()
	}
	start = min(len(s), start)
	end = min(len(s), end)
	start = maxInt(0, start)
	if end < start {
		end = start
	}
	spans := found
	if spans == nil {
		// Only the spans that start before the excerpt's end count (a
		// later one neither widens nor is shown in it): the secrets of a
		// long text after the match are not searched for. Other masks,
		// merged with them, could join one that starts later: then the
		// whole text is searched.
		limit := end
		if len(also) > 0 || len(extra) > 0 {
			limit = len(s)
		}
		var buf [8]span
		spans = r.spansBefore(buf[:0], s, modeFold, limit)
	}
	if len(also) > 0 || len(extra) > 0 {
		spans = mergeSpans(literalSpans(append(spans, extra...), s, also))
	}
	// Secrets overlapping an edge widen the window.
	for _, sp := range spans {
		if sp.start < start && start < sp.end {
			start = sp.start
		}
		if sp.start < end && end < sp.end {
			end = sp.end
		}
	}
	// A token cut by an edge is dropped, unless it is (part of) a mask.
	inSpan := func(i int) bool {
		for _, sp := range spans {
			if sp.start <= i && i < sp.end {
				return true
			}
		}
		return false
	}
	cutHead := false
	if start > 0 && start < end && !boundaryAt(s, start, cuttable) && !inSpan(start) {
		for start < end && !boundaryAt(s, start, cuttable) && !inSpan(start) {
			start++
		}
		cutHead = true
	}
	cutTail := false
	if end < len(s) && end > start && !boundaryAt(s, end, cuttable) && !inSpan(end-1) {
		for end > start && !boundaryAt(s, end, cuttable) && !inSpan(end-1) {
			end--
		}
		cutTail = true
	}
	// The text shown: of a window much longer than max (a match mapped
	// back to a long run of escapes), only the first max+cutSlack bytes,
	// which decide where it is cut (see below), when cuttable reads no
	// further than cutReach bytes from where it is asked.
	limit := -1
	if max > 0 && (cuttable == nil || local) && end-start > max+cutSlack && !wholeExcerpts {
		limit = max + cutSlack
	}
	text, cut := buildExcerpt(s, start, end, spans, cutHead, limit)
	if cut {
		// p is the text's first max+cutSlack bytes. When it is valid
		// UTF-8 up to its last whole character (k bytes), making the text
		// valid UTF-8 keeps those bytes as they are, and the text is
		// longer than max: cutAt reads its first max+len(Mask)+1 bytes
		// and asks cuttable about places up to max, all within p[:k].
		p := text
		k := len(p)
		for r := k - 1; r >= 0 && k-r < utf8.UTFMax; r-- {
			if utf8.RuneStart(p[r]) {
				if !utf8.FullRuneInString(p[r:]) {
					k = r
				}
				break
			}
		}
		if utf8.ValidString(p[:k]) {
			return cutAt(p[:k], max, cuttable)
		}
		// (an invalid byte early in the text: it is built whole)
		text, _ = buildExcerpt(s, start, end, spans, cutHead, -1)
	}
	return finishExcerpt(text, max, cutTail, cuttable)
}

// finishExcerpt makes the text of an excerpt valid UTF-8, cut to max (or
// marked with an Ellipsis when its window dropped a token at its end).
func finishExcerpt(text string, max int, cutTail bool, cuttable func(string, int) bool) string {
	out := strings.ToValidUTF8(text, "\uFFFD")
	if max > 0 && len(out) > max {
		return cutAt(out, max, cuttable)
	}
	if cutTail {
		out += Ellipsis
	}
	return out
}

// buildExcerpt writes s[start:end] with the spans in it masked, after an
// Ellipsis when cutHead; only its first limit bytes when limit >= 0 (cut
// reports that it left some out).
func buildExcerpt(s string, start, end int, spans []span, cutHead bool, limit int) (text string, cut bool) {
	var b prefixBuilder
	b.limit = limit
	if limit >= 0 {
		b.b.Grow(limit)
	} else {
		b.b.Grow(end - start + len(Mask) + 2*len(Ellipsis))
	}
	if cutHead {
		b.WriteString(Ellipsis)
	}
	prev := start
	for _, sp := range spans {
		if sp.end <= start || sp.start >= end {
			continue
		}
		b.WriteString(s[prev:maxInt(prev, sp.start)])
		b.WriteString(Mask)
		prev = sp.end
	}
	if prev < end {
		b.WriteString(s[prev:end])
	}
	return b.b.String(), b.cut
}

// cutSlack is how much of a long excerpt's text is built past max; it
// exceeds what cutAt reads past max (a mask's length, a character's last
// bytes) and cutReach.
const cutSlack = 64

// wholeExcerpts makes excerpt build every text whole (a test hook: the
// excerpts built in part are compared with it).
var wholeExcerpts = false

// cutReach is how far from i a cuttable function passed with local reads
// its text.
const cutReach = 32

// prefixBuilder is a strings.Builder that keeps the first limit bytes of
// what is written (all when limit < 0); cut reports that it dropped some.
type prefixBuilder struct {
	b     strings.Builder
	limit int
	cut   bool
}

func (w *prefixBuilder) WriteString(t string) {
	if w.limit >= 0 && w.b.Len()+len(t) > w.limit {
		t, w.cut = t[:w.limit-w.b.Len()], true
	}
	w.b.WriteString(t)
}

// literalSpans appends the occurrences in s of the given literals, ignoring
// ASCII case; empty literals are skipped.
func literalSpans(spans []span, s string, lits []string) []span {
	for _, v := range lits {
		if v == "" {
			continue
		}
		for off := 0; off < len(s); {
			j := indexFold(s[off:], v)
			if j < 0 {
				break
			}
			spans = append(spans, span{off + j, off + j + len(v)})
			off += j + len(v)
		}
	}
	return spans
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Cut shortens s, already redacted, to at most n bytes plus [Ellipsis]: it
// cuts on a UTF-8 boundary and before any token the limit would split, so
// that the tail of the line is never the first half of a word, key or
// [Mask]. s is returned as is when it fits.
func Cut(s string, n int) string { return cutAt(s, n, nil) }

func cutAt(s string, n int, cuttable func(string, int) bool) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return Ellipsis
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut > 0 && !boundaryAt(s, cut, cuttable) {
		k := cut
		for k > 0 && !boundaryAt(s, k, cuttable) {
			k--
		}
		cut = k
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	// Never leave half a mask.
	if i := strings.LastIndex(s[:cut], "["); i >= 0 && strings.HasPrefix(s[i:], Mask) && i+len(Mask) > cut {
		cut = i
	}
	return s[:cut] + Ellipsis
}
