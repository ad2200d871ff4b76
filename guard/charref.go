package guard

import "strings"

// Character references split a query, form or cookie. A value written as
// XML/HTML character references ("&#x3c;&#x73;..." or "&lt;script&gt;")
// and sent unescaped is cut by the parser at every reference's '&' (a
// query or form: "q=&#x3c;&#x73;" reads q="" then the names "#x3c;",
// "#x73;") or at its ';' (a cookie: "c=&#x3c;&#x73;" reads c="&#x3c", then
// "&#x73"). Judged apart, the pieces are one character each: what the
// value says is lost, and a lone "&#x26" or "&#x7c" is read as a probe of
// its own. A run of such pieces is joined back to the value before it,
// as sent, and judged whole (the detectors read character references);
// the pieces' values are still judged on their own, their names after
// the reference ("dir" of "amp;dir": an HTML-escaped link's "&amp;dir=").

// refPiece reports whether a field split off a query or form ('&' taken
// for a separator: "#x3c;", "#60;x", "lt;") or a cookie (';' taken for one:
// "&#x3c", "&lt") starts with the body of a character reference. A
// cookie's piece is the reference alone.
func refPiece(s string, cookie bool) bool {
	if cookie {
		if len(s) < 3 || s[0] != '&' {
			return false
		}
		s = s[1:]
	}
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '#' {
		i = 1
		hex := i < len(s) && s[i]|0x20 == 'x'
		if hex {
			i++
		}
		j := i
		for j < len(s) && j-i < 7 && ('0' <= s[j] && s[j] <= '9' || hex && 'a' <= s[j]|0x20 && s[j]|0x20 <= 'f') {
			j++
		}
		if j == i {
			return false
		}
		i = j
	} else {
		if s[0]|0x20 < 'a' || s[0]|0x20 > 'z' {
			return false
		}
		for i < len(s) && i < 32 && ('a' <= s[i]|0x20 && s[i]|0x20 <= 'z' || '0' <= s[i] && s[i] <= '9') {
			i++
		}
		if i < 2 {
			return false
		}
	}
	if cookie {
		return i == len(s)
	}
	return i < len(s) && s[i] == ';'
}

// paramRefRun returns the end of the run of pieces (refPiece) that
// follows ps[i]: ps[i+1:end] are pieces.
func paramRefRun(ps []Param, i int, cookie bool) int {
	j := i + 1
	for j < len(ps) && refPiece(ps[j].Name, cookie) {
		j++
	}
	return j
}

// pieceName is the name a piece of a query or form has after its
// reference: "dir" of "amp;dir" (an HTML-escaped link's "&amp;dir="),
// "" of "#x3c;".
func pieceName(name string) string {
	return name[strings.IndexByte(name, ';')+1:]
}

// joinRefRun joins ps[i].Value and the pieces ps[i+1:end] as they were
// sent, with sep ('&' or ';') between them. When ps[i] is a name without
// a value that is a piece itself (a query starting "?&#x3c;&#x73;"), the
// run starts with it.
func joinRefRun(ps []Param, i, end int, sep byte) string {
	var b strings.Builder
	if p := ps[i]; p.Value == "" && refPiece(p.Name, sep == ';') {
		if sep == '&' {
			b.WriteByte('&')
		}
		b.WriteString(p.Name)
	} else {
		b.WriteString(p.Value)
	}
	for _, p := range ps[i+1 : end] {
		b.WriteByte(sep)
		b.WriteString(p.Name)
		if p.Value != "" {
			b.WriteByte('=')
			b.WriteString(p.Value)
		}
	}
	return b.String()
}

// formRefRun returns the length of the prefix of rest (a form's fields
// after the current one) made of pieces, the '&' between them included:
// fields that start with a character reference's body. A field that is
// not a piece costs a look at its first bytes.
func formRefRun(rest string) int {
	n, next := 0, 0
	for next < len(rest) && refPiece(rest[next:], false) {
		end := strings.IndexByte(rest[next:], '&')
		if end < 0 {
			end = len(rest) - next
		}
		n = next + end
		next = n + 1
	}
	return n
}

// semiFirst is the quick test made after every field before formRefJoin
// (which is not inlined): the next
// field of rest has a ';' before any '=' or '&' in its first 40 bytes, as
// a piece ("#x3c;", "lt;") has.
func semiFirst(rest string) bool {
	if len(rest) > 40 {
		rest = rest[:40]
	}
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case ';':
			return true
		case '=', '&':
			return false
		}
	}
	return false
}

// formRefJoin joins the field a formIter over text has just returned
// and the run of pieces after it (rest is the iterator's rest): it returns
// the value as sent up to the end of the pieces, unescaped, and the offset
// in text where they end; ok is false when no piece follows.
func formRefJoin(text, rest string) (joined string, end int, ok bool) {
	r := formRefRun(rest)
	if r == 0 {
		return "", 0, false
	}
	cur := len(text) - len(rest) - 1 // the '&' after the current field
	start := strings.LastIndexByte(text[:cur], '&') + 1
	end = cur + 1 + r
	switch eq := strings.IndexByte(text[start:cur], '='); {
	case eq >= 0:
		joined = text[start+eq+1 : end]
	case refPiece(text[start:cur], false):
		joined = "&" + text[start:end] // the field is a piece itself
	default:
		joined = text[start:end]
	}
	return formUnescape(joined), end, true
}
