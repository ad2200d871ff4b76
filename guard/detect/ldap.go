package detect

import "strings"

// LDAP injection: filter breaking (")(uid=", "*)(", ")(|("), composite
// filters ("(&(uid=admin)(", "(|(objectclass=*))"), presence filters, and
// values made of nothing but LDAP filter metacharacters (the probes
// scanners send, e.g. "*)(", "*|", "%29").

// ldapNameAt reports a byte of an attribute name at i, ldapAttrFilter's
// first test, in line at the candidates (most have none).
func ldapNameAt(b []byte, i int) bool { return i < len(b) && ldapNameByte[b[i]] }

var ldapNameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isIdent(byte(c)) || c == '-' || c == '.' || c == ';'
	}
	return t
}()

func ldapAttrFilter(b []byte, i int) bool {
	// at i: attribute name followed by =, ~=, >=, <=
	j := i
	for j < len(b) && (isIdent(b[j]) || b[j] == '-' || b[j] == '.' || b[j] == ';') {
		j++
	}
	if j == i || j >= len(b) {
		return false
	}
	switch b[j] {
	case '=':
		return true
	case '~', '>', '<':
		return j+1 < len(b) && b[j+1] == '='
	}
	return false
}

// ldapFilterOpens reports what follows a '(' after "*)" (b[k:]) as the
// start of another filter: the end of the value ("*)(", a probe), an
// operator or another '(' or '*', an attribute and its comparison
// ("uid=*"), or a name that the value ends with. A C cast or function
// pointer type ("(char *)(p)", "int (*)(const void *)") is followed by
// an expression or a parameter list, never by a comparison.
func ldapFilterOpens(b []byte, k int) bool {
	if k >= len(b) {
		return true
	}
	switch b[k] {
	case '|', '&', '!', '(', '*':
		return true
	}
	if !ldapNameAt(b, k) {
		return false
	}
	if ldapAttrFilter(b, k) {
		return true
	}
	e := k
	for e < len(b) && (isIdent(b[e]) || b[e] == '-' || b[e] == '.' || b[e] == ';') {
		e++
	}
	return e == len(b)
}

func detectLDAP(st *state) hit {
	if st.cls&(kParen|kStar|kPipe|kAmp|kBang|kSlash|kAt) == 0 {
		return hit{}
	}
	b := st.n
	n := len(b)
	if st.cls&kParen != 0 {
		// whether the value as sent holds a NUL: read once, when first
		// needed (reading it at every "*)" made a run of them quadratic)
		nul := 0 // 0 unknown, 1 no, 2 yes
		hasNulRaw := func() bool {
			if nul == 0 {
				nul = 1
				if st.raw != "" && hasNul(st.raw) {
					nul = 2
				}
			}
			return nul == 2
		}
		for i := 0; i+1 < n; i++ {
			c := b[i]
			if c != '(' && c != ')' && c != '*' {
				continue // every case starts at one of them
			}
			switch {
			case c == ')' && b[i+1] == '(':
				// ")(" + attr= or operator
				j := i + 2
				if j < n && (b[j] == '|' || b[j] == '&' || b[j] == '!') || ldapNameAt(b, j) && ldapAttrFilter(b, j) {
					return hit{rule: "ldapi.filter_break", frag: around(b, max(0, i-8), j+24)}
				}
				if i > 0 && b[i-1] == '*' && ldapFilterOpens(b, j) {
					return hit{rule: "ldapi.filter_break", frag: around(b, i-1, j+24)}
				}
			case c == '(' && (b[i+1] == '&' || b[i+1] == '|' || b[i+1] == '!'):
				j := i + 2
				for j < n && (b[j] == '(' || b[j] == '&' || b[j] == '|' || b[j] == '!') {
					j++
				}
				if j > i+2 && b[j-1] == '(' && ldapAttrFilter(b, j) {
					return hit{rule: "ldapi.filter", frag: around(b, i, j+24)}
				}
				// Every later start inside this run of operators ends at
				// the same j with the same verdict: go on after it, so
				// that "(&(&(&..." stays linear.
				i = j - 1
			case c == '(' && ldapNameAt(b, i+1) && ldapAttrFilter(b, i+1):
				// (attr=*) presence / wildcard filter closed right away
				j := i + 1
				for j < n && b[j] != '=' {
					j++
				}
				if hasAt(b, j, "=*)") {
					return hit{rule: "ldapi.presence", frag: around(b, i, j+3)}
				}
			case c == '*' && b[i+1] == ')':
				// "*)" closing a filter then more filter text
				j := i + 2
				for j < n && b[j] == ')' {
					j++
				}
				if j < n && b[j] == '(' && ldapFilterOpens(b, j+1) {
					return hit{rule: "ldapi.filter_break", frag: around(b, i, j+24)}
				}
				if j > i+2 && (j == n || hasNulRaw()) {
					return hit{rule: "ldapi.filter_break", frag: around(b, i, j)}
				}
			}
		}
	}
	// A value made only of filter metacharacters: "*)(", "*|", "%29".
	t := b
	for len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	for len(t) > 0 && t[len(t)-1] == ' ' {
		t = t[:len(t)-1]
	}
	if len(t) >= 1 && len(t) <= 6 {
		meta := 0
		distinct := 0
		var seen [256]bool
		for _, c := range t {
			if !seen[c] {
				seen[c] = true
				distinct++
			}
			switch c {
			case '*', '(', ')', '|', '&':
				meta++
			case '!':
				if st.decoded {
					meta++
				}
			case '=', '/', '@', '\\', '\'':
			default:
				return hit{}
			}
		}
		// "*)(", "*|", "@*" - but not "*****" (a star rating)
		if meta > 0 && (distinct > 1 || st.decoded) {
			return hit{rule: "ldapi.metachar_probe", frag: t}
		}
	}
	return hit{}
}

func hasNul(s string) bool {
	return strings.IndexByte(s, 0) >= 0 || strings.Contains(s, "%00")
}
