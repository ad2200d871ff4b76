package detect

// Session fixation (the CRS 943 family): a session identifier the attacker
// chose, forced on the victim's browser. Two shapes reach a function: a
// script or markup that sets a cookie with attributes, to be reflected
// into a page (document.cookie="sessionid=1; path=/", <meta
// http-equiv="Set-Cookie" content="...">), and a request parameter named
// as a server's session cookie (?JSESSIONID=..., ?PHPSESSID=...), which
// servers that accept an id from the URL adopt. A header line that sets a
// cookie after a line break is CRLF injection (crlf.go).

// sessionCookieNames are the session cookies of server platforms (Java
// servlets, PHP, classic ASP with its eight-letter suffix, ASP.NET,
// WebLogic, JServ): names no application uses for a parameter of its own.
var sessionCookieNames = [...]string{"jsessionid", "phpsessid", "phpsession", "aspsessionid", "asp.net_sessionid",
	"weblogic_session", "jservsession", "jwsession"}

// sessionKey reports whether the parameter name s is a server platform's
// session cookie (any case; ASPSESSIONID with its suffix of eight
// letters).
func sessionKey(s string) bool {
	if len(s) < len("jwsession") || len(s) > len("aspsessionid")+8 && len(s) != len("asp.net_sessionid") {
		return false
	}
	switch lower(s[0]) {
	case 'j', 'p', 'a', 'w':
	default:
		return false
	}
	for _, n := range sessionCookieNames {
		if len(s) == len(n) && hasFoldAt(s, 0, n) {
			return true
		}
	}
	if len(s) == len("aspsessionid")+8 && hasFoldAt(s, 0, "aspsessionid") {
		for i := len("aspsessionid"); i < len(s); i++ {
			if c := lower(s[i]); c < 'a' || c > 'z' {
				return false
			}
		}
		return true
	}
	return false
}

func detectSession(st *state) hit {
	if st.cls&kEq == 0 {
		return hit{}
	}
	b := st.n
	for i := indexFrom(b, "cookie", 0); i >= 0; i = indexFrom(b, "cookie", i+6) {
		if i+6 < len(b) && isIdent(b[i+6]) {
			continue
		}
		if i > 0 && b[i-1] == '.' {
			if e := cookieAssign(b, i+6); e > 0 {
				return hit{rule: "session.cookie_set", frag: around(b, max(0, i-9), e)}
			}
		}
		if hasAt(b, i-4, "set-") {
			if h := equivSetCookie(b, i-4); h.rule != "" {
				return h
			}
		}
	}
	return hit{}
}

// cookieAssign reads, after ".cookie" ending at k, an assignment of a
// string that holds a cookie and one of its attributes ('= "sid=1;
// path=/"', "='a=b;expires=...'") and returns the index after the
// attribute's '=', or 0.
func cookieAssign(b []byte, k int) int {
	k = skipSpaces(b, k)
	if k >= len(b) || b[k] != '=' || k+1 < len(b) && b[k+1] == '=' {
		return 0
	}
	k = skipSpaces(b, k+1)
	if k < len(b) && (b[k] == '"' || b[k] == '\'' || b[k] == '`') {
		k++
	}
	// the cookie: name=value
	n := identEnd(b, k)
	if n == k || n >= len(b) || b[n] != '=' {
		return 0
	}
	// its attributes, within the string
	for j := n + 1; j < len(b) && j-k < 256; j++ {
		switch b[j] {
		case '"', '\'', '`', '\n', '<':
			return 0
		case ';':
			a := skipSpaces(b, j+1)
			e := a
			for e < len(b) && (isLetter(b[e]) || b[e] == '-') {
				e++
			}
			switch string(b[a:e]) {
			case "expires", "domain", "path", "max-age":
				if q := skipSpaces(b, e); q < len(b) && b[q] == '=' {
					return q + 1
				}
			}
		}
	}
	return 0
}

// equivSetCookie finds http-equiv naming Set-Cookie at i ('http-equiv=
// "set-cookie"', "http-equiv=set-cookie"): markup that sets a cookie.
func equivSetCookie(b []byte, i int) hit {
	j := i - 1
	for j >= 0 && i-j <= 3 && (b[j] == '"' || b[j] == '\'' || b[j] == ' ') {
		j--
	}
	if j < 0 || b[j] != '=' {
		return hit{}
	}
	j--
	for j >= 0 && b[j] == ' ' {
		j--
	}
	if j < 9 || !hasAt(b, j-9, "http-equiv") {
		return hit{}
	}
	return hit{rule: "session.cookie_set", frag: around(b, j-9, i+10)}
}
