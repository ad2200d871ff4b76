package guard

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
	esc := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if b64Class[c]&b64Other == 0 || c == '=' {
			continue
		}
		if c == ' ' && i > 0 {
			// a '+' that a URL-encoded query or form read as a blank
			// (base64 sent unescaped: "?q=PHN2Zz4+"); prose has blanks
			// between words too, but not a base64 grammar and a
			// printable decoding as well
			esc = true
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
	if !esc {
		return false
	}
	sc := b64Bufs.Get().(*b64Scratch)
	defer sc.release()
	d := sc.dec[:0]
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
	sc.dec = d
	if t := bytesToString(d); looksBase64(t) {
		s.base64Text(t, loc)
		return true
	}
	return false
}
