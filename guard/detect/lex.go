package detect

import (
	"bytes"
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
	for len(str) >= 16 && i+8 <= len(str) { // a short string: table look-ups only
		from := i
		var sp bool
		if i, sp = lowerRun(str, i); sp {
			m |= kSpace
		}
		// three words by table after a word lowerRun refused at once
		// (mixed case, base64: no call for every word)
		n := 1
		if i == from {
			n = 3
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
// For a word x, (x + 0x1f) &^ (x + 0x05) flags (top bit) the bytes in
// 'a'..'z' and ^((x ^ ' ') + 0x7f) the spaces, when every byte is < 0x80
// (no carry crosses a byte); &^ x clears the flags of the bytes >= 0x80
// (a carry out of one only reaches bytes above it, in a word that fails).
func lowerRun(s string, i int) (int, bool) {
	k := &lowerConsts
	a, z, sp, c7f, top := k[0], k[1], k[2], k[3], k[4]
	var spaces uint64
	// the words are read through p: no bounds check or slice update in
	// the loop, only i's test
	p, n := unsafe.Pointer(unsafe.StringData(s)), len(s)
	for ; i+16 <= n; i += 16 {
		// native byte order: the tests are the same for every byte,
		// and only whether a word passes is used
		x, y := *(*uint64)(unsafe.Add(p, i)), *(*uint64)(unsafe.Add(p, i+8))
		sx := ^((x ^ sp) + c7f)
		sy := ^((y ^ sp) + c7f)
		vx := ((x+a)&^(x+z) | sx) &^ x & top
		vy := ((y+a)&^(y+z) | sy) &^ y & top
		if vx != top {
			return i, spaces&top != 0
		}
		spaces |= sx
		if vy != top {
			return i + 8, spaces&top != 0
		}
		spaces |= sy
	}
	if i+8 <= n {
		x := *(*uint64)(unsafe.Add(p, i))
		sx := ^((x ^ sp) + c7f)
		if ((x+a)&^(x+z)|sx)&^x&top == top {
			spaces |= sx
			i += 8
		}
	}
	return i, spaces&top != 0
}

// lowerConsts are lowerRun's constants.
var lowerConsts = [5]uint64{lsb8 * (0x80 - 'a'), lsb8 * (0x80 - 'z' - 1), lsb8 * ' ', lsb8 * 0x7f, msb8}

const (
	lsb8 = 0x0101010101010101
	msb8 = 0x8080808080808080
)

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

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
	// lit viewed as bytes without a copy (bytes.Index only reads it)
	if j := bytes.Index(b[from:], unsafe.Slice(unsafe.StringData(lit), len(lit))); j >= 0 {
		return from + j
	}
	return -1
}

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
