package guard

import (
	"slices"
	"unsafe"
)

// pathBase64 judges the base64 text a URL path may carry in its last
// segments ("/api/<base64>", "/x/<base64 with a '/'>"): the whole path is
// judged as sent (str), but base64 is looked for in a value as a whole
// (looksBase64), and a path's prefix hides it. The candidates are each
// segment and each run of segments up to the end, from at most the last
// eight separators: no allocation unless one looks like base64.
func (s *scanner) pathBase64(p string) {
	if s.nest >= maxNest || len(p) < minB64 {
		return
	}
	if s.strLoc == nil {
		s.strLoc = func(dst []byte) []byte { return s.appendLoc(dst, s.strAt.prefix, s.strAt.name, s.strAt.hasName) }
	}
	saved := s.strAt
	s.strAt = strAt{"path", "", false}
	defer func() { s.strAt = saved }()
	end := len(p) // end of the segment after the separator at i
	for i, seps := len(p)-1, 0; i >= 0 && seps < 8; i-- {
		if p[i] != '/' {
			continue
		}
		seps++
		if seg := p[i+1 : end]; looksBase64(seg) {
			s.base64Text(seg, s.strLoc)
			return
		}
		if end < len(p) {
			if run := p[i+1:]; looksBase64(run) {
				s.base64Text(run, s.strLoc)
				return
			}
		}
		end = i
	}
}

// escapedBase64 judges base64 text sent URL-encoded ("e3s3Kjd9fQ%3D%3D" in
// a cookie or a header, which no layer before decodes) or sent unescaped
// where a URL decoding turned its '+' into blanks ("?q=PHN2Zz4+" reads
// "PHN2Zz4 "): v is made only of the base64 alphabet, the escapes of its
// '+', '/' and '=' (%2B, %2F, %3D) and blanks after its first byte, so that
// ordinary URL-encoded text and prose cost one pass that stops at their
// first other byte.
// It reports whether the decoded text was judged.
func (s *scanner) escapedBase64(v string, loc func([]byte) []byte) bool {
	if !escapedB64Maybe(v) {
		return false
	}
	sc := b64Bufs.Get().(*b64Scratch)
	defer sc.release()
	// at most len(v) bytes: sized once, not grown by doublings (a 6 MB
	// value made several times its size)
	t, ok := unescapeB64(slices.Grow(sc.dec[:0], len(v)), v)
	sc.dec = t
	if ok {
		s.base64Text(bytesToString(t), loc)
	}
	return ok
}

// escapedB64Maybe reports whether escapedBase64 may have base64Text judge
// what v decodes to: v is made only of the base64 alphabet, '=', blanks
// after its first byte and the escapes %2B, %2F and %3D, has a blank or an
// escape, looksBase64's class tests hold for what it decodes to (two of
// lower-case letters, upper-case letters and digits; not both the standard
// '+' '/' — which blanks, %2B and %2F become — and the URL '-' '_'), and
// the first eight characters it decodes to may begin text (escB64Lead).
// Prose, the bulk of a large JSON document's text, is refused by its first
// words: its blanks read as '+' seldom decode to printable bytes, and
// other text stops at its first byte outside that set. What the lead
// passes, prose of lower-case words and blanks is refused eight bytes at
// a time (lowerBlank).
func escapedB64Maybe(v string) bool {
	if !escB64Lead(v) {
		return false
	}
	if lowerBlank(v) {
		return false // one class
	}
	esc := false
	var m uint8
	for i := 0; i < len(v); i++ {
		c := v[i]
		if k := b64Class[c]; k&b64Other == 0 {
			m |= k
			continue
		}
		if c == '=' {
			continue
		}
		if c == ' ' && i > 0 {
			// a '+' that a URL-encoded query or form read as a blank
			// (base64 sent unescaped: "?q=PHN2Zz4+"); prose has blanks
			// between words too, but not a base64 grammar and a
			// printable decoding as well
			esc = true
			m |= b64Std
			continue
		}
		if c != '%' || i+2 >= len(v) {
			return false
		}
		switch v[i+1] {
		case '2':
			if h := v[i+2] | 0x20; h != 'b' && h != 'f' {
				return false
			}
			m |= b64Std
		case '3':
			if v[i+2]|0x20 != 'd' {
				return false
			}
		default:
			return false
		}
		esc = true
		i += 2
	}
	classes := 0
	for _, c := range [...]uint8{b64Lower, b64Upper, b64Digit} {
		if m&c != 0 {
			classes++
		}
	}
	return esc && classes >= 2 && m&(b64Std|b64URL) != b64Std|b64URL
}

// escB64Lead reports whether the first eight characters v decodes to
// (unescapeB64: blanks read as '+', %2B, %2F and %3D as '+', '/' and '=')
// may begin what base64Text judges, reading v only up to them: it refuses
// v at its first byte escapedB64Maybe refuses (outside the alphabet, '='
// and the escapes, or a blank first), when v decodes to fewer than minB64
// characters (looksBase64 refuses those), and when b64MayBeText refuses
// them — it reads only the first eight characters of a text that has as
// many, so base64Text refuses the whole decoding before it decodes a byte.
// TestEscapedB64Maybe checks it against that reading.
func escB64Lead(v string) bool {
	if len(v) >= 4 {
		// the first quantum, when its four characters are the alphabet
		// and blanks, refuses most prose at once: b64MayBeText's first
		// tests, of its bytes up to the first that is not ASCII (a
		// lower-case letter 'g' to 'w' first makes 0x80 to 0xc1)
		a, b, c, d := b64Dec[v[0]], b64DecBlank[v[1]], b64DecBlank[v[2]], b64DecBlank[v[3]]
		if (a|b|c|d)&b64Bad == 0 && !b64QuantumMayBeText(a, b, c, d) {
			return false
		}
	}
	var p [minB64]byte
	n := 0
	for i := 0; n < len(p); i++ {
		if i >= len(v) {
			return false // fewer than minB64 characters
		}
		c := v[i]
		switch {
		case b64Class[c]&b64Other == 0 || c == '=':
		case c == ' ' && i > 0:
			c = '+'
		case c == '%' && i+2 < len(v):
			switch h := v[i+2] | 0x20; {
			case v[i+1] == '2' && h == 'b':
				c = '+'
			case v[i+1] == '2' && h == 'f':
				c = '/'
			case v[i+1] == '3' && h == 'd':
				c = '='
			default:
				return false
			}
			i += 2
		default:
			return false
		}
		p[n] = c
		n++
	}
	return b64MayBeText(bytesToString(p[:]))
}

// b64DecBlank is b64Dec with a blank read as '+' (62), as unescapeB64
// reads it after v's first byte.
var b64DecBlank = func() [256]uint8 {
	t := b64Dec
	t[' '] = 62
	return t
}()

// b64TextLead marks the bytes b64MayBeText lets begin a decoding: printable
// ASCII, a tab, a line break, gzip's first byte and UTF-8's lead bytes
// 0xc2 to 0xf4 (TestB64TextLead).
var b64TextLead = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for c := 0xc2; c <= 0xf4; c++ {
		t[c] = true
	}
	t['\t'], t['\n'], t['\r'], t[0x1f] = true, true, true, true
	return t
}()

// b64QuantumMayBeText reports whether the first quantum of a base64 text
// (the 6-bit values a, b, c, d of four characters of the alphabet) may
// begin what b64MayBeText passes: its tests of the three bytes they make,
// up to the first that is not ASCII (b64TextLead), or gzip's first byte,
// which b64MayBeText judges with the next one (TestB64QuantumMayBeText).
func b64QuantumMayBeText(a, b, c, d uint8) bool {
	return textLead3(a<<2|b>>4, b<<4|c>>2, c<<6|d)
}

// textLead3 reports whether three bytes may begin what b64MayBeText
// passes: false when printableText refuses a character complete within
// them (an ASCII control, a byte that begins no character, a sequence
// that is not UTF-8 or is a C1 control), or gzip's first byte (0x1f)
// first. A character cut by the third byte may be text. TestTextLead3
// checks every three bytes against b64MayBeText's own loop.
func textLead3(x, y, z byte) bool {
	switch {
	case !b64TextLead[x]:
		return false
	case x == 0x1f:
		return true // gzip (isGzip)
	case x < 0x80:
		switch {
		case !b64TextLead[y] || y == 0x1f:
			return false
		case y < 0x80:
			return b64TextLead[z] && z != 0x1f
		}
		return utf8Second(y, z)
	case x < 0xe0:
		// two bytes, then the lead of the next character
		return utf8Second(x, y) && b64TextLead[z] && z != 0x1f
	}
	// three or four bytes: the third continues them
	return utf8Second(x, y) && z&0xc0 == 0x80
}

// utf8Second reports whether c may follow the lead byte lead (0xc2 to
// 0xf4) in UTF-8 that printableText passes: a continuation byte in the
// lead's range (no overlong form, surrogate or code point over U+10FFFF),
// and no C1 control (0xc2 0x80 to 0xc2 0x9f).
func utf8Second(lead, c byte) bool {
	lo, hi := byte(0x80), byte(0xbf)
	switch lead {
	case 0xc2, 0xe0:
		lo = 0xa0
	case 0xed:
		hi = 0x9f
	case 0xf0:
		lo = 0x90
	case 0xf4:
		hi = 0x8f
	}
	return lo <= c && c <= hi
}

// unescapeB64 appends to d the text v (accepted by escapedB64Maybe) with
// its blanks read as '+' and its escapes decoded, and reports whether
// that looks like base64 (looksBase64).
func unescapeB64(d []byte, v string) ([]byte, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			d = append(d, '+')
			continue
		}
		if v[i] == '%' {
			switch v[i+1 : i+3] {
			case "2B", "2b":
				d = append(d, '+')
			case "2F", "2f":
				d = append(d, '/')
			default:
				d = append(d, '=')
			}
			i += 2
			continue
		}
		d = append(d, v[i])
	}
	return d, looksBase64(bytesToString(d))
}

// lowerBlank reports whether s holds only lower-case ASCII letters and
// blanks, eight bytes at a time: for a word x of bytes < 0x80, x + 0x1f
// and not x + 0x05 flags (top bit) the bytes in 'a'..'z', not (x ^ ' ') +
// 0x7f the blanks (no carry crosses a byte); and not x clears the flags of
// bytes >= 0x80 (a carry out of one only reaches bytes above it, in a
// word that fails). Native loads: only whether a word passes is used.
func lowerBlank(s string) bool {
	k := &lowerBlankConsts // locals: kept in registers, not rematerialised each round
	a, z, sp, c7f, top := k[0], k[1], k[2], k[3], k[4]
	p, n := unsafe.Pointer(unsafe.StringData(s)), len(s)
	i := 0
	for ; i+16 <= n; i += 16 {
		x, y := *(*uint64)(unsafe.Add(p, i)), *(*uint64)(unsafe.Add(p, i+8))
		vx := ((x+a)&^(x+z) | ^((x ^ sp) + c7f)) &^ x
		vy := ((y+a)&^(y+z) | ^((y ^ sp) + c7f)) &^ y
		if vx&vy&top != top {
			return false
		}
	}
	if i+8 <= n {
		// eight of the last fifteen (or of a short string's first)
		x := *(*uint64)(unsafe.Add(p, i))
		if ((x+a)&^(x+z)|^((x^sp)+c7f))&^x&top != top {
			return false
		}
		i += 8
	}
	for ; i < n; i++ {
		if c := s[i]; c != ' ' && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// lowerBlankConsts are lowerBlank's constants.
var lowerBlankConsts = [5]uint64{lsbWord * (0x80 - 'a'), lsbWord * (0x80 - 'z' - 1), lsbWord * ' ', lsbWord * 0x7f, msbWord}

const (
	lsbWord = 0x0101010101010101
	msbWord = 0x8080808080808080
)
