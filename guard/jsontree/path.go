package jsontree

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Path describes where the string handed to a Walk callback sits in the
// document: a stack of segments, one per enclosing array (the element index)
// or object (the member key). A *Path is only valid during the callback that
// received it; render it with AppendTo or String to keep it.
type Path struct {
	p   *parser // nil for the zero Path
	key bool    // the current visit is an object key
}

// AppendTo appends prefix followed by the rendered path to dst and returns the
// extended buffer. Keys that are identifiers ([A-Za-z_$][A-Za-z0-9_$]*) are
// rendered as ".key", other keys JS-style quoted as `["a b"]`, array indexes
// as "[2]". With prefix "body" a string value might render as
// `body.items[2].note` or `body["x.y"]`. For a key visit the path is the
// object's path plus the key itself.
func (p *Path) AppendTo(dst []byte, prefix string) []byte {
	dst = append(dst, prefix...)
	if p.p == nil {
		return dst
	}
	return p.p.appendFrames(dst, false, false)
}

// String returns the rendered path; see AppendTo.
func (p *Path) String(prefix string) string {
	var buf [128]byte
	return string(p.AppendTo(buf[:0], prefix))
}

// ParentKey returns the key of the innermost object member that encloses the
// visited item, or "" if there is none. For a string value that is the key it
// is stored under (for an array element, the key of the array); for a key k
// in {"constructor":{k:...}} it is "constructor", the key under which k's
// object is stored. Unlike p, the result stays valid after the callback (it
// aliases src, or is a copy when the key had escapes).
func (p *Path) ParentKey() string {
	if p.p == nil {
		return ""
	}
	fr := p.p.frames
	if p.key && len(fr) > 0 {
		fr = fr[:len(fr)-1]
	}
	for i := len(fr) - 1; i >= 0; i-- {
		if f := &fr[i]; f.obj {
			k := p.p.keyString(f.keyOff, f.keyLen, f.keyEsc)
			if f.keyEsc {
				// Unescaped keys live in a reused buffer: return a copy so
				// the result, unlike p, stays valid after the callback.
				k = strings.Clone(k)
			}
			return k
		}
	}
	return ""
}

// Depth returns the number of arrays and objects enclosing the visited item
// (0 for a top-level string; 1 for a key of the top-level object).
func (p *Path) Depth() int {
	if p.p == nil {
		return 0
	}
	return len(p.p.frames)
}

// appendFrames renders the segments of the open containers. With dropKey
// the key of the innermost frame (if it is an object) is omitted; with short
// long keys are shortened (for error messages).
func (p *parser) appendFrames(dst []byte, dropKey, short bool) []byte {
	frames := p.frames
	for i := range frames {
		f := &frames[i]
		if !f.obj {
			dst = AppendIndex(dst, f.idx)
			continue
		}
		if dropKey && i == len(frames)-1 {
			break
		}
		k := p.keyString(f.keyOff, f.keyLen, f.keyEsc)
		if short {
			k = shorten(k)
		}
		dst = AppendKey(dst, k)
	}
	return dst
}

// AppendKey appends the path segment for an object key to dst: ".key" when key
// is an identifier ([A-Za-z_$][A-Za-z0-9_$]*), otherwise `["key"]` with the
// key quoted JS-style (and JSON-compatibly): quotes, backslashes, control
// characters, U+2028/U+2029 and invalid UTF-8 are escaped, so the result is
// safe to log.
func AppendKey(dst []byte, key string) []byte {
	if isIdent(key) {
		dst = append(dst, '.')
		return append(dst, key...)
	}
	dst = append(dst, '[', '"')
	dst = appendQuotedBody(dst, key)
	return append(dst, '"', ']')
}

// AppendIndex appends the path segment for an array index to dst: "[i]".
func AppendIndex(dst []byte, i int) []byte {
	dst = append(dst, '[')
	dst = strconv.AppendInt(dst, int64(i), 10)
	return append(dst, ']')
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && isDigit(c) {
			continue
		}
		return false
	}
	return true
}

const hexDigits = "0123456789abcdef"

func appendQuotedBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError && r != '\u2028' && r != '\u2029' || size != 1 && r == utf8.RuneError {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			if size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, `\u202`...)
				dst = append(dst, hexDigits[r&0xF])
			}
			i += size
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default: // other control characters and DEL
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	return append(dst, s[start:]...)
}
