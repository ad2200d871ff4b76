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
	if r == nil {
		r = defaultRedactor()
	}
	start = min(len(s), start)
	end = min(len(s), end)
	start = maxInt(0, start)
	if end < start {
		end = start
	}
	var buf [8]span
	spans := r.spans(buf[:0], s, modeFold)
	if len(also) > 0 {
		spans = mergeSpans(literalSpans(spans, s, also))
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
	if start > 0 && start < end && tokenByte(s[start-1]) && tokenByte(s[start]) && !inSpan(start) {
		for start < end && tokenByte(s[start]) && !inSpan(start) {
			start++
		}
		cutHead = true
	}
	cutTail := false
	if end < len(s) && end > start && tokenByte(s[end-1]) && tokenByte(s[end]) && !inSpan(end-1) {
		for end > start && tokenByte(s[end-1]) && !inSpan(end-1) {
			end--
		}
		cutTail = true
	}
	var b strings.Builder
	b.Grow(end - start + len(Mask) + 2*len(Ellipsis))
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
	out := strings.ToValidUTF8(b.String(), "\uFFFD")
	if max > 0 && len(out) > max {
		return Cut(out, max)
	}
	if cutTail {
		out += Ellipsis
	}
	return out
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
func Cut(s string, n int) string {
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
	if cut > 0 && tokenByte(s[cut-1]) && tokenByte(s[cut]) {
		k := cut
		for k > 0 && tokenByte(s[k-1]) {
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
