package jsontree

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// This file holds the lexical layer shared by Parse and Walk: whitespace,
// strings (validation and unescaping), numbers and literals. Every function
// is iterative and linear in the bytes it consumes.

// isWS reports JSON insignificant whitespace (RFC 8259 §2).
var isWS = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// strPlain marks bytes that need no attention inside a string: printable
// ASCII other than '"' and '\\'.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func skipWS(src []byte, i int) int {
	// most values follow a ':' or ',' without a blank: one test
	if i < len(src) && src[i] > ' ' {
		return i
	}
	return skipBlanks(src, i)
}

// skipBlanks is skipWS past the blanks at src[i:].
func skipBlanks(src []byte, i int) int {
	for i < len(src) && isWS[src[i]] {
		i++
	}
	return i
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// specialMask flags (with the byte's top bit) the bytes of the
// little-endian word x that are a quote, a backslash, a control character
// (< 0x20) or non-ASCII (>= 0x80). A flag above a flagged byte may be a false
// one (a borrow), but the lowest flag is always exact, which is all
// scanString uses: it jumps to the first byte that needs attention.
//
// A plain byte (0x20..0x7f, not '"' or '\\') sets no top bit in x -
// 0x20*lsb, q - lsb or b - lsb, and no borrow comes into it from a plain
// byte below, so no flag lies below the lowest special byte. Every special
// byte sets one there: a control byte in x - 0x20*lsb, a quote in q - lsb,
// a backslash in b - lsb, a byte >= 0xa0 in x - 0x20*lsb and one in
// 0x80..0x9f in q - lsb (q's byte is then 0x81..0xbf). So the usual "&^ x"
// of these tests is needless, and x itself need not be ORed in.
func specialMask(x uint64) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	return ((x - lsb*0x20) | (q - lsb) | (b - lsb)) & msb
}

// skipPlain returns the offset of the first byte at or after j that the
// words of src flag (specialMask), or the offset from which fewer than
// eight bytes remain unread. Two words a round; the masks' constants are
// read from skipConsts into locals, which the compiler keeps in registers
// (it would rematerialise constants in every round). A byte >= 0x80 needs
// no test of its own here: x - 0x20 flags those >= 0xa0, x^'"' - 1 the
// others.
func skipPlain(src []byte, j int) int {
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	p, n := unsafe.Pointer(unsafe.SliceData(src)), len(src)
	for ; j+16 <= n; j += 16 {
		// (the words are read through p: no bounds check or slice
		// update in the loop, only j's test)
		x, y := word(p, j), word(p, j+8)
		mx := (x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)
		my := (y - c20) | ((y ^ quote) - one) | ((y ^ bslash) - one)
		if (mx|my)&top != 0 {
			if mx&top != 0 {
				return j + bits.TrailingZeros64(mx&top)>>3
			}
			return j + 8 + bits.TrailingZeros64(my&top)>>3
		}
	}
	if j+8 <= n {
		if m := specialMask(word(p, j)); m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
		j += 8
	}
	return j
}

// skipConsts are specialMask's constants, for skipPlain.
var skipConsts = [5]uint64{lsb * 0x20, lsb * '"', lsb * '\\', lsb, msb}

// plainEnd is the offset just past the closing quote of the string whose
// opening quote is at src[i] when it closes within the nine bytes after
// it, all printable ASCII before it (a short key or value: what
// scanString finds, without a call), or -1 for any other string, which
// scanString reads.
func plainEnd(src []byte, i int) int {
	if i+10 <= len(src) {
		// The lowest flag of the word after the quote is exact: the
		// bytes before it are plain. No flag: the eight bytes are plain,
		// and the byte after them is read (in src: i+9 < len(src)).
		p := unsafe.Pointer(unsafe.SliceData(src))
		j := i + 1 + bits.TrailingZeros64(specialMask(word(p, i+1)))>>3
		if *(*byte)(unsafe.Add(p, j)) == '"' {
			return j + 1
		}
	}
	return -1
}

// plainEnd16 is plainEnd for a string that closes within the 17 bytes
// after its opening quote at src[i], its first eight plain and the bytes
// up to the quote too (a value of 8 to 16 bytes: an id, a date, a short
// phrase), or -1 for any other: run asks it for a value plainEnd did not
// find the end of, before scanString's call.
func plainEnd16(src []byte, i int) int {
	if i+18 <= len(src) {
		p := unsafe.Pointer(unsafe.SliceData(src))
		if specialMask(word(p, i+1)) == 0 {
			j := i + 9 + bits.TrailingZeros64(specialMask(word(p, i+9)))>>3
			if *(*byte)(unsafe.Add(p, j)) == '"' {
				return j + 1
			}
		}
	}
	return -1
}

// scanString validates the string literal whose opening quote is at src[i]
// and returns the offset just past its closing quote, and whether it contains
// escape sequences. It rejects control characters, invalid escapes and
// invalid UTF-8. Plain runs are skipped eight bytes at a time, and the first
// byte that needs attention is found from the word's mask (no byte loop),
// so strings dense in escapes (a JSON document inside a string) stay fast.
//
// A string's first mediumWords words are read here, a small function with
// the mask's constants in registers (a key, a header value, a URL ends in
// them, plain: what most calls find); the first byte that needs attention
// other than the closing quote, or a longer string, is scanRest's.
func scanString(src []byte, i int) (end int, esc bool, err *SyntaxError) {
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	p, n := unsafe.Pointer(unsafe.SliceData(src)), len(src)
	j := i + 1
	for stop := min(n-8, i+8*mediumWords-7); j <= stop; j += 8 {
		if useAVX2 && j == i+17 && n-j >= 32 {
			// two plain words: the rest of a long string (a note, a
			// line of prose) or of a medium one read 32 bytes a round
			// up to the first byte that is not plain (plainLen)
			if j += plainLen(src[j:]); j < n && *(*byte)(unsafe.Add(p, j)) == '"' {
				return j + 1, false, nil
			}
			break
		}
		x := word(p, j)
		if m := ((x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)) & top; m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			if *(*byte)(unsafe.Add(p, j)) == '"' {
				return j + 1, false, nil
			}
			break
		}
	}
	return scanRest(src, j)
}

// scanRest is scanString from src[j] on, the bytes before it plain.
func scanRest(src []byte, j int) (end int, esc bool, err *SyntaxError) {
	n := len(src)
	long := false
	p := unsafe.Pointer(unsafe.SliceData(src))
	for {
		if j+8 <= n {
			// the first word here is read in line: a short string
			// (a key, a tiny value) ends in it, with no call
			if m := specialMask(word(p, j)); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				// (j < n: the word is in src) a one-letter escape
				// (most escapes: \" in a JSON document inside a
				// string) or the closing quote, without the switch
				if c := *(*byte)(unsafe.Add(p, j)); c == '\\' && j+1 < n && unescByte[*(*byte)(unsafe.Add(p, j+1))] != 0 {
					esc = true
					j = escapedRun(src, j+2)
					continue
				} else if c == '"' {
					return j + 1, esc, nil
				}
			} else {
				j += 8
				if !long && !esc {
					// A long string: the first byte from here that
					// is not plain (plainLen, one pass of few
					// instructions a byte) is its closing quote,
					// or the byte read next.
					long = true
					j += plainLen(src[j:])
					if j < n && src[j] == '"' {
						return j + 1, false, nil
					}
				} else if esc && j+8 <= n && specialMask(binary.LittleEndian.Uint64(src[j:])) == 0 {
					// Sixteen plain bytes after an escape: a long
					// run in an escaped string (the prose of a
					// JSON document inside a string), skipped
					// whole up to the byte that ends it
					// (plainLen).
					j += 8 + plainLen(src[j+8:])
					continue
				}
				j = skipPlain(src, j)
			}
		}
		for j < n && strPlain[src[j]] {
			j++
		}
		if j >= n {
			return 0, false, errEOF(n)
		}
		switch c := src[j]; {
		case c == '"':
			return j + 1, esc, nil
		case c == '\\':
			esc = true
			if j+1 >= n {
				return 0, false, errEOF(n)
			}
			switch src[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= n {
						return 0, false, errEOF(n)
					}
					if unhex(src[k]) < 0 {
						return 0, false, errChar(k, src[k], `in \u hexadecimal character escape`)
					}
				}
				j += 6
			default:
				return 0, false, errChar(j+1, src[j+1], "in string escape code")
			}
		case c < 0x20:
			return 0, false, errChar(j, c, "in string literal")
		default: // c >= 0x80
			r, size := utf8.DecodeRune(src[j:])
			if r == utf8.RuneError && size == 1 {
				return 0, false, &SyntaxError{Offset: int64(j), Msg: "invalid UTF-8 in string"}
			}
			j += size
		}
	}
}

// escapedRun returns the offset of the first byte at or after j that is
// neither plain nor part of a one-letter escape, or at which two plain words
// start (a long run: scanRest reads it by IndexByte), or from which fewer
// than nine bytes remain. It is scanRest's loop over a JSON document inside
// a string (an escaped quote every few bytes), a small function with the
// mask's constants in registers.
func escapedRun(src []byte, j int) int {
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	p, n := unsafe.Pointer(unsafe.SliceData(src)), len(src)
	for j+9 <= n {
		x := word(p, j)
		m := ((x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)) & top
		if m == 0 {
			if j+16 <= n {
				if y := word(p, j+8); ((y-c20)|((y^quote)-one)|((y^bslash)-one))&top == 0 {
					return j
				}
			}
			j += 8
			continue
		}
		// (j+1 < n: the flagged byte is in the word, and a byte follows it)
		j += bits.TrailingZeros64(m) >> 3
		if *(*byte)(unsafe.Add(p, j)) != '\\' || unescByte[*(*byte)(unsafe.Add(p, j+1))] == 0 {
			return j
		}
		j += 2
	}
	return j
}

// mediumWords is the number of words of a string that scanString reads
// before it looks for the closing quote with IndexByte.
const mediumWords = 6

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// hex4 decodes four hex digits already validated by scanString.
func hex4(b []byte) rune {
	return rune(unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3]))
}

// appendUnescaped appends the decoded form of s, the body (between the quotes)
// of a string literal already validated by scanString. A \u escape of a lone
// UTF-16 surrogate decodes to U+FFFD, exactly as encoding/json does. The
// result is never longer than s, so the room for it is made once.
func appendUnescaped(dst, s []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	return dst[:n+unescapeTo(unsafe.Pointer(unsafe.SliceData(dst[n:])), s)]
}

// unescapeTo writes the decoded form of s (validated) at op, which has room
// for len(s) bytes, and returns its length. It copies a word at a time up
// to the next backslash (a JSON document inside a string has one every few
// bytes: a search and a copy call for each cost more than the bytes), the
// mask's constants in registers; a run longer than two words is searched
// and copied by copyRun (IndexByte and copy, vectorised), a \u escape
// decoded by unescapeU, both out of line, so that the loop's values stay
// in registers.
func unescapeTo(op unsafe.Pointer, s []byte) int {
	k := &skipConsts
	bslash, one, top := k[2], k[3], k[4]
	// r bytes of s read, w written: w <= r, so a word written at w for
	// one read at r (r+8 <= len(s)) stays in the room. s is valid: a
	// backslash is followed by its escape, a 'u' by four hex digits.
	sp, ns := unsafe.Pointer(unsafe.SliceData(s)), len(s)
	r, w := 0, 0
	for {
		for words := 0; r+8 <= ns; {
			x := word(sp, r)
			putWord(op, w, x)
			t := x ^ bslash
			if m := (t - one) &^ t & top; m != 0 {
				d := bits.TrailingZeros64(m) >> 3 // the first flag is exact
				w += d
				r += d
				break
			}
			w += 8
			r += 8
			if words++; words == 2 {
				break
			}
		}
		if r >= ns {
			return w
		}
		if *(*byte)(unsafe.Add(sp, r)) != '\\' {
			// past two plain words, or fewer than eight bytes left:
			// up to the next backslash, or the end
			if r, w = copyRun(op, s, r, w); r >= ns {
				return w
			}
		}
		// s[r] is a backslash
		if b := unescByte[*(*byte)(unsafe.Add(sp, r+1))]; b != 0 {
			*(*byte)(unsafe.Add(op, w)) = b
			w++
			r += 2
			continue
		}
		r, w = unescapeU(op, s, r, w)
	}
}

// copyRun copies s[r:] up to its next backslash (or its end) to op+w and
// returns the offsets past the run.
//
//go:noinline
func copyRun(op unsafe.Pointer, s []byte, r, w int) (int, int) {
	d := bytes.IndexByte(s[r:], '\\')
	if d < 0 {
		d = len(s) - r
	}
	copy(unsafe.Slice((*byte)(unsafe.Add(op, w)), d), s[r:r+d])
	return r + d, w + d
}

// unescapeU decodes the \u escape at s[r:] (with the low surrogate that
// may follow a high one) to op+w and returns the offsets past it.
//
//go:noinline
func unescapeU(op unsafe.Pointer, s []byte, r, w int) (int, int) {
	u := hex4(s[r+2 : r+6])
	r += 6
	if utf16.IsSurrogate(u) {
		u2 := rune(-1)
		// the low half, when it follows as a valid escape (a string
		// validated first always has one; Parse's one pass checks it here
		// as its next round would)
		if r+1 < len(s) && s[r] == '\\' && s[r+1] == 'u' && hexEscape(s, r) == nil {
			u2 = hex4(s[r+2 : r+6])
		}
		if d := utf16.DecodeRune(u, u2); d != utf8.RuneError {
			u = d
			r += 6
		} else {
			u = utf8.RuneError
		}
	}
	// at most 4 bytes for the 6 or 12 read
	return r, w + utf8.EncodeRune(unsafe.Slice((*byte)(unsafe.Add(op, w)), 4), u)
}

// unescByte is the byte a one-letter escape (\n, \") stands for, by its
// letter; 0 for any other byte ('u' included).
var unescByte = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// scanNumber validates the number literal starting at src[i] (a '-' or a
// digit) and returns the offset just past it. Numbers are never converted, so
// their length is only bounded by the input.
func scanNumber(src []byte, i int) (int, *SyntaxError) {
	n := len(src)
	j := i
	if src[j] == '-' {
		j++
		if j >= n {
			return 0, errEOF(n)
		}
	}
	switch c := src[j]; {
	case c == '0':
		j++
	case '1' <= c && c <= '9':
		j++
		for j < n && isDigit(src[j]) {
			j++
		}
	default:
		return 0, errChar(j, c, "in numeric literal")
	}
	if j < n && src[j] == '.' {
		j++
		if j >= n {
			return 0, errEOF(n)
		}
		if !isDigit(src[j]) {
			return 0, errChar(j, src[j], "after decimal point in numeric literal")
		}
		for j < n && isDigit(src[j]) {
			j++
		}
	}
	if j < n && (src[j] == 'e' || src[j] == 'E') {
		j++
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j >= n {
			return 0, errEOF(n)
		}
		if !isDigit(src[j]) {
			return 0, errChar(j, src[j], "in exponent of numeric literal")
		}
		for j < n && isDigit(src[j]) {
			j++
		}
	}
	return j, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanLiteral checks that src[i:] starts with lit ("true", "false" or "null")
// and returns the offset just past it.
// literalEnd is the offset just past the literal null, true or false (c,
// its first byte, at src[i]) when the source spells it in full, read as one
// word; -1 otherwise (scanLiteral then finds the error).
func literalEnd(src []byte, i int, c byte) int {
	if i+5 > len(src) {
		return -1
	}
	w := binary.LittleEndian.Uint32(src[i+1 : i+5])
	switch {
	case c == 'n' && w&0xffffff == 'u'|'l'<<8|'l'<<16,
		c == 't' && w&0xffffff == 'r'|'u'<<8|'e'<<16:
		return i + 4
	case c == 'f' && w == 'a'|'l'<<8|'s'<<16|'e'<<24:
		return i + 5
	}
	return -1
}

func scanLiteral(src []byte, i int, lit string) (int, *SyntaxError) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(src) {
			return 0, errEOF(len(src))
		}
		if c := src[i+k]; c != lit[k] {
			return 0, errChar(i+k, c, "in literal "+lit+" (expecting "+quoteChar(lit[k])+")")
		}
	}
	return i + len(lit), nil
}

func errEOF(n int) *SyntaxError {
	return &SyntaxError{Offset: int64(n), Msg: "unexpected end of JSON input"}
}

func errChar(off int, c byte, context string) *SyntaxError {
	return &SyntaxError{Offset: int64(off), Msg: "invalid character " + quoteChar(c) + " " + context}
}

// quoteChar formats a byte for an error message like encoding/json does,
// except that non-ASCII bytes are shown as hex escapes (they may be part of a
// multi-byte sequence).
func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(rune(c)) + "'"
	}
	return "'\\x" + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&15, 16) + "'"
}
