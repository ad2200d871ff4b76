package detect

import "strings"

// UTF-7 (RFC 2152) spells characters as '+', modified base64 of their
// UTF-16 code units, and an optional '-': "<" is "+ADw-". A page or an XML
// document read as UTF-7 turns "+ADw-script+AD4-" into "<script>", so a
// string holding such shift sequences is judged as a UTF-7 reader sees it
// as well. Only sequences a UTF-7 decoder accepts and that spell ASCII
// (printable or white space) are decoded: whole code units, fewer than six
// leftover bits, all of them zero. Base64 data and prose with '+' ("C++",
// "a+b=c", "+Alpha") do not qualify.

// utf7Hint reports a '+' followed by 'A': every shift sequence that
// encodes an ASCII character starts so (its code unit's top bits are 0).
func utf7Hint(s string) bool {
	for i := strings.IndexByte(s, '+'); i >= 0 && i+1 < len(s); {
		if s[i+1] == 'A' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '+')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// utf7View returns s with its valid ASCII shift sequences decoded; ok is
// false (and nothing allocated) when there is none.
func utf7View(s string) (string, bool) {
	var out []byte
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '+' || i+1 >= len(s) || s[i+1] != 'A' {
			continue
		}
		j := base64ModRun(s, i+1)
		var units [128]byte
		n, ok := utf7Units(&units, s[i+1:j])
		if !ok {
			i = j - 1
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(s))
		}
		out = append(out, s[last:i]...)
		out = append(out, units[:n]...)
		if j < len(s) && s[j] == '-' {
			j++ // the explicit end of the shift is absorbed
		}
		last = j
		i = j - 1
	}
	if out == nil {
		return "", false
	}
	out = append(out, s[last:]...)
	return bufString(out), true // (out is nobody else's: no copy)
}

// base64ModRun returns the end of the run of modified base64 (RFC 2152:
// base64's alphabet without '=') that starts at j: the first index from
// j whose byte is not one, or len(s). A long run (a file's base64 in a
// JSON string is one from its first "+A" to its end) is read eight bytes
// a round through a table.
func base64ModRun(s string, j int) int {
	for ; j+8 <= len(s); j += 8 {
		w := s[j : j+8]
		// (one branch a word: the bytes' entries and-ed)
		if base64ModTab[w[0]]&base64ModTab[w[1]]&base64ModTab[w[2]]&base64ModTab[w[3]]&
			base64ModTab[w[4]]&base64ModTab[w[5]]&base64ModTab[w[6]]&base64ModTab[w[7]] == 0 {
			break
		}
	}
	for j < len(s) && base64ModTab[s[j]] != 0 {
		j++
	}
	return j
}

// base64ModTab is isBase64Mod as a table: 1 for its bytes, 0 for others.
var base64ModTab = func() (t [256]uint8) {
	for c := range 256 {
		if isBase64Mod(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

func isBase64Mod(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
}

func base64Val(c byte) uint32 {
	switch {
	case 'A' <= c && c <= 'Z':
		return uint32(c - 'A')
	case 'a' <= c && c <= 'z':
		return uint32(c-'a') + 26
	case '0' <= c && c <= '9':
		return uint32(c-'0') + 52
	case c == '+':
		return 62
	}
	return 63
}

// utf7Units decodes one run of modified base64 into its ASCII characters
// (in place of the UTF-16 units), reporting false unless every unit is
// printable ASCII or white space and the padding is valid. The decoded
// text is written to buf (its length n is returned): nothing allocated.
func utf7Units(buf *[128]byte, run string) (n int, ok bool) {
	if len(run) < 3 || len(run) > 256 {
		return 0, false
	}
	var acc uint32
	bits := 0
	for i := 0; i < len(run); i++ {
		acc = acc<<6 | base64Val(run[i])
		bits += 6
		if bits >= 16 {
			bits -= 16
			u := acc >> bits & 0xFFFF
			acc &= 1<<bits - 1
			if !(u >= 0x20 && u < 0x7F || u == '\t' || u == '\n' || u == '\r') {
				return 0, false
			}
			buf[n] = byte(u)
			n++
		}
	}
	if bits >= 6 || acc != 0 || n == 0 {
		return 0, false
	}
	return n, true
}

// mergeView appends to dst[:n] (the string's own matches from n on) the
// matches of a decoded view (view, which aliases dst's spare capacity or
// its own array) for categories not matched yet.
func mergeView(dst []Match, n int, view []Match) []Match {
	own := len(dst)
	// view may alias dst[own:]: copy what is kept down to the end of dst
	var keep [numCategories]Match
	k := 0
	for _, m := range view {
		dup := false
		for _, o := range dst[n:own] {
			if o.Category == m.Category {
				dup = true
				break
			}
		}
		if !dup && k < len(keep) {
			keep[k] = m
			k++
		}
	}
	return append(dst[:own], keep[:k]...)
}
