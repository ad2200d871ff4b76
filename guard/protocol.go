package guard

import (
	"strconv"
	"strings"
)

// Protocol enforcement: HTTP requests that break the protocol's own rules
// in ways that only probes and evasions do (a body declared on a GET, a
// Content-Length that is not a number, escapes that no encoder writes, a
// NUL byte, a header of WebDAV or of the httpoxy attack, a backup file's
// extension...). Each check reads the request as the adapter saw it; what
// the front end or Go's server already refuses never reaches them (see
// the adapters' documentation). The rules are listed, with attack and
// benign example requests, in protocolRules (protocol_rules.go); findings
// are of category Protocol and block (403) unless
// FNGUARD_CATEGORY_MODES says protocol=monitor or protocol=off.

// checkProtocol runs the request-level checks of an HTTP-style source.
func (s *scanner) checkProtocol() {
	inv := s.inv
	if s.g.categoryMode(Protocol) == Off {
		return
	}
	if p := inv.Proto; len(p) > 5 && (p[:5] == "HTTP/" || strings.EqualFold(p[:5], "HTTP/")) && !allowedProto(p) {
		s.proto("protocol.http_version", "protocol", "HTTP version "+strconv.Quote(p)+" is not HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3")
	}
	s.checkProtocolHeaders()
	if inv.Path != "" {
		s.checkProtocolPath(inv.Path)
	}
	if inv.RawQuery != "" {
		if why := escapeAbuse(inv.RawQuery); why != "" {
			s.proto(escapeRule(why), "query", "query string "+why)
		}
	}
	// A raw '#' in the request target: clients keep fragments to
	// themselves, so one that reaches a server was put there to split the
	// URL differently for two parsers. Only net/http and Cloud Functions
	// pass the path as sent; the query string is always as sent.
	if strings.IndexByte(inv.RawQuery, '#') >= 0 ||
		(inv.Source == SourceHTTP || inv.Source == SourceGCFHTTP) && strings.IndexByte(inv.Path, '#') >= 0 {
		s.proto("protocol.fragment", "path", "raw (unencoded) fragment '#' in the request target")
	}
	s.protocolParams("query", inv.Query)
	s.protocolParams("cookies", inv.Cookies)
}

// proto records a protocol finding at loc (relative to the record, if any),
// unless an exclusion covers it.
func (s *scanner) proto(rule, loc, reason string) {
	if len(s.g.exclusions) > 0 {
		s.locBuf = append(s.locBuf[:0], s.at(loc)...)
		if s.g.excluded(s.locBuf, Protocol, rule) {
			return
		}
	}
	s.policy(Protocol, rule, loc, reason)
}

// allowedProto: the versions a front end speaks (RFC 9110 2.5: HTTP/1.0,
// HTTP/1.1, HTTP/2, HTTP/3; "HTTP/2.0" as Go and some platforms write it).
func allowedProto(p string) bool {
	switch p {
	case "HTTP/1.1", "HTTP/2.0", "HTTP/1.0":
		return true
	}
	switch strings.ToUpper(p) {
	case "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0", "HTTP/3", "HTTP/3.0":
		return true
	}
	return false
}

// restrictedHeader reports why a request header is refused: headers that
// no API client sends and that attacks rely on.
func restrictedHeader(name, method string) string {
	switch name {
	case "proxy":
		// httpoxy (CVE-2016-5385): CGI-style runtimes turn it into
		// HTTP_PROXY, which HTTP clients then use as their proxy.
		return "the Proxy header is the httpoxy attack (CGI runtimes read it as HTTP_PROXY)"
	case "lock-token", "if":
		return "the " + name + " header is WebDAV locking, which a function does not serve"
	case "translate":
		return "the Translate header asks IIS for a script's source"
	case "content-range":
		// A request's Content-Range only means something on a partial
		// PUT (RFC 9110 14.4); elsewhere it confuses range handling.
		if !strings.EqualFold(method, "PUT") {
			return "Content-Range on a " + method + " request (only a partial PUT carries one)"
		}
	}
	return ""
}

func (s *scanner) checkProtocolHeaders() {
	inv := s.inv
	var cl, te, host string
	var hasCL, hasTE, hasHost bool
	for i := range inv.Headers {
		h := &inv.Headers[i]
		if strings.IndexByte(h.Value, 0) >= 0 {
			s.proto("protocol.nul_byte", "headers."+h.Name, "header "+h.Name+" holds a NUL byte")
		}
		switch h.Name {
		case "content-length":
			// One number, or a list of the same number ("42, 42": RFC 9110
			// 8.6 lets a recipient read it as 42; platforms join repeated
			// headers so).
			for rest, more := h.Value, true; more; {
				var item string
				item, rest, more = cutByte(rest, ',')
				item = trimOWS(item)
				if !digits(item) {
					s.proto("protocol.content_length", "headers.content-length", "Content-Length "+strconv.Quote(h.Value)+" is not a number")
					break
				}
				if hasCL && trimZeros(item) != trimZeros(cl) {
					s.proto("protocol.content_length", "headers.content-length", "two different Content-Length values ("+cl+", "+item+")")
					break
				}
				cl, hasCL = item, true
			}
			hasCL = true
		case "transfer-encoding":
			te, hasTE = h.Value, true
		case "host":
			host, hasHost = h.Value, true
		case "range", "request-range":
			if why := rangeAbuse(h.Value); why != "" {
				s.proto("protocol.range", "headers."+h.Name, h.Name+" "+why)
			}
		case "content-type":
			if why := contentTypeAbuse(h.Value); why != "" {
				s.proto(why[0:strings.IndexByte(why, ' ')], "headers.content-type", why[strings.IndexByte(why, ' ')+1:])
			}
		default:
			if why := restrictedHeader(h.Name, inv.Method); why != "" {
				s.proto("protocol.restricted_header", "headers."+h.Name, why)
			}
		}
	}
	if hasCL && hasTE {
		s.proto("protocol.length_conflict", "headers.transfer-encoding", "both Content-Length and Transfer-Encoding (request smuggling: front end and back end may read different bodies)")
	}
	if m := inv.Method; strings.EqualFold(m, "GET") || strings.EqualFold(m, "HEAD") {
		switch {
		case hasTE:
			s.proto("protocol.body_on_get", "headers.transfer-encoding", m+" request with Transfer-Encoding "+strconv.Quote(te))
		case hasCL && digits(cl) && trimZeros(cl) != "":
			s.proto("protocol.body_on_get", "headers.content-length", m+" request declaring a body of "+cl+" bytes")
		}
	}
	// A missing or empty Host only means something where a server read
	// the request (net/http, Cloud Functions): Lambda front ends always
	// set one, and an event without is a hand-made one.
	if (inv.Source == SourceHTTP || inv.Source == SourceGCFHTTP) && inv.Proto != "" && trimOWS(host) == "" {
		if hasHost {
			s.proto("protocol.host", "headers.host", "empty Host header")
		} else {
			s.proto("protocol.host", "headers.host", "no Host header")
		}
	}
}

func trimZeros(d string) string { return strings.TrimLeft(d, "0") }

// allDigits: one or more decimal digits, of any length.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// rangeAbuse reports what is wrong with a byte Range (or the legacy
// Request-Range) value: a range whose last byte is before its first
// (RFC 9110 14.1.1 makes it invalid; probes for range-handling bugs send
// it). Other units and well-formed byte ranges pass.
func rangeAbuse(v string) string {
	unit, set, ok := cutByte(trimOWS(v), '=')
	if !ok || !strings.EqualFold(trimOWS(unit), "bytes") {
		return ""
	}
	for set != "" {
		var r string
		r, set, _ = cutByte(set, ',')
		r = trimOWS(r)
		first, last, ok := cutByte(r, '-')
		if !ok || !allDigits(first) || !allDigits(last) {
			continue
		}
		// compared as decimal numbers of any length: fewer digits is
		// smaller, then digit by digit
		a, b := trimZeros(first), trimZeros(last)
		if len(b) < len(a) || len(b) == len(a) && b < a {
			return "range " + strconv.Quote(r) + " ends before it starts"
		}
	}
	return ""
}

// contentTypeAbuse judges a request Content-Type: "rule reason", or "".
// One with a '/' must be one media type with name=value parameters (RFC 9110 8.3); a
// second media type among the parameters ("text/plain; application/json")
// makes parsers disagree on how to read the body. Its charset, when given,
// must be one the engine inspects as sent: UTF-8 and its ASCII-compatible
// single-byte cousins. UTF-7, UTF-16/32 and EBCDIC (ibm037, cp500...) hide
// an attack from every byte-level check, and a second charset parameter
// lets two parsers pick different ones.
func contentTypeAbuse(v string) string {
	mt, ps, _ := cutByte(v, ';')
	mt = trimOWS(mt)
	t, st, ok := cutByte(mt, '/')
	if !ok {
		return "" // a label ("idk", "json"), not a media type: the body is sniffed
	}
	if !tokenRFC(t) || !tokenRFC(st) {
		return "protocol.content_type Content-Type " + strconv.Quote(v) + " is not a media type"
	}
	charsets := 0
	var seen [8]string // parameter names so far: a media type has a few
	nseen := 0
	for ps != "" {
		var p string
		p, ps = nextParam(ps)
		p = trimOWS(p)
		if p == "" {
			continue // "application/json;" — an empty parameter, tolerated
		}
		name, val, ok := cutByte(p, '=')
		name = trimOWS(name)
		if !ok || !tokenRFC(name) {
			return "protocol.content_type Content-Type " + strconv.Quote(v) + " has a parameter that is not name=value"
		}
		if len(name) != 7 || !strings.EqualFold(name, "charset") {
			for _, n := range seen[:nseen] {
				if strings.EqualFold(n, name) {
					return "protocol.content_type Content-Type gives parameter " + strconv.Quote(name) + " twice (parsers pick different ones)"
				}
			}
			if nseen < len(seen) {
				seen[nseen] = name
				nseen++
			}
			continue
		}
		if charsets++; charsets > 1 {
			return "protocol.charset Content-Type names more than one charset"
		}
		cs := strings.Trim(trimOWS(val), `"`)
		if !allowedCharset(cs) {
			return "protocol.charset charset " + strconv.Quote(cs) + " is not UTF-8, US-ASCII, ISO-8859-1/15 or windows-1252"
		}
	}
	return ""
}

// nextParam cuts the next ';'-separated parameter, a quoted string kept
// whole ("boundary=\"a;b\"").
func nextParam(s string) (p, rest string) {
	q := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			q = !q
		case c == '\\' && q:
			i++
		case c == ';' && !q:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// tokenRFC is an RFC 9110 token (any tchar).
func tokenRFC(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tcharTable[s[i]] {
			return false
		}
	}
	return true
}

// tcharTable is isTchar as a table (static data: no init code).
var tcharTable = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true, '+': true, '-': true, '.': true,
	'^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true, 'J': true,
	'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true,
	'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true, 'j': true,
	'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true,
	'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

func allowedCharset(cs string) bool {
	switch strings.ToLower(cs) {
	case "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "iso-8859-15", "windows-1252":
		return true
	}
	return false
}

// escapeAbuse reports what is wrong with the percent-escapes of a raw URL
// part or URL-encoded form: a '%' not followed by two hex digits, which no
// encoder writes (RFC 3986 2.1), or IIS's %uXXXX escape, which smuggles
// full-width and other characters past decoders that do not know it.
func escapeAbuse(raw string) string {
	for i := strings.IndexByte(raw, '%'); i >= 0; {
		rest := raw[i+1:]
		switch {
		case len(rest) >= 5 && (rest[0] == 'u' || rest[0] == 'U') && isHex4(rest[1:5]):
			return "holds the non-standard %u escape " + strconv.Quote(raw[i:i+6])
		case len(rest) < 2 || !isHexDigit(rest[0]) || !isHexDigit(rest[1]):
			end := min(len(raw), i+3)
			return "holds the invalid escape " + strconv.Quote(raw[i:end])
		}
		j := strings.IndexByte(rest[2:], '%')
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return ""
}

// uEscape returns the first %uXXXX escape of s, or "".
func uEscape(s string) string {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+6 <= len(s); {
		if (s[i+1] == 'u' || s[i+1] == 'U') && isHex4(s[i+2:i+6]) {
			return s[i : i+6]
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

func escapeRule(why string) string {
	if strings.Contains(why, "%u") {
		return "protocol.unicode_escape"
	}
	return "protocol.url_encoding"
}

func isHex4(s string) bool {
	return isHexDigit(s[0]) && isHexDigit(s[1]) && isHexDigit(s[2]) && isHexDigit(s[3])
}

// checkProtocolPath judges the request path: its escapes, a NUL or a line
// break in it (decoded), mod_proxy's unix: socket syntax, and a last
// segment naming a backup, configuration, database, log or key file.
func (s *scanner) checkProtocolPath(p string) {
	if e := uEscape(p); e != "" {
		s.proto("protocol.unicode_escape", "path", "path holds the non-standard %u escape "+strconv.Quote(e))
	}
	dec := p
	if strings.IndexByte(p, '%') >= 0 {
		dec = pathUnescape(p)
	}
	if strings.IndexByte(dec, 0) >= 0 {
		s.proto("protocol.nul_byte", "path", "path holds a NUL byte")
	}
	if strings.IndexByte(dec, '\n') >= 0 || strings.IndexByte(dec, '\r') >= 0 {
		s.proto("protocol.newline", "path", "path holds a line break")
	}
	if why := unixSocket(dec); why != "" {
		s.proto("protocol.unix_socket", "path", "path "+why)
	}
	// The last segment as a file server resolves it: a trailing '/', a
	// ;parameter (Tomcat, Jetty: "web.config;.js") and trailing dots and
	// blanks (Windows: "web.config.") name the same file.
	base := strings.TrimRight(dec, "/")
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.IndexByte(base, ';'); i > 0 {
		base = base[:i]
	}
	base = strings.TrimRight(base, ". ")
	if why := restrictedFile(base); why != "" {
		s.proto("protocol.restricted_file", "path", why)
	}
}

// unixSocket reports Apache mod_proxy's "unix:/path/to.sock|http://host/"
// syntax (CVE-2021-40438): a request that spells it makes a vulnerable
// proxy connect wherever the part after '|' says.
func unixSocket(v string) string {
	if strings.IndexByte(v, '|') < 0 {
		return ""
	}
	i := indexASCIIFold(v, "unix:")
	if i < 0 {
		return ""
	}
	rest := v[i+5:]
	j := strings.IndexByte(rest, '|')
	if j < 0 {
		return ""
	}
	// the socket is a path: no blanks before the '|'
	if strings.ContainsAny(rest[:j], " \t") {
		return ""
	}
	return "spells mod_proxy's unix:socket|url syntax"
}

// restrictedExt lists extensions of files that an API never serves but
// probes ask for: backups and editors' working files, configuration,
// databases, logs, keys and server-side sources of other stacks.
var restrictedExt = []string{
	"bak", "backup", "old", "orig", "save", "swp", "swo", "tmp",
	"config", "conf", "cfg", "ini", "env",
	"sql", "mdb", "db", "dbf", "sqlite", "sqlite3", "rdb",
	"log", "key", "pwd", "pass", "htpasswd", "htaccess",
	"asa", "asax", "ascx", "cdx", "htr", "htw", "ida", "idc", "idq", "printer", "pol",
	"resources", "resx", "licx", "webinfo", "vsdisco", "csproj", "vbproj", "pdb", "lnk",
}

// restrictedFile judges the last path segment (decoded).
func restrictedFile(base string) string {
	if len(base) > 1 && base[len(base)-1] == '~' {
		return "path names an editor's backup file " + strconv.Quote(base)
	}
	i := strings.LastIndexByte(base, '.')
	if i < 0 {
		return ""
	}
	ext := strings.ToLower(base[i+1:])
	for _, r := range restrictedExt {
		if ext == r {
			return "path names a ." + r + " file (" + strconv.Quote(base) + "), which an API does not serve"
		}
	}
	return ""
}

// protocolParams judges decoded parameter names and values: a NUL byte in
// either, a line break in a name, mod_proxy's unix: syntax in a value.
func (s *scanner) protocolParams(prefix string, ps []Param) {
	for i := range ps {
		p := &ps[i]
		v := p.Value
		if prefix == "cookies" && strings.IndexByte(v, '%') >= 0 {
			v = pathUnescape(v) // cookie values are sent escaped, and decoded by most frameworks
		}
		nul := strings.IndexByte(p.Name, 0) >= 0 || strings.IndexByte(v, 0) >= 0
		nl := strings.IndexByte(p.Name, '\n') >= 0 || strings.IndexByte(p.Name, '\r') >= 0
		unix := unixSocket(p.Value)
		if !nul && !nl && unix == "" {
			continue
		}
		loc := string(appendParamKey([]byte(prefix), p.Name))
		if nul {
			s.proto("protocol.nul_byte", loc, prefix+" parameter holds a NUL byte")
		}
		if nl {
			s.proto("protocol.newline", loc, prefix+" parameter name holds a line break")
		}
		if unix != "" {
			s.proto("protocol.unix_socket", loc, prefix+" parameter "+unix)
		}
	}
}

// checkProtocolForm judges a URL-encoded request body as it was sent: its
// escapes, and NUL bytes and line breaks in its field names once decoded.
func (s *scanner) checkProtocolForm(body []byte) {
	if s.g.categoryMode(Protocol) == Off {
		return
	}
	raw := bytesToString(body)
	if why := escapeAbuse(raw); why != "" {
		s.proto(escapeRule(why), "body", "form body "+why)
	}
	if strings.IndexByte(raw, '%') < 0 && strings.IndexByte(raw, 0) < 0 && strings.IndexByte(raw, '\n') < 0 && strings.IndexByte(raw, '\r') < 0 {
		// Nothing escaped (formIter.next decodes only %XX and '+') and no
		// NUL or line break as sent: no field below holds one.
		return
	}
	it := formIter{rest: raw}
	for n := 0; n < s.g.limits.MaxElements; n++ {
		k, v, ok := it.next()
		if !ok {
			return
		}
		if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
			s.proto("protocol.nul_byte", string(appendParamKey([]byte("body"), k)), "form field holds a NUL byte")
		}
		if strings.IndexByte(k, '\n') >= 0 || strings.IndexByte(k, '\r') >= 0 {
			s.proto("protocol.newline", string(appendParamKey([]byte("body"), k)), "form field name holds a line break")
		}
	}
}

// checkDisposition judges a multipart part's Content-Disposition as sent
// (RFC 7578 4.2, RFC 6266): parsers disagree on a quoted string left open
// or followed by stray text (filename="a";.php"), on a parameter given
// twice (filename and filename*, name twice), and on a name or file name
// holding a quote, a line break or a NUL (raw or %00): the upload's name
// one of them sees is not the one fnguard inspected. Browsers escape
// those characters (%22, %0A), so no form sends them.
func (s *scanner) checkDisposition(v string) {
	if why := dispositionAbuse(v); why != "" {
		s.proto("protocol.multipart", "body", "multipart Content-Disposition "+why)
	}
}

func dispositionAbuse(v string) string {
	_, ps, _ := cutByte(v, ';')
	var seen [6]string
	nseen := 0
	for {
		ps = trimOWS(ps)
		if ps == "" {
			return ""
		}
		i := 0
		for i < len(ps) && ps[i] != '=' && ps[i] != ';' {
			i++
		}
		name := strings.ToLower(trimOWS(ps[:i]))
		if i == len(ps) || ps[i] == ';' {
			if name == "" && i < len(ps) {
				ps = ps[i+1:]
				continue // an empty parameter ("form-data;; name=a")
			}
			return "has a parameter that is not name=value"
		}
		base := strings.TrimSuffix(name, "*")
		for _, n := range seen[:nseen] {
			if n == base {
				return "gives " + strconv.Quote(base) + " twice (parsers pick different ones)"
			}
		}
		if nseen < len(seen) {
			seen[nseen] = base
			nseen++
		}
		rest := trimOWS(ps[i+1:])
		var val string
		if rest != "" && rest[0] == '"' {
			var b strings.Builder
			j := 1
			for ; j < len(rest) && rest[j] != '"'; j++ {
				if rest[j] == '\\' && j+1 < len(rest) {
					j++
				}
				b.WriteByte(rest[j])
			}
			if j == len(rest) {
				return "leaves a quoted " + base + " open"
			}
			val, rest = b.String(), trimOWS(rest[j+1:])
			if rest != "" && rest[0] != ';' {
				return "has text after the quoted " + base + " (" + strconv.Quote(rest) + ")"
			}
		} else {
			j := strings.IndexByte(rest, ';')
			if j < 0 {
				j = len(rest)
			}
			val, rest = trimOWS(rest[:j]), rest[j:]
		}
		if base == "name" || base == "filename" {
			if name == "filename*" {
				val = pathUnescape(val)
			}
			switch {
			case strings.ContainsAny(val, "\"\r\n\x00"):
				return base + " " + strconv.Quote(val) + " holds a quote, a line break or a NUL"
			case strings.Contains(val, "%00"):
				return base + " " + strconv.Quote(val) + " holds an escaped NUL"
			}
		}
		if rest == "" {
			return ""
		}
		ps = rest[1:]
	}
}
