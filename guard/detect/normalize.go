package detect

import (
	"encoding/binary"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// maxDecodeRounds bounds repeated decoding (double/triple URL encoding,
// entity-inside-percent encoding, ...). Every round shrinks or keeps the
// length, so total work is at most maxDecodeRounds passes over the input.
const maxDecodeRounds = 4

// Normalize returns s as the built-in detectors see it: URL-decoded until
// stable (at most four rounds, including %uXXXX and overlong UTF-8 forms
// such as %c0%ae), HTML character references and JavaScript escapes
// decoded, full-width and other look-alike ASCII punctuation mapped to
// ASCII, NUL bytes removed, and ASCII letters folded to lower case.
// User [Rule] patterns are matched against this form. The result is never
// longer than s.
func Normalize(s string) string {
	var a, b []byte
	out, _ := normalizeInto(s, true, &a, &b)
	return bufString(out)
}

// Decode is [Normalize] without case folding: it is meant for log excerpts
// that should look like what the attacker sent, only readable.
func Decode(s string) string {
	if !mayNeedDecode(s) {
		// no byte that starts an escape, a NUL or a multi-byte sequence:
		// nothing to decode, and no copy of s
		return s
	}
	var a, b []byte
	out, _ := normalizeInto(s, false, &a, &b)
	return bufString(out)
}

// AppendDecode appends Decode(s) to dst, decoding in a and b (scratch
// buffers kept for the next call): a long text decoded piece by piece
// allocates nothing past its first pieces.
func AppendDecode(dst []byte, s string, a, b *[]byte) []byte {
	if !mayNeedDecode(s) {
		return append(dst, s...)
	}
	out, _ := normalizeInto(s, false, a, b)
	return append(dst, out...)
}

// mayNeedDecode reports whether s holds a byte of the classes needsDecode
// ('%', '&', '\\', a control byte, DEL or a byte >= 0x80): classify's
// answer for them, eight bytes a step in a few instructions (a long text
// of punctuation and short words is read byte by byte by classify).
func mayNeedDecode(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if x&msb8 != 0 {
			return true
		}
		// every byte < 0x80: b+0x60 and (b^c)+0x7f carry into no other
		// byte, and their top bit is clear exactly when b < 0x20 and
		// when b == c
		zero := func(c uint64) uint64 { return x ^ lsb8*c + lsb8*0x7f }
		if ^((x+lsb8*0x60)&zero('%')&zero('&')&zero('\\')&zero(0x7f))&msb8 != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if classTable[s[i]]&needsDecode != 0 {
			return true
		}
	}
	return false
}

// bufString returns the bytes of a buffer that nothing else holds as a
// string, without copying them.
func bufString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// normalizeInto decodes s using the two scratch buffers and returns the
// result (aliasing one of them) and whether anything was decoded (as
// opposed to only case-folded).
func normalizeInto(s string, fold bool, a, b *[]byte) ([]byte, bool) {
	out, decoded, _ := normalizeRounds(s, fold, false, a, b)
	return out, decoded
}

// normalizeIntoCls is normalizeInto with fold, which also returns the
// classes of the result (classify's). A round after which the text holds
// no byte a pass reads (of needsDecode or kUpper) is the last: the next
// would change nothing (decodePass with fold passes every other byte on,
// and a '+' is read as a space only in a string with a '%'), and the
// classes it needs are the ones the caller wants anyway. (A full-width
// value folds to ASCII in one pass, not two; FuzzNormalizeIntoCls checks
// it against normalizeInto and classify.)
func normalizeIntoCls(s string, a, b *[]byte) ([]byte, bool, uint32) {
	return normalizeRounds(s, true, true, a, b)
}

// normalizeRounds is normalizeInto, and with withCls normalizeIntoCls: the
// rounds of decodePass over s, and with withCls the classes of the result
// (0 without).
func normalizeRounds(s string, fold, withCls bool, a, b *[]byte) ([]byte, bool, uint32) {
	// Every round only shrinks the text: one buffer of len(s) each, sized
	// once, instead of a series of doublings; a round that changes nothing
	// copies nothing, and the result is then s's bytes (read-only).
	cur := unsafe.Slice(unsafe.StringData(s), len(s))
	o, changed, same := decodePass((*a)[:0], s, fold, fold && plusIsSpace(s))
	if same {
		if withCls {
			return cur, false, classify(s)
		}
		return cur, false, 0
	}
	*a, cur = o, o
	decoded := changed
	cls := ^uint32(0) // without withCls no round is known to be the last
	if withCls {
		cls = classify(bufString(cur))
	}
	dst := b
	for round := 1; changed && round < maxDecodeRounds && cls&(needsDecode|kUpper) != 0; round++ {
		o, changed, same = decodePass((*dst)[:0], bufString(cur), fold, fold && plusIsSpace(bufString(cur)))
		if same {
			break
		}
		next := dst
		if dst == a {
			dst = b
		} else {
			dst = a
		}
		*next, cur = o, o
		if withCls {
			cls = classify(bufString(cur))
		}
	}
	if !withCls {
		cls = 0
	}
	return cur, decoded, cls
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	default:
		return rune(c - 'A' + 10)
	}
}

// hexVal is the value of a hex digit, -1 for other bytes.
var hexVal = func() (t [256]int8) {
	for c := range t {
		t[c] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c], t[c-'a'+'A'] = int8(c-'a'+10), int8(c-'a'+10)
	}
	return t
}()

// hexN parses exactly n hex digits at s[i:].
func hexN[T ~string | ~[]byte](s T, i, n int) (rune, bool) {
	if i+n > len(s) {
		return 0, false
	}
	var v rune
	for k := 0; k < n; k++ {
		c := s[i+k]
		if !isHex(c) {
			return 0, false
		}
		v = v<<4 | unhex(c)
	}
	return v, true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 32
	}
	return c
}

// foldRune maps full-width forms and other look-alikes of ASCII
// punctuation to ASCII; it returns -1 when r has no ASCII look-alike.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r >= 0x2460 && r <= 0x2468: // ① .. ⑨
		return '1' + (r - 0x2460)
	case r >= 0x2474 && r <= 0x247C: // ⑴ .. ⑼
		return '1' + (r - 0x2474)
	case r >= 0x2488 && r <= 0x2490: // ⒈ .. ⒐
		return '1' + (r - 0x2488)
	case r >= 0x24B6 && r <= 0x24CF: // Ⓐ .. Ⓩ
		return 'A' + (r - 0x24B6)
	case r >= 0x24D0 && r <= 0x24E9: // ⓐ .. ⓩ
		return 'a' + (r - 0x24D0)
	case r >= 0x1D7CE && r <= 0x1D7FF: // mathematical digits
		return '0' + (r-0x1D7CE)%10
	}
	switch r {
	case 0x24EA, 0x24FF: // ⓪ ⓿
		return '0'
	case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F:
		return ' '
	case 0x2215, 0x2044, 0x29F8:
		return '/'
	case 0x2216, 0xFE68, 0x29F5, 0x29F9:
		return '\\'
	case 0x2024, 0xFE52:
		return '.'
	case 0xFE64, 0x02C2:
		return '<'
	case 0xFE65, 0x02C3:
		return '>'
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD:
		return 0 // invisible: dropped
	}
	return -1
}

// emitRune appends the decoded code point r, folding look-alikes.
func emitRune(dst []byte, r rune, fold bool) []byte {
	if r < 0x80 {
		if r == 0 {
			return dst
		}
		c := byte(r)
		if fold {
			c = lower(c)
		}
		return append(dst, c)
	}
	if f := foldRune(r); f >= 0 {
		if f == 0 {
			return dst
		}
		c := byte(f)
		if fold {
			c = lower(c)
		}
		return append(dst, c)
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		r = utf8.RuneError
	}
	return utf8.AppendRune(dst, r)
}

// decodeRound performs one decoding pass of src into dst. It reports whether
// any escape/encoding was decoded (folding and NUL removal do not count
// unless they changed the byte sequence in a way that can enable another
// decode).
func decodeRound(dst []byte, src string, fold bool) ([]byte, bool) {
	out, changed, same := decodePass(dst, src, fold, false)
	if same {
		return append(dst, src...), false
	}
	return out, changed
}

// passOn marks the bytes that a decoding pass passes on as they are
// without looking further: not a NUL or another control byte, not a byte
// that may start an escape (% & \), not the lead of a multi-byte
// sequence; passOnFold leaves out the upper-case letters too.
var passOn, passOnFold = func() (t, f [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '%' && c != '&' && c != '\\'
		f[c] = t[c] && !('A' <= c && c <= 'Z')
	}
	for _, c := range []byte("\t\n\r") {
		t[c], f[c] = true, true
	}
	return t, f
}()

// passOnFoldPlus is passOnFold without '+': a plus pass (decodePass) reads
// it as a space.
var passOnFoldPlus = func() [256]bool {
	t := passOnFold
	t['+'] = false
	return t
}()

// plusIsSpace reports a URL-encoded string in which a '+' stands for a
// space: it has a '+' and a %XX escape. A '+' that a pass decodes from
// %2B stays a '+' in that pass (only the next one, if the result is still
// URL-encoded, reads it as a space).
func plusIsSpace(s string) bool {
	p := strings.IndexByte(s, '+')
	if p < 0 {
		return false
	}
	for i := strings.IndexByte(s, '%'); i >= 0; {
		if i+2 < len(s) && hexVal[s[i+1]]|hexVal[s[i+2]] >= 0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// decodePass is one decoding pass of src. When it changes no byte (same)
// it appends nothing and the caller keeps src: no copy of a string that
// has nothing left to decode. Otherwise out is dst with the decoded text
// appended (dst is given room for len(src) bytes at the first change: the
// result is never longer).
//
// With plus, a '+' is read as a space, as a URL query decoder reads it:
// normalizeInto asks for it in a pass over a URL-encoded string
// (plusIsSpace), so that "%0D%0ARCPT+TO%3A" (a form-encoded payload in a
// JSON field or a header) reads as "\r\nrcpt to:".
// fullWidthASCII maps the last two bytes of a full-width ASCII letter
// (EF BC 81..BF, EF BD 80..9E: U+FF01..U+FF5E) to its ASCII letter
// (U+0021..U+007E), indexed by the second byte's low bit and the third's
// low six bits, as is ([0]) and lower-cased ([1]); 0 for the others of
// EF BC 80..EF BD BF.
var fullWidthASCII = func() (t [2][128]byte) {
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		a := byte(r - 0xFEE0)
		k := int(r>>6&1)<<6 | int(r&0x3F)
		t[0][k], t[1][k] = a, lower(a)
	}
	return t
}()

func decodePass(dst []byte, src string, fold, plus bool) (out []byte, changed, same bool) {
	keep := &passOn
	if fold {
		keep = &passOnFold
	}
	if plus {
		keep = &passOnFoldPlus
	}
	n := len(src)
	last := 0 // src[last:i] is passed on as it is and not yet appended
	// (flush(i), below, is dst = passedOn(dst, src, last, i): what is
	// passed on before the change at i appended; a function, not a
	// closure, so that dst stays in registers)
	for i := 0; i < n; {
		c := src[i]
		if keep[c] {
			i = passRun(src, i+1, keep)
			continue
		}
		if c == '%' {
			// (read first: a storm of escapes, or of '%' that start
			// none, is the common case of this loop)
			if i+2 < n && hexVal[src[i+1]]|hexVal[src[i+2]] >= 0 {
				if i > last || last == 0 {
					dst = passedOn(dst, src, last, i)
				}
				dst, i = pctRun(dst, src, i, fold)
				last = i
				changed = true
				continue
			}
			if i+1 < n && (src[i+1] == 'u' || src[i+1] == 'U') {
				if r, ok := hexN(src, i+2, 4); ok {
					dst = passedOn(dst, src, last, i)
					dst = emitRune(dst, r, fold)
					i += 6
					last = i
					changed = true
					continue
				}
			}
			i = passRun(src, i+1, keep) // passed on as it is
			continue
		}
		switch {
		case c == 0:
			dst = passedOn(dst, src, last, i)
			i++
			last = i
			changed = true
			continue
		case c == '+':
			// only in a plus pass: '+' is not passed on otherwise
			dst = passedOn(dst, src, last, i)
			dst = append(dst, ' ')
			i++
			last = i
			changed = true
			continue
		case c == '&' && i+2 < n:
			if r, w := decodeEntity(src, i); w > 0 {
				dst = passedOn(dst, src, last, i)
				dst = emitRune(dst, r, fold)
				i += w
				last = i
				changed = true
				continue
			}
		case c == '\\' && i+1 < n:
			switch src[i+1] {
			case 'u', 'U':
				if i+2 < n && src[i+2] == '{' {
					j := i + 3
					var v rune
					for j < n && j < i+11 && isHex(src[j]) {
						v = v<<4 | unhex(src[j])
						j++
					}
					if j > i+3 && j < n && src[j] == '}' {
						dst = passedOn(dst, src, last, i)
						dst = emitRune(dst, v, fold)
						i = j + 1
						last = i
						changed = true
						continue
					}
				} else if r, ok := hexN(src, i+2, 4); ok {
					dst = passedOn(dst, src, last, i)
					dst = emitRune(dst, r, fold)
					i += 6
					last = i
					changed = true
					continue
				}
			case 'x', 'X', '0', '1', '2', '3':
				if b, ok := byteEscape(src, i); ok {
					dst = passedOn(dst, src, last, i)
					if b != 0 { // \x00: dropped like a raw NUL
						if fold {
							b = lower(b)
						}
						dst = append(dst, b)
					}
					i += 4
					last = i
					changed = true
					continue
				}
			}
		case c >= 0x80:
			if c == 0xEF || c == 0xE3 {
				// full-width ASCII U+FF01..U+FF5E (EF BC 81..BF, EF BD
				// 80..9E), what foldRune maps, and U+3000, the
				// ideographic (full-width) space, without the general
				// decoder: a run of them in one loop
				tab := &fullWidthASCII[0]
				if fold {
					tab = &fullWidthASCII[1]
				}
				if fullWidthAt(src, i, tab) != 0 {
					if i > last || last == 0 {
						dst = passedOn(dst, src, last, i)
					}
					dst, i = fullWidthRun(dst, src, i, tab)
					changed = true
					last = i
					continue
				}
			}
			r, w, overlong := decodeUTF8Loose(src, i)
			if overlong {
				dst = passedOn(dst, src, last, i)
				dst = emitRune(dst, r, fold)
				i += w
				last = i
				changed = true
				continue
			}
			if w == 1 && (c == 0xC0 || c == 0xC1) {
				// C0/C1 never start valid UTF-8. Like the IIS decoder that
				// made "%c0%2f" and "%c1%1c" famous, combine the lead's low
				// bit with the low 7 bits of the next byte when that yields
				// a path character; otherwise drop the lead.
				dst = passedOn(dst, src, last, i)
				changed = true
				if i+1 < n {
					if r := rune(c&1)<<6 | rune(src[i+1]&0x7F); r == '.' || r == '/' || r == '\\' {
						dst = append(dst, byte(r))
						i += 2
						last = i
						continue
					}
				}
				i++
				last = i
				continue
			}
			if r != utf8.RuneError || w > 1 {
				if f := foldRune(r); f >= 0 {
					dst = passedOn(dst, src, last, i)
					if f != 0 {
						b := byte(f)
						if fold {
							b = lower(b)
						}
						dst = append(dst, b)
					}
					changed = true
					i += w
					last = i
					continue
				}
			}
			i += w // passed on as it is
			continue
		}
		if fold && 'A' <= c && c <= 'Z' {
			dst = passedOn(dst, src, last, i)
			dst = append(dst, c+32)
			i++
			last = i
			continue
		}
		i++ // passed on as it is
	}
	if last == 0 {
		return dst, false, true
	}
	dst = append(dst, src[last:]...)
	return dst, changed, false
}

// passRun returns the end of the run of bytes at i that decodePass passes
// on as they are, seen with keep, its table: bytes of keep, and '%' that
// start no escape (%XX, %uXXXX), which the pass passes on too. In a
// function of its own: a tight loop.
func passRun(src string, i int, keep *[256]bool) int {
	for i < len(src) {
		c := src[i]
		if keep[c] {
			i++
			continue
		}
		if c != '%' || i+1 < len(src) && pctNext[src[i+1]] {
			// (a '%' before a hex digit or a 'u' is left to decodePass:
			// it checks the escape, and passes the '%' on when it is
			// none)
			break
		}
		i++
	}
	return i
}

// pctNext marks the bytes after a '%' that may make an escape: hex digits
// (%XX) and 'u' or 'U' (%uXXXX).
var pctNext = func() (t [256]bool) {
	for c := range t {
		t[c] = hexVal[c] >= 0 || c == 'u' || c == 'U'
	}
	return t
}()

// pctRun decodes the run of %XX escapes at src[i:] (the first at i is
// one), appending their bytes to dst (lower-cased with fold; %00 dropped
// like a raw NUL), and returns dst and the end of the run.
func pctRun(dst []byte, src string, i int, fold bool) ([]byte, int) {
	for i+2 < len(src) {
		w := src[i : i+3] // (one bounds check for the three bytes)
		h, l := hexVal[w[1]], hexVal[w[2]]
		if w[0] != '%' || h|l < 0 {
			break
		}
		if r := byte(h)<<4 | byte(l); r != 0 {
			if fold {
				r = lower(r) // (only 'A'..'Z' change)
			}
			dst = append(dst, r)
		}
		i += 3
	}
	return dst, i
}

// fullWidthAt returns the ASCII byte of the full-width form (EF BC 81..BF,
// EF BD 80..9E: U+FF01..U+FF5E, through tab, a fullWidthASCII table) or
// ideographic space (E3 80 80: U+3000) at src[j:], or 0.
func fullWidthAt(src string, j int, tab *[128]byte) byte {
	if j+2 >= len(src) {
		return 0
	}
	w0, w1, w2 := src[j], src[j+1], src[j+2]
	if w0 == 0xEF && w1&^1 == 0xBC && w2&0xC0 == 0x80 {
		return tab[int(w1&1)<<6|int(w2&0x3F)] // 0: U+FF00, U+FF5F..U+FF7F
	}
	if w0 == 0xE3 && w1 == 0x80 && w2 == 0x80 {
		return ' '
	}
	return 0
}

// fullWidthRun appends the ASCII bytes of the run of full-width forms at
// src[i:] (the first at i is one) and returns dst and the end of the run.
func fullWidthRun(dst []byte, src string, i int, tab *[128]byte) ([]byte, int) {
	// two letters (eight bytes read at once), then one (four), while the
	// room dst has lasts (the caller gave it room for len(src): a
	// full-width letter is three bytes, its ASCII one); the last letter
	// of src below
	b := unsafe.Slice(unsafe.StringData(src), len(src)) // (read only)
	k := len(dst)
	out := dst[:cap(dst)]
	for i+8 <= len(b) && k+2 <= len(out) {
		w := binary.LittleEndian.Uint64(b[i:])
		a, c := fullWidth3(uint32(w), tab), fullWidth3(uint32(w>>24), tab)
		if a == 0 || c == 0 {
			break
		}
		out[k], out[k+1] = a, c
		k += 2
		i += 6
	}
	for i+4 <= len(b) && k < len(out) {
		a := fullWidth3(binary.LittleEndian.Uint32(b[i:]), tab)
		if a == 0 {
			return out[:k], i
		}
		out[k] = a
		k++
		i += 3
	}
	dst = out[:k]
	for {
		a := fullWidthAt(src, i, tab)
		if a == 0 {
			return dst, i
		}
		dst = append(dst, a)
		i += 3
	}
}

// fullWidth3 is fullWidthAt of the three bytes in the low bytes of u
// (little-endian; its high byte is not read).
func fullWidth3(u uint32, tab *[128]byte) byte {
	if u&0xC0FEFF == 0x80BCEF { // EF, BC or BD, 80..BF
		return tab[(u>>2&0x40|u>>16&0x3F)&0x7F]
	}
	if u&0xFFFFFF == 0x8080E3 { // E3 80 80
		return ' '
	}
	return 0
}

// passedOn is decodePass's flush: it appends src[last:i], the bytes passed
// on before a change at i, to dst, which it first gives room for len(src)
// bytes at the first change (last is 0; the result is never longer).
func passedOn(dst []byte, src string, last, i int) []byte {
	if last == 0 && cap(dst)-len(dst) < len(src) {
		grown := make([]byte, len(dst), len(dst)+len(src))
		copy(grown, dst)
		dst = grown
	}
	return append(dst, src[last:i]...)
}

// decodeUTF8Loose decodes one UTF-8 sequence at s[i], also accepting
// overlong encodings of any length up to 6 bytes. overlong reports a
// sequence that encodes a code point in fewer bytes than it used (the
// classic %c0%ae = '.'). For invalid input it returns (RuneError, 1, false).
func decodeUTF8Loose[T ~string | ~[]byte](s T, i int) (r rune, w int, overlong bool) {
	c := s[i]
	var need int
	var v rune
	switch {
	case c&0xE0 == 0xC0:
		need, v = 1, rune(c&0x1F)
	case c&0xF0 == 0xE0:
		need, v = 2, rune(c&0x0F)
	case c&0xF8 == 0xF0:
		need, v = 3, rune(c&0x07)
	case c&0xFC == 0xF8:
		need, v = 4, rune(c&0x03)
	case c&0xFE == 0xFC:
		need, v = 5, rune(c&0x01)
	default:
		return utf8.RuneError, 1, false
	}
	if i+need >= len(s) {
		return utf8.RuneError, 1, false
	}
	for k := 1; k <= need; k++ {
		b := s[i+k]
		if b&0xC0 != 0x80 {
			return utf8.RuneError, 1, false
		}
		v = v<<6 | rune(b&0x3F)
	}
	w = need + 1
	minLen := 1
	switch {
	case v >= 0x10000:
		minLen = 4
	case v >= 0x800:
		minLen = 3
	case v >= 0x80:
		minLen = 2
	}
	if w > minLen {
		return v, w, true
	}
	if v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return utf8.RuneError, 1, false
	}
	return v, w, false
}

// byteEscape reads the escape of one byte at src[i] (a backslash): \xHH,
// or a three-digit octal escape (\074), as C, PHP, Perl, Python,
// sloppy-mode JavaScript and bash's $'...' read it, of a printable byte or
// a tab or line break. Not: shorter octal ones ("\1", regular-expression
// back-references as often as characters), one after another backslash
// (an escaped backslash, a UNC host "\\127.0.0.1"), other control bytes
// ("\033[1m" colours a terminal; CSS's hex escapes of ASCII, "\0075",
// read as octal would be one).
func byteEscape(src string, i int) (byte, bool) {
	if c := src[i+1]; c == 'x' || c == 'X' {
		r, ok := hexN(src, i+2, 2)
		return byte(r), ok
	}
	if i+3 >= len(src) || !isOctal(src[i+2]) || !isOctal(src[i+3]) || i > 0 && src[i-1] == '\\' {
		return 0, false
	}
	b := (src[i+1]-'0')<<6 | (src[i+2]-'0')<<3 | (src[i+3] - '0')
	return b, b >= ' ' || b == '\t' || b == '\n' || b == '\r'
}

// decodeEntity decodes an HTML character reference at s[i] ('&'). It
// returns the code point and the number of bytes consumed (0 if none).
func decodeEntity[T ~string | ~[]byte](s T, i int) (rune, int) {
	n := len(s)
	j := i + 1
	if s[j] == '#' {
		j++
		var v rune
		digits := 0
		if j < n && (s[j] == 'x' || s[j] == 'X') {
			j++
			for j < n && isHex(s[j]) {
				if v < 0x110000 {
					v = v<<4 | unhex(s[j])
				}
				j++
				digits++
			}
		} else {
			for j < n && '0' <= s[j] && s[j] <= '9' {
				if v < 0x110000 {
					v = v*10 + rune(s[j]-'0')
				}
				j++
				digits++
			}
		}
		if digits == 0 {
			return 0, 0
		}
		if j < n && s[j] == ';' {
			j++
		}
		if v >= 0x110000 {
			v = utf8.RuneError
		}
		return v, j - i
	}
	// Named reference: letters only, at most 10 of them.
	k := j
	for k < n && k-j < 10 && (s[k]|0x20 >= 'a' && s[k]|0x20 <= 'z') {
		k++
	}
	if k == j {
		return 0, 0
	}
	// Longest known prefix that is followed by ';', a non-letter or the end.
	for end := k; end > j+1; end-- {
		r, ok := namedEntity(s[j:end])
		if !ok {
			continue
		}
		if end < n && s[end] == ';' {
			return r, end + 1 - i
		}
		if end == k && (end >= n || !isAlnum(s[end])) {
			return r, end - i
		}
		return 0, 0
	}
	return 0, 0
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// namedEntity knows the references that matter for attack syntax (and the
// common text ones, so that excerpts read well).
func namedEntity[T ~string | ~[]byte](name T) (rune, bool) {
	if len(name) > 10 {
		return 0, false
	}
	var buf [10]byte
	for i := 0; i < len(name); i++ {
		buf[i] = lower(name[i])
	}
	switch string(buf[:len(name)]) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	case "nbsp", "ensp", "emsp", "thinsp":
		return ' ', true
	case "tab":
		return '\t', true
	case "newline":
		return '\n', true
	case "colon":
		return ':', true
	case "semi":
		return ';', true
	case "lpar":
		return '(', true
	case "rpar":
		return ')', true
	case "sol":
		return '/', true
	case "bsol":
		return '\\', true
	case "comma":
		return ',', true
	case "period":
		return '.', true
	case "excl":
		return '!', true
	case "num":
		return '#', true
	case "dollar":
		return '$', true
	case "percnt":
		return '%', true
	case "ast", "midast":
		return '*', true
	case "plus":
		return '+', true
	case "equals":
		return '=', true
	case "quest":
		return '?', true
	case "commat":
		return '@', true
	case "lsqb", "lbrack":
		return '[', true
	case "rsqb", "rbrack":
		return ']', true
	case "lowbar":
		return '_', true
	case "grave":
		return '`', true
	case "lcub", "lbrace":
		return '{', true
	case "rcub", "rbrace":
		return '}', true
	case "verbar", "vert":
		return '|', true
	case "hat":
		return '^', true
	case "zwj", "zwnj", "shy":
		return 0x200B, true
	}
	return 0, false
}
