package guard

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/redact"
)

// A finding shows two excerpts when the detectors matched a decoded form
// of what was sent (percent-, HTML-entity-, \u- or \x-escaped text,
// full-width or overlong look-alikes, JSON inside a string, base64 text):
//
//   - Finding.Excerpt, the text as it was sent, around the match;
//   - Finding.DecodedExcerpt, the decoded text that matched.
//
// Both are redacted on their own whole text before they are cut, and a
// secret the redactor recognises only once decoded (an AWS key written as
// \u0041\u004b…, a card number in full-width digits) is masked in the text
// as sent too: its range in the decoded text is mapped back to the bytes
// that decode to it, widened to the whole run of word and escape bytes
// around them.

// excerpts returns a finding's excerpt as sent and, when it differs, the
// decoded excerpt that matched ("" otherwise).
func (s *scanner) excerpts(loc, v, fragment string) (sent, decoded string) {
	decoded, same := s.excerptDecoded(loc, v, fragment)
	if decoded == redact.Mask {
		return decoded, "" // a secret field: nothing of it is shown
	}
	if s.sent != "" && s.sent != v && len(s.sent) <= maxSentDoc {
		// The string was found inside a document or another string (a
		// JSON body whose strings carry \u escapes, JSON or base64 in a
		// string): show that text as sent, around the match.
		sent, _ = s.g.sentExcerpt(s.sent, fragment, &s.sentDoc)
		if sent == "" && looksBase64(s.sent) {
			sent = s.g.base64Excerpt(s.sent, v, fragment)
		}
	}
	if sent == "" && !same {
		// (v decoding to itself, the text as sent is the decoded text:
		// sentExcerpt would find so, reading all of v)
		var raw bool
		if sent, raw = s.g.sentValueExcerpt(s.valueDoc(v), fragment); raw {
			// The rule matched the text as sent (an escaped identifier):
			// there is no decoded form of the match to show, and the
			// decoded excerpt's fallback would show the escaped text.
			return sent, ""
		}
	}
	if sent == "" || sent == decoded {
		return decoded, ""
	}
	return sent, decoded
}

// excerptDecoded is the excerpt of a match in the string v found at loc. A
// fragment from a field whose name says it holds a secret (a password, a
// token, an Authorization header) is masked whole; otherwise it is
// Guard.excerptIn, remembered for the last short value (excerptMemo): a
// body of one attack string repeated has its findings' excerpts of the
// same match in the same value.
func (s *scanner) excerptDecoded(loc, v, fragment string) (excerpt string, same bool) {
	if k := lastKey(loc); k != "" && s.g.red.IsSecretKey(k) {
		return redact.Mask, false
	}
	m := &s.exMemo
	if m.excerpt != "" && !noExcerptMemo && string(m.v[:m.nv]) == v && string(m.frag[:m.nfrag]) == fragment {
		return m.excerpt, m.same
	}
	excerpt, same = s.g.excerptIn(s.valueDoc(v), fragment)
	if len(v) <= len(m.v) && len(fragment) <= len(m.frag) {
		m.nv, m.nfrag = copy(m.v[:], v), copy(m.frag[:], fragment)
		m.excerpt, m.same = excerpt, same
	}
	return excerpt, same
}

// noExcerptMemo makes scanner.excerptDecoded take every excerpt afresh (a
// test hook: the findings with and without the memo are compared).
var noExcerptMemo = false

// excerptMemo is the last excerpt scanner.excerptDecoded took of a value
// and fragment short enough to be copied (the value may alias a buffer
// reused for the next one). Guard.excerptIn depends on them only.
type excerptMemo struct {
	nv, nfrag int
	v, frag   [memoBytes]byte
	excerpt   string // "" when unset
	same      bool
}

// maxSentDoc bounds the enclosing text (JSON document, string holding JSON
// or base64) searched for the text as sent: beyond it the excerpt is taken
// from the string itself, so a finding costs at most one pass over this
// many bytes.
const maxSentDoc = 64 << 10

// enterSent notes v as the string as sent that nested content (JSON or
// base64 in a string) comes from, unless an outer one is already noted; the
// caller restores the returned value when it leaves.
func (s *scanner) enterSent(v string) string {
	prev := s.sent
	if prev == "" {
		s.sent = v
	}
	return prev
}

// sentDoc holds what the excerpts of the findings in one text as sent (a
// JSON body, a string holding JSON or base64: scanner.sent, at most
// maxSentDoc bytes) read of the whole text: its decoded map, both forms
// lower-cased, the secrets of the decoded text mapped back to the text, and
// the redactor's search of the text. A body of attack strings has a
// finding in every string; each one decoded, lower-cased and redacted the
// whole text again before (issue 20: a 16 KB JSON array of attack strings
// cost 1.2 ms/KB and 300 times its size in memory). Its excerpts are taken
// with the whole text as their window (no wider than maxSentDoc, and the
// same window as before up to 16 KB: excerptMargin on each side). It lives
// as long as the scanner's inspection (putScanner resets it).
//
// The map is made as far as the excerpts need (a finding near the start
// of a 64 KB storm maps its first 4 KB, not the whole text, sentExcerpt);
// the searches that must read all of the text do so once it is whole.
type sentDoc struct {
	v      string // the text the rest describes ("" when unset)
	m      sentMap
	da, db []byte // decoding scratch (sentMap.extend)
	// whether all of v decodes to itself (m.d == v once whole): 0 not
	// known yet, 1 yes, -1 no
	same int8
	// the redactor's settled search of the decoded text mapped so far
	// (its secrets are masked in v, sentExcerpt), while m is not whole
	searchD    redact.Searched
	searchDTo  int
	haveSearch bool
	lowD, lowV string // asciiLower(m.d), and of v, once needed
	haveLowD   bool
	haveLowV   bool
	searchedV  bool          // v was searched once (indexV)
	masks      []redact.Span // secrets of m.d, as ranges of v (haveMasks)
	haveMasks  bool
	searched   *redact.Searched // the redactor's search of v, once needed
	searchTo   int              // how far it was asked to search
	// the last match mapped back: d[i:i+n] is v[a:b] (findings of one
	// rule in many strings match the same first occurrence)
	i, n, a, b int
	haveLast   bool
	// The places in m.d of candByte, either case (indexD's candidates
	// for a text starting with it): all those before candTo, ascending
	// (m.d is at most maxSentDoc bytes: a place fits in 16 bits). Kept
	// with a pooled scanner (at most maxSentDoc/4 of them), grown to the
	// number of candidates the text holds (candCap), not by doublings.
	cands    []uint16
	candTo   int
	candByte byte
	// the next place at or after candTo of candByte in lower case and in
	// upper case (len(m.d): none), each found again only once passed:
	// a byte search per candidate for a case that does not occur read
	// the rest of the text each time (64 KB of "nc +ADw-": 2x the cost)
	loAt, upAt int
}

// sentRange returns where in v the text decoding to m.d[i:i+n] is.
func (c *sentDoc) sentRange(i, n int) (a, b int) {
	if !c.haveLast || c.i != i || c.n != n {
		c.i, c.n, c.a, c.b, c.haveLast = i, n, c.m.sentStart(i), c.m.sentEnd(i+n), true
	}
	return c.a, c.b
}

// of returns the cache for v, filled with v's map; the cache is reset when
// it described another text.
func (c *sentDoc) of(v string) *sentDoc {
	if c.v == "" || len(c.v) != len(v) || unsafe.StringData(c.v) != unsafe.StringData(v) {
		*c = sentDoc{v: v, cands: c.cands[:0]}
		if wholeSentDoc || len(v) <= lazySentDoc {
			c.m = newSentMap(v)
		} else if !mayDecode(v) {
			c.m = sentMap{v: v, d: v, ident: true}
		} else {
			c.m = sentMap{v: v, sOff: []int{0}, dOff: []int{0}}
		}
	}
	return c
}

// wholeSentDoc makes sentDoc.of map the whole text at once (a test hook:
// the excerpts of a text mapped as far as they need are compared with it).
var wholeSentDoc = false

// lazySentDoc is the length up to which a text as sent is mapped whole at
// once (the excerpts of a document of findings all through it read all of
// it: a prefix mapped first would be a copy more).
const lazySentDoc = 16 << 10

// grow maps more of v: its first firstPrefix bytes, then the rest (one
// buffer of its size rather than a series of growths).
func (c *sentDoc) grow() {
	n := len(c.v)
	if c.m.end() == 0 {
		n = firstPrefix
	}
	c.m.extend(n, &c.da, &c.db)
	if len(c.v)-c.m.end() < firstPrefix {
		c.m.extend(len(c.v), &c.da, &c.db) // (a long first chunk: the rest too)
	}
}

// wholeSame reports whether all of v decodes to itself.
func (c *sentDoc) wholeSame() bool {
	if c.same == 0 {
		c.same = -1
		if !c.m.differs && c.m.restSame(&c.da, &c.db) {
			c.same = 1
		}
	}
	return c.same == 1
}

// indexD finds the lower-case text want in m.d, ignoring case: in place
// while that is cheap (a match near the start), else in a lower-cased copy
// of m.d made once.
func (c *sentDoc) indexD(want string) int {
	if !c.m.complete() {
		// in the part mapped, mapping more until it is there (the first
		// place in a prefix of the decoded text is its first place), a
		// block at a time: no lower-cased copy of the text, nor places
		// of its first byte
		from := 0
		for {
			if i := indexFoldFrom(c.m.d, from, want, false); i >= 0 {
				return i
			}
			if c.m.complete() {
				return -1
			}
			from = max(0, len(c.m.d)-len(want)+1)
			c.grow()
		}
	}
	if !c.haveLowD {
		if i, ok := c.indexCands(want); ok {
			return i
		}
		if i, ok := indexFoldBudget(c.m.d, want); ok {
			return i
		}
		c.lowD, c.haveLowD = asciiLower(c.m.d), true
	}
	return indexLower(c.lowD, want)
}

// indexCands is indexFoldBudget(c.m.d, want) reading the places of
// want's first byte from c.cands, found once for all the searches of the
// findings of the document: a body of attack strings has a finding in
// each, and each search steps over the candidates in the strings before
// its own again (a comparison each, not a byte search). It gives up
// (false) once it has compared about len(m.d) bytes, and when want is
// too long for indexFoldBudget to compare in place.
func (c *sentDoc) indexCands(want string) (int, bool) {
	d := c.m.d
	if want == "" || len(want) > 2*maxExcerpt || len(d) > 1<<16 {
		return 0, false
	}
	if want[0] != c.candByte || c.candTo == 0 {
		c.candByte, c.cands, c.candTo = want[0], c.cands[:0], 0
		c.loAt, c.upAt = -1, -1
	}
	lo, up := want[0], want[0]
	if 'a' <= lo && lo <= 'z' {
		up = lo - ('a' - 'A')
	}
	var w8, fold8 uint64 // want's first eight bytes; 0x20 in those that are letters
	if len(want) >= 8 {
		w8 = load8(want)
		for i := 0; i < 8; i++ {
			if 'a' <= want[i] && want[i] <= 'z' {
				fold8 |= 0x20 << (8 * i)
			}
		}
	}
	work := 0
	for k := 0; work <= len(d); k++ {
		if len(want) >= 8 && k < len(c.cands) {
			// The candidates already found, their first eight bytes
			// compared in a loop of their own (the candidates before a
			// finding's are stepped over by each search: a body of
			// attack strings has one in each string): through a
			// pointer, the candidates up to the last place want fits
			// at, while the budget lasts.
			cands, last, p := c.cands, len(d)-len(want), unsafe.Pointer(unsafe.StringData(d))
			stop := min(len(cands), k+(len(d)-work)/8+1)
			k0 := k
			for k < stop && int(cands[k]) <= last && *(*uint64)(unsafe.Add(p, cands[k]))|fold8 != w8 {
				k++
			}
			work += 8 * (k - k0)
			if k == stop {
				if work > len(d) {
					break
				}
				k-- // (the loop's k++: the candidate after the known ones is found below)
				continue
			}
			if j := int(cands[k]); j <= last {
				// its first eight bytes are want's: the rest compared
				n := 8
				for n < len(want) && lowerASCII(d[j+n]) == want[n] {
					n++
				}
				if n == len(want) {
					return j, true
				}
				work += n + 4
				continue
			}
		}
		if k == len(c.cands) {
			// the next candidate: the nearer of the next lo and up
			if c.candTo >= len(d) || len(c.cands) >= maxSentDoc/4 {
				if c.candTo >= len(d) {
					return -1, true
				}
				return 0, false
			}
			c.loAt = nextByte(d, lo, c.candTo, c.loAt)
			j := c.loAt
			if up != lo {
				c.upAt = nextByte(d, up, c.candTo, c.upAt)
				j = min(j, c.upAt)
			}
			if j >= len(d) {
				c.candTo = len(d)
				return -1, true
			}
			if len(c.cands) == cap(c.cands) {
				c.cands = slices.Grow(c.cands, candCap(d, lo, up, j, len(c.cands)))
			}
			c.cands = append(c.cands, uint16(j))
			c.candTo = j + 1
		}
		j := int(c.cands[k])
		if j+len(want) > len(d) {
			return -1, true
		}
		n := 1
		if len(want) >= 8 {
			// the first eight bytes at once, a letter of want matching
			// either case (x|0x20 is want's lower-case letter when x is
			// it or its upper case): the attack strings of a body mostly
			// differ from the fragment after a few bytes in common
			if load8(d[j:])|fold8 != w8 {
				work += 8
				continue
			}
			n = 8
		}
		for n < len(want) && lowerASCII(d[j+n]) == want[n] {
			n++
		}
		if n == len(want) {
			return j, true
		}
		work += n + 4
	}
	return 0, false
}

// candCap is how many more candidates sentDoc.indexCands makes room for
// when it has n and finds one at j: a few at first (a search mostly ends
// near the start), then every place of lo or up from j on, up to its
// limit of maxSentDoc/4 (counted once: a storm of the first byte grew the
// list by doublings to four times its size in the sum of its buffers).
func candCap(d string, lo, up byte, j, n int) int {
	if n < 64 {
		return 64 - n
	}
	k := countByte(d[j:], lo)
	if up != lo {
		k += countByte(d[j:], up)
	}
	return max(1, min(k, maxSentDoc/4-n))
}

// countByte returns how many times b is in s (a vectorised count).
func countByte(s string, b byte) int {
	sep := [1]byte{b}
	return bytes.Count(unsafe.Slice(unsafe.StringData(s), len(s)), sep[:])
}

// nextByte returns the place of b in d at or after from, len(d) when
// there is none, given at: the place found before (-1: none yet), kept
// while it is not before from.
func nextByte(d string, b byte, from, at int) int {
	if at >= from {
		return at
	}
	if i := strings.IndexByte(d[from:], b); i >= 0 {
		return from + i
	}
	return len(d)
}

// load8 returns the first eight bytes of s (at least eight) as a
// little-endian word.
func load8(s string) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))
}

// indexV finds the lower-case text want in v, ignoring case: the first
// search in place, a block at a time (a storm whose matches are not in
// its decoded text has one such search, and v lower-cased would be a copy
// of it), the next ones in a lower-cased copy of v made once.
func (c *sentDoc) indexV(want string) int {
	if !c.haveLowV && !c.searchedV {
		c.searchedV = true
		if hasUpperASCII(c.v) {
			return indexFoldFrom(c.v, 0, want, false)
		}
	}
	return indexLower(c.lowerV(), want) // (v without upper case is its own)
}

// hasUpperASCII reports whether s holds an ASCII upper-case letter.
func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// lowerV returns asciiLower(c.v).
func (c *sentDoc) lowerV() string {
	if !c.haveLowV {
		if c.m.d == c.v && c.haveLowD {
			c.lowV = c.lowD
		} else {
			c.lowV = asciiLower(c.v)
		}
		c.haveLowV = true
	}
	return c.lowV
}

// indexLower finds the lower-case ASCII text want in low, a text already
// lower-cased: indexASCIIFold without lower-casing again.
func indexLower(low, want string) int {
	if want == "" {
		return -1
	}
	return strings.Index(low, want)
}

// sentExcerpt is the excerpt of v as sent around the text that decodes to
// the detectors' fragment, or around the fragment itself when a rule
// matched the text as sent (raw reports that); "" when the fragment is in
// neither. Secrets found in the decoded text are masked in v too. c
// caches what is read of v across the findings in it. (A string's own
// excerpts: sentValueExcerpt.)
func (g *Guard) sentExcerpt(v, fragment string, c *sentDoc) (excerpt string, raw bool) {
	c = c.of(v)
	m := &c.m
	want := asciiLower(fragment)
	var a, b int
	dEnd := len(m.d)
	if i := c.indexD(want); i >= 0 {
		a, b = c.sentRange(i, len(want))
		dEnd = i + len(want)
	} else if m.d == v { // (m is whole: the fragment was looked for everywhere)
		return "", false
	} else if j := c.indexV(want); j >= 0 {
		a, b, raw = j, j+len(want), true
	} else {
		return "", false
	}
	same := m.d == v
	if !m.complete() {
		same = c.wholeSame()
	}
	if c.searched == nil || !c.searched.Covers(b) {
		// When v is its own decoded text, the masks are the
		// search's own secrets and the search may stop past the
		// match (twice as far as before, at least 1 KB: the
		// findings of a document are searched for in about one
		// pass over what they read); else v is searched whole.
		to := len(v)
		if same {
			to = max(b, 2*c.searchTo, 1<<10)
		}
		c.searchTo = to
		if c.searched == nil {
			c.searched = g.red.SearchBefore(v, to)
		} else {
			c.searched = g.red.SearchFurther(c.searched, to) // (resumed where it stopped)
		}
		c.haveMasks = false
	}
	if same {
		if !c.haveMasks {
			spans := c.searched.SecretSpans() // the same text: searched once
			if len(spans) > 0 {
				m.extend(spans[len(spans)-1].End, &c.da, &c.db) // (mapped where they are)
			}
			c.masks, c.haveMasks = sentMasks(m, spans, 0, 0), true
		}
	} else if m.complete() && !c.haveSearch {
		if !c.haveMasks {
			c.masks, c.haveMasks = sentMasks(m, g.red.SecretSpans(m.d), 0, 0), true
		}
	} else {
		c.decodedMasks(g.red, b, dEnd)
	}
	return g.red.ExcerptMaskingSearched(c.searched, a, b, maxExcerpt, c.masks, escapedSeparator), raw
}

// decodedMasks sets c.masks to the secrets of the decoded text mapped
// back to v, as far as an excerpt of v ending at b needs them, searching
// the decoded text as far as that: the masks of the secrets it holds
// further on start past where the excerpt, widened over the secrets of v
// and the masks known (ReachEnd), can end (floorAbove); once whole, all
// of them. dEnd is where the match ends in the
// decoded text (where the search starts from).
func (c *sentDoc) decodedMasks(r *redact.Redactor, b, dEnd int) {
	m := &c.m
	for {
		if c.haveSearch && c.haveMasks {
			if m.complete() && c.searchDTo >= len(m.d) {
				return // (every secret of the decoded text)
			}
			if c.floorAbove(c.searched.ReachEnd(b, c.masks)) {
				return
			}
		}
		to := max(dEnd, 1<<10)
		if c.haveSearch {
			// (the masks found may reach the excerpt: all of them)
			to = len(c.v)
		}
		c.searchDecoded(r, to)
		c.masks, c.haveMasks = sentMasks(m, c.searchD.SecretSpans(), 0, 0), true
	}
}

// searchDecoded searches the decoded text for secrets as far as to (a
// settled search of the part mapped: what the search of the whole
// decoded text finds there), mapping more of v as needed.
func (c *sentDoc) searchDecoded(r *redact.Redactor, to int) {
	m := &c.m
	for {
		for !m.complete() && len(m.d) < to+searchSlack {
			c.grow()
		}
		if r.SearchPrefixInto(&c.searchD, m.d, to, m.complete()) {
			spans := c.searchD.SecretSpans()
			if len(spans) == 0 || spans[len(spans)-1].End <= len(m.d) {
				c.searchDTo, c.haveSearch = to, true
				return
			}
		}
		if m.complete() {
			// (a complete search is settled; never here)
			c.searchDTo, c.haveSearch = to, true
			return
		}
		c.grow()
	}
}

// searchSlack is how far past where it is asked to search the decoded
// text is mapped before it is searched (SearchPrefix is settled when the
// reads that cross where it stopped end a few hundred bytes on).
const searchSlack = 1 << 10

// floorAbove reports whether the masks of the decoded text's secrets that
// start at or past where c.searchD stopped all start past e in v: they
// start in the chunk holding that place or later, or before it only
// widened back over the run of escape bytes before it, as sentMasks
// widens a mask; the run is read back as far as e at most.
func (c *sentDoc) floorAbove(e int) bool {
	m, v := &c.m, c.v
	w := m.end()
	if stop := c.searchD.Stop(); stop < len(m.d) {
		w = m.sOff[m.chunk(stop)]
	}
	for steps := 0; w > e && w < len(v) && escapeRunByte(v[w-1]) && !escapedSeparator(v, w); steps++ {
		if steps == maxFloorRun {
			return false // (a long run: the decoded text is searched whole)
		}
		w--
	}
	return w > e
}

// maxFloorRun bounds the run of escape bytes floorAbove reads back.
const maxFloorRun = 256

// sentMasks returns the secrets of the decoded text found at its offset
// dlo as ranges of the text as sent m.v, relative to its offset lo.
func sentMasks(m *sentMap, secrets []redact.Span, dlo, lo int) []redact.Span {
	v := m.v
	var masks []redact.Span
	for _, sp := range secrets {
		sa, sb := m.sentStart(dlo+sp.Start), m.sentEnd(dlo+sp.End)
		// Widened to the whole escaped word, up to a separator, sent as
		// is or escaped ("%20"): whatever the map's precision, no byte
		// of the secret is left out.
		for sa > 0 && escapeRunByte(v[sa-1]) && !escapedSeparator(v, sa) {
			sa--
		}
		for sb < len(v) && escapeRunByte(v[sb]) && !escapedSeparator(v, sb) {
			sb++
		}
		masks = append(masks, redact.Span{Start: sa - lo, End: sb - lo})
	}
	return masks
}

// base64Excerpt is the excerpt of the base64 text b64 around the quanta
// that encode the match, when v is what b64 decodes to; "" otherwise. The
// secrets of v are masked in b64 as the whole quanta that encode them.
func (g *Guard) base64Excerpt(b64, v, fragment string) string {
	if int64(len(b64)) > g.maxBody*4/3+4 || strings.ContainsAny(b64, " \t\r\n") {
		return ""
	}
	dec, ok := decodeBase64(b64)
	if !ok || string(dec) != v {
		return ""
	}
	m := newSentMap(v)
	want := asciiLower(fragment)
	i := indexASCIIFold(m.d, want)
	if i < 0 {
		return ""
	}
	quanta := func(a, b int) (int, int) { // base64 bytes holding v[a:b]
		return min(len(b64), a/3*4), min(len(b64), (b+2)/3*4)
	}
	a, b := quanta(m.sentStart(i), m.sentEnd(i+len(want)))
	var masks []redact.Span
	for _, sp := range g.red.SecretSpans(v) {
		sa, sb := quanta(sp.Start, sp.End)
		masks = append(masks, redact.Span{Start: sa, End: sb})
	}
	for _, sp := range g.red.SecretSpans(m.d) {
		sa, sb := quanta(m.sentStart(sp.Start), m.sentEnd(sp.End))
		masks = append(masks, redact.Span{Start: sa, End: sb})
	}
	return g.red.ExcerptMasking(b64, a, b, maxExcerpt, masks, func(t string, k int) bool { return k%4 == 0 && t == b64 })
}

// escapedSeparator reports whether t[i:] starts, or t[:i] ends, with an
// escape (percent, entity, \u, \x) of a byte that is not a word byte: the
// decoded text has a token boundary there.
func escapedSeparator(t string, i int) bool {
	sep := func(e string) bool {
		d := detect.Decode(e)
		return len(d) == 1 && d != e[:1] && !wordByte(d[0])
	}
	if c := t[i]; c == '%' || c == '&' || c == '\\' {
		for n := 3; n <= maxEscapeLen && i+n <= len(t); n++ {
			if sep(t[i : i+n]) {
				return true
			}
		}
	}
	for n := 3; n <= maxEscapeLen && n <= i; n++ {
		if c := t[i-n]; (c == '%' || c == '&' || c == '\\') && sep(t[i-n:i]) {
			return true
		}
	}
	return false
}

// wordByte is a byte a token is made of: a letter, a digit, '_' or '-'.
func wordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// mayDecode reports whether detect.Decode can change v: it holds an escape
// introducer, a NUL or a non-ASCII byte.
func mayDecode(v string) bool {
	if len(v) >= mayDecodeLong {
		// A long text (a whole document as sent): a vectorised search
		// for each byte that may start something to decode, then the
		// bytes' top bits sixteen at a time, instead of the test of
		// eight bytes below (3.7 instructions a byte of a 16 KB JSON
		// body of attack strings).
		return strings.IndexByte(v, '%') >= 0 || strings.IndexByte(v, '&') >= 0 || strings.IndexByte(v, '\\') >= 0 ||
			strings.IndexByte(v, 0) >= 0 || !asciiOnly(v)
	}
	i := 0
	for ; i+8 <= len(v); i += 8 {
		// eight bytes a step: none >= 0x80, and (each byte < 0x80: no
		// carry crosses a byte) none is '%', '&', '\\' or NUL
		w := v[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		const lsb, msb = 0x0101010101010101, 0x8080808080808080
		notIs := func(c uint64) uint64 { return x ^ lsb*c + lsb*0x7f } // top bit clear where the byte is c
		if x&msb != 0 || ^((x+lsb*0x7f)&notIs('%')&notIs('&')&notIs('\\'))&msb != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		switch c := v[i]; {
		case c == '%', c == '&', c == '\\', c == 0, c >= 0x80:
			return true
		}
	}
	return false
}

// mayDecodeLong is the length from which mayDecode searches for each
// byte in turn.
const mayDecodeLong = 256

// asciiOnly reports whether every byte of v is ASCII (under 0x80).
func asciiOnly(v string) bool {
	const msb = 0x8080808080808080
	p, i := unsafe.Pointer(unsafe.StringData(v)), 0
	for ; i+16 <= len(v); i += 16 {
		if (*(*uint64)(unsafe.Add(p, i))|*(*uint64)(unsafe.Add(p, i+8)))&msb != 0 {
			return false
		}
	}
	for ; i < len(v); i++ {
		if v[i] >= 0x80 {
			return false
		}
	}
	return true
}

// escapeRunByte reports whether c can belong to an escaped run of text: a
// letter or digit, or a byte of a percent-, entity-, \u- or \x-escape, or
// of a multi-byte character.
func escapeRunByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c >= 0x80 ||
		c == '%' || c == '&' || c == '#' || c == ';' || c == '\\' || c == '{' || c == '}' || c == '_' || c == '-' || c == '+'
}

// boundaryByte reports whether detect.Decode leaves c as it is in every
// round and never reads it as part of an escape (not '%', '&', '#', ';',
// '\\', '{', '}', a letter or digit, '.', '/' (the IIS %c0 forms), NUL or a
// non-ASCII byte): decoding the text on each side of it separately gives
// what decoding the whole does. FuzzSentMap checks that.
func boundaryByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '!', '"', '\'', '(', ')', '*', ',', '-', ':', '<', '=', '>', '?', '@', '[', ']', '^', '`', '|', '~', '$':
		return true
	}
	return false
}

// sentMap maps the decoded form of a string (detect.Decode) back to the
// string: the string is cut after boundary bytes into chunks of about
// chunkLen bytes, each decoded alone. A map may cover only the first
// chunks of the string (extend adds more): v[:end()] decodes to d.
type sentMap struct {
	v, d       string
	sOff, dOff []int // chunk k is v[sOff[k]:sOff[k+1]], decoding to d[dOff[k]:dOff[k+1]]
	ident      bool  // v has nothing to decode (!mayDecode): d is v, offsets are the same
	differs    bool  // a chunk decodes to other bytes than its own
	db         []byte
}

// chunkLen is the size chunks grow to before the next boundary byte ends
// one; inside a chunk, positions are found by decoding prefixes
// (refineLen bytes at most, beyond which the whole chunk is the answer).
const (
	chunkLen  = 64
	refineLen = 4 << 10
	// maxEscapeLen bounds the bytes taken to complete an escape.
	maxEscapeLen = 16
)

func newSentMap(v string) sentMap {
	if !mayDecode(v) {
		return sentMap{v: v, d: v, ident: true}
	}
	return chunkedSentMap(v)
}

// chunkedSentMap is newSentMap decoding v chunk by chunk.
func chunkedSentMap(v string) sentMap {
	m := sentMap{v: v, sOff: []int{0}, dOff: []int{0}}
	var a, b []byte
	m.extend(len(v), &a, &b)
	return m
}

// end returns how much of v the map covers.
func (m *sentMap) end() int {
	if m.ident {
		return len(m.v)
	}
	return m.sOff[len(m.sOff)-1]
}

// complete reports whether the map covers all of v.
func (m *sentMap) complete() bool { return m.end() == len(m.v) }

// extend decodes the chunks of v after the map's end until it covers at
// least n bytes of v (all of v when n >= len(v)), decoding in a and b.
func (m *sentMap) extend(n int, a, b *[]byte) {
	v, start := m.v, m.end()
	n = min(n, len(v))
	if start >= n {
		return
	}
	// (decoding never makes a chunk longer) The first chunk's end is
	// found first: a chunk past n (a storm without a boundary byte is one
	// chunk) is given its room at once, not a room for n and then one
	// for the chunk.
	end := chunkEnd(v, start)
	need := n - start
	if end >= n {
		need = end - start + min(chunkLen, len(v)-end) // (and a short rest: the end of a JSON document)
	} else if n < len(v) {
		need += chunkLen // (the last chunk past n)
	}
	if cap(m.db)-len(m.db) < need {
		// (the room doubles, unless this maps the rest of v: it grows
		// no further)
		more := max(need, len(m.db))
		if n == len(v) {
			more = need
		}
		grown := make([]byte, len(m.db), len(m.db)+more)
		copy(grown, m.db)
		m.db = grown
	}
	if need := (n-start)/chunkLen + 2; cap(m.sOff)-len(m.sOff) < need {
		// (chunks are chunkLen bytes at least, the last one excepted)
		m.sOff = append(make([]int, 0, len(m.sOff)+max(need, len(m.sOff))), m.sOff...)
		m.dOff = append(make([]int, 0, len(m.dOff)+max(need, len(m.dOff))), m.dOff...)
	}
	for start < len(v) {
		if end <= start {
			end = chunkEnd(v, start)
		}
		if cap(m.db)-len(m.db) < end-start {
			// a chunk longer than the room made (no boundary byte
			// for long): room for it and what is still to map, once
			// (and the last chunk past n, when n is not past it)
			more := end - start + min(chunkLen, len(v)-end)
			if end < n {
				more = end - start + n - end + chunkLen
			}
			grown := make([]byte, len(m.db), len(m.db)+more)
			copy(grown, m.db)
			m.db = grown
		}
		c := v[start:end]
		at := len(m.db)
		if mayDecode(c) {
			// The first round of decoding writes into m.db's room when
			// the chunk fits there (the result, if that round's, is then
			// in place): a long chunk (a storm of escapes without a
			// boundary byte) is not decoded into a buffer of its size
			// and copied.
			first := a
			if tail := m.db[len(m.db):]; cap(tail) >= len(c) {
				first = &tail
			}
			m.db = detect.AppendDecode(m.db, c, first, b)
			m.differs = m.differs || string(m.db[at:]) != c
		} else {
			m.db = append(m.db, c...)
		}
		m.sOff = append(m.sOff, end)
		m.dOff = append(m.dOff, len(m.db))
		start = end
		if start >= n {
			break
		}
	}
	m.d = unsafe.String(unsafe.SliceData(m.db), len(m.db))
}

// chunkEnd returns where the chunk of v starting at start ends: after the
// first boundary byte at least chunkLen bytes on, or at the end of v.
func chunkEnd(v string, start int) int {
	for i := start; i < len(v); i++ {
		if i+1 < len(v) && (i+1-start < chunkLen || !boundaryByte(v[i])) {
			continue
		}
		return i + 1
	}
	return len(v)
}

// restSame reports whether the part of v after the map's end decodes to
// itself, chunk by chunk (as extend would find, without keeping it).
func (m *sentMap) restSame(a, b *[]byte) bool {
	v, start := m.v, m.end()
	if !mayDecode(v[start:]) {
		return true
	}
	var buf []byte
	for start < len(v) {
		end := chunkEnd(v, start)
		if c := v[start:end]; mayDecode(c) {
			buf = detect.AppendDecode(buf[:0], c, a, b)
			if string(buf) != c {
				return false
			}
		}
		start = end
	}
	return true
}

// chunk returns the index of the chunk whose decoded text holds offset t.
func (m *sentMap) chunk(t int) int {
	return sort.Search(len(m.dOff)-1, func(k int) bool { return m.dOff[k+1] > t })
}

// sentStart returns the offset in v where the text decoding to d[t:]
// starts (rounded down inside a chunk too long to refine, and to the start
// of an escape or character the offset would cut).
func (m *sentMap) sentStart(t int) int {
	if m.ident {
		return min(max(t, 0), len(m.v))
	}
	k := m.chunk(t)
	if k >= len(m.sOff)-1 {
		return len(m.v)
	}
	rel := t - m.dOff[k]
	c := m.v[m.sOff[k]:m.sOff[k+1]]
	if rel == 0 || len(c) > refineLen {
		return m.sOff[k]
	}
	// The longest prefix of c decoding to at most rel bytes.
	j := max(0, sort.Search(len(c)+1, func(j int) bool { return len(detect.Decode(c[:j])) > rel })-1)
	for steps := 0; j > 0 && steps < maxEscapeLen && !cleanCut(c, j); steps++ {
		j--
	}
	return m.sOff[k] + j
}

// cleanCut reports whether c[:j] ends on a whole character and escape: no
// byte after j changes what the bytes before it decode to ("%2" of "%27",
// "%" of "%3E" and the first bytes of a character are not clean). The test
// decodes a few bytes around j only.
func cleanCut(c string, j int) bool {
	if j <= 0 || j >= len(c) {
		return true
	}
	if !utf8.RuneStart(c[j]) {
		return false
	}
	from := max(0, j-2*maxEscapeLen)
	head := detect.Decode(c[from:j])
	for n := j + 1; n <= min(len(c), j+maxEscapeLen); n++ {
		if !strings.HasPrefix(detect.Decode(c[from:n]), head) {
			return false
		}
	}
	return true
}

// sentEnd returns the offset in v where the text decoding to d[:t] ends
// (rounded up inside a chunk too long to refine, and past an escape or
// character the offset would cut).
func (m *sentMap) sentEnd(t int) int {
	if t <= 0 {
		return 0
	}
	if m.ident {
		return min(t, len(m.v))
	}
	k := m.chunk(t - 1)
	if k >= len(m.sOff)-1 {
		return len(m.v)
	}
	rel := t - m.dOff[k]
	c := m.v[m.sOff[k]:m.sOff[k+1]]
	if len(c) > refineLen {
		return m.sOff[k+1]
	}
	j := sort.Search(len(c)+1, func(j int) bool { return len(detect.Decode(c[:j])) >= rel })
	for steps := 0; j < len(c) && steps < 2*maxEscapeLen; steps++ {
		if len(detect.Decode(c[:j])) >= rel && cleanCut(c, j) {
			break
		}
		j++
	}
	return m.sOff[k] + j
}

// maskDecodedSecrets masks in s the secrets the redactor finds only in its
// decoded form (a JSON key or header name written as entities, \u escapes
// or full-width characters), each as the whole escaped word that decodes
// to it. s is returned as is when it decodes to itself or holds none.
func (g *Guard) maskDecodedSecrets(s string) string {
	if !mayDecode(s) {
		return s
	}
	m := newSentMap(s)
	if m.d == s {
		return s
	}
	secrets := g.red.SecretSpans(m.d)
	if len(secrets) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, sp := range secrets {
		sa, sb := m.sentStart(sp.Start), m.sentEnd(sp.End)
		for sa > 0 && escapeRunByte(s[sa-1]) && !escapedSeparator(s, sa) {
			sa--
		}
		for sb < len(s) && escapeRunByte(s[sb]) && !escapedSeparator(s, sb) {
			sb++
		}
		if sa < prev {
			sa = prev
		}
		if sb <= sa {
			continue
		}
		b.WriteString(s[prev:sa])
		b.WriteString(redact.Mask)
		prev = sb
	}
	b.WriteString(s[prev:])
	return b.String()
}
