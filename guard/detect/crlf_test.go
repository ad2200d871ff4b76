package detect

import "testing"

// crlfScan is detectCRLF's loop over every byte without its shortcut for
// a text with no line break, backslash or byte above 0x7f (the reference
// FuzzCRLFShortcut holds it to).
func crlfScan(st *state) hit {
	if st.cls&(kCtl|kBslash|kHigh) == 0 {
		return hit{}
	}
	b := st.n
	n := len(b)
	if h := leadingRequest(b); h.rule != "" {
		return h
	}
	var dot crlfDot
	for i := 0; i < n; i++ {
		var j int
		switch {
		case b[i] == '\r' || b[i] == '\n':
			j = i + 1
			for j < n && (b[j] == '\r' || b[j] == '\n') {
				j++
			}
		case b[i] == '\\' && hasAt(b, i, `\r\n`):
			j = i + 4
		case b[i] >= 0xC4 && i+1 < n && (b[i+1] == 0x8a || b[i+1] == 0x8d || i+2 < n && (b[i+2] == 0x8a || b[i+2] == 0x8d || i+3 < n && (b[i+3] == 0x8a || b[i+3] == 0x8d))):
			w := lowBreak(b, i)
			if w == 0 || i > 0 && b[i-1] >= 0x80 && lowBreakBefore(b, i) == 0 {
				continue
			}
			j = i + w
			for j < n {
				if b[j] == '\r' || b[j] == '\n' {
					j++
				} else if w := lowBreak(b, j); w > 0 {
					j += w
				} else {
					break
				}
			}
		default:
			continue
		}
		if b[i] >= 0xC4 && !asciiLine(b, j) {
			i = j - 1
			continue
		}
		if h := crlfLine(b, i, j, &dot); h.rule != "" {
			return h
		}
		i = j - 1
	}
	return hit{}
}

// detectCRLF answers what its loop over every byte answers, with its
// shortcut for text with no break (tabs, a request line at the start).
func FuzzCRLFShortcut(f *testing.F) {
	for _, s := range []string{
		"2026-12-06T14:00:00.000Z\tINFO\torder shipped",
		"GET /a HTTP/1.1\tHost: x",
		"GET /a HTTP/1.1\r\nHost: evil.example",
		"x\r\nSet-Cookie: a=b",
		"x\nSet-Cookie: a=b",
		"x\\r\\nLocation: http://evil.example/",
		"x\u560aSet-Cookie: a=b",
		"a\tb\x0bc\x0cd",
		"to: a@b.c\tcc: d@e.f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var st state
		cls := classify(s)
		st.prepareAs(s, cls, Input{}, cls&needsDecode == 0)
		if got, want := detectCRLF(&st), crlfScan(&st); got.rule != want.rule || string(got.frag) != string(want.frag) {
			t.Fatalf("%q: detectCRLF %+v, the loop %+v", s, got, want)
		}
	})
}
