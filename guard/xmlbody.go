package guard

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// xinclude is the XInclude namespace (W3C XInclude 1.0): an element in it
// makes an XInclude-aware parser fetch and inline another resource.
const xinclude = "http://www.w3.org/2001/XInclude"

// xmlBody inspects an XML document by its parts: text and attribute values
// are strings like any other (located at loc.Envelope.Body.order.note and
// loc.order.@id); the prolog's DOCTYPE and processing instructions are
// judged with the XML rules (external DTDs, entities, stylesheets);
// namespace declarations are names, not markup, except the XInclude
// namespace. HTML rules never run on XML markup — only an element or
// attribute that is active in HTML (script, iframe, on* handlers ...) is
// shown to them, as the HTML it would be. It returns false, having
// inspected nothing, when body is not well-formed XML (the caller judges
// it as text).
//
// The document is read by xmlScan, a streaming scanner of our own that
// reads the grammar encoding/xml's Decoder reads in non-strict mode
// (undeclared entities such as &nbsp; stay text, as do attributes without
// a value), but works on the body in place: a text or attribute value
// without entity references or carriage returns is inspected where it
// lies, the others are decoded into a reused buffer, and the open
// elements are a stack of offsets. A document costs no allocation per
// token and time linear in its size (memory: the nesting, which is capped
// by FNGUARD_MAX_DEPTH like JSON's).
func (s *scanner) xmlBody(loc string, body []byte) bool {
	i := skipXMLSpace(body, 0)
	if bytes.HasPrefix(body[i:], utf8BOM) {
		i += len(utf8BOM)
	}
	if i >= len(body) || body[i] != '<' || !xmlChars(body) {
		return false
	}
	// One pass: when the document turns out malformed, what was reported
	// is dropped and the caller judges the whole body as text.
	p := xmlScans.Get().(*xmlScan)
	p.s, p.loc, p.b = s, loc, body
	p.nf, p.status, p.reason = len(s.findings), s.status, s.reason
	p.digitsClean = len(s.g.custom) == 0 && s.g.limits.MaxStringBytes >= maxCleanDigits
	ok := p.run(i)
	if !ok {
		s.findings, s.status, s.reason = s.findings[:p.nf], p.status, p.reason
	}
	p.release()
	return ok
}

var utf8BOM = []byte("\uFEFF")

// xmlScans pools the scanners' buffers and their location function.
var xmlScans = sync.Pool{New: func() any {
	p := new(xmlScan)
	p.locFn = p.appendLoc
	return p
}}

// maxPooledXML bounds the buffers a pooled xmlScan keeps.
const maxPooledXML = 64 << 10

// xmlScan is the state of one XML document being inspected.
type xmlScan struct {
	s     *scanner
	loc   string
	b     []byte
	stack []xmlOpen // open elements, outermost first
	// b[attr0:attr1] is the qualified name of the attribute being
	// inspected (offsets: no pointer to write for each); attr1 is 0
	// outside one
	attr0, attr1 int
	seg          []byte // the current element's text while it is one raw segment
	multi        bool   // the current element's text is in text (joined or decoded)
	text         []byte
	val          []byte // a decoded attribute value, or top-level text being checked
	tag          []byte // an active element as HTML, or a directive without its comments
	locFn        func([]byte) []byte
	// What the scanner held before the document: restored when it is
	// malformed (judged as text instead) or over a limit.
	nf, status int
	reason     string
	// clean holds values of this document that scanString found clean
	// with the guard's whole detector (its strMemo kept them): a
	// document's records repeat their values (kind="a b", <unit>kg</unit>,
	// true), and judging one again costs a comparison. strMemo keeps the
	// last string only, and an element's values take turns there. A value
	// v is kept at cleanSlot(v) (direct-mapped: a stream of values seen
	// once pushes out one seen every record now and then, and a
	// comparison finds a value).
	clean [cleanSlots]xmlClean
	// digitsClean: a value of 1 to maxCleanDigits ASCII digits (an id,
	// a count) is clean without a judgement (cleanDigits).
	digitsClean bool
}

// maxCleanDigits is the longest run of digits xmlScan.value takes as
// clean: the guard's detectors find nothing in a number shorter than eight
// bytes (detect.Scan's short path: no keyword is a number, and the
// shortest number at a type's edge has ten digits; TestXMLDigitsClean
// checks it), and with no deny pattern (guard.custom) and a string limit
// that admits it nothing else in judgeString can report one (no nested
// document starts with a digit, and nothing under eight bytes is base64
// to decode).
const maxCleanDigits = 7

// cleanDigits reports a value of 1 to maxCleanDigits ASCII digits.
func cleanDigits(v []byte) bool {
	return len(v) <= maxCleanDigits && allDigits(bytesToString(v))
}

const cleanSlots = 16

// xmlClean is a value of the document found clean (xmlScan.clean).
type xmlClean struct {
	n int // 0: none
	b [memoBytes]byte
}

// cleanSlot is the entry of xmlScan.clean where v (1 to memoBytes bytes)
// is kept.
func cleanSlot(v []byte) int {
	return (len(v) + 3*int(v[len(v)-1]) + int(v[0])) & (cleanSlots - 1)
}

// xmlOpen is an open element: the offsets of its qualified name in the body.
type xmlOpen struct{ name, end int }

func (p *xmlScan) release() {
	p.s, p.b, p.loc, p.attr0, p.attr1, p.seg, p.multi, p.reason, p.digitsClean = nil, nil, "", 0, 0, nil, false, "", false
	for i := range p.clean {
		p.clean[i].n = 0
	}
	p.stack = p.stack[:0]
	for _, b := range []*[]byte{&p.text, &p.val, &p.tag} {
		if cap(*b) > maxPooledXML {
			*b = nil
		} else {
			*b = (*b)[:0]
		}
	}
	if cap(p.stack) > maxPooledXML/16 {
		p.stack = nil
	}
	xmlScans.Put(p)
}

// scan inspects a string of the document (in the body, or decoded from
// it) at the current location. The document was checked to be valid UTF-8
// (xmlChars) and references decode to characters, so scanString need not
// check the string's encoding again.
func (p *xmlScan) scan(v []byte, in detect.Input) {
	p.s.validUTF8 = true
	p.s.scanString(bytesToString(v), in, p.locFn)
}

// value inspects a text or an attribute value (scan with inValue). One
// found clean before in the document is not judged again (xmlScan.clean):
// what scanString finds in a string does not depend on where it is, once
// it found nothing there with the guard's whole detector (strMemo's rule,
// kept for more than one string).
func (p *xmlScan) value(v []byte) {
	s := p.s
	if len(v) == 0 || len(v) > memoBytes {
		s.validUTF8 = true
		s.scanString(bytesToString(v), inValue, p.locFn)
		return
	}
	if p.digitsClean && cleanDigits(v) {
		s.validUTF8 = false // (as scanString leaves it)
		return
	}
	e, last := &p.clean[cleanSlot(v)], len(v)-1
	// (values that differ, a counter, mostly differ in their last byte)
	if e.n == len(v) && e.b[last] == v[last] && string(e.b[:last]) == string(v[:last]) {
		s.validUTF8 = false // (as scanString leaves it)
		return
	}
	// (judgeString, not scanString: strMemo's last clean value is in
	// clean too, unless another value pushed it out there)
	s.validUTF8 = true
	s.clean = ""
	s.judgeString(bytesToString(v), inValue, p.locFn)
	// judgeString found v itself clean with the guard's whole detector
	// (isClean: what the guard's cleanMemos keep, clean wherever the
	// guard meets it again); all the document's strings are judged at
	// its nesting depth.
	if s.isClean(bytesToString(v)) {
		e.n = copy(e.b[:], v)
	}
}

// appendLoc appends the location of what is being inspected: the body's
// location, the local names of the open elements and the attribute's.
func (p *xmlScan) appendLoc(dst []byte) []byte {
	dst = p.s.appendRecord(dst)
	dst = append(dst, p.loc...)
	for _, e := range p.stack {
		dst = append(dst, '.')
		dst = append(dst, xmlLocal(p.b[e.name:e.end])...)
	}
	if p.attr1 > 0 {
		dst = append(dst, ".@"...)
		dst = append(dst, xmlLocal(p.b[p.attr0:p.attr1])...)
	}
	return dst
}

var (
	cdataOpen  = []byte("<![CDATA[")
	cdataClose = []byte("]]>")
	commOpen   = []byte("<!--")
	commClose  = []byte("-->")
)

// run scans the document from offset i (its first '<'). It returns false
// when the document is malformed; a document over a limit is rejected and
// counts as read.
func (p *xmlScan) run(i int) bool {
	b := p.b
	roots, elems := 0, 0
	maxDepth := p.s.g.limits.MaxDepth
	if maxDepth <= 0 {
		maxDepth = jsontree.DefaultMaxDepth
	}
	for i < len(b) {
		if b[i] != '<' {
			if b[i] <= ' ' && p.seg == nil && !p.multi && len(p.stack) > 0 {
				// White space that leads an element's text (after its
				// start tag or a child's markup: the indentation of a
				// document) up to markup is not added: flush trims it.
				if k := skipXMLSpace(b, i); k < len(b) && b[k] == '<' {
					i = k
					continue
				}
			}
			end := len(b)
			if j := bytes.IndexByte(b[i:], '<'); j >= 0 {
				end = i + j
			}
			raw := b[i:end]
			if cdataCloseIn(raw) {
				return false // "]]>" outside CDATA
			}
			if len(p.stack) == 0 {
				// Between top-level markup: white space only.
				if !p.outsideText(raw, end == len(b)) {
					return false
				}
			} else if !p.addText(raw, end == len(b), false) {
				return false
			}
			i = end
			continue
		}
		if i+1 >= len(b) {
			return false
		}
		switch b[i+1] {
		case '/': // end tag
			// The open element's name, followed by a byte that ends a
			// name, is its end tag (the name was checked at its start
			// tag); any other name is read and checked only to fail.
			top := len(p.stack) - 1
			n, same := 0, false
			if top >= 0 {
				e := p.stack[top]
				if k := i + 2 + e.end - e.name; k <= len(b) && string(b[i+2:k]) == string(b[e.name:e.end]) && (k == len(b) || !xmlNameByte[b[k]]) {
					n, same = k, true
				}
			}
			if !same {
				var ok bool
				if n, _, ok = xmlQName(b, i+2); !ok {
					return false
				}
			}
			j := skipXMLSpace(b, n)
			if j >= len(b) || b[j] != '>' {
				return false
			}
			p.flush()
			if !same {
				return false
			}
			p.stack = p.stack[:top]
			i = j + 1
		case '?': // processing instruction
			n := xmlNameEnd(b, i+2)
			target := b[i+2 : n]
			if !xmlName(target) {
				return false
			}
			j := skipXMLSpace(b, n)
			k := bytes.Index(b[j:], []byte("?>"))
			if k < 0 {
				return false
			}
			end := j + k + 2
			p.flush()
			if string(target) == "xml" {
				if !xmlDeclOK(b[j : j+k]) {
					return false
				}
			} else if j == n+1 && b[n] == ' ' {
				p.scan(b[i:end], detect.Input{XML: true})
			} else {
				// The application reads the target and the instruction
				// (after the white space that follows the target, if any:
				// "<?x$0 ...?>" is read as x and "$0 ..."): judged as
				// "<?target instruction?>", one space between them, as
				// most instructions are written.
				t := append(p.tag[:0], b[i:n]...)
				t = append(t, ' ')
				p.tag = append(t, b[j:end]...)
				p.scan(p.tag, detect.Input{XML: true})
			}
			i = end
		case '!':
			var ok bool
			if i, ok = p.bang(i); !ok {
				return false
			}
		default: // start tag
			n, ci, ok := xmlQName(b, i+1)
			if !ok {
				return false
			}
			name := b[i+1 : n]
			if len(p.stack) == 0 {
				if roots++; roots > 1 {
					return false
				}
			}
			if p.seg != nil || p.multi {
				p.flush() // (a text before the child: most start tags follow markup)
			}
			if elems++; elems > p.s.g.limits.MaxElements && p.s.g.limits.MaxElements > 0 {
				p.s.findings, p.s.status, p.s.reason = p.s.findings[:p.nf], p.status, p.reason
				p.s.reject(413, "validation.too_many_elements", p.loc, fmt.Sprintf("%s: more than %d XML elements (FNGUARD_MAX_ELEMENTS)", p.s.at(p.loc), p.s.g.limits.MaxElements))
				return true
			}
			if len(p.stack) >= maxDepth {
				p.s.findings, p.s.status, p.s.reason = p.s.findings[:p.nf], p.status, p.reason
				p.s.reject(400, "validation.xml_depth", p.loc, fmt.Sprintf("%s: XML elements nested deeper than %d (FNGUARD_MAX_DEPTH)", p.s.at(p.loc), maxDepth))
				return true
			}
			p.stack = append(p.stack, xmlOpen{i + 1, n})
			j, empty, ok := p.attrs(n, name, ci-(i+1))
			if !ok {
				return false
			}
			if empty {
				p.stack = p.stack[:len(p.stack)-1]
			}
			i = j
		}
	}
	return roots == 1 && len(p.stack) == 0
}

// bang reads the markup at b[i:] that starts with "<!": a comment (not
// passed on to the application, so not inspected, unless it has the
// grammar of a server-side include directive, "<!--#" and an element: a
// document stored and served as a page runs it), a CDATA section (text)
// or a directive (DOCTYPE, ENTITY ...: judged with the XML rules). It
// returns the offset after it.
func (p *xmlScan) bang(i int) (int, bool) {
	b := p.b
	switch {
	case bytes.HasPrefix(b[i:], commOpen):
		k := bytes.Index(b[i+4:], []byte("--"))
		if k < 0 || i+4+k+2 >= len(b) || b[i+4+k+2] != '>' {
			return 0, false // unterminated, or "--" inside a comment
		}
		if end := i + 4 + k + 3; b[i+4] == '#' {
			p.value(b[i:end])
		}
		return i + 4 + k + 3, true
	case i+2 >= len(b) || b[i+2] == '-':
		return 0, false
	case b[i+2] == '[':
		if !bytes.HasPrefix(b[i:], cdataOpen) {
			return 0, false
		}
		start := i + len(cdataOpen)
		k := bytes.Index(b[start:], cdataClose)
		if k < 0 {
			return 0, false
		}
		raw := b[start : start+k]
		if len(p.stack) == 0 {
			if len(bytes.TrimSpace(raw)) > 0 {
				return 0, false
			}
		} else if !p.addText(raw, false, true) {
			return 0, false
		}
		return start + k + len(cdataClose), true
	}
	// A directive: up to the '>' that closes it, outside quotes and
	// nested '<' '>' (an internal DTD subset); comments inside it read as
	// a space. The byte after "<!" is taken as it is.
	var inq byte
	depth, comments := 0, false
	j := i + 3
	for ; ; j++ {
		if j >= len(b) {
			return 0, false
		}
		c := b[j]
		if inq == 0 && c == '>' && depth == 0 {
			break
		}
		switch {
		case c == inq:
			inq = 0
		case inq != 0:
		case c == '\'' || c == '"':
			inq = c
		case c == '>':
			depth--
		case c == '<':
			if bytes.HasPrefix(b[j:], commOpen) {
				k := bytes.Index(b[j+4:], commClose)
				if k < 0 {
					return 0, false
				}
				comments = true
				j += 4 + k + 2 // the loop's j++ steps past the '>'
				continue
			}
			depth++
		}
	}
	end := j + 1
	p.flush()
	d := b[i:end]
	if comments {
		p.tag = appendUncommented(p.tag[:0], d)
		d = p.tag
	}
	p.scan(d, detect.Input{XML: true})
	return end, true
}

// appendUncommented appends the directive d with each comment inside it
// replaced by a space (what encoding/xml's Decoder returns for it). The
// comments' bounds were checked by the caller; quotes are tracked the same
// way.
func appendUncommented(dst, d []byte) []byte {
	var inq byte
	for j := 0; j < len(d); j++ {
		c := d[j]
		switch {
		case j < 3:
		case c == inq:
			inq = 0
		case inq != 0:
		case c == '\'' || c == '"':
			inq = c
		case c == '<' && bytes.HasPrefix(d[j:], commOpen):
			if k := bytes.Index(d[j+4:], commClose); k >= 0 {
				dst = append(dst, ' ')
				j += 4 + k + 2
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// attrs reads the attributes of the start tag whose name ends at j,
// inspecting each value, and then, when the element is active in HTML,
// the element as HTML. It returns the offset after the tag and whether the
// tag was an empty-element tag ("/>").
func (p *xmlScan) attrs(j int, name []byte, ci int) (next int, empty, ok bool) {
	_, local := splitAt(name, ci)
	active := htmlActiveElement(bytesToString(local))
	// a form, meta or base element with attributes: what it does in
	// HTML (a form posting elsewhere, a refresh, a base address) needs
	// no script; without attributes it does nothing
	nav := !active && htmlNavElement(bytesToString(local))
	start := j
	b := p.b
	for {
		// The common attribute, ' name="value"' with a name of name
		// bytes and no colon and a short value with nothing to decode,
		// and the tag's '>', read in line: what xmlAttr and the general
		// path below read of them.
		if j+1 < len(b) && b[j] == ' ' && xmlNameClass[b[j+1]] == nameStart && !noXMLAttrInline {
			q := j + 2
			for q < len(b) && xmlNameClass[b[q]]-nameStart < 2 { // (nameStart or nameByte)
				q++
			}
			if q+1 < len(b) && b[q] == '=' && b[q+1] == '"' {
				k, stop := q+2, min(len(b), q+2+32)
				for k < stop && !attrValMark[b[k]] {
					k++
				}
				if k < stop && b[k] == '"' && string(b[j+1:q]) != "xmlns" {
					p.attr0, p.attr1 = j+1, q
					p.value(b[q+2 : k])
					if q-j > 3 && b[j+1]|0x20 == 'o' && b[j+2]|0x20 == 'n' {
						active = true // (an on* name: see below)
					}
					p.attr1 = 0
					j = k + 1
					continue
				}
			}
		} else if j < len(b) && b[j] == '>' && !noXMLAttrInline {
			if active || nav && j > start {
				p.htmlTag(name, start)
			}
			return j + 1, false, true
		}
		n0, n1, ci, v0, v1, kind, k := xmlAttr(p.b, j)
		switch kind {
		case attrBad:
			return 0, false, false
		case attrEnd, attrEmpty:
			if active || nav && j > start {
				p.htmlTag(name, start)
			}
			return k, kind == attrEmpty, true
		}
		j = k
		val := p.b[v0:v1]
		if kind == attrDecode {
			if p.val, ok = p.decode(p.val[:0], val, false, false); !ok {
				return 0, false, false
			}
			val = p.val
		}
		an := p.b[n0:n1]
		p.attr0, p.attr1 = n0, n1
		space, local := splitAt(an, ci)
		if string(space) == "xmlns" || (space == nil && string(local) == "xmlns") {
			if string(bytes.TrimSpace(val)) == xinclude {
				v := string(val)
				p.s.finding("xxe.xinclude", XXE, p.locFn, v, "xmlns="+v)
			}
		} else {
			p.value(val)
			if len(local) > 2 && local[0]|0x20 == 'o' && local[1]|0x20 == 'n' {
				// (strings.EqualFold of the two bytes and "on": no
				// other rune folds to 'o' or 'n')
				active = true
			}
		}
		p.attr1 = 0
	}
}

// noXMLAttrInline makes attrs read every attribute with xmlAttr (a test
// hook: FuzzXMLAttrInline compares both).
var noXMLAttrInline = false

// htmlTag inspects what an HTML renderer would make of the start tag
// whose attributes start at j: "<name a="v" ...>" without namespace
// declarations, for the XSS rules only.
func (p *xmlScan) htmlTag(name []byte, j int) {
	t := append(p.tag[:0], '<')
	t = append(t, xmlLocal(name)...)
	for {
		n0, n1, ci, v0, v1, kind, k := xmlAttr(p.b, j)
		if kind != attrQuoted && kind != attrDecode && kind != attrBare {
			break
		}
		j = k
		space, local := splitAt(p.b[n0:n1], ci)
		if string(space) == "xmlns" || string(local) == "xmlns" {
			continue
		}
		val := p.b[v0:v1]
		if kind == attrDecode {
			var ok bool
			if p.val, ok = p.decode(p.val[:0], val, false, false); !ok {
				return
			}
			val = p.val
		}
		t = append(t, ' ')
		t = append(t, local...)
		t = append(t, '=')
		t = strconv.AppendQuote(t, bytesToString(val))
	}
	t = append(t, '>')
	p.tag = t
	tag := bytesToString(t)
	ms := p.s.g.det.Scan(p.s.buf[:0], tag, detect.Input{})
	for i := range ms {
		if ms[i].Category == XSS {
			p.s.finding(ms[i].Rule, XSS, p.locFn, tag, ms[i].Fragment)
		}
	}
}

// Kinds of what xmlAttr read.
const (
	attrBad    = iota // malformed tag
	attrEnd           // '>'
	attrEmpty         // "/>"
	attrQuoted        // name="value" with nothing to decode in the value
	attrDecode        // name="value" with references or CRs in the value
	attrBare          // name=value or a lone name: the value is as it stands
)

// xmlAttr reads, after optional white space at b[j:], one attribute of a
// start tag or the tag's end. Like encoding/xml's non-strict Decoder, a
// name without '=' has itself (its local part) as its value, and an
// unquoted value is a run of letters, digits, '_', ':' and '-'. The name
// is b[n0:n1], ci the offset of its colon in it (-1 when it has none),
// the value b[v0:v1] (offsets, not slices: they are returned in
// registers).
func xmlAttr(b []byte, j int) (n0, n1, ci, v0, v1, kind, next int) {
	// The common form, ' name="' with a name of name bytes and no colon,
	// read in line: what the general path below reads of it.
	if j+1 < len(b) && b[j] == ' ' && xmlNameClass[b[j+1]] == nameStart {
		q := j + 2
		for q < len(b) && xmlNameClass[b[q]]-nameStart < 2 { // (nameStart or nameByte)
			q++
		}
		if q+1 < len(b) && b[q] == '=' && (b[q+1] == '"' || b[q+1] == '\'') {
			return xmlAttrQuoted(b, j+1, q, -1, q+1)
		}
	}
	j = skipXMLSpace(b, j)
	if j >= len(b) {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	switch b[j] {
	case '>':
		return 0, 0, -1, 0, 0, attrEnd, j + 1
	case '/':
		if j+1 < len(b) && b[j+1] == '>' {
			return 0, 0, -1, 0, 0, attrEmpty, j + 2
		}
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	n, c, ok := xmlQName(b, j)
	if !ok {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	n0, n1, ci = j, n, -1
	if c >= 0 {
		ci = c - j
	}
	j = skipXMLSpace(b, n)
	if j >= len(b) {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	if b[j] != '=' {
		v0 = n0
		if ci > 0 && ci < n1-n0-1 {
			v0 = n0 + ci + 1 // the local part (splitAt)
		}
		return n0, n1, ci, v0, n1, attrBare, j
	}
	j = skipXMLSpace(b, j+1)
	if j >= len(b) {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	if q := b[j]; q == '"' || q == '\'' {
		return xmlAttrQuoted(b, n0, n1, ci, j)
	}
	k := j
	for k < len(b) && (isASCIIAlnum(b[k]) || b[k] == '_' || b[k] == ':' || b[k] == '-') {
		k++
	}
	return n0, n1, ci, j, k, attrBare, k
}

// xmlAttrQuoted is xmlAttr past the name b[n0:n1] and its '=', for a
// value quoted at b[j].
func xmlAttrQuoted(b []byte, n0, n1, ci, j int) (int, int, int, int, int, int, int) {
	// The value is read to its closing quote, noting a '<' (not allowed)
	// and what needs decoding on the way: byte by byte while it is short
	// (most are), else with IndexByte.
	q, kind := b[j], attrQuoted
	k, stop := j+1, min(len(b), j+1+32)
	for ; k < stop; k++ {
		c := b[k]
		if !attrValMark[c] {
			continue
		}
		switch c {
		case q:
			return n0, n1, ci, j + 1, k, kind, k + 1
		case '<':
			return 0, 0, -1, 0, 0, attrBad, 0
		case '&', '\r':
			kind = attrDecode
		}
	}
	e := bytes.IndexByte(b[k:], q)
	if e < 0 {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	if bytes.IndexByte(b[k:k+e], '<') >= 0 {
		return 0, 0, -1, 0, 0, attrBad, 0
	}
	if kind == attrQuoted && needsDecode(b[k:k+e], false) {
		kind = attrDecode
	}
	return n0, n1, ci, j + 1, k + e, kind, k + e + 1
}

// attrValMark marks the bytes xmlAttr looks at in a quoted value: the
// quotes, '<' and what needs decoding.
var attrValMark = [256]bool{'"': true, '\'': true, '<': true, '&': true, '\r': true}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// cdataCloseIn reports whether raw has a "]]>": each '>' of it is looked
// at (text seldom has one).
func cdataCloseIn(raw []byte) bool {
	for k := 0; ; k++ {
		j := bytes.IndexByte(raw[k:], '>')
		if j < 0 {
			return false
		}
		if k += j; k >= 2 && raw[k-1] == ']' && raw[k-2] == ']' {
			return true
		}
	}
}

// addText adds a piece of the current element's text: raw character data
// (entity references decoded) or a CDATA section (taken as it is). The
// text of an element is inspected as one string when the element ends or
// another one starts; while it is one piece that needs no decoding, it is
// inspected where it lies in the body.
func (p *xmlScan) addText(raw []byte, atEOF, cdata bool) bool {
	cr, amp := bytes.IndexByte(raw, '\r'), -1
	if !cdata {
		amp = bytes.IndexByte(raw, '&')
	}
	dec := cr >= 0 || amp >= 0
	if !p.multi && p.seg == nil && !dec {
		p.seg = raw
		return true
	}
	if !p.multi {
		p.text = p.text[:0]
		if p.seg != nil {
			p.text = append(p.text, p.seg...)
		}
		p.seg, p.multi = nil, true
	}
	var ok bool
	if !dec {
		p.text = append(p.text, raw...)
		return true
	}
	p.text, ok = p.decodeAt(p.text, raw, atEOF, cdata, cr, amp)
	return ok
}

// outsideText checks that character data outside the root element is
// white space (after decoding, as encoding/xml reads it).
func (p *xmlScan) outsideText(raw []byte, atEOF bool) bool {
	t := raw
	if needsDecode(raw, false) {
		var ok bool
		if p.val, ok = p.decode(p.val[:0], raw, atEOF, false); !ok {
			return false
		}
		t = p.val
	}
	return len(bytes.TrimSpace(t)) == 0
}

// flush inspects the current element's text, if any.
func (p *xmlScan) flush() {
	t := p.seg
	if p.multi {
		t = p.text
	}
	p.seg, p.multi = nil, false
	if len(t) > 0 && !(asciiVisible(t[0]) && asciiVisible(t[len(t)-1])) {
		t = bytes.TrimSpace(t) // (a text that starts and ends visibly is as it is)
	}
	if len(t) > 0 {
		p.value(t)
	}
}

// asciiVisible reports an ASCII byte that is no white space (nor a
// control byte): bytes.TrimSpace stops at it.
func asciiVisible(c byte) bool { return ' ' < c && c < 0x7f }

// decode appends raw character data to dst as encoding/xml's non-strict
// Decoder reads it: CR LF and lone CR become LF and, outside CDATA, the
// five predefined entities and character references are replaced while
// any other '&' stays as it is. It reports false for what encoding/xml
// refuses: a character reference to a character XML does not allow, or a
// reference cut by the end of the document (atEOF: raw ends there).
func (p *xmlScan) decode(dst, raw []byte, atEOF, cdata bool) ([]byte, bool) {
	cr, amp := bytes.IndexByte(raw, '\r'), -1
	if !cdata {
		amp = bytes.IndexByte(raw, '&')
	}
	return p.decodeAt(dst, raw, atEOF, cdata, cr, amp)
}

// decodeAt is decode for a caller that found the first CR and (outside
// CDATA) '&' of raw at cr and amp (-1: none; amp is -1 in CDATA).
func (p *xmlScan) decodeAt(dst, raw []byte, atEOF, cdata bool, cr, amp int) ([]byte, bool) {
	if cr < 0 && amp >= 0 && !cdata {
		// references and no CR (most texts that need decoding): the runs
		// between the references are copied as they are
		i := 0
		for {
			if i < amp {
				dst = append(dst, raw[i:amp]...)
			}
			i = amp
			n, r, st := xmlRef(raw[i:])
			switch {
			case st == refBad, st == refCut && atEOF:
				return dst, false
			case st == refOK && r < utf8.RuneSelf:
				dst = append(dst, byte(r))
				i += n
			case st == refOK:
				dst = utf8.AppendRune(dst, r)
				i += n
			default:
				dst = append(dst, '&')
				i++
			}
			if i < len(raw) && raw[i] == '&' {
				amp = i // (references in a row)
				continue
			}
			k := bytes.IndexByte(raw[i:], '&')
			if k < 0 {
				return append(dst, raw[i:]...), true
			}
			amp = i + k
		}
	}
	// cr and amp are the first CR and '&' at or after the run being
	// copied, len(raw) when there is none (found again when passed): the
	// runs between them are copied as they are.
	if cr < 0 {
		cr = len(raw)
	}
	if amp < 0 {
		amp = len(raw)
	}
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '&' && !cdata:
			n, r, st := xmlRef(raw[i:])
			switch {
			case st == refBad, st == refCut && atEOF:
				return dst, false
			case st == refOK && r < utf8.RuneSelf:
				dst = append(dst, byte(r))
				i += n
			case st == refOK:
				dst = utf8.AppendRune(dst, r)
				i += n
			default:
				dst = append(dst, '&')
				i++
			}
		case c == '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			i++
		default:
			if cr < i {
				cr = indexFrom(raw, '\r', i)
			}
			if amp < i {
				amp = indexFrom(raw, '&', i)
			}
			j := min(cr, amp)
			dst = append(dst, raw[i:j]...)
			i = j
		}
	}
	return dst, true
}

// indexFrom is the offset of the first c in b[i:], len(b) when there is
// none.
func indexFrom(b []byte, c byte, i int) int {
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return len(b)
}

// needsDecode reports whether raw character data reads as something else:
// it has a CR or, outside CDATA, a reference.
func needsDecode(raw []byte, cdata bool) bool {
	return bytes.IndexByte(raw, '\r') >= 0 || !cdata && bytes.IndexByte(raw, '&') >= 0
}

// What xmlRef read.
const (
	refRaw = iota // an '&' that stays as it is
	refOK         // a reference to r, n bytes long
	refBad        // a reference to a character XML does not allow
	refCut        // a reference cut by the end of s
)

// xmlRef reads the reference at the start of s ("&..."): its length and
// the character it stands for when it is a predefined entity or a
// character reference.
func xmlRef(s []byte) (n int, r rune, st int) {
	// The predefined entities a document is made of, read without the
	// general path below (which reads them the same way).
	if len(s) >= 4 {
		switch {
		case s[3] == ';' && s[2] == 't' && (s[1] == 'l' || s[1] == 'g'):
			if s[1] == 'l' {
				return 4, '<', refOK
			}
			return 4, '>', refOK
		case len(s) >= 5 && s[4] == ';' && s[1] == 'a' && s[2] == 'm' && s[3] == 'p':
			return 5, '&', refOK
		}
	}
	i := 1
	if i >= len(s) {
		return 0, 0, refCut
	}
	if s[i] == '#' {
		i++
		hex := i < len(s) && s[i] == 'x'
		if hex {
			i++
		}
		// The value, read as strconv.ParseUint(digits, base, 64) would:
		// no digits or a value over utf8.MaxRune leave the '&' as it is.
		start := i
		var v uint32
		big := false
		for ; i < len(s); i++ {
			c := s[i]
			var d byte
			switch {
			case '0' <= c && c <= '9':
				d = c - '0'
			case hex && 'a' <= c && c <= 'f':
				d = c - 'a' + 10
			case hex && 'A' <= c && c <= 'F':
				d = c - 'A' + 10
			default:
				goto end
			}
			if !big {
				if hex {
					v = v<<4 | uint32(d)
				} else {
					v = v*10 + uint32(d)
				}
				big = v > utf8.MaxRune
			}
		}
	end:
		if i >= len(s) {
			return 0, 0, refCut
		}
		if s[i] != ';' {
			return 0, 0, refRaw
		}
		if i == start || big {
			return 0, 0, refRaw
		}
		r = rune(v)
		if 0xD800 <= r && r <= 0xDFFF {
			r = utf8.RuneError // what string(rune(v)) gives
		}
		if !xmlCharOK(r) {
			return 0, 0, refBad
		}
		return i + 1, r, refOK
	}
	end := xmlNameEnd(s, i)
	if end >= len(s) {
		return 0, 0, refCut
	}
	if s[end] != ';' {
		return 0, 0, refRaw
	}
	switch string(s[i:end]) {
	case "lt":
		r = '<'
	case "gt":
		r = '>'
	case "amp":
		r = '&'
	case "apos":
		r = '\''
	case "quot":
		r = '"'
	default:
		return 0, 0, refRaw
	}
	return end + 1, r, refOK
}

// xmlCharOK reports the characters XML 1.0 allows (its Char production).
func xmlCharOK(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// xmlChars reports whether b is valid UTF-8 of characters XML allows:
// no control characters but tab, LF and CR, no U+FFFE/U+FFFF.
func xmlChars(b []byte) bool {
	for i := 0; i < len(b); {
		// 32, then 16, then eight bytes at a time while they are all
		// printable ASCII (no byte under 0x20 or over 0x7f).
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		for i+32 <= len(b) {
			w := b[i : i+32]
			x, y := binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])
			u, v := binary.LittleEndian.Uint64(w[16:]), binary.LittleEndian.Uint64(w[24:])
			if (x|y|u|v)&highs != 0 || ((x-0x20*ones)&^x|(y-0x20*ones)&^y|(u-0x20*ones)&^u|(v-0x20*ones)&^v)&highs != 0 {
				break // a byte over 0x7f, or one under 0x20
			}
			i += 32
		}
		for i+16 <= len(b) {
			x, y := binary.LittleEndian.Uint64(b[i:]), binary.LittleEndian.Uint64(b[i+8:])
			if (x|y)&highs != 0 || ((x-0x20*ones)&^x|(y-0x20*ones)&^y)&highs != 0 {
				break // a byte over 0x7f, or one under 0x20
			}
			i += 16
		}
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			if x&highs != 0 || (x-0x20*ones)&^x&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !xmlCharOK(r) {
			return false
		}
		i += n
	}
	return true
}

// xmlDeclOK checks an XML declaration's content as encoding/xml does:
// version 1.0 (or none) and no encoding other than UTF-8 (a document in
// another encoding is not read as XML here).
func xmlDeclOK(content []byte) bool {
	c := bytesToString(content)
	if v := xmlDeclParam("version", c); v != "" && v != "1.0" {
		return false
	}
	if e := xmlDeclParam("encoding", c); e != "" && !strings.EqualFold(e, "utf-8") {
		return false
	}
	return true
}

// xmlDeclParam finds param="value" (or 'value') in a declaration.
func xmlDeclParam(param, s string) string {
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], param+"=")
		if k < 0 || i+k+len(param)+1 >= len(s) {
			return ""
		}
		i += k + len(param) + 1
		if q := s[i]; q == '"' || q == '\'' {
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				return ""
			}
			return s[i+1 : i+1+j]
		}
	}
	return ""
}

func skipXMLSpace(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// xmlNameEnd returns the end of the run of name bytes at b[i:] (ASCII name
// characters and any non-ASCII byte, which xmlName checks).
func xmlNameEnd(b []byte, i int) int {
	for i < len(b) && xmlNameByte[b[i]] {
		i++
	}
	return i
}

// xmlNameByte marks the bytes xmlNameEnd reads as part of a name.
var xmlNameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = b >= utf8.RuneSelf || isASCIIAlnum(b) || b == '_' || b == ':' || b == '.' || b == '-'
	}
	return t
}()

// xmlName reports whether n is an XML name: it does not start with a
// digit, '.' or '-' (non-ASCII names are taken as names; the document was
// checked to be valid UTF-8).
func xmlName(n []byte) bool {
	if len(n) == 0 {
		return false
	}
	c := n[0]
	return c >= utf8.RuneSelf || c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// xmlQName reads the run of name bytes at b[i:] (xmlNameEnd) and checks
// that it is xmlName with at most one ':' (a prefixed name). It returns
// the end of the run and the offset of its colon (-1 when it has none);
// not ok (and an end short of the run's) when it is no such name.
func xmlQName(b []byte, i int) (end, colonAt int, ok bool) {
	if i >= len(b) || xmlNameClass[b[i]]&nameStart == 0 {
		return i, -1, false // (the run's end: only the callers' error paths read it)
	}
	colonAt = -1
	j := i + 1
	for ; j < len(b); j++ {
		t := xmlNameClass[b[j]]
		if t == 0 {
			break
		}
		if t == nameColon {
			if colonAt >= 0 || b[i] == ':' {
				return j, colonAt, false // a second colon
			}
			colonAt = j
		}
	}
	if b[i] == ':' {
		colonAt = i
	}
	return j, colonAt, true
}

// What xmlNameClass says of a byte: no name byte (0), a byte a name may
// start with (xmlName), another name byte, ':' (which is both: it has
// nameStart's bit).
const (
	nameStart = 1
	nameByte  = 2
	nameColon = 3
)

var xmlNameClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case c == ':':
			t[c] = nameColon
		case xmlName([]byte{byte(c)}):
			t[c] = nameStart
		case xmlNameByte[c]:
			t[c] = nameByte
		}
	}
	return t
}()

// colon is bytes.IndexByte(n, ':') for names, most of which are a few
// bytes long: a loop costs less than the call for them.
func colon(n []byte) int {
	if len(n) > 16 {
		return bytes.IndexByte(n, ':')
	}
	for i, c := range n {
		if c == ':' {
			return i
		}
	}
	return -1
}

// xmlSplit splits a qualified name at its colon: the prefix is nil when
// there is none (or the colon is first or last, which makes the colon part
// of the local name).
func xmlSplit(q []byte) (space, local []byte) {
	return splitAt(q, colon(q))
}

// splitAt is xmlSplit of a name whose colon is at k (-1: none).
func splitAt(q []byte, k int) (space, local []byte) {
	if k > 0 && k < len(q)-1 {
		return q[:k], q[k+1:]
	}
	return nil, q
}

func xmlLocal(q []byte) []byte {
	_, l := xmlSplit(q)
	return l
}

// htmlActiveElement names the elements that run script or embed active
// content when a document is rendered as HTML (other elements are active
// through on* attributes, checked separately, or URL values, inspected as
// values). Atom's link and SVG's own elements are ordinary XML.
// htmlNavElement reports the HTML elements whose attributes alone send
// the reader elsewhere: form (action), meta (http-equiv refresh), base
// (href).
//
// It is strings.EqualFold with each of the three names: the only runes
// outside ASCII that fold to an ASCII letter are U+212A (k) and U+017F
// (s), so a name of four bytes matches in ASCII case only (its four bytes
// with the case bit set are the lower-case name) and one of five bytes
// only as "baſe" (TestHTMLNavElement).
func htmlNavElement(local string) bool {
	switch len(local) {
	case 4:
		x := binary.LittleEndian.Uint32(unsafe.Slice(unsafe.StringData(local), 4)) | 0x20202020
		return x == navForm || x == navMeta || x == navBase
	case 5:
		return strings.EqualFold(local, "base")
	}
	return false
}

// The names of htmlNavElement as little-endian words.
const (
	navForm = 'f' | 'o'<<8 | 'r'<<16 | 'm'<<24
	navMeta = 'm' | 'e'<<8 | 't'<<16 | 'a'<<24
	navBase = 'b' | 'a'<<8 | 's'<<16 | 'e'<<24
)

func htmlActiveElement(local string) bool {
	switch len(local) {
	case 5:
		return strings.EqualFold(local, "frame") || strings.EqualFold(local, "embed")
	case 6:
		return strings.EqualFold(local, "script") || strings.EqualFold(local, "iframe") || strings.EqualFold(local, "object") || strings.EqualFold(local, "applet")
	case 8:
		return strings.EqualFold(local, "frameset")
	}
	return false
}
