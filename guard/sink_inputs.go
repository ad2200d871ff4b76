package guard

import (
	"mime"
	"path/filepath"
	"strings"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// sinkInput is one client-controlled string of the attached invocation.
// val aliases the invocation (or is a fresh string for JSON strings with
// escapes); it is only read while the scope is open. seq numbers the inputs
// in enumeration order, so that a finding's location is rendered only when
// a finding needs it, by enumerating again.
type sinkInput struct {
	val string
	seq int32
	rec int32
}

// where tells where an enumerated string is, enough to render its location.
type where struct {
	prefix  string
	name    string
	hasName bool
	path    *jsontree.Path // inside a JSON document whose location is prefix
}

// enumerator lists the inputs of an invocation, in the same order every
// time: to collect them (locate < 0) or to render the location of the
// input numbered locate.
type enumerator struct {
	s      *scope
	seq    int32
	rec    int32
	locate int32
	loc    string
	done   bool
	root   string
	visit  func(p *jsontree.Path, v string, key bool) error
}

// collect fills s.inputs; called once per scope, on the first check.
func (s *scope) collect() {
	s.inputs = make([]sinkInput, 0, 24) // a small event's inputs, at once
	e := enumerator{s: s, locate: -1}
	e.run()
}

// location renders the location of input i, with "records[n]." in front
// for a record's inputs.
func (s *scope) location(i int) string {
	if i < 0 || i >= len(s.inputs) {
		return "event"
	}
	e := enumerator{s: s, locate: s.inputs[i].seq}
	e.run()
	if e.loc == "" {
		return "event"
	}
	return e.loc
}

func (e *enumerator) emit(v string, w where) {
	if e.done {
		return
	}
	seq := e.seq
	e.seq++
	if len(v) < MinSinkInput {
		return
	}
	if e.locate < 0 {
		e.s.inputs = append(e.s.inputs, sinkInput{val: v, seq: seq, rec: e.rec})
		return
	}
	if seq != e.locate {
		return
	}
	var b []byte
	if e.rec >= 0 {
		b = append(b, "records["...)
		b = appendInt(b, int(e.rec))
		b = append(b, "]."...)
	}
	if w.path != nil {
		b = w.path.AppendTo(b, w.prefix)
	} else {
		b = append(b, w.prefix...)
		if w.hasName {
			b = appendParamKey(b, w.name)
		}
	}
	e.loc = strings.ToValidUTF8(string(b), "\uFFFD")
	e.done = true
}

func appendInt(b []byte, n int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

func (e *enumerator) run() {
	inv := e.s.inv
	e.rec = -1
	if inv.Path != "" {
		e.emit(inv.Path, where{prefix: "path"})
	}
	e.params("query", inv.Query)
	for i := range inv.Headers {
		h := &inv.Headers[i]
		if headerConforms(h.Name, h.Value) { // a value of its header's grammar carries no injection
			continue
		}
		e.emit(h.Value, where{prefix: "headers", name: h.Name, hasName: true})
	}
	e.params("cookies", inv.Cookies)
	e.params("pathParameters", inv.PathParams)
	e.fields(inv.Fields)
	if len(inv.Body) > 0 {
		e.body("body", inv.Body, inv.ContentType, 0)
	}
	for i := range inv.Records {
		if e.done {
			return
		}
		r := &inv.Records[i]
		e.rec = int32(i)
		e.fields(r.Fields)
		if len(r.Body) > 0 {
			e.body("body", r.Body, r.ContentType, 0)
		}
	}
	e.rec = -1
}

func (e *enumerator) params(prefix string, ps []Param) {
	for i := range ps {
		e.emit(ps[i].Value, where{prefix: prefix, name: ps[i].Name, hasName: true})
	}
}

func (e *enumerator) fields(fs []Field) {
	for i := range fs {
		f := &fs[i]
		if f.JSON {
			e.json(f.Loc, []byte(f.Value), true)
			continue
		}
		e.emit(f.Value, where{prefix: f.Loc})
	}
}

// body enumerates a body as Inspect reads it: JSON strings, form values,
// multipart parts, or the whole text.
func (e *enumerator) body(loc string, body []byte, ctype string, depth int) {
	mt := mediaType(ctype)
	switch {
	case mt == "application/x-www-form-urlencoded":
		e.form(loc, body)
	case mt == "multipart/form-data" && depth == 0:
		e.multipart(loc, body, ctype)
	case isBinaryType(mt):
	case isJSONType(mt) || looksJSON(body):
		e.json(loc, body, false)
	default:
		e.emit(bytesToString(body), where{prefix: loc})
	}
}

// json enumerates a document's string values; a document that does not
// parse is one text input.
func (e *enumerator) json(loc string, doc []byte, strict bool) {
	if e.visit == nil {
		e.visit = func(p *jsontree.Path, v string, key bool) error {
			if key {
				return nil
			}
			e.emit(v, where{prefix: e.root, path: p})
			return nil
		}
	}
	start := e.seq
	e.root = loc
	err := jsontree.Walk(doc, e.s.g.limits, e.visit)
	if err != nil && e.seq == start && !strict {
		e.emit(bytesToString(doc), where{prefix: loc})
	}
}

func (e *enumerator) form(loc string, body []byte) {
	rest := bytesToString(body)
	for n := 0; rest != "" && n < e.s.g.limits.MaxElements; n++ {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(pair, "=")
		e.emit(formUnescape(v), where{prefix: loc, name: formUnescape(k), hasName: true})
	}
}

func (e *enumerator) multipart(loc string, body []byte, ctype string) {
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil || params["boundary"] == "" {
		return
	}
	mr := newMPReader(body, params["boundary"])
	var part mpPart
	for n := 0; n < e.s.g.limits.MaxElements; n++ {
		ok, err := mr.next(&part)
		if !ok {
			return
		}
		dtype, name, fn, _ := disposition(part.disposition)
		if dtype != "form-data" {
			name = "" // Part.FormName
		}
		if fn != "" {
			e.emit(filepath.Base(fn), where{prefix: loc, name: name + ".filename", hasName: true}) // Part.FileName
		}
		if err != nil {
			return // a part not closed by a delimiter: not read
		}
		data := part.data
		if int64(len(data)) > e.s.g.maxBody {
			data = data[:e.s.g.maxBody+1]
		}
		pt := part.ctype
		if pt == "" {
			pt = "text/plain"
		}
		e.body(string(appendParamKey([]byte(loc), name)), data, pt, 1)
	}
}
