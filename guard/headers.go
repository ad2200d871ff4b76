package guard

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

import "github.com/fnguard/fnguard/guard/detect"

// Header policy: every header is inspected, but headers whose value has a
// grammar (media ranges, language tags, codings, trace contexts, numbers,
// host names) are judged by that grammar first. Request and trace ids
// (X-Request-Id, X-Amzn-Trace-Id) have no grammar strict enough to spell
// no URL, so they are inspected like any value. A value that
// conforms carries no injection syntax — "*/*" is a media range, not an LDAP
// filter — and is not passed to the detectors; a value that does not
// conform is inspected like any other string, so that an attack placed in
// Accept or traceparent is still found.

// headerConforms reports whether v is a well-formed value of the header
// with the given lower-case name and carries nothing the detectors find
// but the grammar's own wildcards ("*/*" reads as an LDAP probe). Headers
// without a known grammar never conform: they are always inspected. The
// detector pass makes the skip sound by construction: a value the grammars
// admit by accident ("localhost" as a coding) is inspected like any other.
func headerConforms(name, v string) bool {
	g := grammarOf(name)
	if g == grammarNone {
		return false
	}
	if conformsMemo(g, v) {
		return true
	}
	return conformsTo(g, v)
}

// conformsTo is headerConforms for a header of grammar g (not
// grammarNone), without the memo; a value that conforms is remembered.
func conformsTo(g headerGrammarID, v string) bool {
	if !grammarAdmits(g, v) {
		return false
	}
	w := v
	if strings.IndexByte(w, '*') >= 0 {
		w = strings.ReplaceAll(w, "*", "x")
	}
	var buf [4]detect.Match
	for _, m := range headerDetector.Scan(buf[:0], w, detect.Input{}) {
		if g == grammarHost && m.Category == SSRF {
			continue // a host names the server itself; never a URL the function fetches
		}
		return false
	}
	remember(g, v)
	return true
}

// The conformance of a header value is a pure function of its grammar and
// its bytes (the grammars and headerDetector are fixed), and the headers
// with a grammar repeat from one invocation to the next (Accept,
// Content-Type, Host, X-Forwarded-Proto of the same clients and the same
// API): each grammar remembers the last value found to conform, so that an
// invocation carrying it again is answered by one comparison instead of a
// grammar and detector pass. A value is remembered when it conforms twice
// in a row (its hash is kept after the first time), so that a value that
// changes on every request (traceparent) costs no copy. Only conforming
// values are remembered: any other value is judged in full every time.
type conformMemo struct {
	value atomic.Pointer[string] // a copy of a value that conforms
	seen  atomic.Uint64          // hash of the last conforming value not remembered
}

var (
	conformMemos [grammarCount]conformMemo
	memoSeed     = maphash.MakeSeed()
)

// maxMemoValue bounds the values remembered (every grammar's typical
// value is far shorter).
const maxMemoValue = 256

// conformsMemo reports whether v is the value remembered for grammar g.
func conformsMemo(g headerGrammarID, v string) bool {
	p := conformMemos[g].value.Load()
	return p != nil && *p == v
}

// remember notes that v conforms to grammar g (see conformMemo).
func remember(g headerGrammarID, v string) {
	if len(v) > maxMemoValue {
		return
	}
	m := &conformMemos[g]
	h := maphash.String(memoSeed, v)
	if m.seen.Swap(h) == h {
		c := strings.Clone(v)
		m.value.Store(&c)
	}
}

// headerDetector judges grammar-conforming header values with every
// built-in detector (no user rules).
var headerDetector = func() *detect.Detector {
	d, err := detect.NewBuiltin()
	if err != nil {
		panic("fnguard: the built-in detector configuration is invalid: " + err.Error())
	}
	return d
}()

// headerGrammarID names the grammar of a header's values.
type headerGrammarID uint8

const (
	grammarNone           headerGrammarID = iota
	grammarMediaRanges                    // Accept
	grammarContentType                    // Content-Type
	grammarCodingRanges                   // Accept-Encoding, Accept-Charset, TE
	grammarLanguageRanges                 // Accept-Language
	grammarLanguageTags                   // Content-Language
	grammarCodingTokens                   // Content-Encoding, Transfer-Encoding, X-Forwarded-Proto, X-Forwarded-Scheme
	grammarTraceparent                    // traceparent
	grammarTracestate                     // tracestate
	grammarDigits                         // Content-Length, X-Forwarded-Port, Max-Forwards, Upgrade-Insecure-Requests
	grammarHost                           // Host
	grammarCount
)

// grammarOf returns the grammar of the header with the given lower-case
// name (grammarNone for a header without one).
func grammarOf(name string) headerGrammarID {
	switch name {
	case "accept":
		return grammarMediaRanges
	case "content-type":
		return grammarContentType
	case "accept-encoding", "accept-charset", "te":
		return grammarCodingRanges
	case "accept-language":
		return grammarLanguageRanges
	case "content-language":
		return grammarLanguageTags
	case "content-encoding", "transfer-encoding", "x-forwarded-proto", "x-forwarded-scheme":
		return grammarCodingTokens
	case "traceparent":
		return grammarTraceparent
	case "tracestate":
		return grammarTracestate
	case "content-length", "x-forwarded-port", "max-forwards", "upgrade-insecure-requests":
		return grammarDigits
	case "host":
		return grammarHost
	}
	return grammarNone
}

// grammarAdmits reports whether v is a well-formed value of grammar g
// (never for grammarNone).
func grammarAdmits(g headerGrammarID, v string) bool {
	switch g {
	case grammarMediaRanges:
		return listOf(v, mediaRange)
	case grammarContentType:
		return mediaRange(trimOWS(v)) && v != "" && !hasStar(v)
	case grammarCodingRanges:
		return listOf(v, codingRange)
	case grammarLanguageRanges:
		return listOf(v, languageRange)
	case grammarLanguageTags:
		return listOf(v, func(s string) bool { return languageTag(s) })
	case grammarCodingTokens:
		return listOf(v, codingToken)
	case grammarTraceparent:
		return traceparentValue(v)
	case grammarTracestate:
		return listOf(v, tracestateMember)
	case grammarDigits:
		return digits(v)
	case grammarHost:
		return hostValue(v)
	}
	return false
}

func (s *scanner) headers() {
	// The last value that conformed with no detector match at all (a
	// header other than Host): the same value conforms to any other
	// header whose grammar admits it, without a second detector pass
	// (Accept and Content-Type are often both "application/json").
	conformed := ""
	for i := range s.inv.Headers {
		h := &s.inv.Headers[i]
		if g := grammarOf(h.Name); g != grammarNone && len(h.Value) <= s.g.limits.MaxStringBytes {
			if conformsMemo(g, h.Value) {
				if g != grammarHost {
					conformed = h.Value
				}
				continue
			}
			if h.Value == conformed && h.Value != "" && grammarAdmits(g, h.Value) {
				continue
			}
			if conformsTo(g, h.Value) {
				if g != grammarHost {
					conformed = h.Value
				}
				continue
			}
		}
		v, q := h.Value, -1
		if h.Name == "referer" {
			if q = urlQueryAt(v); q >= 0 {
				v = v[:q+1] // the page's address up to its '?'; the query below
			}
		}
		// Proxies put client addresses here, and Host names the server
		// itself (127.0.0.1:8080 in a local run): neither is a URL the
		// function fetches. A URL written there ("http://169.254.169.254/
		// latest/meta-data/") is no address nor host: it is judged as a
		// URL anywhere is.
		s.noSSRF = (h.Name == "x-forwarded-for" || h.Name == "x-real-ip" || h.Name == "forwarded" || h.Name == "host") &&
			!strings.Contains(v, "://")
		s.str(v, detect.Input{}, "headers", h.Name, true)
		s.noSSRF = false
		if q >= 0 {
			s.refererQuery(h.Value[q+1:])
		}
	}
}

// urlQueryAt returns the index of the '?' that starts the query of v when
// v is an absolute URL with a query (a scheme, "://", then no blank,
// control byte, quote or angle bracket before the '?'), or -1.
func urlQueryAt(v string) int {
	i := 0
	for i < len(v) && (v[i] >= 'a' && v[i] <= 'z' || v[i] >= 'A' && v[i] <= 'Z' || i > 0 && (v[i] >= '0' && v[i] <= '9' || v[i] == '+' || v[i] == '-' || v[i] == '.')) {
		i++
	}
	if i == 0 || !strings.HasPrefix(v[i:], "://") {
		return -1
	}
	for j := i + 3; j < len(v); j++ {
		switch c := v[j]; {
		case c == '?':
			return j
		case c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '\\' || c == '#':
			return -1
		}
	}
	return -1
}

// refererQuery judges the query of a Referer URL (the text after its
// '?', a fragment included: a client sends what it likes) parameter by
// parameter, names and values, as the request's own
// query is judged: the page the client came from carries its arguments
// ("http://shop.example/?q=1 or 1=1"), and a value the detectors read
// whole ("select * from users") is not whole inside a URL, nor is a '+'
// a space there. At most MaxElements parameters.
func (s *scanner) refererQuery(rest string) {
	it := formIter{rest: rest}
	pieces := 0 // offset in rest up to which fields are pieces of a value judged joined (charref.go)
	for n := 0; n < s.g.limits.MaxElements; n++ {
		at := len(rest) - len(it.rest)
		k, val, ok := it.next()
		if !ok {
			break
		}
		if at < pieces {
			k = pieceName(k)
		} else if semiFirst(it.rest) {
			if joined, end, ok := formRefJoin(rest, it.rest); ok {
				pieces = end
				s.str(joined, detect.Input{}, "headers.referer<query>", k, true)
			}
		}
		// (the previous page's session parameter, if any, was not
		// forced by this request: session.id_param is not read here)
		s.cookieKeys = true
		s.str(k, detect.Input{Kind: detect.Key}, "headers.referer<query>", k, true)
		s.cookieKeys = false
		s.str(val, detect.Input{}, "headers.referer<query>", k, true)
	}
}

// listOf reports whether v is a comma-separated list of elements that
// each satisfy ok (surrounding spaces allowed, empty elements skipped as
// RFC 9110 permits, at least one element).
func listOf(v string, ok func(string) bool) bool {
	n := 0
	for v != "" {
		var e string
		i := indexByteStr(v, ',')
		if i < 0 {
			e, v = v, ""
		} else {
			e, v = v[:i], v[i+1:]
		}
		e = trimOWS(e)
		if e == "" {
			continue
		}
		if !ok(e) {
			return false
		}
		n++
	}
	return n > 0
}

func indexByteStr(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func hasStar(s string) bool { return indexByteStr(s, '*') >= 0 }

// isTchar reports the token characters of RFC 9110.
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isToken is a conservative token: tchars without the ones that carry
// injection syntax (quotes, '$', '%', '&', '|', '`', '!', '#', '^', '~').
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isTchar(c) {
			return false
		}
		switch c {
		case '\'', '$', '%', '&', '|', '`', '!', '#', '^', '~':
			return false
		case '+':
			// Only a structured-syntax joiner ("vnd.api+json"): the
			// detectors read '+' as an encoded space, so "gzip++-9" would
			// spell a command and an option.
			if i == 0 || i == len(s)-1 || !isAlnumByte(s[i-1]) || !isAlnumByte(s[i+1]) {
				return false
			}
		}
	}
	return true
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// params checks ";name=value" parameters: names are tokens, values tokens
// or quoted strings of safe characters.
func params(s string) bool {
	for s != "" {
		s = trimOWS(s)
		if s == "" || s[0] != ';' {
			return false
		}
		s = trimOWS(s[1:])
		i := 0
		for i < len(s) && s[i] != '=' && s[i] != ';' {
			i++
		}
		name := trimOWS(s[:i])
		if !isToken(name) {
			return false
		}
		s = s[i:]
		if s == "" || s[0] == ';' {
			return false // a parameter is name=value (RFC 9110 5.6.6)
		}
		s = trimOWS(s[1:]) // '='
		if s != "" && s[0] == '"' {
			j := 1
			for j < len(s) && s[j] != '"' {
				if !safeQuoted(s[j]) {
					return false
				}
				j++
			}
			if j == len(s) || strings.Contains(s[1:j], "..") {
				return false
			}
			s = s[j+1:]
			continue
		}
		j := 0
		for j < len(s) && s[j] != ';' {
			j++
		}
		if v := trimOWS(s[:j]); !isToken(v) || !isAlnumByte(v[0]) || strings.Contains(v, "..") {
			return false // values such as "0.9", "utf-8", "1"; never ".." or a path
		}
		s = s[j:]
	}
	return true
}

// safeQuoted: characters of a quoted parameter value that carry no syntax
// (no quotes, backslashes, angle brackets, parentheses or ';').
func safeQuoted(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case ' ', '-', '_', '.', ':', '/', '+', '=', ',', '?':
		return true
	}
	return false
}

// mediaRange: type "/" subtype *(";" parameter), where type and subtype are
// tokens or "*".
func mediaRange(s string) bool {
	i := indexByteStr(s, ';')
	mr, ps := s, ""
	if i >= 0 {
		mr, ps = s[:i], s[i:]
	}
	mr = trimOWS(mr)
	t, st, ok := cutByte(mr, '/')
	// A type is letters, digits and '-' ("application", "x-world"); a
	// subtype starts with a letter or digit ("vnd.api+json"), so ".." or a
	// path never passes as a media type.
	if !ok || !(t == "*" || codingToken(t)) || !(st == "*" || isToken(st) && isAlnumByte(st[0])) || (t == "*" && st != "*") {
		return false
	}
	return params(ps)
}

// codingRange: a content coding or charset token (or "*") with optional
// parameters (";q=0.5").
func codingRange(s string) bool {
	i := indexByteStr(s, ';')
	c, ps := s, ""
	if i >= 0 {
		c, ps = s[:i], s[i:]
	}
	c = trimOWS(c)
	return (c == "*" || codingToken(c)) && params(ps)
}

// codingToken is a content-coding or charset name: letters, digits, '-'
// and '_' ("gzip", "x-gzip", "utf-8", "iso-8859-1"). Nothing registered
// needs more, and a '.' or '+' would let a host name or an encoded space
// pass as a coding.
func codingToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnumByte(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// languageRange: "*" or 1*8ALPHA *("-" 1*8alphanum) (RFC 4647), with
// optional parameters.
func languageRange(s string) bool {
	i := indexByteStr(s, ';')
	l, ps := s, ""
	if i >= 0 {
		l, ps = s[:i], s[i:]
	}
	l = trimOWS(l)
	return (l == "*" || languageTag(l)) && params(ps)
}

func languageTag(s string) bool {
	if s == "" {
		return false
	}
	first := true
	for s != "" {
		sub, rest, _ := cutByte(s, '-')
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			c := sub[i]
			alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			if !alpha && (first || !('0' <= c && c <= '9')) {
				return false
			}
		}
		first = false
		s = rest
	}
	return true
}

// traceparentValue: version "-" trace-id "-" parent-id "-" flags, lower-case
// hex (W3C Trace Context), with any further "-"-separated hex fields that a
// future version may add.
func traceparentValue(v string) bool {
	if len(v) < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '-' && !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// tracestateMember: key "=" value, keys of [a-z0-9_-*/@], values of
// letters, digits and ._-+@= (a strict subset of the W3C grammar that
// cannot spell a URL or a path: a value using the rest of it is inspected).
func tracestateMember(s string) bool {
	k, v, ok := cutByte(s, '=')
	if !ok || k == "" || len(k) > 256 || v == "" || len(v) > 256 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '*' || c == '/' || c == '@') {
			return false
		}
	}
	for i := 0; i < len(v); i++ {
		if !idChar(v[i]) {
			return false
		}
	}
	return true
}

func idChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '.', '_', '-', '+', '@', '=':
		return true
	}
	return false
}

func digits(v string) bool {
	if v == "" || len(v) > 20 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// hostValue: a host name or IPv4 address with an optional port, or a
// bracketed IPv6 address with an optional port (RFC 9110 Host).
func hostValue(v string) bool {
	if v == "" || len(v) > 255 {
		return false
	}
	if v[0] == '[' {
		j := indexByteStr(v, ']')
		if j < 0 {
			return false
		}
		for i := 1; i < j; i++ {
			c := v[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == ':' || c == '.') {
				return false
			}
		}
		rest := v[j+1:]
		return rest == "" || (rest[0] == ':' && digits(rest[1:]))
	}
	h, port, hasPort := cutByte(v, ':')
	if hasPort && !digits(port) {
		return false
	}
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

func cutByte(s string, c byte) (before, after string, found bool) {
	if i := indexByteStr(s, c); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
