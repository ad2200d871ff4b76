package guard

import (
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Body decodes a body written in UTF-16 to UTF-8: one that starts
// with a byte-order mark (FF FE little-endian, FE FF big-endian), or, with
// no mark, whose first two characters are ASCII in 16-bit units (the way
// the XML specification's Appendix F tells "<?" in UTF-16 from UTF-8:
// 3C 00 3F 00 / 00 3C 00 3F, generalised to any two ASCII characters).
// An XML or HTML document in UTF-16 is what a parser that honours the mark
// or the declaration reads, so it is inspected as that text; without
// decoding, its markup hides between NUL bytes (and a mark made the body
// invalid UTF-8). Unpaired surrogates and an odd last byte become U+FFFD.
// ok is false, and nothing is allocated, for any other body.
func utf16Body(b []byte) (dec []byte, ok bool) {
	if len(b) < 4 {
		return nil, false
	}
	var be bool
	switch {
	case b[0] == 0xFF && b[1] == 0xFE:
		if b[2] == 0 && b[3] == 0 {
			return nil, false // UTF-32LE's mark, or empty text
		}
		b = b[2:]
	case b[0] == 0xFE && b[1] == 0xFF:
		be = true
		b = b[2:]
	case b[0] == 0 && b[1] == '<' && b[2] == 0 && asciiText(b[3]):
		be = true
	case b[0] == '<' && b[1] == 0 && asciiText(b[2]) && b[3] == 0:
	default:
		return nil, false
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i])<<8 | rune(b[i+1])
		if !be {
			u = rune(b[i+1])<<8 | rune(b[i])
		}
		if utf16.IsSurrogate(u) && i+3 < len(b) {
			v := rune(b[i+2])<<8 | rune(b[i+3])
			if !be {
				v = rune(b[i+3])<<8 | rune(b[i+2])
			}
			if r := utf16.DecodeRune(u, v); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			u = utf8.RuneError
		}
		out = utf8.AppendRune(out, u)
	}
	if len(b)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out, true
}

// asciiText: a printable ASCII byte or white space.
func asciiText(c byte) bool {
	return c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r'
}
