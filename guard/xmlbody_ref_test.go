package guard

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/fnguard/fnguard/guard/detect"
)

// xmlBodyRef is the encoding/xml implementation xmlBody replaced, kept as
// the oracle of FuzzXMLScanner. xmlBody inspects an XML document by its parts: text and attribute values
// are strings like any other (located at loc.Envelope.Body.order.note and
// loc.order.@id); the prolog's DOCTYPE and processing instructions are
// judged with the XML rules (external DTDs, entities, stylesheets);
// namespace declarations are names, not markup, except the XInclude
// namespace. HTML rules never run on XML markup — only an element or
// attribute that is active in HTML (script, iframe, on* handlers ...) is
// shown to them, as the HTML it would be. It returns false, having
// inspected nothing, when body is not well-formed XML (the caller judges
// it as text).
func (s *scanner) xmlBodyRef(loc string, body []byte) bool {
	i := 0
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n') {
		i++
	}
	if strings.HasPrefix(bytesToString(body[i:]), "\uFEFF") {
		i += 3
	}
	if i >= len(body) || body[i] != '<' {
		return false
	}
	// One pass: when the document turns out malformed, what was reported
	// is dropped and the caller judges the whole body as text.
	nf, status, reason := len(s.findings), s.status, s.reason
	malformed := func() bool {
		s.findings, s.status, s.reason = s.findings[:nf], status, reason
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false // undeclared entities (&nbsp;) stay as text
	path := make([]byte, 0, 64)
	var stack []xml.Name
	var depthLens []int
	elems, roots := 0, 0
	locFn := func(dst []byte) []byte {
		dst = s.appendRecord(dst)
		dst = append(dst, loc...)
		return append(dst, path...)
	}
	var text []byte // text of the current element, joined across CDATA/entity splits
	flush := func() {
		if t := bytes.TrimSpace(text); len(t) > 0 {
			s.scanString(bytesToString(t), inValue, locFn)
		}
		text = text[:0]
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return malformed()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			if len(stack) == 0 {
				if roots++; roots > 1 {
					return malformed()
				}
			}
			if elems++; elems > s.g.limits.MaxElements && s.g.limits.MaxElements > 0 {
				s.findings, s.status, s.reason = s.findings[:nf], status, reason
				s.reject(413, "validation.too_many_elements", loc, fmt.Sprintf("%s: more than %d XML elements (FNGUARD_MAX_ELEMENTS)", s.at(loc), s.g.limits.MaxElements))
				return true
			}
			stack = append(stack, t.Name)
			depthLens = append(depthLens, len(path))
			path = append(path, '.')
			path = append(path, t.Name.Local...)
			s.xmlAttrsRef(t, &path, locFn)
		case xml.EndElement:
			flush()
			n := len(stack)
			if n == 0 || stack[n-1] != t.Name {
				return malformed()
			}
			stack = stack[:n-1]
			path = path[:depthLens[n-1]]
			depthLens = depthLens[:n-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return malformed()
				}
				continue
			}
			text = append(text, t...)
		case xml.Directive:
			flush()
			s.scanString("<!"+string(t)+">", detect.Input{XML: true}, locFn)
		case xml.ProcInst:
			flush()
			if t.Target != "xml" {
				s.scanString("<?"+t.Target+" "+string(t.Inst)+"?>", detect.Input{XML: true}, locFn)
			}
		case xml.Comment:
			// Not passed on to the application, but a server-side
			// include directive's comment is judged.
			if len(t) > 0 && t[0] == '#' {
				s.scanString("<!--"+string(t)+"-->", detect.Input{}, locFn)
			}
		}
	}
	if roots != 1 || len(stack) != 0 {
		return malformed()
	}
	return true
}

// xmlAttrs inspects the attribute values of a start tag.
func (s *scanner) xmlAttrsRef(t xml.StartElement, path *[]byte, locFn func([]byte) []byte) {
	base := len(*path)
	active := htmlActiveElement(t.Name.Local)
	for _, a := range t.Attr {
		*path = append(append((*path)[:base], ".@"...), a.Name.Local...)
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			if strings.TrimSpace(a.Value) == xinclude {
				s.finding("xxe.xinclude", XXE, locFn, a.Value, "xmlns="+a.Value)
			}
			continue // a namespace name: an identifier, never fetched or rendered
		}
		s.scanString(a.Value, inValue, locFn)
		if len(a.Name.Local) > 2 && strings.EqualFold(a.Name.Local[:2], "on") {
			active = true
		}
	}
	*path = (*path)[:base]
	if active {
		// What an HTML renderer would make of this element.
		var b strings.Builder
		b.WriteByte('<')
		b.WriteString(t.Name.Local)
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
				continue
			}
			fmt.Fprintf(&b, " %s=%q", a.Name.Local, a.Value)
		}
		b.WriteByte('>')
		tag := b.String()
		ms := s.g.det.Scan(s.buf[:0], tag, detect.Input{})
		for i := range ms {
			if ms[i].Category == XSS {
				s.finding(ms[i].Rule, XSS, locFn, tag, ms[i].Fragment)
			}
		}
	}
}
