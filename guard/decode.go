package guard

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
)

// Decoding of what a sender or a platform encoded. Every decoder is
// bounded: the output never exceeds the body limit (FNGUARD_MAX_BODY_BYTES)
// and compressed input never expands more than maxRatio times beyond
// ratioFloor bytes, so a decompression bomb costs at most the limit in
// memory (output buffers grow by doubling: under 2x the decoded size) and
// time linear in it.

const (
	maxRatio   = 200      // decompressed / compressed size, above ratioFloor
	ratioFloor = 64 << 10 // decoded bytes under which any ratio is fine
	maxNest    = 4        // nested decodings (JSON in a JSON string in base64 ...)
)

// decodeError is a value that does not decode, or decodes over a cap.
type decodeError struct {
	status int // 400 malformed, 413 over a cap, 415 unsupported coding
	rule   string
	msg    string
}

func (e *decodeError) Error() string { return e.msg }

func errTooLarge(what string, limit int64) *decodeError {
	return &decodeError{413, "validation.decoded_too_large", fmt.Sprintf("%s decodes to more than %d bytes (FNGUARD_MAX_BODY_BYTES)", what, limit)}
}

func errBomb(what string, in int) *decodeError {
	return &decodeError{413, "validation.compression_ratio", fmt.Sprintf("%s expands more than %d times its %d compressed bytes", what, maxRatio, in)}
}

// decodeBase64 decodes standard or URL-safe base64, padded or not, with
// CR/LF line breaks (MIME) ignored.
func decodeBase64(s string) ([]byte, bool) {
	return appendBase64(nil, s)
}

// appendBase64 is decodeBase64 appending to dst (it reuses dst's room).
func appendBase64(dst []byte, s string) ([]byte, bool) {
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
	}
	s = strings.TrimSpace(s)
	url := strings.IndexByte(s, '-') >= 0 || strings.IndexByte(s, '_') >= 0
	enc := base64.StdEncoding
	if url {
		enc = base64.URLEncoding
	}
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
		if url {
			enc = base64.RawURLEncoding
		}
		s = strings.TrimRight(s, "=")
	}
	n0 := len(dst)
	dst = slices.Grow(dst, enc.DecodedLen(len(s)))[:n0+enc.DecodedLen(len(s))]
	// Decode only reads its source: the string's bytes are not copied.
	n, err := enc.Decode(dst[n0:], unsafe.Slice(unsafe.StringData(s), len(s)))
	if err != nil {
		return dst[:n0], false
	}
	return dst[:n0+n], true
}

// b64MayBeText reports false when the first bytes (six, or three)
// appendBase64 would decode s to show that base64Text has nothing to judge: not the
// start of a gzip stream, and a byte printableText refuses (an ASCII
// control, an invalid UTF-8 sequence or a C1 control complete within
// them). printableText walks every decoded byte from the first, so a
// refused one there refuses the whole; a decoding error later ends
// base64Text as well. Most strings that merely look like base64 (names,
// ids, hex) are told apart by one quantum instead of a whole decoding.
// It reports true when the prefix decides nothing (a byte outside the
// alphabets, padding, a blank or a line break in the first four
// characters, a rune cut by the last decoded byte).
//
// The quanta are read with b64Dec, both alphabets at once: a string
// that mixes them ('+' and '-') does not decode at all (appendBase64
// reads one alphabet), so whatever the prefix says of it skips nothing.
// Only the first eight characters are read: a line break or a blank
// that appendBase64 removes after them does not move them, and one among
// them ends the prefix before it (or, in the first quantum, decides
// nothing).
func b64MayBeText(s string) bool {
	if len(s) < 4 {
		return true
	}
	// the first two quanta (six bytes), or the first one
	var buf [6]byte
	a, b, c, d := b64Dec[s[0]], b64Dec[s[1]], b64Dec[s[2]], b64Dec[s[3]]
	if (a|b|c|d)&b64Bad != 0 {
		return true
	}
	if !b64QuantumMayBeText(a, b, c, d) {
		return false // most random text (ids, tokens): at its first bytes
	}
	buf[0], buf[1], buf[2] = a<<2|b>>4, b<<4|c>>2, c<<6|d
	p := buf[:3]
	if len(s) >= 8 {
		// '=' or another byte in the second quantum: the first only
		if a, b, c, d := b64Dec[s[4]], b64Dec[s[5]], b64Dec[s[6]], b64Dec[s[7]]; (a|b|c|d)&b64Bad == 0 {
			buf[3], buf[4], buf[5] = a<<2|b>>4, b<<4|c>>2, c<<6|d
			p = buf[:6]
		}
	}
	return b64TextPrefix(p)
}

// b64IdleLead reports, for a string of eight characters or more, that
// b64Idle's switch answers true, from what its first eight characters
// tell: its first quantum, of the alphabets (a blank after the first
// character read as '+'), refuses text, so that b64MayBeText refuses v
// (when it holds no blank; with one, base64Text is never asked) and
// escB64Lead, whose first test this is, refuses it; or its first eight
// characters are of the alphabets and what they decode to refuses text
// (b64MayBeText reads only those eight, and escB64Lead the same eight).
// It reads each character once, and the second quantum only when the
// first passes. False tells nothing.
func b64IdleLead(v string) bool {
	_ = v[7]
	a, b, c, d := b64Dec[v[0]], b64DecBlank[v[1]], b64DecBlank[v[2]], b64DecBlank[v[3]]
	if (a|b|c|d)&b64Bad != 0 {
		return false
	}
	x, y, z := a<<2|b>>4, b<<4|c>>2, c<<6|d
	if !textLead3(x, y, z) {
		return true
	}
	e, f, g, h := b64Dec[v[4]], b64Dec[v[5]], b64Dec[v[6]], b64Dec[v[7]]
	if (e|f|g|h)&b64Bad != 0 || v[1] == ' ' || v[2] == ' ' || v[3] == ' ' {
		return false
	}
	p := [6]byte{x, y, z, e<<2 | f>>4, f<<4 | g>>2, g<<6 | h}
	return !b64TextPrefix(p[:])
}

// b64TextPrefix is b64MayBeText's test of the bytes p (three or six) its
// first quanta decode to: gzip's first two bytes, or no character that
// printableText refuses complete within p.
func b64TextPrefix(p []byte) bool {
	if p[0] == 0x1f && p[1] == 0x8b {
		return true // gzip (isGzip)
	}
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		if c < 0xc2 || c > 0xf4 {
			return false // a continuation byte or no lead byte: utf8.RuneError
		}
		if !utf8.FullRune(p[i:]) {
			return true
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
			return false
		}
		i += n
	}
	return true
}

// b64Dec is the 6-bit value of a character of either base64 alphabet
// ('+' and '-' are 62, '/' and '_' 63), or b64Bad.
var b64Dec = func() (t [256]uint8) {
	// by ranges, not a switch per byte: this runs in every cold start
	// (TestByteTables checks it)
	for c := range t {
		t[c] = b64Bad
	}
	for c := 0; c < 26; c++ {
		t['A'+c], t['a'+c] = uint8(c), uint8(26+c)
	}
	for c := 0; c < 10; c++ {
		t['0'+c] = uint8(52 + c)
	}
	t['+'], t['-'], t['/'], t['_'] = 62, 62, 63, 63
	return t
}()

const b64Bad = 0x80

// appendB64 is appendBase64 for a string that has looksBase64's grammar
// (what base64Text is given): one alphabet, and padding only where it
// completes the last quantum, so that it decodes (no '=' inside, no
// lone last character) and there is no line break or blank to remove.
// It decodes four characters at a time with b64Dec, without
// appendBase64's searches for line breaks and for the alphabet; on that
// grammar what it makes is what appendBase64 makes (TestAppendB64). It
// reports false, having appended nothing, for a byte outside the
// alphabets or a lone last character. ascii reports what it appended is
// printable ASCII (' ' to '~'), which printableText accepts: tested eight
// bytes at a time as they are made, as printableText tests them, so that
// the common case (JSON, text) needs no second pass.
func appendB64(dst []byte, s string) (out []byte, ascii, ok bool) {
	for len(s) > 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	n0 := len(dst)
	if len(s)%4 == 1 {
		return dst, false, false
	}
	n := len(s) / 4 * 3
	if len(s)%4 != 0 {
		n += len(s)%4 - 1
	}
	// sized once; eight characters make six bytes, stored eight at a
	// time (the two over are overwritten next, or cut)
	dst = slices.Grow(dst, n+2)[:n0+n+2]
	o := dst[n0:]
	i, j, bad, ok := b64Eights(o, s)
	if !ok {
		return dst[:n0], false, false
	}
	k := j // o[k:j] are made below, and tested one by one
	for ; i+4 <= len(s); i, j = i+4, j+3 {
		a, b, c, d := b64Dec[s[i]], b64Dec[s[i+1]], b64Dec[s[i+2]], b64Dec[s[i+3]]
		if (a|b|c|d)&b64Bad != 0 {
			return dst[:n0], false, false
		}
		q := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		o[j], o[j+1], o[j+2] = byte(q>>16), byte(q>>8), byte(q)
	}
	switch len(s) - i {
	case 2:
		a, b := b64Dec[s[i]], b64Dec[s[i+1]]
		if (a|b)&b64Bad != 0 {
			return dst[:n0], false, false
		}
		o[j] = a<<2 | b>>4
	case 3:
		a, b, c := b64Dec[s[i]], b64Dec[s[i+1]], b64Dec[s[i+2]]
		if (a|b|c)&b64Bad != 0 {
			return dst[:n0], false, false
		}
		o[j], o[j+1] = a<<2|b>>4, b<<4|c>>2
	}
	for _, c := range o[k:n] {
		if c < 0x20 || c > 0x7e {
			bad = 1
		}
	}
	return dst[:n0+n], n > 0 && bad == 0, true
}

// b64Eights is appendB64's loop over eight characters at a time, while s
// has eight more and o room for eight bytes (six made, the two over
// overwritten next or cut): what it read of s and made in o, the flags of
// the bytes made outside ' '..'~' (bad), and false when a byte it read is
// outside the alphabets (what it made then is garbage, and appendB64
// drops it). The rounds are counted first and the bytes read and stored
// through pointers, the classes or-ed and tested once at the end: in
// appendB64 the loop's bounds, checks and values were spilled to the
// stack and reloaded every round.
func b64Eights(o []byte, s string) (i, j int, bad uint64, ok bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if len(o) < 8 {
		return 0, 0, 0, true
	}
	rounds := min(len(s)/8, (len(o)-8)/6+1)
	if rounds == 0 {
		return 0, 0, 0, true
	}
	// the pointers advance (each byte one load at an offset from them,
	// not an address made from the round's index), and only to a round
	// that follows: never past the end of s or o (checkptr, under -race,
	// refuses a pointer made past its allocation)
	sp, op := unsafe.Pointer(unsafe.StringData(s)), unsafe.Pointer(unsafe.SliceData(o))
	dec := &b64Dec
	var cls uint8
	for r := rounds; ; {
		w := (*[8]byte)(sp)
		a, b, c, d := dec[w[0]], dec[w[1]], dec[w[2]], dec[w[3]]
		e, f, g, h := dec[w[4]], dec[w[5]], dec[w[6]], dec[w[7]]
		cls |= a | b | c | d | e | f | g | h
		q := uint64(a)<<58 | uint64(b)<<52 | uint64(c)<<46 | uint64(d)<<40 |
			uint64(e)<<34 | uint64(f)<<28 | uint64(g)<<22 | uint64(h)<<16
		binary.BigEndian.PutUint64((*[8]byte)(op)[:], q)
		// flags of a byte >= 0x7f (itself or plus one) or under ' ' (a
		// borrow), the two bytes over read as blanks; a carry or a borrow
		// only flags a byte above a flagged one
		x := q | 0x2020
		bad |= (x | (x + ones) | (x-0x20*ones)&^x) & highs
		if r--; r == 0 {
			break
		}
		sp, op = unsafe.Add(sp, 8), unsafe.Add(op, 6)
	}
	return 8 * rounds, 6 * rounds, bad, cls&b64Bad == 0
}

var gzipPool sync.Pool // *gzip.Reader

// gunzip decompresses gzip data (every member of a multi-member stream).
//
// The trailer's ISIZE (the last member's decompressed size, mod 2^32)
// sizes the output: a stream that says it decompresses over the limit or
// the ratio cap is refused before anything is inflated, and one under them
// is inflated into a buffer of exactly that size (no growth by doubling,
// no copies). A false ISIZE costs no more than an honest stream could: it
// is trusted only within the caps, and the stream's own check fails at its
// end.
func gunzip(b []byte, limit int64, what string) ([]byte, error) {
	hint := 0
	if len(b) >= 18 {
		isize := int64(binary.LittleEndian.Uint32(b[len(b)-4:]))
		switch {
		case isize > limit:
			return nil, errTooLarge(what, limit)
		case isize > ratioFloor && isize > int64(maxRatio)*int64(len(b)):
			return nil, errBomb(what, len(b))
		}
		hint = int(isize) + 1 // room to read EOF without growing
	}
	// The fast path decodes what is well-formed and within the caps;
	// anything else is judged by compress/gzip, which says why.
	capHint := min(int64(len(b))*4+512, limit+1)
	if hint > 0 {
		capHint = min(int64(hint), limit+1)
	}
	outMax := min(limit, max(int64(ratioFloor), int64(maxRatio)*int64(len(b))))
	buf := make([]byte, 0, capHint)
	if out, ok := gunzipFast(buf, b, int(outMax)); ok {
		return out, nil
	}
	br := bytes.NewReader(b)
	zr, _ := gzipPool.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(br)
	} else {
		err = zr.Reset(br)
	}
	if err != nil {
		return nil, &decodeError{400, "validation.invalid_encoding", what + " is not valid gzip: " + err.Error()}
	}
	out, err := readBounded(zr, len(b), buf[:0:cap(buf)], limit, what)
	gzipPool.Put(zr)
	return out, err
}

// inflate decompresses HTTP "deflate": zlib-wrapped (RFC 9110), or raw
// deflate as some clients send it.
func inflate(b []byte, limit int64, what string) ([]byte, error) {
	if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
		out, err := readBounded(zr, len(b), nil, limit, what)
		zr.Close()
		return out, err
	}
	fr := flate.NewReader(bytes.NewReader(b))
	defer fr.Close()
	return readBounded(fr, len(b), nil, limit, what)
}

// readBounded reads a decompressor to the end, stopping (413) at limit
// bytes or at maxRatio times the compressed size above ratioFloor. It
// reads into buf's room when it has some (sized by the caller).
func readBounded(r io.Reader, in int, buf []byte, limit int64, what string) ([]byte, error) {
	out := buf[:0]
	if cap(out) == 0 {
		out = make([]byte, 0, min(int64(in)*4+512, limit+1))
	}
	for {
		if len(out) == cap(out) {
			nc := min(int64(cap(out))*2, limit+1)
			if nc <= int64(cap(out)) {
				return nil, errTooLarge(what, limit)
			}
			nb := make([]byte, len(out), nc)
			copy(nb, out)
			out = nb
		}
		n, err := r.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if int64(len(out)) > limit {
			return nil, errTooLarge(what, limit)
		}
		if len(out) > ratioFloor && len(out) > maxRatio*in {
			return nil, errBomb(what, in)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &decodeError{400, "validation.invalid_encoding", what + " does not decompress: " + err.Error()}
		}
	}
}

// decodeField undoes a Field's declared encoding.
func (s *scanner) decodeField(enc Encoding, v string, what string) ([]byte, error) {
	limit := s.g.maxBody
	switch enc {
	case EncodingBase64, EncodingGzipBase64:
		if int64(len(v))*3/4 > limit+3 {
			return nil, errTooLarge(what, limit)
		}
		if enc == EncodingGzipBase64 {
			// The gzip stream is read once, by gunzip, and kept by
			// nothing: it is decoded into the pooled scanner's buffer
			// (a CloudWatch Logs batch's data allocates only what it
			// decompresses to).
			z, ok := appendBase64(s.zin[:0], v)
			s.zin = z
			if !ok {
				return nil, &decodeError{400, "validation.invalid_encoding", what + " is not valid base64"}
			}
			return gunzip(z, limit, what)
		}
		b, ok := decodeBase64(v)
		if !ok {
			return nil, &decodeError{400, "validation.invalid_encoding", what + " is not valid base64"}
		}
		return b, nil
	case EncodingGzip:
		// (read in place: the decompressors only read their input, so
		// a Kinesis record's gzip data is not copied first)
		return gunzip(stringBytes(v), limit, what)
	case EncodingDeflate:
		return inflate(stringBytes(v), limit, what)
	}
	return nil, &decodeError{400, "validation.invalid_encoding", fmt.Sprintf("%s: unknown encoding %q", what, string(enc))}
}

// contentDecode undoes a Content-Encoding header (a list: codings applied
// in order, undone in reverse). identity is nothing; gzip, x-gzip and
// deflate are decoded; anything else (br, zstd, compress) cannot be
// inspected and is refused with 415, as RFC 9110 says a server does with
// a coding it does not support.
func contentDecode(ce string, body []byte, limit int64) ([]byte, error) {
	codings := strings.Split(ce, ",")
	for i := len(codings) - 1; i >= 0; i-- {
		c := strings.ToLower(strings.TrimSpace(codings[i]))
		var err error
		switch c {
		case "", "identity":
		case "gzip", "x-gzip":
			body, err = gunzip(body, limit, "body (Content-Encoding "+c+")")
		case "deflate":
			body, err = inflate(body, limit, "body (Content-Encoding deflate)")
		default:
			return nil, &decodeError{415, "validation.unsupported_encoding", "body: Content-Encoding " + c + " is not supported, so the body cannot be inspected"}
		}
		if err != nil {
			return nil, err
		}
	}
	return body, nil
}

// isGzip reports the gzip magic bytes.
func isGzip(b []byte) bool { return len(b) >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 }

// looksBase64 reports whether s has the grammar of base64 worth decoding:
// at least minB64 characters of one alphabet (standard or URL-safe), a
// length that base64 can have, padding only at the end, and not all of one
// character class (a long word or number is not base64). Eight characters
// are six bytes ("{{7*7}}", "admin'--" encoded are 12): a short token or
// word of two cases decodes to bytes that are seldom all printable, and
// only printable text is judged (base64Text).
const minB64 = 8

func looksBase64(s string) bool {
	if len(s) < minB64 {
		return false
	}
	n := len(s)
	for n > 0 && s[n-1] == '=' {
		n--
	}
	if len(s)-n > 2 || (len(s) != n && len(s)&3 != 0) || n&3 == 1 { // (lengths: %4 without a sign)
		return false
	}
	// The classes seen, or-ed 16 bytes at a time: text that is not base64
	// stops at its first chunk with a byte outside the alphabets.
	var m uint8
	i := 0
	for ; i+16 <= n; i += 16 {
		w := s[i : i+16]
		m |= b64Class[w[0]] | b64Class[w[1]] | b64Class[w[2]] | b64Class[w[3]] |
			b64Class[w[4]] | b64Class[w[5]] | b64Class[w[6]] | b64Class[w[7]] |
			b64Class[w[8]] | b64Class[w[9]] | b64Class[w[10]] | b64Class[w[11]] |
			b64Class[w[12]] | b64Class[w[13]] | b64Class[w[14]] | b64Class[w[15]]
		if m&b64Other != 0 {
			return false
		}
	}
	if i+8 <= n {
		w := s[i : i+8]
		m |= b64Class[w[0]] | b64Class[w[1]] | b64Class[w[2]] | b64Class[w[3]] |
			b64Class[w[4]] | b64Class[w[5]] | b64Class[w[6]] | b64Class[w[7]]
		i += 8
	}
	if i+4 <= n {
		w := s[i : i+4]
		m |= b64Class[w[0]] | b64Class[w[1]] | b64Class[w[2]] | b64Class[w[3]]
		i += 4
	}
	for ; i < n; i++ {
		m |= b64Class[s[i]]
	}
	if m&b64Other != 0 || m&b64Std != 0 && m&b64URL != 0 {
		return false
	}
	// two of lower, upper and digit (the three low bits)
	return 0b11101000>>(m&7)&1 != 0
}

// looksBase64Cls is looksBase64(s) for a string whose bytes have the
// classes c (ScanClasses'): a byte outside the alphabets, the padding and
// the mix of alphabets are told by c and by the '=' bytes; only a string
// without both upper-case letters and digits is read again, for its
// lower-case letters (FuzzLooksBase64Cls).
func looksBase64Cls(s string, c detect.Classes) bool {
	ok, std, url, upper, digit, eq := c.Base64Alphabet()
	if len(s) < minB64 || !ok {
		return false
	}
	n := len(s)
	if eq {
		for n > 0 && s[n-1] == '=' {
			n--
		}
		if len(s)-n > 2 || (len(s) != n && len(s)&3 != 0) || strings.IndexByte(s[:n], '=') >= 0 {
			return false
		}
	}
	if n&3 == 1 || std && url {
		return false
	}
	if upper && digit {
		return true
	}
	return looksBase64(s)
}

// Byte classes of looksBase64, one table lookup each.
const (
	b64Lower = 1 << iota
	b64Upper
	b64Digit
	b64Std   // + /
	b64URL   // - _
	b64Other // not in either alphabet
)

var b64Class = func() (t [256]uint8) {
	// by ranges, not a switch per byte: this runs in every cold start
	// (TestByteTables checks it)
	for c := range t {
		t[c] = b64Other
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = b64Lower, b64Upper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = b64Digit
	}
	t['+'], t['/'] = b64Std, b64Std
	t['-'], t['_'] = b64URL, b64URL
	return t
}()

// printableText reports whether b is valid UTF-8 text: no control
// characters but tab, CR and LF, and no U+FFFD.
func printableText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i := 0; i < len(b); {
		// Eight bytes at a time while they are all printable ASCII (no
		// byte over 0x7e or under 0x20).
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			del := x ^ 0x7f*ones // a zero byte where x has 0x7f
			if x&highs != 0 || (x-0x20*ones)&^x&highs != 0 || (del-ones)&^del&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
			return false
		}
		i += n
	}
	return true
}

// mostlyText reports whether b is text with at most a few invalid UTF-8
// bytes (one per 64 bytes, and no NUL): a "binary" body a handler may
// still json.Unmarshal, which replaces invalid bytes with U+FFFD.
func mostlyText(b []byte) bool {
	bad := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			bad++
		}
		i += n
	}
	return bad*64 <= len(b)+63
}

var errNotProto = errors.New("not a protobuf message")
