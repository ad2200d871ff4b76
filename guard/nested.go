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

import (
	"bytes"
	"sync"

	"github.com/fnguard/fnguard/guard/detect"
)

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
		if (v[j] == '}' || v[j] == ']') && s.document(v, loc, false) {
			return true
		}
		if c == '{' {
			return s.graphql("", v, loc)
		}
	case c == 'q' || c == 'm' || c == 's' || c == 'f' || c == '#':
		return s.graphql("", v, loc)
	case c == '<':
		// an XML document in a string (a SOAP message or a SAML assertion
		// in a JSON member or a queue message): judged by its parts, as an
		// XML body is
		return xmlDocument(stringBytes(v)) && s.document(v, loc, true)
	}
	return false
}

// docLead marks the first bytes of the strings nested may judge as a
// document (a blank before one, '{', '[', '<', and GraphQL's 'q', 'm',
// 's', 'f', '#'): a string that starts with another is none, and costs
// its caller a look-up instead of a call.
var docLead = func() (t [256]bool) {
	for _, c := range []byte(" \t\n\r{[<qmsf#") {
		t[c] = true
	}
	return t
}()

// gqlWordLead reports a string (of two bytes or more) that starts with a
// letter docLead marks for GraphQL ('q', 'm', 's', 'f': most are words,
// "quantity", "shoes") and that gqlMaybe refuses: nested would call
// graphql for it, which returns false at its first test, having judged
// nothing. The JSON visitor then judges it as a string of any other
// lead (TestGqlWordLead compares decisions with and without this).
func gqlWordLead(v string) bool {
	c := v[0]
	return (c == 'q' || c == 'm' || c == 's' || c == 'f') && !noGqlWordLead && !gqlMaybe(v)
}

// noGqlWordLead makes gqlWordLead report false (a test hook).
var noGqlWordLead = false

// document judges v as the JSON document (or, with xml, the XML document)
// it looks like, one nesting level down, located at loc<json> (loc<xml>),
// and reports whether it was one: when it was not, nothing was reported.
func (s *scanner) document(v string, loc func([]byte) []byte, xml bool) bool {
	prev := s.enterSent(v)
	s.nest++
	suffix := "<json>"
	if xml {
		suffix = "<xml>"
	}
	l, buf := s.relLoc(loc, suffix)
	var ok bool
	if xml {
		ok = s.xmlBody(l, stringBytes(v))
	} else {
		ok = s.walkValidJSON(l, stringBytes(v))
	}
	release(buf)
	s.nest--
	s.sent = prev
	return ok
}

// xmlDocument reports a string that starts as an XML document does rather
// than as markup for a browser: an XML declaration, or a root element with
// a namespace prefix that declares namespaces (<samlp:Response xmlns:...>,
// <soap:Envelope xmlns:...>), or a default namespace outside www.w3.org
// (<EntityDescriptor xmlns="urn:oasis:...">). An element in a browser's
// namespaces (<svg xmlns="http://www.w3.org/2000/svg">, <html xmlns=...>)
// is what HTML and its attack vectors look like: such a string is judged
// as text.
func xmlDocument(b []byte) bool {
	decl, tag := xmlStart(b)
	if decl {
		return true
	}
	if len(tag) < 3 {
		return false
	}
	if name := tag[1:xmlNameEnd(tag, 1)]; colon(name) > 0 && bytes.Contains(tag, []byte("xmlns:")) {
		return true
	}
	// a default namespace that no browser renders: the namespaces of
	// XHTML, SVG, MathML (and XLink, XML Events) are all under www.w3.org
	if k := bytes.Index(tag, []byte("xmlns=")); k > 0 && k+7 < len(tag) && (tag[k+6] == '"' || tag[k+6] == '\'') {
		if e := bytes.IndexByte(tag[k+7:], tag[k+6]); e > 0 {
			return !bytes.Contains(tag[k+7:k+7+e], []byte("w3.org"))
		}
	}
	// a whole document without a declaration: a root element that is no
	// element of HTML, SVG or MathML ("<note>", "<Envelope>", "<rss>")
	// and the string ends with its end tag. What HTML its content holds
	// is judged as an XML body's is (script, frames, event handlers,
	// forms, meta refresh, base).
	name := tag[1:xmlNameEnd(tag, 1)]
	if len(name) == 0 || browserElement(name) {
		return false
	}
	e := len(b)
	for e > 0 && (b[e-1] == ' ' || b[e-1] == '\t' || b[e-1] == '\r' || b[e-1] == '\n') {
		e--
	}
	return e > len(name)+3 && b[e-1] == '>' && string(b[e-len(name)-1:e-1]) == string(name) && string(b[e-len(name)-3:e-len(name)-1]) == "</"
}

// browserElement reports an element name of HTML (current and obsolete,
// with the elements of old browsers: IE's xml data islands, import and
// vmlframe, Netscape's layer), SVG or MathML, or one the XSS rules read as a
// tag (every name of detect's tagClass: xss, listener, stylesheet,
// transform), in any case: a string whose root is one is markup for a
// browser, judged as text by the HTML rules.
func browserElement(name []byte) bool {
	if len(name) > 16 {
		return false
	}
	var buf [16]byte
	l := buf[:len(name)]
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	switch string(l) {
	case "a", "abbr", "acronym", "address", "animate", "animatemotion", "animatetransform", "applet", "area",
		"article", "aside", "audio", "b", "base", "basefont", "bdi", "bdo", "bgsound", "big", "blink",
		"blockquote", "body", "br", "button", "canvas", "caption", "center", "circle", "cite", "clippath", "code",
		"col", "colgroup", "data", "datalist", "dd", "defs", "del", "desc", "details", "dfn", "dialog", "dir",
		"div", "dl", "dt", "ellipse", "em", "embed", "feimage", "fieldset", "figcaption", "figure", "filter",
		"font", "footer", "foreignobject", "form", "frame", "frameset", "g", "h1", "h2", "h3", "h4", "h5", "h6",
		"handler", "head", "header", "hgroup", "hr", "html", "i", "iframe", "ilayer", "import", "comment", "event-source", "eventsource", "fencedframe", "layer", "portal", "xml", "image", "img", "input", "ins",
		"isindex", "kbd", "keygen", "label", "legend", "li", "line", "lineargradient", "link", "listing",
		"maction", "main", "map", "mark", "marker", "marquee", "mask", "math", "menu", "menuitem", "meta", "meter",
		"mi", "mn", "mo", "mpath", "mrow", "ms", "mtext", "multicol", "nav", "nextid", "nobr", "noembed",
		"noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "path", "pattern",
		"picture", "plaintext", "polygon", "polyline", "pre", "progress", "q", "radialgradient", "rb", "rect",
		"rp", "rt", "rtc", "ruby", "s", "samp", "script", "search", "section", "select", "set", "slot", "small",
		"source", "spacer", "span", "stop", "strike", "strong", "style", "sub", "summary", "sup", "svg", "switch",
		"symbol", "table", "tbody", "td", "template", "text", "textarea", "textpath", "tfoot", "th", "thead",
		"time", "title", "tr", "track", "tspan", "tt", "u", "ul", "use", "var", "video", "view", "wbr", "xmp", "vmlframe", "xss", "listener", "stylesheet", "transform":
		return true
	}
	return false
}

// relLoc renders a location relative to the current record, with a
// suffix, into a pooled buffer: the string it returns is only valid until
// release(buf). It is the location of a nested document, read (and
// copied) by the location functions of the strings inside it while they
// are inspected: walkValidJSON's root, str's prefix; nothing keeps it
// once the document is judged (TestNestedLocations checks the findings
// of many nested documents in one body), so it costs no allocation.
func (s *scanner) relLoc(loc func([]byte) []byte, suffix string) (l string, buf *[]byte) {
	buf = locBufs.Get().(*[]byte)
	*buf = s.appendRelLoc((*buf)[:0], loc, suffix)
	return bytesToString(*buf), buf
}

// appendRelLoc appends a location relative to the current record, with
// a suffix.
func (s *scanner) appendRelLoc(dst []byte, loc func([]byte) []byte, suffix string) []byte {
	r := s.record
	s.record = -1
	dst = append(loc(dst), suffix...)
	s.record = r
	return dst
}

// release returns a buffer of relLoc's to the pool.
func release(buf *[]byte) {
	if cap(*buf) <= maxPooledLoc { // the scanner's own location buffer's bound (scanpool.go)
		locBufs.Put(buf)
	}
}

// locBufs pools the buffers relLoc renders into.
var locBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64); return &b }}

// graphql judges a GraphQL document by its string values and reports
// whether v was one. loc renders where the document is (relative to the
// record, as every location); prefix, when not empty, is that location
// already rendered.
//
// A document declared GraphQL (a body of type application/graphql, a
// Field of KindGraphQL: prefix is set) is lexed once: the
// pass that checks its grammar hands each string value to the detectors
// as it reads it, and when v turns out not to be GraphQL what they
// reported is undone (as walkValidJSON does for JSON). A string that is
// only recognised as GraphQL (any string value that starts with '{' or
// "query") is checked first, in a pass that judges nothing: one that
// fails at its end would otherwise have its values judged twice, once
// as values and once as the text it is.
func (s *scanner) graphql(prefix, v string, loc func([]byte) []byte) bool {
	if !gqlMaybe(v) || (prefix == "" || s.nest > 0) && !gqlDocument(v, nil) {
		return false
	}
	nf, status, reason, failReason := len(s.findings), s.status, s.reason, s.failReason
	var buf *[]byte
	rendered := false
	prev := s.enterSent(v)
	s.nest++
	var vs gqlValues
	vs.init(s, v)
	ok := gqlDocument(v, func(arg, val string) {
		if !rendered {
			if prefix == "" {
				prefix, buf = s.relLoc(loc, "<graphql>")
			} else {
				prefix += "<graphql>"
			}
			rendered = true
		}
		if arg == "" || arg == "#" {
			s.gqlValue(&vs, val, prefix, "", false)
			return
		}
		s.gqlValue(&vs, val, prefix, arg, true)
	})
	s.nest--
	s.sent = prev
	if buf != nil {
		release(buf)
	}
	if !ok {
		clear(s.findings[nf:])
		s.findings = s.findings[:nf]
		s.status, s.reason, s.failReason = status, reason, failReason
	}
	return ok
}

// base64Text inspects what a base64-looking string decodes to, when that
// is printable text (or gzip of it); binary results carry nothing to judge
// as text and are ignored. The raw string has already been inspected, and
// has looksBase64's grammar (every caller checks it first), which
// appendB64 decodes.
func (s *scanner) base64Text(v string, loc func([]byte) []byte) {
	// Decoded into a buffer of the scanner's for this nesting depth (every
	// caller checks s.nest < maxNest; what is decoded is judged one level
	// down), and located in another: nothing keeps either once the text
	// is inspected (findings copy what they show and where).
	if !b64MayBeText(v) {
		return // what it decodes to is neither printable text nor gzip
	}
	sc := &s.b64[s.nest]
	if sc.memoHit(v, s.g.det) {
		return // judged at this depth just before, and nothing reported
	}
	// Remembered when judging it reports nothing at all (no finding,
	// kept, excluded or off, no rejection: s.reports) with the whole
	// detector, no deny pattern and no filter of the scanner's (noSSRF,
	// cookieKeys): judged again at this depth, anywhere, it reports
	// nothing again (a body of one base64 document repeated costs a
	// comparison per copy).
	reports := s.reports
	remember := len(s.findings) < maxFindings && len(s.g.custom) == 0 && !s.noSSRF && !s.cookieKeys && len(v) <= maxB64Memo
	s.base64Judge(sc, v, loc)
	if remember && s.reports == reports {
		sc.memoPut(v, s.g.det)
	}
}

// base64Judge is base64Text past its first tests.
func (s *scanner) base64Judge(sc *b64Scratch, v string, loc func([]byte) []byte) {
	dec, ascii, ok := appendB64(sc.dec[:0], v)
	sc.dec = dec
	if !ok {
		return
	}
	if isGzip(dec) {
		out, err := gunzip(dec, s.g.maxBody, "")
		if err != nil {
			return // not judged as a payload: a field that merely looks like base64
		}
		dec, ascii = out, false
	}
	if !ascii && !printableText(dec) {
		return
	}
	sc.loc = s.appendRelLoc(sc.loc[:0], loc, "<base64>")
	l := bytesToString(sc.loc)
	prev := s.enterSent(v)
	s.nest++
	// what it decodes to is judged as what it is: a JSON document, an XML
	// document (a SAML message in a form's SAMLResponse), else text
	if !(looksJSON(dec) && s.walkValidJSON(l, dec)) && !(xmlDocument(dec) && s.xmlBody(l, dec)) {
		s.str(bytesToString(dec), inValue, l, "", false)
	}
	s.nest--
	s.sent = prev
}

// b64Scratch is what base64Text (a scanner's, by nesting depth) and
// escapedBase64 (b64Bufs pools them) decode into and render a location
// into; a scanner's also remembers the last string base64Text judged at
// its depth that reported nothing (memo, judged with memoDet; empty: none).
type b64Scratch struct {
	dec, loc, memo []byte
	memoDet        *detect.Detector
}

// maxB64Memo bounds the strings base64Text remembers (copied: v may alias
// a buffer reused for the next string).
const maxB64Memo = 4 << 10

func (sc *b64Scratch) memoHit(v string, det *detect.Detector) bool {
	return len(sc.memo) == len(v) && len(v) > 0 && sc.memoDet == det && !noB64Memo && string(sc.memo) == v
}

// noB64Memo makes base64Text judge every string (a test hook: TestB64Memo
// compares decisions with and without the memo).
var noB64Memo = false

func (sc *b64Scratch) memoPut(v string, det *detect.Detector) {
	sc.memo, sc.memoDet = append(sc.memo[:0], v...), det
}

var b64Bufs = sync.Pool{New: func() any { return new(b64Scratch) }}

func (sc *b64Scratch) release() {
	if cap(sc.dec) > maxPooledB64 || cap(sc.loc) > maxPooledLoc {
		return
	}
	b64Bufs.Put(sc)
}

// maxPooledB64 bounds the buffers b64Bufs and a pooled scanner keep.
const maxPooledB64 = 64 << 10
