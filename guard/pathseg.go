package guard

import (
	"net/url"

	"github.com/fnguard/fnguard/guard/detect"
)

// pathShellSegment judges the last segment of a URL path as a value of its
// own, as a handler reads a path parameter, when it holds a command
// separator or a byte of code rather than of a name (a blank, a quote, a
// parenthesis, an angle bracket, '=', '$', '{', '`', '\\', '*', '!', '['),
// as sent or percent-encoded ("/api/items/x;ip a",
// "/api/items/1%7Cip%20route", "/api/users/1 or true",
// "/api/q/select * from users"): a grammar reads a probe by its first
// token ("x", "1") or as a whole value, which in a path is the segment,
// not the whole path (whose first token is a path: see leadKind). A path
// already judged an attack is not read again.
func (s *scanner) pathShellSegment(p string) {
	if s.worst() > ActionMonitor {
		return
	}
	end := len(p)
	if end > 1 && p[end-1] == '/' {
		end-- // a trailing slash: the segment before it
	}
	k := end - 1
	for k >= 0 && p[k] != '/' {
		k--
	}
	if k < 0 || k+1 >= end {
		return // no segment, or the whole path is one (judged already)
	}
	if seg := p[k+1 : end]; shellSepIn(seg) || codeByteIn(seg) {
		// decoded once, as the handler reads a path parameter: the
		// judge then sees the segment's letters as sent (";ON" is a
		// capitalised word, not a probe's command)
		if d, err := url.PathUnescape(seg); err == nil {
			seg = d
		}
		s.str(seg, detect.Input{}, "path", "", false)
	}
}

// shellSepIn reports a command separator in s, as sent or percent-encoded
// (; | & ` and line breaks; %3B %7C %26 %60 %0A %0D).
func shellSepIn(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ';', '|', '&', '`', '\n', '\r':
			return true
		case '%':
			if i+2 < len(s) {
				switch h, l := s[i+1], s[i+2]|0x20; {
				case h == '3' && l == 'b', h == '7' && l == 'c', h == '2' && l == '6', h == '6' && l == '0', h == '0' && (l == 'a' || l == 'd'):
					return true
				}
			}
		}
	}
	return false
}

// codeByteIn reports a byte of code rather than of a name in the path
// segment s, as sent or percent-encoded (see pathShellSegment).
func codeByteIn(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && hexVal[s[i+1]] < 16 && hexVal[s[i+2]] < 16 {
			c = hexVal[s[i+1]]<<4 | hexVal[s[i+2]]
			i += 2
		}
		switch c {
		case ' ', '\'', '"', '(', ')', '<', '>', '=', '$', '{', '`', '\\', '*', '!', '[':
			return true
		}
	}
	return false
}
