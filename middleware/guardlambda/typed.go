package guardlambda

import (
	"context"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// Decoding once (issue 20). A typed handler wrapped by Wrap needs its event
// decoded into TIn; the adapter has already parsed, validated and inspected
// the same payload into a jsontree.Doc, so decoding it again with
// encoding/json (a second scan of every byte plus reflection per token) is
// the largest avoidable cost of a wrapped invocation. typedPlan fills TIn
// from the parsed tree instead, with encoding/json's rules for the shapes
// Lambda events use (strings, bools, numbers, nested structs, pointers,
// slices, maps with string keys, interface{} values), and gives up (the
// caller falls back to json.Unmarshal) at anything else: a member that
// matches a field only case-insensitively, a type with its own
// UnmarshalJSON/UnmarshalText, []byte, a number that does not fit, a JSON
// type that is not the field's. So the handler receives exactly what
// json.Unmarshal would give it (FuzzTypedDecode compares the two).
//
// Strings are the handler's own: those without escapes point into one
// private copy of the payload (made on first use), the others are copied.

// pkind is what a plan decodes.
type pkind uint8

const (
	pUnsupported pkind = iota
	pString
	pBool
	pInt
	pUint
	pFloat
	pStruct
	pPtr
	pSlice
	pMap // string keys
	pAny // interface{}
)

type plan struct {
	kind   pkind
	t      reflect.Type
	elem   *plan // pPtr, pSlice, pMap
	fields []fieldPlan
}

type fieldPlan struct {
	name  string
	index int
	p     *plan
	ascii bool // name is all ASCII (see mayFold)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonNumber      = reflect.TypeFor[json.Number]()
)

// planFor builds the decoding plan of t (nil when t's top level cannot be
// decoded from a tree: the typed handler then always uses json.Unmarshal).
func planFor(t reflect.Type) *plan {
	p := buildPlan(t, make(map[reflect.Type]*plan, 64))
	if p.kind == pUnsupported {
		return nil
	}
	return p
}

func buildPlan(t reflect.Type, seen map[reflect.Type]*plan) *plan {
	if p, ok := seen[t]; ok {
		return p // recursive types share their plan
	}
	p := &plan{t: t}
	seen[t] = p
	if t == jsonNumber || t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) {
		return p
	}
	// *T has more methods than T only when T is a named type (pointer
	// receivers) or a struct (promoted pointer methods of embedded
	// fields); otherwise the method sets are the same, and PointerTo (a
	// locked cache, often a new type) is skipped: this runs at Wrap, in
	// the function's init.
	if t.Name() != "" || t.Kind() == reflect.Struct {
		if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
			return p
		}
	}
	switch t.Kind() {
	case reflect.String:
		p.kind = pString
	case reflect.Bool:
		p.kind = pBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = pInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = pUint
	case reflect.Float32, reflect.Float64:
		p.kind = pFloat
	case reflect.Interface:
		if t.NumMethod() == 0 {
			p.kind = pAny
		}
	case reflect.Pointer:
		p.kind, p.elem = pPtr, buildPlan(t.Elem(), seen)
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 { // []byte is base64 in encoding/json
			p.kind, p.elem = pSlice, buildPlan(t.Elem(), seen)
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && t.Key() == reflect.TypeFor[string]() {
			p.kind, p.elem = pMap, buildPlan(t.Elem(), seen)
		}
	case reflect.Struct:
		p.kind = pStruct
		p.fields = make([]fieldPlan, 0, t.NumField())
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				p.kind = pUnsupported // embedded fields promote members: encoding/json's rules are richer
				return p
			}
			if !f.IsExported() {
				continue
			}
			name := f.Name
			tag, hasTag := jsonTag(f.Tag)
			if hasTag {
				n, opts, _ := strings.Cut(tag, ",")
				if tag == "-" {
					continue
				}
				if isValidTag(n) {
					name = n // encoding/json ignores an invalid tag name
				}
				if hasOption(opts, "string") {
					p.kind = pUnsupported // the ",string" option
					return p
				}
			}
			ascii := isASCII(name)
			for _, g := range p.fields {
				if mayFold(g.name, g.ascii, name, ascii) && strings.EqualFold(g.name, name) {
					p.kind = pUnsupported // fields that fold together: encoding/json's tie rules
					return p
				}
			}
			p.fields = append(p.fields, fieldPlan{name: name, index: i, p: buildPlan(f.Type, seen), ascii: ascii})
		}
	}
	return p
}

// treeDecoder decodes one payload.
type treeDecoder struct {
	payload []byte
	own     string // private copy of payload, made on first use
}

// str returns s (taken from the tree of payload) as a string the handler
// owns.
func (d *treeDecoder) str(s string) string {
	if len(s) == 0 || len(d.payload) == 0 {
		return strings.Clone(s)
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(d.payload)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if p < base || p+uintptr(len(s)) > base+uintptr(len(d.payload)) {
		return strings.Clone(s) // unescaped into the Doc's buffer
	}
	if d.own == "" {
		d.own = string(d.payload)
	}
	off := p - base
	return d.own[off : off+uintptr(len(s))]
}

// decode fills rv (a settable zero value) from v; false means "use
// encoding/json" (something this decoder does not handle, or an error
// encoding/json reports).
func (d *treeDecoder) decode(p *plan, v jsontree.Value, rv reflect.Value) bool {
	k := v.Kind()
	if k == jsontree.Null {
		// encoding/json leaves the zero value (nil for pointers, maps,
		// slices and interfaces) except for an unsupported type, where
		// it may call the type's own method.
		return p.kind != pUnsupported
	}
	switch p.kind {
	case pString:
		s, ok := v.Str()
		if !ok {
			return false
		}
		rv.SetString(d.str(s))
	case pBool:
		b, ok := v.Bool()
		if !ok {
			return false
		}
		rv.SetBool(b)
	case pInt:
		if k != jsontree.Number {
			return false
		}
		n, err := strconv.ParseInt(string(v.Raw()), 10, 64)
		if err != nil || rv.OverflowInt(n) {
			return false
		}
		rv.SetInt(n)
	case pUint:
		if k != jsontree.Number {
			return false
		}
		n, err := strconv.ParseUint(string(v.Raw()), 10, 64)
		if err != nil || rv.OverflowUint(n) {
			return false
		}
		rv.SetUint(n)
	case pFloat:
		if k != jsontree.Number {
			return false
		}
		f, err := strconv.ParseFloat(string(v.Raw()), rv.Type().Bits())
		if err != nil || rv.OverflowFloat(f) {
			return false
		}
		rv.SetFloat(f)
	case pAny:
		x, ok := d.anyValue(v)
		if !ok {
			return false
		}
		if x != nil {
			rv.Set(reflect.ValueOf(x))
		}
	case pPtr:
		e := reflect.New(p.t.Elem())
		if !d.decode(p.elem, v, e.Elem()) {
			return false
		}
		rv.Set(e)
	case pStruct:
		if k != jsontree.Object {
			return false
		}
		for key, mv := range v.Members() {
			f := p.field(key)
			if f == nil {
				if p.folds(key) {
					return false // encoding/json matches it case-insensitively
				}
				continue
			}
			if !d.decode(f.p, mv, rv.Field(f.index)) {
				return false
			}
		}
	case pSlice:
		if k != jsontree.Array {
			return false
		}
		n := v.Len()
		if dst, ok := rv.Addr().Interface().(*[]string); ok {
			ss := make([]string, n)
			for i, e := range v.Elems() {
				if e.Kind() == jsontree.Null {
					continue
				}
				str, ok := e.Str()
				if !ok {
					return false
				}
				ss[i] = d.str(str)
			}
			*dst = ss
			return true
		}
		s := reflect.MakeSlice(p.t, n, n)
		for i, e := range v.Elems() {
			if !d.decode(p.elem, e, s.Index(i)) {
				return false
			}
		}
		rv.Set(s)
	case pMap:
		if k != jsontree.Object {
			return false
		}
		if dst, ok := rv.Addr().Interface().(*map[string]string); ok {
			mm := make(map[string]string, v.Len())
			for key, mv := range v.Members() {
				s := ""
				if mv.Kind() != jsontree.Null {
					var ok bool
					if s, ok = mv.Str(); !ok {
						return false
					}
					s = d.str(s)
				}
				mm[d.str(key)] = s
			}
			*dst = mm
			return true
		}
		if dst, ok := rv.Addr().Interface().(*map[string][]string); ok {
			mm := make(map[string][]string, v.Len())
			for key, mv := range v.Members() {
				var ss []string
				if !d.decode(p.elem, mv, reflect.ValueOf(&ss).Elem()) {
					return false
				}
				mm[d.str(key)] = ss
			}
			*dst = mm
			return true
		}
		m := reflect.MakeMapWithSize(p.t, v.Len())
		for key, mv := range v.Members() {
			e := reflect.New(p.t.Elem()).Elem()
			if !d.decode(p.elem, mv, e) {
				return false
			}
			m.SetMapIndex(reflect.ValueOf(d.str(key)), e)
		}
		rv.Set(m)
	default:
		return false
	}
	return true
}

// anyValue decodes v as encoding/json decodes into an interface{}.
func (d *treeDecoder) anyValue(v jsontree.Value) (any, bool) {
	switch v.Kind() {
	case jsontree.Null:
		return nil, true
	case jsontree.String:
		s, _ := v.Str()
		return d.str(s), true
	case jsontree.Bool:
		b, _ := v.Bool()
		return b, true
	case jsontree.Number:
		f, err := strconv.ParseFloat(string(v.Raw()), 64)
		return f, err == nil
	case jsontree.Array:
		out := make([]any, v.Len())
		for i, e := range v.Elems() {
			x, ok := d.anyValue(e)
			if !ok {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	case jsontree.Object:
		out := make(map[string]any, v.Len())
		for key, mv := range v.Members() {
			x, ok := d.anyValue(mv)
			if !ok {
				return nil, false
			}
			out[d.str(key)] = x
		}
		return out, true
	}
	return nil, false
}

// tagPunct is the punctuation encoding/json allows in a tag name.
const tagPunct = "!#$%&()*+-./:;<=>?@[]^_{|}~ "

// isValidTag is encoding/json's test of a tag name.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return isValidTagRunes(s[i:])
		}
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(tagPunct, c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// isValidTagRunes is isValidTag's rule for the rest of a name that is not
// all ASCII.
func isValidTagRunes(s string) bool {
	for _, c := range s {
		switch {
		case strings.ContainsRune(tagPunct, c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// hasOption reports whether the comma-separated tag options hold o.
func hasOption(opts, o string) bool {
	for opts != "" {
		var cur string
		cur, opts, _ = strings.Cut(opts, ",")
		if cur == o {
			return true
		}
	}
	return false
}

// mayFold reports whether a and b (aASCII, bASCII: whether each is all
// ASCII) can be equal under strings.EqualFold: two ASCII strings of
// different lengths cannot (only non-ASCII runes such as the Kelvin sign
// fold to a letter of another length).
func mayFold(a string, aASCII bool, b string, bASCII bool) bool {
	return len(a) == len(b) || !aASCII || !bASCII
}

// jsonTag is tag.Lookup("json"), with a shortcut for the usual tag of an
// event struct: one that starts with json:"..." holding printable ASCII
// and no escape, whose value Lookup (strconv.Unquote) returns as it is.
// Wrap plans TIn in the function's init: this saves most of the cost of
// reading the tags of an event type's fields.
func jsonTag(tag reflect.StructTag) (string, bool) {
	const key = `json:"`
	s := string(tag)
	if len(s) > len(key) && s[:len(key)] == key {
		for i := len(key); i < len(s); i++ {
			c := s[i]
			if c == '"' {
				return s[len(key):i], true
			}
			if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
				break
			}
		}
	}
	return tag.Lookup("json")
}

func (p *plan) field(key string) *fieldPlan {
	for i := range p.fields {
		if p.fields[i].name == key {
			return &p.fields[i]
		}
	}
	return nil
}

// folds reports whether key would match a field in encoding/json's
// case-insensitive way (any non-ASCII key is treated as if it might).
func (p *plan) folds(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= 0x80 {
			return true
		}
	}
	for i := range p.fields {
		if strings.EqualFold(p.fields[i].name, key) {
			return true
		}
	}
	return false
}

// docInvoker is a handler that can take its event as the adapter's parsed
// tree of the payload (see typed).
type docInvoker interface {
	invokeDoc(ctx context.Context, payload []byte, root jsontree.Value) ([]byte, error)
}

// decodeTree fills *in from root (the parsed payload) and reports whether it
// could; when it could not, *in is reset to its zero value.
func decodeTree[TIn any](p *plan, payload []byte, root jsontree.Value, in *TIn) bool {
	if p == nil || !root.Exists() {
		return false
	}
	d := treeDecoder{payload: payload}
	if d.decode(p, root, reflect.ValueOf(in).Elem()) {
		return true
	}
	var zero TIn
	*in = zero
	return false
}
