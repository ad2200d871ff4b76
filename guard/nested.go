package guard

// Encoded content inside strings: a JSON document in a JSON string (an SNS
// notification in an SQS body, a JSON-encoded column), a GraphQL document
// (a "query" member, a GET /graphql?query= parameter), base64 text. Each is
// recognised by its grammar, never by the name of the field that holds it,
// and judged as what it is, with a location that says how it was found:
// records[0].body<json>.Message<json>.order.note, body.query<graphql>.id,
// headers.x-data<base64>. Recognition is lazy: a string that does not start
// like a document costs a byte test, and a string that does not have the
// grammar of base64 one pass over its bytes.

import "sync"

// nested judges v by its parts when it is a JSON or GraphQL document and
// reports whether it was one.
func (s *scanner) nested(v string, loc func([]byte) []byte) bool {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r') {
		i++
	}
	if i == len(v) {
		return false
	}
	switch c := v[i]; {
	case c == '{' || c == '[':
		j := len(v) - 1
		for j > i && (v[j] == ' ' || v[j] == '\t' || v[j] == '\n' || v[j] == '\r') {
			j--
		}
		if v[j] == '}' || v[j] == ']' {
			prev := s.enterSent(v)
			s.nest++
			ok := s.walkValidJSON(s.relLoc(loc, "<json>"), stringBytes(v))
			s.nest--
			s.sent = prev
			if ok {
				return true
			}
		}
		if c == '{' {
			return s.graphql("", v, loc)
		}
	case c == 'q' || c == 'm' || c == 's' || c == 'f' || c == '#':
		return s.graphql("", v, loc)
	}
	return false
}

// relLoc renders a location relative to the current record, with a suffix.
func (s *scanner) relLoc(loc func([]byte) []byte, suffix string) string {
	r := s.record
	s.record = -1
	b := loc(make([]byte, 0, 32))
	s.record = r
	return string(append(b, suffix...))
}

// graphql judges a GraphQL document by its string values and reports
// whether v was one. loc renders where the document is (relative to the
// record, as every location); prefix, when not empty, is that location
// already rendered.
//
// The document is lexed once: the pass that checks its grammar hands
// each string value to the detectors as it reads it, and when v turns out
// not to be GraphQL what they reported is undone (as walkValidJSON does
// for JSON). Inside a decoding (a document in a string of a document) it
// is checked first: a document that fails at its end would otherwise
// have its values judged once per enclosing attempt.
func (s *scanner) graphql(prefix, v string, loc func([]byte) []byte) bool {
	if !gqlMaybe(v) || s.nest > 0 && !gqlDocument(v, nil) {
		return false
	}
	nf, status, reason, failReason := len(s.findings), s.status, s.reason, s.failReason
	rendered := false
	prev := s.enterSent(v)
	s.nest++
	ok := gqlDocument(v, func(arg, val string) {
		if !rendered {
			if prefix == "" {
				prefix = s.relLoc(loc, "<graphql>")
			} else {
				prefix += "<graphql>"
			}
			rendered = true
		}
		if arg == "" || arg == "#" {
			s.str(val, inValue, prefix, "", false)
			return
		}
		s.str(val, inValue, prefix, arg, true)
	})
	s.nest--
	s.sent = prev
	if !ok {
		clear(s.findings[nf:])
		s.findings = s.findings[:nf]
		s.status, s.reason, s.failReason = status, reason, failReason
	}
	return ok
}

// base64Text inspects what a base64-looking string decodes to, when that
// is printable text (or gzip of it); binary results carry nothing to judge
// as text and are ignored. The raw string has already been inspected.
func (s *scanner) base64Text(v string, loc func([]byte) []byte) {
	// Decoded into a pooled buffer: nothing keeps the decoded bytes once
	// they are inspected (findings copy what they show).
	bp := b64Bufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledB64 {
			b64Bufs.Put(bp)
		}
	}()
	dec, ok := appendBase64((*bp)[:0], v)
	*bp = dec
	if !ok {
		return
	}
	if isGzip(dec) {
		out, err := gunzip(dec, s.g.maxBody, "")
		if err != nil {
			return // not judged as a payload: a field that merely looks like base64
		}
		dec = out
	}
	if !printableText(dec) {
		return
	}
	l := s.relLoc(loc, "<base64>")
	prev := s.enterSent(v)
	s.nest++
	if !looksJSON(dec) || !s.walkValidJSON(l, dec) {
		s.str(bytesToString(dec), inValue, l, "", false)
	}
	s.nest--
	s.sent = prev
}

// b64Bufs pools the buffers base64Text decodes into.
var b64Bufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledB64 bounds the buffers b64Bufs keeps.
const maxPooledB64 = 64 << 10
