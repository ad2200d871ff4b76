package detect

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unsafe"
)

// Byte classes used by the pre-filter and to gate detectors.
const (
	kQuote   uint32 = 1 << iota // ' " `
	kLT                         // <
	kGT                         // >
	kPct                        // %
	kAmp                        // &
	kBslash                     // \
	kSlash                      // /
	kSemi                       // ;
	kPipe                       // |
	kDollar                     // $
	kParen                      // ( )
	kBrace                      // { }
	kBracket                    // [ ]
	kEq                         // =
	kColon                      // :
	kHash                       // #
	kStar                       // *
	kDash                       // -
	kCtl                        // control bytes (tab, newline, NUL, ...)
	kHigh                       // bytes >= 0x80
	kPlus                       // +
	kDot                        // .
	kAt                         // @
	kComma                      // ,
	kBang                       // !
	kQuest                      // ?
	kTilde                      // ~ ^
	kUpper                      // A-Z
	kSpace                      // ' '
	kDigit                      // 0-9
	kUnder                      // _
)

// boringClasses are the classes a string may consist of and still carry no
// attack syntax (apart from a bare host name, checked separately).
const boringClasses = kDot | kComma | kDash | kAt | kBang | kQuest | kUpper | kSpace | kDigit | kUnder

// needsDecode marks bytes that may start an encoding.
const needsDecode = kPct | kAmp | kBslash | kHigh | kCtl

var classTable = func() (t [256]uint32) {
	set := func(cs string, k uint32) {
		for i := 0; i < len(cs); i++ {
			t[cs[i]] = k
		}
	}
	set("'\"`", kQuote)
	set("<", kLT)
	set(">", kGT)
	set("%", kPct)
	set("&", kAmp)
	set("\\", kBslash)
	set("/", kSlash)
	set(";", kSemi)
	set("|", kPipe)
	set("$", kDollar)
	set("()", kParen)
	set("{}", kBrace)
	set("[]", kBracket)
	set("=", kEq)
	set(":", kColon)
	set("#", kHash)
	set("*", kStar)
	set("-", kDash)
	set("+", kPlus)
	set(".", kDot)
	set("@", kAt)
	set(",", kComma)
	set("!", kBang)
	set("?", kQuest)
	set("~^", kTilde)
	set(" ", kSpace)
	set("0123456789", kDigit)
	set("_", kUnder)
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = kUpper
	}
	for c := 0; c < 0x20; c++ {
		t[c] = kCtl
	}
	t[0x7f] = kCtl
	for c := 0x80; c < 0x100; c++ {
		t[c] = kHigh
	}
	return t
}()

// classify returns the union of the classes of the bytes of s. Runs of
// lower-case letters and spaces (most of prose) are read eight bytes at a
// time (lowerRun), other words with eight table look-ups.
func classify[T ~string | ~[]byte](s T) uint32 {
	// a string's or a slice's first two words: data and length
	str := *(*string)(unsafe.Pointer(&s))
	var m uint32
	i := 0
	back := 3                               // words read by table after lowerRun refused one at once
	for len(str) >= 16 && i+8 <= len(str) { // a short string: table look-ups only
		from := i
		var sp bool
		if i, sp = lowerRun(str, i); sp {
			m |= kSpace
		}
		// three words by table after a word lowerRun refused at once
		// (mixed case, base64: no call for every word), twice as many
		// each time it refuses at once again, up to 64 (a value of
		// other bytes, full-width letters, punctuation storms: a call
		// every 512 bytes, not every 24)
		n := 1
		if i == from {
			n = back
			back = min(2*back, 64)
		} else {
			back = 3
		}
		for ; n > 0 && i+8 <= len(str); n-- {
			w := str[i : i+8]
			m |= classTable[w[0]] | classTable[w[1]] | classTable[w[2]] | classTable[w[3]] |
				classTable[w[4]] | classTable[w[5]] | classTable[w[6]] | classTable[w[7]]
			i += 8
		}
	}
	if i+8 <= len(str) {
		// a short string's first eight bytes
		w := str[i : i+8]
		m |= classTable[w[0]] | classTable[w[1]] | classTable[w[2]] | classTable[w[3]] |
			classTable[w[4]] | classTable[w[5]] | classTable[w[6]] | classTable[w[7]]
		i += 8
	}
	for _, c := range []byte(str[i:]) {
		m |= classTable[c]
	}
	return m
}

// lowerRun returns the offset of the first eight bytes of s at or after i
// (in steps of eight) that are not all lower-case letters and spaces, or
// from which fewer than eight bytes remain, and whether the bytes it read
// had a space. Two words a round; the constants are read into locals,
// which the compiler keeps in registers (it rematerialises constants in
// every round of a loop).
//
// For a word x of bytes < 0x80, (x ^ ' ') + 0x7f has a byte's top bit
// clear exactly at a space (no carry crosses a byte), and (x + 0x85) ^
// (x + 0x1f) exactly at a lower-case letter: the second sum's byte has
// its top bit set from 'a' on, the first's from '{' on, where it carries
// into the byte above, which the word's lowest byte above 'z' (that one
// has no carry in) already makes fail. A word fails when a byte is
// neither or >= 0x80 (| x); ORed with 0x7f in every byte, a word's test
// passes when it is 0x7f in every byte.
func lowerRun(s string, i int) (int, bool) {
	k := &lowerConsts
	c85, c1f, sp, c7f := k[0], k[1], k[2], k[3]
	spaces := ^uint64(0) // the space tests and-ed: a top bit clear for a space
	// the words are read through p: no bounds check or slice update in
	// the loop, only i's test
	p, n := unsafe.Pointer(unsafe.StringData(s)), len(s)
	for ; i+16 <= n; i += 16 {
		// native byte order: the tests are the same for every byte,
		// and only whether a word passes is used
		x, y := *(*uint64)(unsafe.Add(p, i)), *(*uint64)(unsafe.Add(p, i+8))
		nx := (x ^ sp) + c7f
		ny := (y ^ sp) + c7f
		if ((x+c85)^(x+c1f))&nx|x|c7f != c7f {
			return i, spaces|c7f != ^uint64(0)
		}
		spaces &= nx
		if ((y+c85)^(y+c1f))&ny|y|c7f != c7f {
			return i + 8, spaces|c7f != ^uint64(0)
		}
		spaces &= ny
	}
	if i+8 <= n {
		x := *(*uint64)(unsafe.Add(p, i))
		nx := (x ^ sp) + c7f
		if ((x+c85)^(x+c1f))&nx|x|c7f == c7f {
			spaces &= nx
			i += 8
		}
	}
	return i, spaces|c7f != ^uint64(0)
}

// sqlWords is what classifyWords found of the words unionFromHint looks
// for, in any ASCII case, in a string of boringClasses (the strings
// boringHint judges); 0 when it did not search.
type sqlWords uint8

const (
	swKnown    sqlWords = 1 << iota // the string was read: the bits below are exact
	swUnion                         // "union"
	swFromJoin                      // "from" or "join" (exact when swUnion is clear: the search stops at "union")
)

// classifyWords returns classify(s) and, in the same pass, which of
// "union", "from" and "join" s holds in any case (unionFromHint's
// searches, which cost a call of IndexByte for every 'u' and 'f' of
// prose). A word (eight bytes) of lower-case letters and spaces, most of
// prose, is classed and searched without a table: its first letters 'u',
// 'f' and 'j' are found with the space test's arithmetic, and only there
// are the bytes compared. Other words are classed by table and searched
// for those letters in either case. TestClassifyWords compares it with
// classifyRef and the searches.
//
// For a word x of bytes < 0x80, (x ^ c*lsb8) + 0x7f*lsb8 has a byte's top
// bit clear exactly where the byte is c (no carry crosses a byte), and
// (x + 0x85*lsb8) ^ (x + 0x1f*lsb8) where it is a lower-case letter: the
// first sum's byte has its top bit set from 'a' on, the second's from '{'
// on, where it carries into the next byte, which the word's lowest
// non-letter above 'z' (that one has no carry in) already makes fail.
func classifyWords(s string) (uint32, sqlWords) {
	var m uint32
	sw := swKnown
	n := len(s)
	i := 0
	for i+8 <= n {
		if m&^boringClasses != 0 {
			// no search is asked of such a string (boringHint): the
			// rest is classed as classify does
			return m | classify(s[i:]), 0
		}
		from := i
		var sp bool
		i, sp, sw = lowerWords(s, i, sw)
		if sp {
			m |= kSpace
		}
		// three words by table after a word lowerWords refused at once
		k := 1
		if i == from {
			k = 3
		}
		for ; k > 0 && i+8 <= n; k-- {
			w := (*[8]byte)(unsafe.Pointer(unsafe.StringData(s[i:])))
			m |= classTable[w[0]] | classTable[w[1]] | classTable[w[2]] | classTable[w[3]] |
				classTable[w[4]] | classTable[w[5]] | classTable[w[6]] | classTable[w[7]]
			if sw&swUnion == 0 && m&^boringClasses == 0 {
				// (only a string of boring classes is asked about
				// the words: boringHint)
				// the letters in either case: a byte of z is 0 exactly
				// where ((z &^ top) + 0x7f*lsb8) | z has its top bit clear
				y := binary.LittleEndian.Uint64(w[:]) | lsb8*0x20
				z1, z2, z3 := y^(lsb8*'u'), y^(lsb8*'f'), y^(lsb8*'j')
				c7f := uint64(lsb8 * 0x7f)
				if cand := ^(((z1 & c7f) + c7f | z1) & ((z2 & c7f) + c7f | z2) & ((z3 & c7f) + c7f | z3)) & msb8; cand != 0 {
					sw |= sqlWordsAt(s, i, cand)
				}
			}
			i += 8
		}
	}
	for ; i < n; i++ {
		c := s[i]
		m |= classTable[c]
		if c |= 0x20; (c == 'u' || c == 'f' || c == 'j') && sw&swUnion == 0 {
			sw |= sqlWordsAt(s, i, 0x80)
		}
	}
	if m&^boringClasses != 0 {
		return m, 0 // not searched to the end
	}
	return m, sw
}

// lowerWords is lowerRun for classifyWords: it also adds to sw the words
// that start in the words it read. On amd64, after a word, it reads the
// blocks of sixteen bytes where no such word starts (lowerBlocks), most of
// prose, at once, and goes on word by word where one may.
func lowerWords(s string, i int, sw sqlWords) (int, bool, sqlWords) {
	k := &wordConsts
	spaces := ^uint64(0)
	p, n := unsafe.Pointer(unsafe.StringData(s)), len(s)
	for i+8 <= n {
		x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])
		nsp := (x ^ k[2]) + k[3]
		if (((x+k[0])^(x+k[1]))&nsp|x)&k[4] != 0 {
			break
		}
		spaces &= nsp
		// (a byte's top bit clear where it is 'u', 'f' or 'j'; the other
		// bits set: all set where there is none)
		if a := ((x^k[5])+k[3])&((x^k[6])+k[3])&((x^k[7])+k[3]) | k[3]; a != ^uint64(0) {
			sw |= sqlWordsAt(s, i, ^a)
		}
		i += 8
		if useLowerBlocks && i+17 <= n {
			// (after a word that passed: not for a string whose first
			// word stops the run)
			b, bsp := lowerBlocks((*byte)(unsafe.Add(p, i)), n-i)
			i += b
			if bsp {
				spaces = 0
			}
		}
	}
	return i, spaces&msb8 != msb8, sw
}

// sqlWordsAt returns the words of classifyWords that start in s at i + k
// for the k whose byte has its top bit set in cand (a byte 'u', 'f' or
// 'j' in either case there).
func sqlWordsAt(s string, i int, cand uint64) sqlWords {
	var sw sqlWords
	for ; cand != 0; cand &= cand - 1 {
		j := i + bits.TrailingZeros64(cand)>>3
		if j+4 > len(s) {
			break
		}
		switch binary.LittleEndian.Uint32([]byte(s[j:j+4])) | 0x20202020 {
		case 'u' | 'n'<<8 | 'i'<<16 | 'o'<<24:
			if j+5 <= len(s) && s[j+4]|0x20 == 'n' {
				sw |= swUnion
			}
		case 'f' | 'r'<<8 | 'o'<<16 | 'm'<<24, 'j' | 'o'<<8 | 'i'<<16 | 'n'<<24:
			sw |= swFromJoin
		}
	}
	return sw
}

// wordConsts are classifyWords' constants.
var wordConsts = [8]uint64{lsb8 * 0x85, lsb8 * 0x1f, lsb8 * ' ', lsb8 * 0x7f, msb8, lsb8 * 'u', lsb8 * 'f', lsb8 * 'j'}

// lowerConsts are lowerRun's constants.
var lowerConsts = [4]uint64{lsb8 * 0x85, lsb8 * 0x1f, lsb8 * ' ', lsb8 * 0x7f}

const (
	lsb8 = 0x0101010101010101
	msb8 = 0x8080808080808080
)

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isOctal(c byte) bool  { return '0' <= c && c <= '7' }

// isIdent reports bytes that continue an identifier (after folding).
func isIdent(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || 'A' <= c && c <= 'Z'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpaces(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// hasAt reports whether b[i:] starts with lit.
func hasAt(b []byte, i int, lit string) bool {
	return i >= 0 && i+len(lit) <= len(b) && string(b[i:i+len(lit)]) == lit
}

// wordAt reports whether b[i:] starts with the identifier lit as a whole
// word (not preceded or followed by an identifier byte).
func wordAt(b []byte, i int, lit string) bool {
	if !hasAt(b, i, lit) {
		return false
	}
	if i > 0 && isIdent(b[i-1]) {
		return false
	}
	e := i + len(lit)
	return e >= len(b) || !isIdent(b[e])
}

// identEnd returns the end of the identifier starting at i.
func identEnd(b []byte, i int) int {
	for i < len(b) && isIdent(b[i]) {
		i++
	}
	return i
}

// indexFrom is bytes.Index starting at from (returns an absolute index).
func indexFrom(b []byte, lit string, from int) int {
	if from >= len(b) {
		return -1
	}
	if len(lit) >= 2 && len(b)-from >= rareMin {
		if j := indexRare(b[from:], lit); j >= 0 {
			return from + j
		}
		return -1
	}
	// lit viewed as bytes without a copy (bytes.Index only reads it)
	if j := bytes.Index(b[from:], unsafe.Slice(unsafe.StringData(lit), len(lit))); j >= 0 {
		return from + j
	}
	return -1
}

// rareMin is the length of text from which indexFrom searches with
// indexRare.
const rareMin = 512

// indexRare is bytes.Index(s, lit) (len(lit) >= 2) for a text in which
// lit's first byte may be frequent: a storm of "(" searched for
// "compilefunction(" or "((" costs bytes.Index a candidate every few
// bytes (and past its cutover a comparison at every byte), for every
// literal a detector looks for. Candidates are first the places of
// lit[0], as bytes.Index takes them; once they come more often than one
// in rareGap bytes, the byte of lit that is rarest in the next
// rareSample bytes is searched for instead (a byte the text does not
// hold ends the search at once), and each of its places is compared.
// Places are tried in order, so the first match is the first place of
// lit. When the rarest byte is frequent too, bytes.Index takes the rest.
func indexRare(s []byte, lit string) int {
	n := len(lit)
	last := len(s) - n // the last place lit may start
	if last < 0 {
		return -1
	}
	c0 := lit[0]
	i, dense := rareScan(s, lit, 0, 0, last)
	if !dense {
		return i
	}
	// lit[0] is frequent: the byte of lit rarest in the next rareSample
	// bytes (lit[0] counted too), at its offset k in lit
	w := s[i:min(len(s), i+rareSample)]
	k, least := 0, bytes.Count(w, s[i-1:i]) // s[i-1] is c0
	for q := 1; q < n && least > 0; q++ {
		c := lit[q]
		if c == c0 || strings.IndexByte(lit[:q], c) >= 0 {
			continue
		}
		if m := bytes.Count(w, []byte{c}); m < least {
			k, least = q, m
		}
	}
	if k != 0 && least*rareGap <= len(w) {
		if i, dense = rareScan(s, lit, i, k, last); !dense {
			return i
		}
		// frequent too, further on
	}
	// no byte of lit is rare here
	if j := bytes.Index(s[i:], unsafe.Slice(unsafe.StringData(lit), n)); j >= 0 {
		return i + j
	}
	return -1
}

// rareScan tries, in order, the places p >= i (p <= last) whose byte
// lit[k] is at p+k, and returns the first where lit is (-1 when none is).
// Once rareTries of them have failed at more than one in rareGap bytes
// since i, it stops and returns dense and the place it would try next.
func rareScan(s []byte, lit string, i, k, last int) (int, bool) {
	n, r, start := len(lit), lit[k], i
	for fails := 1; ; fails++ {
		// a place p >= i has its lit[k] at p+k <= last+k
		j := bytes.IndexByte(s[i+k:last+k+1], r)
		if j < 0 {
			return -1, false
		}
		i += j
		if string(s[i:i+n]) == lit {
			return i, false
		}
		i++
		if i > last {
			return -1, false
		}
		if fails >= rareTries && fails*rareGap > i-start {
			return i, true
		}
	}
}

const (
	rareTries  = 8    // candidates tried before their density is judged
	rareGap    = 32   // bytes per candidate below which a byte is frequent
	rareSample = 1024 // bytes whose counts choose the byte searched for
)

// indexNear is indexFrom for a search repeated at every occurrence: the
// sixteen bytes from from are looked at first, so that a literal that
// recurs every few bytes (a storm of "://") costs a short loop and not a
// bytes.Index call each.
func indexNear(b []byte, lit string, from int) int {
	c0 := lit[0]
	for end := min(len(b)-len(lit)+1, from+16); from < end; from++ {
		if b[from] != c0 {
			continue
		}
		k := 1
		for k < len(lit) && b[from+k] == lit[k] {
			k++
		}
		if k == len(lit) {
			return from
		}
	}
	return indexFrom(b, lit, from)
}

// isByte has the top bit of each byte of x (eight bytes, little-endian)
// that is c set, and no other bit: an exact test, unlike hasByte.
func isByte(x uint64, c byte) uint64 {
	v := x ^ lsb8*uint64(c)
	const low7 = ^uint64(msb8)
	return ^((v&low7 + low7) | v | low7)
}

// litAfter remembers one search of a literal in one slice: where it
// next occurs from a position on. A search that found nothing from i
// finds nothing from any later position, and one that found the literal
// at k answers every position up to k: a detector that asks for the same
// literal again from each of its candidates, in increasing order, reads
// each byte once instead of once a candidate. The zero value knows
// nothing; use one litAfter per literal and slice.
type litAfter struct {
	from, at int // indexFrom(b, lit, from) == at
	known    bool
}

// index is indexFrom(b, lit, from) for the b and lit of every call.
func (m *litAfter) index(b []byte, lit string, from int) int {
	if m.known && from >= m.from && (m.at < 0 || from <= m.at) {
		return m.at
	}
	m.from, m.at, m.known = from, indexFrom(b, lit, from), true
	return m.at
}

// span returns b[i:j] clamped to the slice.
func span(b []byte, i, j int) []byte {
	if i < 0 {
		i = 0
	}
	if j > len(b) {
		j = len(b)
	}
	if i > j {
		i = j
	}
	return b[i:j]
}

// around returns up to MaxFragment bytes of b starting a little before i.
// It is not inlined: the detectors build a finding's fragment with it at
// over a hundred places, and a finding is the rare case (a copy at each
// was 11 KiB of code, paid by every binary in size and cold start).
//
//go:noinline
func around(b []byte, i, j int) []byte {
	if j-i < 24 {
		j = i + 24
	}
	return span(b, i, j)
}

// closer finds the next occurrence of a closing literal for a series of
// openers scanned left to right, remembering the last answer so that the
// total work stays linear even when the closer never comes ("{{{{{{...").
type closer struct {
	b   []byte
	lit string
	pos int // last result; -1: none at or after last; -2: not searched yet
}

func newCloser(b []byte, lit string) closer { return closer{b: b, lit: lit, pos: -2} }

// from returns the first index >= i of the literal, or -1.
func (c *closer) from(i int) int {
	if c.pos == -1 {
		return -1
	}
	if c.pos >= i {
		return c.pos
	}
	c.pos = indexFrom(c.b, c.lit, i)
	return c.pos
}

// nextByteIn is the index of the first c in b at or after i, or -1: the
// next 16 bytes are looked at one by one, then IndexByte takes over (a
// call per occurrence is costly when c is frequent: "<a <a <a ").
func nextByteIn(b []byte, i int, c byte) int {
	for end := min(len(b), i+16); i < end; i++ {
		if b[i] == c {
			return i
		}
	}
	if i >= len(b) {
		return -1
	}
	if j := bytes.IndexByte(b[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// indexAfter is indexFrom(b, string(c)+rest, 0): rest is searched and the
// byte before it checked, so that a frequent c ('{' in "{{{{" or "${${")
// is not a candidate at every occurrence.
func indexAfter(b []byte, c byte, rest string) int {
	return indexAfterFrom(b, c, rest, 0)
}

// indexAfterFrom is indexFrom(b, string(c)+rest, from), searched as
// indexAfter searches.
func indexAfterFrom(b []byte, c byte, rest string, from int) int {
	for i := indexFrom(b, rest, from+1); i >= 0; i = indexFrom(b, rest, i+1) {
		if b[i-1] == c {
			return i - 1
		}
	}
	return -1
}
