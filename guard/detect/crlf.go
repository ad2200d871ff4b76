package detect

import "unicode/utf8"

// CRLF / header and protocol injection: a line break (CR, LF, or the two
// written as \r\n escapes; every URL/HTML/JS encoding is decoded before)
// followed by what a server or mail agent would read as a new protocol
// element: an HTTP header that changes the response or the request, a
// second request or status line, a mail header carrying an address, or an
// SMTP/IMAP/POP command. Ordinary multi-line text ("Note: ...", "To do:")
// passes: the header names are the ones that carry an effect.

// crlfHeaders are header names whose injection changes a response or a
// request (response splitting, session fixation, cache poisoning,
// smuggling). Hyphenated names are never prose; a one-word name counts
// only with a value shaped like that header's (need: one of these bytes,
// and no space), so "Host: Anna and Bo" or "Location: room 5" pass.
var crlfHeaders = [...]struct{ name, need string }{
	{"set-cookie", ""}, {"content-type", ""}, {"content-length", ""}, {"content-disposition", ""},
	{"transfer-encoding", ""}, {"access-control-allow-origin", ""}, {"access-control-allow-credentials", ""},
	{"x-xss-protection", ""}, {"content-security-policy", ""}, {"x-forwarded-for", ""}, {"x-forwarded-host", ""},
	{"x-forwarded-proto", ""}, {"cache-control", ""}, {"x-original-url", ""}, {"x-rewrite-url", ""},
	{"x-frame-options", ""}, {"strict-transport-security", ""}, {"x-content-type-options", ""},
	{"content-encoding", ""}, {"last-modified", ""}, {"www-authenticate", ""}, {"proxy-authorization", ""},
	{"x-http-method-override", ""},
	{"location", "/:"}, {"refresh", ";="}, {"host", ".:"}, {"cookie", "="}, {"link", "<"},
	{"authorization", ""}, {"connection", "-"}, {"upgrade", "/"},
}

// mailHeaders are message headers that add recipients or change a
// message; injected with an address they are mail header injection.
var mailHeaders = [...]string{"bcc", "cc", "to", "from", "reply-to", "sender", "return-path"}

var httpMethods = [...]string{"get", "post", "put", "delete", "head", "options", "patch", "connect", "trace"}

func detectCRLF(st *state) hit {
	if st.cls&(kCtl|kBslash|kHigh) == 0 {
		return hit{}
	}
	b := st.n
	n := len(b)
	if h := leadingRequest(b); h.rule != "" {
		return h
	}
	if st.cls&(kBslash|kHigh) == 0 && indexByte(b, '\n') < 0 && indexByte(b, '\r') < 0 {
		// no break of any kind below (its control bytes are tabs, say:
		// a log line's): two vectorised searches instead of the loop
		return hit{}
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
			// a character whose low byte is CR or LF (U+010A, U+560A
			// "%E5%98%8A"...): servers that truncate a header's
			// characters to bytes read it as a line break
			// Only where such a character cannot be a letter of the
			// surrounding text: after a byte of Latin text (or at the
			// start), and followed straight by an ASCII header line;
			// "线上X-Ray: 检查" and "上 X-Men: 第一战" are Chinese prose
			// (上 is U+4E0A).
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

// lowBreak returns the length of the UTF-8 sequence at b[i] when it
// encodes a character above U+00FF whose low byte is CR or LF, else 0.
func lowBreak(b []byte, i int) int {
	r, w := utf8.DecodeRune(b[i:])
	if r < 0x100 || r == utf8.RuneError || r&0xFF != '\n' && r&0xFF != '\r' {
		return 0
	}
	return w
}

// lowBreakBefore returns the length of the character that ends just
// before b[i] when it is itself a low-byte line break, else 0.
func lowBreakBefore(b []byte, i int) int {
	r, w := utf8.DecodeLastRune(b[:i])
	if r < 0x100 || r == utf8.RuneError || r&0xFF != '\n' && r&0xFF != '\r' {
		return 0
	}
	return w
}

// asciiLine reports whether the line that starts at j begins with an
// ASCII letter and holds no byte above 0x7F: the header line an attacker
// writes after a low-byte break, not the next words of non-Latin text.
func asciiLine(b []byte, j int) bool {
	if j >= len(b) || !(b[j]|0x20 >= 'a' && b[j]|0x20 <= 'z') {
		return false
	}
	for k := j; k < len(b) && b[k] != '\n' && b[k] != '\r'; k++ {
		if b[k] >= 0x80 {
			return false
		}
	}
	return true
}

// crlfLine judges the line that starts at j after a break at i.
func crlfLine(b []byte, i, j int, dot *crlfDot) hit {
	n := len(b)
	for j < n && (b[j] == ' ' || b[j] == '\t') {
		j++ // folding white space: the header line a server still reads
	}
	e := j
	for e < n && (isIdent(b[e]) || b[e] == '-') {
		e++
	}
	name := b[j:e]
	if len(name) == 0 {
		return mailCommand(b, i, j, e, dot) // an IMAP command after a tag of punctuation
	}
	if e < n && b[e] == ':' {
		v := skipSpaces(b, e+1)
		if v >= n || b[v] == '\r' || b[v] == '\n' {
			return hit{} // "Note:" at the end of a line
		}
		le := lineEnd(b, v)
		val := b[v:le]
		if len(name) > 2 && name[0] == 'x' && name[1] == '-' && isIdent(name[2]) {
			// any extension header ("X-Injected: 1"): no prose word
			// starts with "x-"
			return hit{rule: "crlf.header", frag: around(b, i, e+24)}
		}
		for _, h := range crlfHeaders {
			if string(name) != h.name {
				continue
			}
			if h.need == "" && indexByte(name, '-') > 0 || h.need != "" && indexByte(val, ' ') < 0 && bytesAny(val, h.need) ||
				h.name == "authorization" && (hasAt(val, 0, "basic ") || hasAt(val, 0, "bearer ")) ||
				h.name == "refresh" && len(val) > 0 && isDigit(val[0]) && indexFrom(val, "url=", 0) > 0 {
				return hit{rule: "crlf.header", frag: around(b, i, e+24)}
			}
		}
		for _, h := range mailHeaders {
			if string(name) == h {
				le := lineEnd(b, v)
				if indexByte(b[v:le], '@') > 0 {
					return hit{rule: "crlf.mail_header", frag: around(b, i, le)}
				}
			}
		}
		return hit{}
	}
	// a request line: METHOD SP target SP HTTP/x
	for _, m := range httpMethods {
		if string(name) == m && e < n && b[e] == ' ' {
			le := lineEnd(b, e)
			if k := indexFrom(b[e:le], " http/", 0); k > 0 {
				return hit{rule: "crlf.request_line", frag: around(b, i, le)}
			}
		}
	}
	// a status line: HTTP/1.1 200
	if string(name) == "http" && e < n && b[e] == '/' {
		k := e + 1
		for k < n && (isDigit(b[k]) || b[k] == '.') {
			k++
		}
		if k > e+1 && k+4 <= n && b[k] == ' ' && isDigit(b[k+1]) && isDigit(b[k+2]) && isDigit(b[k+3]) {
			return hit{rule: "crlf.request_line", frag: around(b, i, k+24)}
		}
	}
	if h := mailCommand(b, i, j, e, dot); h.rule != "" {
		return h
	}
	return hit{}
}

// leadingRequest finds a value that starts with an HTTP request line
// ("GET /admin HTTP/1.1") ended by a line break: a whole request smuggled
// in, which a proxy or a backend that forwards the value reads as one.
// The line alone, or followed by nothing, is a request line quoted.
func leadingRequest(b []byte) hit {
	e := 0
	for e < len(b) && isLetter(b[e]) {
		e++
	}
	if e < 3 || e >= len(b) || b[e] != ' ' {
		return hit{}
	}
	for _, m := range httpMethods {
		if string(b[:e]) != m {
			continue
		}
		// METHOD SP request-target SP HTTP/d[.d] and the line's end: one
		// target token (no blank in it), the version last
		le := lineEnd(b, e)
		t := e + 1
		for t < le && b[t] > ' ' {
			t++
		}
		v := t + 6
		if t == e+1 || !hasAt(b, t, " http/") || v >= le || !isDigit(b[v]) {
			continue
		}
		v++
		if v+1 < le && b[v] == '.' && isDigit(b[v+1]) {
			v += 2
		}
		if v == le && le < len(b) && skipBreaks(b, le) < len(b) {
			return hit{rule: "crlf.request_line", frag: around(b, 0, le)}
		}
	}
	return hit{}
}

func lineEnd(b []byte, i int) int {
	for i < len(b) && b[i] != '\r' && b[i] != '\n' {
		i++
	}
	return i
}

// mailCommand recognises SMTP, IMAP and POP3 commands in their protocol
// syntax (not as English words): "MAIL FROM:<", "RCPT TO:<", "HELO host",
// "AUTH LOGIN", "a1 LOGIN user pass", "RETR 1".
// crlfDot remembers the searches for the line of one '.' that ends a
// message body after DATA: asked again from each later DATA line, they
// read each byte of the value once.
type crlfDot struct{ cr, lf litAfter }

func mailCommand(b []byte, i, j, e int, dot *crlfDot) hit {
	n := len(b)
	w := b[j:e]
	le := lineEnd(b, e)
	switch string(w) {
	case "mail":
		if hasAt(b, e, " from:") {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "rcpt":
		if hasAt(b, e, " to:") {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "helo", "ehlo":
		if e < n && b[e] == ' ' && le > e+1 && indexByte(b[e+1:le], ' ') < 0 {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "auth":
		if hasAt(b, e, " login") || hasAt(b, e, " plain") || hasAt(b, e, " cram-md5") || hasAt(b, e, " xoauth2") {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "vrfy", "expn":
		// SMTP address probes: one mailbox name
		if e < n && b[e] == ' ' && le > e+1 && indexByte(b[e+1:le], ' ') < 0 {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "data":
		// the start of a message body, ended by a line of one '.'
		if e == le && dot.cr.index(b, "\n.\r", e) > 0 || e == le && dot.lf.index(b, "\n.\n", e) > 0 || e == le && hasSuffix(b, "\n.") {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	case "user":
		// a POP3 login: USER name, then PASS on the next line
		if e < n && b[e] == ' ' && le > e+1 && indexByte(b[e+1:le], ' ') < 0 {
			if k := skipBreaks(b, le); k > le && hasAt(b, k, "pass ") {
				return hit{rule: "crlf.mail_command", frag: around(b, i, lineEnd(b, k))}
			}
		}
	case "retr", "dele", "top":
		// POP3 with a message number
		if e < n && b[e] == ' ' && e+1 < n && isDigit(b[e+1]) && identEnd(b, e+1) == le {
			return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
		}
	}
	// IMAP: a short tag with a digit, then a command
	if len(w) <= 8 && e < n && b[e] == ' ' && hasDigit(w) && isLetter(w[0]) {
		c := e + 1
		ce := identEnd(b, c)
		switch string(b[c:ce]) {
		case "login", "select", "examine", "fetch", "store", "logout", "append", "delete", "rename", "copy",
			"uid", "list", "lsub", "create", "expunge", "authenticate", "capability":
			if ce == le || ce < n && b[ce] == ' ' {
				return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
			}
		}
	}
	// IMAP with a tag of punctuation ("$ CAPABILITY", "a. LOGIN x y"):
	// the commands that are not English words
	if t := imapTagEnd(b, j); t > j && t < n && b[t] == ' ' {
		c := t + 1
		ce := identEnd(b, c)
		switch string(b[c:ce]) {
		case "capability", "authenticate", "examine", "expunge", "lsub", "starttls", "login", "select", "fetch", "logout":
			if ce == le || ce < n && b[ce] == ' ' {
				return hit{rule: "crlf.mail_command", frag: around(b, i, le)}
			}
		}
	}
	return hit{}
}

// imapTagEnd returns the end of an IMAP tag at j that has a byte other
// than a letter or digit ("$", "a.1", "x-2"), at most 8 bytes; j when
// there is none.
func imapTagEnd(b []byte, j int) int {
	k, punct := j, false
	for k < len(b) && k-j < 9 && b[k] > ' ' && b[k] < 0x7f {
		if !isIdent(b[k]) {
			if b[k] == ':' || b[k] == '*' || b[k] == '-' && k == j {
				return j // a header, an untagged reply, a list item
			}
			punct = true
		}
		k++
	}
	if !punct || k-j > 8 {
		return j
	}
	return k
}

// skipBreaks returns the index after the line breaks at i.
func skipBreaks(b []byte, i int) int {
	for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

func bytesAny(b []byte, set string) bool {
	for _, c := range b {
		for k := 0; k < len(set); k++ {
			if c == set[k] {
				return true
			}
		}
	}
	return false
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}
