package guard

import (
	"bytes"
	"mime"
	"strconv"
	"strings"
)

// mpReader reads a multipart body held in memory as mime/multipart's
// Reader.NextRawPart followed by reading the part would, without its
// per-part allocations: a part's body is a sub-slice of the body, and the
// header values inspected (Content-Disposition, Content-Type and
// Content-Transfer-Encoding) are sub-strings of it. It accepts what
// mime/multipart accepts and yields the same parts (FuzzMultipartReader
// compares both), with these differences, all refusals: a body that ends
// inside a part's headers (mime/multipart ends there silently, as if the
// body were over) and a boundary holding a line break.
//
// The grammar, as mime/multipart reads it (RFC 2046 with its lenience):
// lines before the first delimiter line "--boundary" LWSP* CRLF are a
// preamble; a first delimiter line that ends in a bare LF switches the
// body to LF line ends. A part is header lines, a blank line, and a body
// that ends before the first CRLF "--boundary" followed by "--", a space,
// a tab, CR, LF or the end of the body (a body that starts with such a
// "--boundary" is empty); then comes a CRLF and the next delimiter line,
// or the close delimiter "--boundary--" LWSP* [CRLF], after which the rest
// (an epilogue) is not read. Header lines are "Key: value", a line that
// starts with a space or a tab continuing the one before it.
type mpReader struct {
	body     []byte
	pos      int
	dash     []byte // "--boundary"
	nlDash   []byte // CRLF "--boundary", or LF "--boundary" in LF mode
	parts    int    // delimiter lines read
	lfOnly   bool
	done     bool
	joined   []byte // header lines joined from continuation lines
	boundary string
	// hdr is the last part's header lines and the blank line after them
	// (in body), hp what headers read of them: the parts of a body are
	// mostly sent alike (one field name, one type), and headers that
	// repeat those bytes read as they did (the lines up to the blank one
	// are all headers reads).
	hdr []byte
	hp  mpPart
}

// mpPart is one part: the first value of each header the engine reads
// (the empty string when absent, as textproto.MIMEHeader.Get), and its
// raw body.
type mpPart struct {
	disposition, ctype, cte string
	data                    []byte
}

// mpError is a malformed multipart body: what is wrong, and where.
type mpError struct {
	msg string
	off int
}

func (e *mpError) Error() string { return e.msg + " at byte " + strconv.Itoa(e.off) }

// mpMaxLine is the longest line mime/multipart reads outside the parts'
// headers and bodies (its bufio buffer): a longer preamble or delimiter
// line is an error there.
const mpMaxLine = 4096

// mpMaxHeaders and mpMaxHeaderBytes are mime/multipart's bounds on one
// part's headers.
const (
	mpMaxHeaders     = 10000
	mpMaxHeaderBytes = 10 << 20
)

func newMPReader(body []byte, boundary string) mpReader {
	b := []byte("\r\n--" + boundary)
	return mpReader{body: body, dash: b[2:], nlDash: b, boundary: boundary}
}

// next reads the next part into p. It returns false at the end of the
// parts (err nil) or on a malformed body (err set), and true with an error
// for a part whose headers were read but whose body is not closed by a
// delimiter (p holds its headers, not its body); after an error or the
// end it returns false, nil.
func (r *mpReader) next(p *mpPart) (bool, error) {
	if r.done {
		return false, nil
	}
	ok, err := r.nextPart(p)
	if !ok {
		r.done = true
	}
	return ok, err
}

func (r *mpReader) fail(msg string, off int) (bool, error) {
	return false, &mpError{msg: msg, off: off}
}

func (r *mpReader) nextPart(p *mpPart) (bool, error) {
	if r.parts == 0 && r.pos == 0 {
		if len(r.dash) == 2 {
			return r.fail("multipart boundary is empty", 0)
		}
		if strings.ContainsAny(r.boundary, "\r\n") {
			return r.fail("multipart boundary holds a line break", 0)
		}
	}
	expectNew := false
	for {
		start := r.pos
		rest := r.body[r.pos:]
		var line []byte
		if i := bytes.IndexByte(rest[:min(len(rest), mpMaxLine)], '\n'); i >= 0 {
			line = rest[:i+1]
		} else if len(rest) >= mpMaxLine {
			return r.fail("multipart line longer than "+strconv.Itoa(mpMaxLine)+" bytes outside a part", start)
		} else {
			// The last line, without a line end: only the close
			// delimiter may be there.
			if r.isClose(rest) {
				r.pos = len(r.body)
				return false, nil
			}
			switch {
			case r.parts == 0:
				return r.fail("multipart body without a delimiter line \"--"+r.boundary+"\"", start)
			case len(rest) == 0:
				return r.fail("multipart body ends without its close delimiter \"--"+r.boundary+"--\"", start)
			default:
				return r.fail("multipart body ends in "+quoteCut(rest)+", not in its close delimiter \"--"+r.boundary+"--\"", start)
			}
		}
		r.pos += len(line)
		if r.isDelimiter(line) {
			r.parts++
			return r.part(p)
		}
		if r.isClose(line) {
			r.pos = len(r.body)
			return false, nil
		}
		if expectNew {
			return r.fail("multipart delimiter line expected, found "+quoteCut(line), start)
		}
		if r.parts == 0 {
			continue // preamble
		}
		if r.isNL(line) {
			expectNew = true
			continue
		}
		return r.fail("unexpected line "+quoteCut(line)+" after a multipart part", start)
	}
}

func (r *mpReader) isNL(line []byte) bool {
	if r.lfOnly {
		return len(line) == 1 && line[0] == '\n'
	}
	return len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// isClose: "--boundary--" LWSP* [line end].
func (r *mpReader) isClose(line []byte) bool {
	if !bytes.HasPrefix(line, r.dash) || len(line) < len(r.dash)+2 || line[len(r.dash)] != '-' || line[len(r.dash)+1] != '-' {
		return false
	}
	rest := skipLWSP(line[len(r.dash)+2:])
	return len(rest) == 0 || r.isNL(rest)
}

// isDelimiter: "--boundary" LWSP* line end; the first one ending in a
// bare LF switches to LF line ends.
func (r *mpReader) isDelimiter(line []byte) bool {
	if !bytes.HasPrefix(line, r.dash) {
		return false
	}
	rest := skipLWSP(line[len(r.dash):])
	if r.parts == 0 && len(rest) == 1 && rest[0] == '\n' {
		r.lfOnly = true
		r.nlDash = r.nlDash[1:]
	}
	return r.isNL(rest)
}

func skipLWSP(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// part reads a part's headers and body, r.pos just past its delimiter line.
func (r *mpReader) part(p *mpPart) (bool, error) {
	*p = mpPart{}
	if h := r.hdr; len(h) > 0 && len(r.body)-r.pos >= len(h) && string(r.body[r.pos:r.pos+len(h)]) == string(h) && !noMPHeaderRepeat {
		p.disposition, p.ctype, p.cte = r.hp.disposition, r.hp.ctype, r.hp.cte
		r.pos += len(h)
	} else {
		hs := r.pos
		if err := r.headers(p); err != nil {
			return false, err
		}
		r.hdr, r.hp = r.body[hs:r.pos], *p
	}
	start := r.pos
	rest := r.body[start:]
	// A body that starts with the boundary itself is empty.
	if bytes.HasPrefix(rest, r.dash) && r.endsDelimiter(rest, len(r.dash)) {
		p.data = rest[:0]
		return true, nil
	}
	from := 0
	if bytes.HasPrefix(rest, r.dash) {
		from = len(r.dash)
	}
	for {
		i := bytes.Index(rest[from:], r.nlDash)
		if i < 0 {
			// The headers were read: the part is returned with the
			// error, as mime/multipart's Part whose Read fails.
			r.pos = len(r.body)
			r.done = true
			return true, &mpError{msg: "multipart part not closed by a delimiter line \"--" + r.boundary + "\"", off: start}
		}
		i += from
		if r.endsDelimiter(rest[i:], len(r.nlDash)) {
			p.data = rest[:i:i]
			r.pos = start + i
			return true, nil
		}
		from = i + len(r.nlDash)
	}
}

// noMPHeaderRepeat makes part read every part's headers (a test hook: the
// parts with and without mpReader.hdr are compared).
var noMPHeaderRepeat = false

// endsDelimiter reports whether the prefix of length n of b (a delimiter)
// is followed by "--", a space, a tab, CR, LF or the end of the body.
func (r *mpReader) endsDelimiter(b []byte, n int) bool {
	if len(b) == n {
		return true
	}
	switch b[n] {
	case ' ', '\t', '\r', '\n':
		return true
	case '-':
		return len(b) > n+1 && b[n+1] == '-'
	}
	return false
}

// headers reads a part's header lines and the blank line after them, as
// textproto.Reader.ReadMIMEHeader does, keeping the first value of the
// three headers the engine reads.
func (r *mpReader) headers(p *mpPart) error {
	start := r.pos
	if r.pos < len(r.body) && (r.body[r.pos] == ' ' || r.body[r.pos] == '\t') {
		return &mpError{msg: "multipart part headers start with a continuation line", off: start}
	}
	var dispSet, ctypeSet, cteSet bool
	budget := mpMaxHeaderBytes - 400
	for n := 0; ; n++ {
		lineStart := r.pos
		line, ok := r.headerLine()
		if !ok {
			return &mpError{msg: "multipart part headers not ended by a blank line", off: start}
		}
		if len(line) == 0 {
			return nil
		}
		if bytes.IndexByte(line, ':') < 0 {
			return &mpError{msg: "multipart part header line without a colon: " + quoteCut(line), off: lineStart}
		}
		line = trimSPHT(line)
		// Continuation lines: joined with one space, each trimmed.
		if r.pos < len(r.body) && (r.body[r.pos] == ' ' || r.body[r.pos] == '\t') {
			r.joined = append(r.joined[:0], line...)
			for r.pos < len(r.body) && (r.body[r.pos] == ' ' || r.body[r.pos] == '\t') {
				for r.pos < len(r.body) && (r.body[r.pos] == ' ' || r.body[r.pos] == '\t') {
					r.pos++
				}
				r.joined = append(r.joined, ' ')
				if len(r.joined) > budget {
					return &mpError{msg: "multipart part headers over " + strconv.Itoa(mpMaxHeaderBytes) + " bytes", off: start}
				}
				more, ok := r.headerLine()
				if !ok {
					break // at the end of the body: the next line read reports it
				}
				r.joined = append(r.joined, trimSPHT(more)...)
			}
			line = bytes.Clone(r.joined) // the header's value outlives the next join
		}
		k, v, _ := bytes.Cut(line, []byte{':'})
		canon, valid := headerKey(k)
		if !valid {
			return &mpError{msg: "multipart part header with an invalid name: " + quoteCut(line), off: lineStart}
		}
		for _, c := range v {
			if !headerValueByte(c) {
				return &mpError{msg: "multipart part header with an invalid byte in its value: " + quoteCut(line), off: lineStart}
			}
		}
		if n >= mpMaxHeaders {
			return &mpError{msg: "multipart part with more than " + strconv.Itoa(mpMaxHeaders) + " headers", off: start}
		}
		for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
			v = v[1:]
		}
		if budget -= len(k) + 200 + len(v); budget < 0 {
			return &mpError{msg: "multipart part headers over " + strconv.Itoa(mpMaxHeaderBytes) + " bytes", off: start}
		}
		if !canon {
			continue // a name with a space: kept as sent, never one of the three
		}
		// (k is token bytes, all ASCII: strings.EqualFold is ASCII
		// letter case there, which tokenFold compares)
		switch {
		case !dispSet && tokenFold(k, "content-disposition"):
			p.disposition, dispSet = bytesToString(v), true
		case !ctypeSet && tokenFold(k, "content-type"):
			p.ctype, ctypeSet = bytesToString(v), true
		case !cteSet && tokenFold(k, "content-transfer-encoding"):
			p.cte, cteSet = bytesToString(v), true
		}
	}
}

// tokenFold reports whether the ASCII text k is the lower-case name,
// ignoring ASCII letter case (strings.EqualFold for ASCII k).
func tokenFold(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	for i, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// headerLine reads one header line without its LF or CRLF; false at the
// end of the body. A last line without a line end is a line.
func (r *mpReader) headerLine() ([]byte, bool) {
	if r.pos >= len(r.body) {
		return nil, false
	}
	rest := r.body[r.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		r.pos = len(r.body)
		return rest, true
	}
	r.pos += i + 1
	line := rest[:i]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, true
}

func trimSPHT(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// headerKey: valid reports whether k is a header name textproto accepts
// (token bytes, and spaces); canon whether it is made only of token bytes
// (a name with a space is kept as sent, so Get never finds it).
func headerKey(k []byte) (canon, valid bool) {
	if len(k) == 0 {
		return false, false
	}
	canon = true
	for _, c := range k {
		switch {
		case tokenByte(c):
		case c == ' ':
			canon = false
		default:
			return false, false
		}
	}
	return canon, true
}

// tokenByte: RFC 7230 tchar.
func tokenByte(c byte) bool { return tchar[c] }

var tchar = func() (t [256]bool) {
	// set by ranges and lists, not by a test of each of the 256 bytes:
	// this runs in every cold start (TestByteTables checks the table)
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

// headerValueByte: VCHAR, SP, HTAB and obs-text.
func headerValueByte(c byte) bool {
	return c == '\t' || c >= 0x20 && c != 0x7f
}

// quoteCut quotes at most 40 bytes of b for an error message.
func quoteCut(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "..."
	}
	return strconv.Quote(string(b))
}

// disposition parses a Content-Disposition value as mime.ParseMediaType
// does and returns its type, name and filename parameters, or ok false
// when ParseMediaType fails. The common shape (a type and parameters
// whose values are tokens or quoted strings without escapes, all ASCII)
// is read in place, without allocating; anything else is handed to
// mime.ParseMediaType (FuzzDisposition compares both).
func disposition(v string) (typ, name, filename string, ok bool) {
	if typ, name, filename, done, ok := dispositionFast(v); done {
		return typ, name, filename, ok
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil {
		return "", "", "", false
	}
	return t, params["name"], params["filename"], true
}

// dispositionFast is disposition for the common shape; done false when v
// is not of it.
func dispositionFast(v string) (typ, name, filename string, done, ok bool) {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			return "", "", "", false, false // Unicode spaces and case: ParseMediaType's
		}
	}
	base, _, _ := strings.Cut(v, ";")
	base = strings.TrimSpace(base)
	var rest string
	t, after := mimeToken(base)
	if t == "" {
		return "", "", "", true, false
	}
	if after != "" {
		if after[0] != '/' {
			return "", "", "", true, false
		}
		sub, end := mimeToken(after[1:])
		if sub == "" || end != "" {
			return "", "", "", true, false
		}
	}
	typ = base
	if hasUpper(typ) {
		return "", "", "", false, false // lowering allocates: rare, ParseMediaType's
	}
	semi := strings.IndexByte(v, ';')
	if semi < 0 {
		return typ, "", "", true, true
	}
	var seen [6]string
	nseen := 0
	rest = v[semi:] // the parameters as ParseMediaType reads them: each after its ';'
	for {
		rest = trimASCIISpace(rest)
		if rest == "" {
			return typ, name, filename, true, true
		}
		if rest[0] != ';' {
			return "", "", "", false, false
		}
		rest = trimASCIISpace(rest[1:])
		key, after := mimeToken(rest)
		if key == "" || hasUpper(key) || strings.IndexByte(key, '*') >= 0 {
			return "", "", "", false, false // a trailing ';', a bad parameter, RFC 2231: ParseMediaType's
		}
		after = trimASCIISpace(after)
		if after == "" || after[0] != '=' {
			return "", "", "", false, false
		}
		after = trimASCIISpace(after[1:])
		var val string
		if after != "" && after[0] == '"' {
			end := strings.IndexByte(after[1:], '"')
			if end < 0 {
				return "", "", "", false, false
			}
			val = after[1 : 1+end]
			if strings.ContainsAny(val, "\\\r\n") {
				return "", "", "", false, false
			}
			rest = after[end+2:]
		} else {
			val, rest = mimeToken(after)
			if val == "" {
				return "", "", "", false, false
			}
		}
		for i := 0; i < nseen; i++ {
			if seen[i] == key {
				return "", "", "", false, false // a repeated parameter: ParseMediaType's
			}
		}
		if nseen == len(seen) {
			return "", "", "", false, false
		}
		seen[nseen] = key
		nseen++
		switch key {
		case "name":
			name = val
		case "filename":
			filename = val
		}
	}
}

// mimeToken splits the leading RFC 2045 token off s.
func mimeToken(s string) (tok, rest string) {
	for i := 0; i < len(s); i++ {
		if !mimeTokenByte[s[i]] {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

var mimeTokenByte = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range []byte("()<>@,;:\\\"/[]?=") {
		t[c] = false
	}
	return t
}()

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// trimASCIISpace trims what unicode.IsSpace calls space among ASCII bytes.
func trimASCIISpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] >= '\t' && s[0] <= '\r') {
		s = s[1:]
	}
	return s
}
