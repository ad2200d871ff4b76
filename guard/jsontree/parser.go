package jsontree

import (
	"math"
	"sync"
	"unsafe"
)

// Limits bounds what Parse and Walk accept. The zero value is a safe default:
// depth DefaultMaxDepth, no size limits, duplicate keys rejected.
type Limits struct {
	// MaxDepth is the maximum nesting of arrays/objects: 0 means
	// DefaultMaxDepth; negative means unlimited (the parser never recurses,
	// so deep input only costs memory proportional to its depth).
	MaxDepth int
	// MaxStringBytes is the maximum length in bytes of one string value or
	// object key after unescaping; 0 means unlimited.
	MaxStringBytes int
	// MaxElements is the maximum number of values (of any kind, containers
	// included) plus object keys in the document; 0 means unlimited.
	MaxElements int
	// AllowDuplicateKeys disables the duplicate-key check. When false, a key
	// that occurs twice in one object (compared after unescaping) is a
	// LimitError: JSON parsers disagree on which occurrence wins, which lets
	// an attacker show one value to a validator and another to the handler.
	AllowDuplicateKeys bool
}

// DefaultMaxDepth is the nesting limit used when Limits.MaxDepth is 0.
const DefaultMaxDepth = 64

// MaxDocumentSize is the largest input Parse and Walk accept (2 GiB - 1;
// offsets are stored as 32-bit values). Larger input is a LimitError with
// LimitSize.
const MaxDocumentSize = math.MaxInt32

// frame is one open array or object.
type frame struct {
	key      string // objects: key of the current member
	idx      int    // arrays: index of the current element; objects: member index
	set      map[string]struct{}
	bloom    [4]uint64 // objects with duplicate checking: key fingerprints
	keyStart int32     // objects with duplicate checking: start of this frame's keys in parser.keys
	node     uint32    // Parse: index of the container's node
	obj      bool
}

// parser is the state machine shared by Parse (tree != false: build nodes)
// and Walk (call visit). It is pooled; all its slices are reused.
type parser struct {
	src      []byte
	maxDepth int
	maxStr   int
	maxElems int
	dupCheck bool
	elems    int

	frames []frame
	// keys holds the keys of the open objects (only with dupCheck), as
	// strings aliasing src or an unescape buffer that outlives the object.
	keys     []string
	freeSets []map[string]struct{}
	framesHW int // high-water marks, to clear only what was used on release
	keysHW   int

	// Parse.
	tree  bool
	nodes []node
	buf   []byte // unescaped forms of escaped strings

	// Walk.
	visit   func(*Path, string, bool) error
	path    Path
	scratch []byte
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(src []byte, lim Limits) *parser {
	p := parserPool.Get().(*parser)
	p.src = src
	p.maxDepth = lim.MaxDepth
	if p.maxDepth == 0 {
		p.maxDepth = DefaultMaxDepth
	} else if p.maxDepth < 0 {
		p.maxDepth = math.MaxInt
	}
	p.maxStr = lim.MaxStringBytes
	if p.maxStr <= 0 {
		p.maxStr = math.MaxInt
	}
	p.maxElems = lim.MaxElements
	if p.maxElems <= 0 {
		p.maxElems = math.MaxInt
	}
	p.dupCheck = !lim.AllowDuplicateKeys
	p.elems = 0
	return p
}

const (
	maxPooledFrames  = 1 << 10
	maxPooledKeys    = 1 << 12
	maxPooledScratch = 64 << 10
	maxPooledSet     = 1 << 10
	maxPooledSets    = 8
	smallObject      = 32 // objects with more keys use a map for duplicate checks
)

// release drops every reference to caller data and returns p to the pool.
func (p *parser) release() {
	for i := range p.frames {
		p.putSet(p.frames[i].set)
	}
	if len(p.frames) > p.framesHW {
		p.framesHW = len(p.frames)
	}
	if len(p.keys) > p.keysHW {
		p.keysHW = len(p.keys)
	}
	if cap(p.frames) > maxPooledFrames {
		p.frames = nil
	} else {
		clear(p.frames[:p.framesHW])
		p.frames = p.frames[:0]
	}
	if cap(p.keys) > maxPooledKeys {
		p.keys = nil
	} else {
		clear(p.keys[:p.keysHW])
		p.keys = p.keys[:0]
	}
	p.framesHW, p.keysHW = 0, 0
	if cap(p.scratch) > maxPooledScratch {
		p.scratch = nil
	}
	p.src, p.nodes, p.buf, p.visit, p.path = nil, nil, nil, nil, Path{}
	p.tree = false
	parserPool.Put(p)
}

func (p *parser) putSet(m map[string]struct{}) {
	if m == nil {
		return
	}
	if len(m) > maxPooledSet {
		return
	}
	if len(p.freeSets) >= maxPooledSets {
		return
	}
	clear(m)
	p.freeSets = append(p.freeSets, m)
}

// run parses p.src completely. It never recurses: open containers live in
// p.frames.
func (p *parser) run() error {
	src := p.src
	n := len(src)
	i := skipWS(src, 0)
	if i >= n {
		return p.synErr(errEOF(n), false)
	}
	if n >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return p.synErr(&SyntaxError{Msg: "byte order mark (U+FEFF) is not allowed at the start of JSON text"}, false)
	}
value:
	for {
		if i >= n {
			return p.synErr(errEOF(n), false)
		}
		p.elems++
		if p.elems > p.maxElems {
			return p.limitErr(LimitElements, p.maxElems, i, false)
		}
		switch c := src[i]; c {
		case '"':
			end, esc, serr := scanString(src, i)
			if serr != nil {
				return p.synErr(serr, false)
			}
			if err := p.stringValue(i, end, esc); err != nil {
				return err
			}
			i = end
		case '{', '[':
			if len(p.frames) >= p.maxDepth {
				return p.limitErr(LimitDepth, p.maxDepth, i, false)
			}
			j := skipWS(src, i+1)
			if j >= n {
				return p.synErr(errEOF(n), false)
			}
			if c == '{' && src[j] == '}' || c == '[' && src[j] == ']' {
				if p.tree {
					p.addNode(node{start: uint32(i), end: uint32(j+1) | extSlot})
					p.addNode(node{start: 0, end: uint32(len(p.nodes) + 1)})
				}
				i = j + 1
				break
			}
			p.push(i, c == '{')
			if c == '[' {
				i = j
				continue value
			}
			var err error
			if i, err = p.key(j); err != nil {
				return err
			}
			continue value
		case 't', 'f', 'n':
			lit := "null"
			if c == 't' {
				lit = "true"
			} else if c == 'f' {
				lit = "false"
			}
			end, serr := scanLiteral(src, i, lit)
			if serr != nil {
				return p.synErr(serr, false)
			}
			if p.tree {
				p.addNode(node{start: uint32(i), end: uint32(end)})
			}
			i = end
		default:
			if c != '-' && !isDigit(c) {
				return p.synErr(errChar(i, c, "looking for beginning of value"), false)
			}
			end, serr := scanNumber(src, i)
			if serr != nil {
				return p.synErr(serr, false)
			}
			if p.tree {
				p.addNode(node{start: uint32(i), end: uint32(end)})
			}
			i = end
		}
		// A value ended at i: close containers until a ',' or the end.
		for {
			i = skipWS(src, i)
			if len(p.frames) == 0 {
				if i < n {
					return p.synErr(errChar(i, src[i], "after top-level value"), false)
				}
				return nil
			}
			if i >= n {
				return p.synErr(errEOF(n), false)
			}
			f := &p.frames[len(p.frames)-1]
			c := src[i]
			if c == ',' {
				f.idx++
				i = skipWS(src, i+1)
				if !f.obj {
					continue value
				}
				var err error
				if i, err = p.key(i); err != nil {
					return err
				}
				continue value
			}
			if f.obj && c == '}' || !f.obj && c == ']' {
				p.pop(i)
				i++
				continue
			}
			if f.obj {
				return p.synErr(errChar(i, c, "after object key:value pair"), false)
			}
			return p.synErr(errChar(i, c, "after array element"), false)
		}
	}
}

// push opens a non-empty container whose opening bracket is at src[i].
func (p *parser) push(i int, obj bool) {
	if p.tree {
		p.addNode(node{start: uint32(i)})
		p.addNode(node{})
	}
	// Reuse the slot field by field: appending a composite literal of this
	// pointer-carrying struct costs a full typed copy.
	if n := len(p.frames); n < cap(p.frames) {
		p.frames = p.frames[:n+1]
	} else {
		p.frames = append(p.frames, frame{})
	}
	f := &p.frames[len(p.frames)-1]
	f.obj = obj
	f.idx = 0
	f.key = ""
	f.node = uint32(len(p.nodes) - 2)
	if p.dupCheck && obj {
		f.keyStart = int32(len(p.keys))
		f.bloom = [4]uint64{}
		f.set = nil
	}
}

// pop closes the innermost container at its closing bracket src[i].
func (p *parser) pop(i int) {
	f := &p.frames[len(p.frames)-1]
	if p.tree {
		p.nodes[f.node].end = uint32(i+1) | extSlot
		p.nodes[f.node+1] = node{start: uint32(f.idx + 1), end: uint32(len(p.nodes))}
	}
	if f.obj && p.dupCheck {
		if len(p.keys) > p.keysHW {
			p.keysHW = len(p.keys)
		}
		p.keys = p.keys[:f.keyStart]
		if f.set != nil {
			p.putSet(f.set)
			f.set = nil
		}
	}
	if len(p.frames) > p.framesHW {
		p.framesHW = len(p.frames)
	}
	p.frames = p.frames[:len(p.frames)-1]
}

// key parses an object key at src[i] (where a '"' is required), records
// it, and consumes the following ':'. It returns the offset of the member
// value (after whitespace).
func (p *parser) key(i int) (int, error) {
	src := p.src
	if i >= len(src) {
		return 0, p.synErr(errEOF(len(src)), true)
	}
	if src[i] != '"' {
		return 0, p.synErr(errChar(i, src[i], "looking for beginning of object key string"), true)
	}
	p.elems++
	if p.elems > p.maxElems {
		return 0, p.limitErr(LimitElements, p.maxElems, i, true)
	}
	end, esc, serr := scanString(src, i)
	if serr != nil {
		return 0, p.synErr(serr, true)
	}
	k, err := p.str(i, end, esc, true)
	if err != nil {
		return 0, err
	}
	f := &p.frames[len(p.frames)-1]
	f.key = k
	if p.dupCheck && p.addKey(f, k) {
		e := p.limitErr(LimitDuplicateKey, 1, i, false)
		e.Key = k
		return 0, e
	}
	if p.visit != nil {
		p.path.frames, p.path.key = p.frames, true
		if err := p.visit(&p.path, k, true); err != nil {
			return 0, err
		}
	}
	j := skipWS(src, end)
	if j >= len(src) {
		return 0, p.synErr(errEOF(len(src)), false)
	}
	if src[j] != ':' {
		return 0, p.synErr(errChar(j, src[j], "after object key"), false)
	}
	return skipWS(src, j+1), nil
}

// stringValue handles a string value spanning src[start:end].
func (p *parser) stringValue(start, end int, esc bool) error {
	s, err := p.str(start, end, esc, false)
	if err != nil {
		return err
	}
	if p.visit != nil {
		p.path.frames, p.path.key = p.frames, false
		return p.visit(&p.path, s, false)
	}
	return nil
}

// str checks the string literal src[start:end] against MaxStringBytes, adds
// its node (Parse) and returns its unescaped value. Strings without escapes
// alias src. Escaped strings live in p.buf (Parse; never modified once
// written) or are freshly allocated (Walk), so the result stays valid and
// unchanged for the life of the Doc, respectively for as long as the caller
// keeps it; Walk only allocates when keys are retained for the duplicate
// check or the value is visited.
func (p *parser) str(start, end int, esc, isKey bool) (string, error) {
	raw := p.src[start+1 : end-1]
	if !esc {
		if len(raw) > p.maxStr {
			return "", p.limitErr(LimitStringBytes, p.maxStr, start, isKey)
		}
		if p.tree {
			p.addNode(node{start: uint32(start), end: uint32(end)})
		}
		return unsafe.String(unsafe.SliceData(raw), len(raw)), nil
	}
	if p.tree {
		if p.buf == nil {
			// Escaped strings are rare and short in typical events; size the
			// buffer for the rest of the input when that is small.
			p.buf = make([]byte, 0, min(len(p.src)-start, 4<<10))
		}
		off := len(p.buf)
		p.buf = appendUnescaped(p.buf, raw)
		ln := len(p.buf) - off
		if ln > p.maxStr {
			return "", p.limitErr(LimitStringBytes, p.maxStr, start, isKey)
		}
		p.addNode(node{start: uint32(start), end: uint32(end) | extSlot})
		p.addNode(node{start: uint32(off), end: uint32(ln)})
		return unsafe.String(&p.buf[off], ln), nil
	}
	p.scratch = appendUnescaped(p.scratch[:0], raw)
	if len(p.scratch) > p.maxStr {
		return "", p.limitErr(LimitStringBytes, p.maxStr, start, isKey)
	}
	if p.visit == nil && !isKey {
		return "", nil // validation only: nobody looks at the value
	}
	return string(p.scratch), nil
}

// addNode appends nd to p.nodes, growing the arena geometrically. The new
// capacity is extrapolated from the node density seen so far, so a
// homogeneous document needs one or two allocations.
func (p *parser) addNode(nd node) {
	if len(p.nodes) == cap(p.nodes) {
		p.growNodes(int(nd.start))
	}
	p.nodes = append(p.nodes, nd)
}

func (p *parser) growNodes(pos int) {
	n := len(p.nodes)
	want := n + n/4 + 16
	if pos > 0 {
		// Nodes per input byte so far, applied to the whole input, +10%.
		est := int(float64(n) * float64(len(p.src)) / float64(pos) * 1.1)
		want = max(want, est+16)
	}
	// Every node but a container's count slot starts at its own input byte.
	want = min(want, 2*len(p.src)+16)
	nodes := make([]node, n, want)
	copy(nodes, p.nodes)
	p.nodes = nodes
}

// initialNodes estimates the arena size for an input of n bytes: about one
// node per 8 bytes for small inputs, capped so that a string-heavy large
// input does not over-allocate (growNodes extrapolates from there).
func initialNodes(n int) int {
	return min(n/8+16, 8<<10)
}

// addKey records key k of the object f and reports whether it is a
// duplicate. Small objects use a 256-bit fingerprint filter backed by a
// linear scan on a filter hit; objects with more than smallObject keys switch
// to a (pooled) map.
func (p *parser) addKey(f *frame, k string) bool {
	if f.set != nil {
		if _, dup := f.set[k]; dup {
			return true
		}
		f.set[k] = struct{}{}
		return false
	}
	keys := p.keys[f.keyStart:]
	if len(keys) >= smallObject {
		var m map[string]struct{}
		if l := len(p.freeSets); l > 0 {
			m = p.freeSets[l-1]
			p.freeSets = p.freeSets[:l-1]
		} else {
			m = make(map[string]struct{}, 2*smallObject)
		}
		for _, s := range keys {
			m[s] = struct{}{}
		}
		if len(p.keys) > p.keysHW {
			p.keysHW = len(p.keys)
		}
		p.keys = p.keys[:f.keyStart]
		f.set = m
		if _, dup := m[k]; dup {
			return true
		}
		m[k] = struct{}{}
		return false
	}
	h := keyHash(k) >> 56
	w, bit := h>>6, uint64(1)<<(h&63)
	if f.bloom[w]&bit != 0 {
		for _, s := range keys {
			if s == k {
				return true
			}
		}
	}
	f.bloom[w] |= bit
	p.keys = append(p.keys, k)
	return false
}

// keyHash is a cheap fingerprint of a key (length, first and last bytes).
// Collisions only cost a linear scan.
func keyHash(s string) uint64 {
	n := len(s)
	h := uint64(n)
	switch {
	case n >= 8:
		h ^= le64(s[:8])*0x9E3779B97F4A7C15 ^ le64(s[n-8:])
	case n >= 4:
		h ^= uint64(le32(s[:4]))<<32 | uint64(le32(s[n-4:]))
	case n > 0:
		h ^= uint64(s[0])<<24 | uint64(s[n/2])<<16 | uint64(s[n-1])<<8
	}
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>29
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// synErr completes e with the current path. dropKey omits the key of the
// innermost object (for errors that occur before its next key is known).
func (p *parser) synErr(e *SyntaxError, dropKey bool) error {
	e.Path = p.errPath(dropKey)
	return e
}

func (p *parser) limitErr(limit string, max, off int, dropKey bool) *LimitError {
	if max == math.MaxInt {
		max = -1
	}
	return &LimitError{Limit: limit, Max: max, Path: p.errPath(dropKey), Offset: int64(off)}
}

func (p *parser) errPath(dropKey bool) string {
	return string(appendFrames(nil, p.frames, dropKey, true))
}
