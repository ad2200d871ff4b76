package jsontree

import (
	"iter"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Kind is the type of a JSON value.
type Kind uint8

// The kinds of JSON values. Invalid is the kind of a missing Value.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{Invalid: "invalid", Null: "null", Bool: "bool", Number: "number", String: "string", Array: "array", Object: "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// kindOf maps the first byte of a (valid) value to its kind.
var kindOf = func() (t [256]Kind) {
	t['n'], t['t'], t['f'], t['"'], t['['], t['{'] = Null, Bool, Bool, String, Array, Object
	t['-'] = Number
	for c := '0'; c <= '9'; c++ {
		t[c] = Number
	}
	return t
}()

// node is one value or key of a Doc, in document (pre-)order; object
// children alternate key, value. Containers and escaped strings take a second
// slot, flagged by extSlot in end: for containers it holds the number of
// children (start) and the index of the first node after the subtree (end);
// for escaped strings the offset (start) and length (end) of the unescaped
// form in Doc.buf.
type node struct {
	start uint32 // offset of the value's first byte in src (its kind follows from it)
	end   uint32 // offset just past the value in src, | extSlot
}

// extSlot flags a node followed by an extension slot. Offsets fit in 31
// bits (MaxDocumentSize).
const extSlot = 1 << 31

// Doc is a parsed JSON document: a read-only tree of nodes stored in one
// arena, referring to the source bytes. A Doc is safe for concurrent reads.
// Strings without escapes and Raw results alias the source passed to Parse:
// the caller must not modify it while the Doc, or strings taken from it, are
// in use.
type Doc struct {
	src   []byte
	nodes []node
	buf   []byte
}

// Parse parses src, one complete JSON text, into a Doc. It validates strictly
// (RFC 8259): invalid UTF-8, control characters in strings, invalid escapes,
// leading byte order marks, empty input and trailing data are *SyntaxError;
// exceeding lim is a *LimitError. A \u escape of a lone UTF-16 surrogate is
// not an error: it decodes to U+FFFD, as in encoding/json. Parse never
// recurses, whatever the nesting, and runs in time linear in len(src).
//
// Parse needs about three allocations: the Doc, its node arena and (when
// some string has escapes) one buffer of unescaped strings.
func Parse(src []byte, lim Limits) (*Doc, error) {
	if int64(len(src)) > MaxDocumentSize {
		return nil, &LimitError{Limit: LimitSize, Max: MaxDocumentSize}
	}
	p := getParser(src, lim)
	p.tree = true
	p.nodes = make([]node, 0, initialNodes(len(src)))
	if err := p.runTree(); err != nil {
		p.release()
		return nil, err
	}
	d := &Doc{src: src, nodes: p.nodes, buf: p.buf}
	p.release()
	return d, nil
}

// ParseInto is Parse into d, reusing the node arena and the buffer of
// unescaped strings of the document d held before, so that a caller that
// parses one event after another (a pooled adapter state) allocates nothing
// once warm. Every Value and string taken from d's previous document is
// invalid afterwards. On error d holds no document (its Root is Invalid).
func ParseInto(d *Doc, src []byte, lim Limits) error {
	d.Reset()
	if int64(len(src)) > MaxDocumentSize {
		return &LimitError{Limit: LimitSize, Max: MaxDocumentSize}
	}
	p := getParser(src, lim)
	p.tree = true
	want := initialNodes(len(src))
	if cap(d.nodes) < want && want >= largeNodes {
		// a large document: the memory of one that Release gave back
		if m, _ := largePool.Get().(*largeMem); m != nil {
			if cap(m.nodes) > cap(d.nodes) {
				d.nodes = m.nodes
			}
			if cap(m.buf) > cap(d.buf) {
				d.buf = m.buf
			}
		}
	}
	if cap(d.nodes) >= want {
		p.nodes = d.nodes[:0]
	} else {
		p.nodes = make([]node, 0, want)
	}
	p.buf = d.buf[:0]
	err := p.runTree()
	nodes, buf := p.nodes, p.buf
	p.release()
	if err != nil {
		d.nodes, d.buf = nodes[:0], buf[:0]
		return err
	}
	d.src, d.nodes, d.buf = src, nodes, buf
	return nil
}

// Reset empties d (its Root becomes Invalid) and drops its reference to the
// source, keeping its memory for the next ParseInto.
func (d *Doc) Reset() {
	d.src, d.nodes, d.buf = nil, d.nodes[:0], d.buf[:0]
}

// Release empties d like Reset and gives its memory to a pool that
// ParseInto draws from when it parses a large document (a pooled adapter
// state drops a Doc that is not Small rather than keep its memory), so that
// large events parsed one after another reuse one node arena and one buffer
// of unescaped strings instead of allocating them each time. What is not
// taken again is freed by the garbage collector (sync.Pool). d holds no
// memory afterwards; as with ParseInto, every Value and string taken from
// d is invalid.
func (d *Doc) Release() {
	if cap(d.nodes) >= largeNodes {
		largePool.Put(&largeMem{nodes: d.nodes[:0], buf: d.buf[:0]})
	}
	*d = Doc{}
}

// largeMem is the memory of a large Doc in largePool.
type largeMem struct {
	nodes []node
	buf   []byte
}

var largePool sync.Pool

// largeNodes is the node arena of a large document (initialNodes' cap): a
// Doc whose arena is at least this is given to largePool by Release, and
// ParseInto takes from it for an input whose estimate is this.
const largeNodes = 8 << 10

// Small reports whether d's memory is small enough (64 KiB of nodes and
// unescaped strings) for a pool to keep it: one huge event should not pin
// its memory forever.
func (d *Doc) Small() bool {
	return cap(d.nodes)*int(unsafe.Sizeof(node{}))+cap(d.buf) <= 64<<10
}

// Root returns the top-level value (Invalid for a nil Doc).
func (d *Doc) Root() Value {
	if d == nil || len(d.nodes) == 0 {
		return Value{}
	}
	return Value{d: d}
}

// next returns the index of the node after the subtree of node i.
func (d *Doc) next(i uint32) uint32 {
	nd := &d.nodes[i]
	if nd.end&extSlot == 0 {
		return i + 1
	}
	if d.src[nd.start] == '"' {
		return i + 2
	}
	return d.nodes[i+1].end
}

// str returns the unescaped string of string node i.
func (d *Doc) str(i uint32) string {
	nd := d.nodes[i]
	if nd.end&extSlot == 0 {
		return unsafe.String(&d.src[nd.start+1], nd.end-nd.start-2)
	}
	x := d.nodes[i+1]
	if x.end == 0 {
		return ""
	}
	return unsafe.String(&d.buf[x.start], x.end)
}

// span returns the source extent of node i.
func (d *Doc) span(i uint32) (start, end uint32) {
	nd := d.nodes[i]
	return nd.start, nd.end &^ extSlot
}

// Value is a handle to one value of a Doc; it is small and passed by value.
// The zero Value, returned for anything missing, has kind Invalid, and every
// method on it returns a zero result, so lookups can be chained:
// doc.Root().Get("requestContext").Get("http").Get("method").StrOr("").
type Value struct {
	d *Doc
	i uint32
}

// Kind returns the kind of v, Invalid for a missing value.
func (v Value) Kind() Kind {
	if v.d == nil {
		return Invalid
	}
	return kindOf[v.d.src[v.d.nodes[v.i].start]]
}

// Exists reports whether v is present (its kind is not Invalid).
func (v Value) Exists() bool { return v.d != nil }

// Str returns the unescaped string and true if v is a string, else "", false.
// The result aliases the source or the Doc; it stays valid as long as the
// source is not modified.
func (v Value) Str() (string, bool) {
	// Kind and str in one: the node is read once; no call, so that
	// callers inline it.
	d := v.d
	if d == nil {
		return "", false
	}
	nd := d.nodes[v.i]
	if d.src[nd.start] != '"' {
		return "", false
	}
	if nd.end&extSlot == 0 {
		return unsafe.String(&d.src[nd.start+1], nd.end-nd.start-2), true
	}
	// escaped: its unescaped form in d.buf
	x := d.nodes[v.i+1]
	return unsafe.String(unsafe.SliceData(d.buf[x.start:]), x.end), true
}

// StrOr returns the string value of v, or def if v is not a string.
func (v Value) StrOr(def string) string {
	if s, ok := v.Str(); ok {
		return s
	}
	return def
}

// Bool returns the value of a boolean; ok is false if v is not a boolean.
func (v Value) Bool() (b bool, ok bool) {
	if v.Kind() != Bool {
		return false, false
	}
	return v.d.src[v.d.nodes[v.i].start] == 't', true
}

// Int64 returns the value of a number that is an integer in int64 range
// (no fraction or exponent); ok is false otherwise.
func (v Value) Int64() (int64, bool) {
	if v.Kind() != Number {
		return 0, false
	}
	n, err := strconv.ParseInt(v.rawString(), 10, 64)
	return n, err == nil
}

// Float64 returns the value of a number as the nearest float64; ok is false
// if v is not a number or is out of float64 range.
func (v Value) Float64() (float64, bool) {
	if v.Kind() != Number {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.rawString(), 64)
	return f, err == nil
}

func (v Value) rawString() string {
	start, end := v.d.span(v.i)
	return unsafe.String(&v.d.src[start], end-start)
}

// Raw returns the exact source bytes of v (a valid JSON text, without
// surrounding whitespace), or nil for a missing value. It is a sub-slice of
// the source with its capacity clipped, so appending to it never writes into
// the source; do not modify its bytes.
func (v Value) Raw() []byte {
	if v.d == nil {
		return nil
	}
	start, end := v.d.span(v.i)
	return v.d.src[start:end:end]
}

// Offset returns the byte offset of v in the source, or -1 for a missing value.
func (v Value) Offset() int64 {
	if v.d == nil {
		return -1
	}
	return int64(v.d.nodes[v.i].start)
}

// Get returns the member of object v with the given key (the first one if
// duplicates were allowed), or an Invalid Value if v is not an object or has
// no such key. Keys are compared after unescaping. Get is linear in the
// number of members of v.
func (v Value) Get(key string) Value {
	if v.Kind() != Object {
		return Value{}
	}
	d := v.d
	end := d.nodes[v.i+1].end
	for j := v.i + 2; j < end; {
		// a key without escapes (most) is one node, compared here
		vj := j + 1
		if nd := d.nodes[j]; nd.end&extSlot == 0 {
			if int(nd.end-nd.start-2) == len(key) && string(d.src[nd.start+1:nd.end-1]) == key {
				return Value{d, vj}
			}
		} else if vj = j + 2; d.str(j) == key {
			return Value{d, vj}
		}
		j = d.next(vj)
	}
	return Value{}
}

// GetFold is like Get but compares keys case-insensitively (Unicode simple
// folding, as strings.EqualFold), e.g. for HTTP header maps.
func (v Value) GetFold(key string) Value {
	if v.Kind() != Object {
		return Value{}
	}
	d := v.d
	end := d.nodes[v.i+1].end
	for j := v.i + 2; j < end; j = d.next(d.next(j)) {
		if strings.EqualFold(d.str(j), key) {
			return Value{d, d.next(j)}
		}
	}
	return Value{}
}

// Path follows keys from v with Get: v.Path("a", "b") is v.Get("a").Get("b").
// With no keys it returns v.
func (v Value) Path(keys ...string) Value {
	for _, k := range keys {
		v = v.Get(k)
	}
	return v
}

// Len returns the number of elements of an array or members of an object,
// and 0 for any other value.
func (v Value) Len() int {
	switch v.Kind() {
	case Array, Object:
		return int(v.d.nodes[v.i+1].start)
	}
	return 0
}

// At returns element i of array v, or an Invalid Value if v is not an array
// or i is out of range. At is linear in i; use Elems to iterate.
func (v Value) At(i int) Value {
	if v.Kind() != Array || i < 0 || i >= v.Len() {
		return Value{}
	}
	d := v.d
	j := v.i + 2
	for ; i > 0; i-- {
		j = d.next(j)
	}
	return Value{d, j}
}

// Members iterates over the members of object v in source order (nothing if
// v is not an object). Keys are unescaped and alias the source or the Doc.
func (v Value) Members() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if v.Kind() != Object {
			return
		}
		d := v.d
		end := d.nodes[v.i+1].end
		for j := v.i + 2; j < end; {
			// a key without escapes (most) is one node, read here
			var k string
			vj := j + 1
			if nd := d.nodes[j]; nd.end&extSlot == 0 {
				k = unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(d.src[:nd.end])), nd.start+1)), nd.end-nd.start-2)
			} else {
				k, vj = d.str(j), j+2
			}
			if !yield(k, Value{d, vj}) {
				return
			}
			j = d.next(vj)
		}
	}
}

// StringsOrNulls reports whether v is an object whose member values, or an
// array whose elements, are all strings or nulls (true for an empty one).
// It reads the nodes without building a Value per element: a caller
// type-checking a map[string]string or a []string needs the elements
// themselves only for an error.
func (v Value) StringsOrNulls() bool {
	k := v.Kind()
	if k != Object && k != Array {
		return false
	}
	d := v.d
	end := d.nodes[v.i+1].end
	for j := v.i + 2; j < end; {
		if k == Object {
			j = d.next(j) // the key
		}
		var ok bool
		if j, ok = d.scalarString(j); !ok {
			return false
		}
	}
	return true
}

// StringArraysOrNulls reports whether v is an object whose member values
// are all null or arrays of strings and nulls (a map[string][]string).
func (v Value) StringArraysOrNulls() bool {
	if v.Kind() != Object {
		return false
	}
	d := v.d
	end := d.nodes[v.i+1].end
	for j := v.i + 2; j < end; {
		j = d.next(j) // the key
		switch d.src[d.nodes[j].start] {
		case 'n':
			j++
		case '[':
			aend := d.nodes[j+1].end
			for j += 2; j < aend; {
				var ok bool
				if j, ok = d.scalarString(j); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// scalarString reports whether node j is a string or null, and returns
// the index of the node after it.
func (d *Doc) scalarString(j uint32) (uint32, bool) {
	nd := d.nodes[j]
	switch d.src[nd.start] {
	case '"':
		if nd.end&extSlot != 0 {
			return j + 2, true // escaped: its extension slot
		}
		return j + 1, true
	case 'n':
		return j + 1, true
	}
	return j, false
}

// Elems iterates over the elements of array v with their indexes (nothing if
// v is not an array).
func (v Value) Elems() iter.Seq2[int, Value] {
	return func(yield func(int, Value) bool) {
		if v.Kind() != Array {
			return
		}
		d := v.d
		end := d.nodes[v.i+1].end
		for i, j := 0, v.i+2; j < end; i, j = i+1, d.next(j) {
			if !yield(i, Value{d, j}) {
				return
			}
		}
	}
}
