package jsontree

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"strings"
	"sync"
	"unicode/utf8"
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

// frame is one open array or object. It holds no pointers but set, so that
// the hot path does not pay for GC write barriers.
type frame struct {
	idx  int     // arrays: index of the current element; objects: member index
	set  *keySet // duplicate check of objects with many keys
	seen uint64  // duplicate check: a filter of the keys so far (keyBit)
	// The current member key (objects): src[keyOff:keyOff+keyLen], or, when
	// keyEsc, the same range of p.keyBuf().
	keyOff, keyLen uint32
	keyStart       int32  // duplicate check: start of this object's keys in p.keys
	kbufStart      int32  // Walk: start of this object's unescaped keys in p.kbuf
	node           uint32 // Parse: index of the container's node
	obj, keyEsc    bool
}

// keyRef locates an unescaped key like frame.keyOff/keyLen/keyEsc; pos is
// the offset of its opening quote in the source.
type keyRef struct {
	off, n, pos uint32
	esc         bool
}

// parser is the state machine shared by Parse (tree: build nodes) and Walk
// (call visit). It is pooled; its slices are reused.
type parser struct {
	src      []byte
	maxDepth int
	maxStr   int
	maxElems int
	dupCheck bool

	frames   []frame
	keys     []keyRef // duplicate check: keys of the open small objects
	freeSets []*keySet
	cmp      []byte // a big object's escaped key, unescaped to compare it
	setJump  int    // bytes of slots growSet may still give past fourfold steps

	// Parse.
	tree   bool
	nodes  []node
	buf    []byte // unescaped forms of escaped strings (becomes Doc.buf)
	escOff int    // the string scanTree just unescaped into buf, or -1

	// Walk.
	visit   func(*Path, string, bool) error
	path    Path
	kbuf    []byte // unescaped escaped keys of the open objects
	scratch []byte // unescaped string values (validation only)
	slab    []byte // this walk's unescaped string values (visited; never pooled)
}

var parserPool = sync.Pool{New: func() any {
	p := new(parser)
	p.path.p = p
	return p
}}

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
	p.setJump = len(src)
	p.escOff = -1
	return p
}

const (
	maxPooledFrames = 1 << 10
	maxPooledKeys   = 1 << 12
	maxPooledBuf    = 64 << 10
	maxPooledSet    = 1 << 12 // slots
	maxPooledSets   = 8
	smallObject     = 32 // objects with more keys use a keySet for duplicate checks
)

// release drops every reference to caller data and returns p to the pool.
func (p *parser) release() {
	for i := range p.frames {
		if m := p.frames[i].set; m != nil {
			p.putSet(m)
			p.frames[i].set = nil
		}
	}
	p.frames = p.frames[:0]
	if cap(p.frames) > maxPooledFrames {
		p.frames = nil
	}
	p.keys = p.keys[:0]
	if cap(p.keys) > maxPooledKeys {
		p.keys = nil
	}
	p.kbuf = p.kbuf[:0]
	if cap(p.kbuf) > maxPooledBuf {
		p.kbuf = nil
	}
	if cap(p.scratch) > maxPooledBuf {
		p.scratch = nil
	}
	if cap(p.cmp) > maxPooledBuf {
		p.cmp = nil
	}
	p.src, p.nodes, p.buf, p.visit, p.slab = nil, nil, nil, nil, nil
	p.tree = false
	parserPool.Put(p)
}

func (p *parser) putSet(m *keySet) {
	if len(m.slots)+len(m.small) > maxPooledSet || len(p.freeSets) >= maxPooledSets {
		return
	}
	clear(m.slots)
	clear(m.small)
	m.n = 0
	p.freeSets = append(p.freeSets, m)
}

// keyBuf is where escaped keys are unescaped: the Doc buffer when parsing,
// p.kbuf when walking.
func (p *parser) keyBuf() []byte {
	if p.tree {
		return p.buf
	}
	return p.kbuf
}

// keyString returns the key located by off, n, esc. The result aliases src
// or the key buffer; it stays valid while the object it belongs to is open
// (the buffers are only appended to, or truncated past closed objects).
func (p *parser) keyString(off, n uint32, esc bool) string {
	if n == 0 {
		return ""
	}
	if !esc {
		return unsafe.String(&p.src[off], n)
	}
	return unsafe.String(&p.keyBuf()[off], n)
}

// run walks p.src completely (Walk: visit, no tree; Parse has its own copy,
// runTree). It never recurses: open containers live in p.frames. Keys and
// the common string cases are handled inline, the rest in helpers.
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
	maxStr, maxElems := p.maxStr, p.maxElems
	elems := 0
	wantKey := false // i is at an object key rather than a value
	for {
		if wantKey {
			if i >= n {
				return p.synErr(errEOF(n), true)
			}
			if src[i] != '"' {
				return p.synErr(errChar(i, src[i], "looking for beginning of object key string"), true)
			}
			if elems++; elems > maxElems {
				return p.limitErr(LimitElements, maxElems, i, true)
			}
			end, esc, serr := plainEnd(src, i), false, (*SyntaxError)(nil)
			if end < 0 {
				end, esc, serr = scanString(src, i)
			}
			if serr != nil {
				return p.synErr(serr, true)
			}
			f := &p.frames[len(p.frames)-1]
			if f.idx == 1 && p.dupCheck && len(p.keys) == int(f.keyStart) {
				// the object's second key: its first, plain, was
				// left in the frame (below) and joins p.keys now,
				// before the frame takes this one
				p.keys = append(p.keys, keyRef{off: f.keyOff, n: f.keyLen, pos: f.keyOff - 1})
				f.seen = keyBit(p.keyString(f.keyOff, f.keyLen, false))
			}
			var k string
			if !esc {
				if end-i-2 > maxStr {
					return p.limitErr(LimitStringBytes, maxStr, i, true)
				}
				k = unsafe.String(&src[i+1], end-i-2)
				f.keyOff, f.keyLen, f.keyEsc = uint32(i+1), uint32(end-i-2), false
			} else {
				off, kn, err := p.escapedKey(i, end)
				if err != nil {
					return err
				}
				f = &p.frames[len(p.frames)-1]
				f.keyOff, f.keyLen, f.keyEsc = uint32(off), uint32(kn), true
				k = p.keyString(uint32(off), uint32(kn), true)
			}
			if p.dupCheck {
				// a big object's keys go to its keySet; an object's
				// first key, plain, has none to meet and stays in
				// the frame until a second comes (an object of one
				// key records none); most keys of the others are
				// not in their object's filter, and are recorded in
				// line (no call)
				if f.set != nil {
					if p.setSrcKey(f.set, k, i, esc) {
						return p.dupErr(i, k)
					}
				} else if f.idx == 0 && !esc {
				} else if b := keyBit(k); f.seen&b == 0 && len(p.keys) < cap(p.keys) && len(p.keys) < int(f.keyStart)+smallObject {
					f.seen |= b
					p.keys = append(p.keys, keyRef{off: f.keyOff, n: f.keyLen, pos: uint32(i), esc: f.keyEsc})
				} else if p.addKey(f, k, i) {
					return p.dupErr(i, k)
				}
			}
			if p.visit != nil {
				if esc {
					k = strings.Clone(k) // p.kbuf is reused: hand out a fresh string
				}
				p.path.key = true
				if err := p.visit(&p.path, k, true); err != nil {
					return err
				}
			}
			if end+1 < n && src[end] == ':' && src[end+1] > ' ' {
				// "key":value, no blanks (most input)
				i = end + 1
			} else {
				i = skipWS(src, end)
				if i >= n {
					return p.synErr(errEOF(n), false)
				}
				if src[i] != ':' {
					return p.synErr(errChar(i, src[i], "after object key"), false)
				}
				i = skipWS(src, i+1)
			}
			wantKey = false
		}
		if i >= n {
			return p.synErr(errEOF(n), false)
		}
		if elems++; elems > maxElems {
			return p.limitErr(LimitElements, maxElems, i, false)
		}
		switch c := src[i]; c {
		case '"':
			end, esc, serr := plainEnd(src, i), false, (*SyntaxError)(nil)
			if end < 0 {
				end = plainEnd16(src, i)
			}
			if end < 0 {
				end, esc, serr = scanString(src, i)
			}
			if serr != nil {
				return p.synErr(serr, false)
			}
			if !esc && end-i-2 <= maxStr {
				if p.visit != nil {
					p.path.key = false
					if err := p.visit(&p.path, unsafe.String(&src[i+1], end-i-2), false); err != nil {
						return err
					}
				}
			} else if err := p.stringValue(i, end, esc); err != nil {
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
				i = j + 1
				break
			}
			p.push(c == '{')
			i, wantKey = j, c == '{'
			continue
		case 't', 'f', 'n':
			end := literalEnd(src, i, c)
			if end < 0 {
				lit := "null"
				if c == 't' {
					lit = "true"
				} else if c == 'f' {
					lit = "false"
				}
				var serr *SyntaxError
				if end, serr = scanLiteral(src, i, lit); serr != nil {
					return p.synErr(serr, false)
				}
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
			i = end
		}
		// A value ended at i: close containers until a ',' or the end.
		if i+1 < n && src[i] == ',' && src[i+1] > ' ' && len(p.frames) > 0 {
			// value,next with no blanks (most input)
			f := &p.frames[len(p.frames)-1]
			f.idx++
			i++
			wantKey = f.obj
			continue
		}
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
				wantKey = f.obj
				break
			}
			if f.obj && c == '}' || !f.obj && c == ']' {
				// close the innermost container (runTree's popTree;
				// written out here: as a call it cost a fifth of
				// the parse of nested objects of one key)
				if f.obj {
					p.kbuf = p.kbuf[:f.kbufStart]
					if p.dupCheck {
						p.keys = p.keys[:f.keyStart]
					}
					if f.set != nil {
						p.dropSet(f)
					}
				}
				p.frames = p.frames[:len(p.frames)-1]
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

// runTree is run for Parse (p.tree; no visit): the same state machine with
// the Walk branches taken out, so that the compiler keeps its few live
// values in registers across the loop (run's visit calls made it spill and
// reload them at every token).
func (p *parser) runTree() error {
	src := p.src
	n := len(src)
	i := skipWS(src, 0)
	if i >= n {
		return p.synErr(errEOF(n), false)
	}
	if n >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return p.synErr(&SyntaxError{Msg: "byte order mark (U+FEFF) is not allowed at the start of JSON text"}, false)
	}
	// Under no string or element limit (an event's envelope) neither is
	// tested, and neither is kept in a register across the loop.
	limited := p.maxStr != math.MaxInt || p.maxElems != math.MaxInt
	elems := 0
	wantKey := false // i is at an object key rather than a value
	var f *frame     // the innermost open container (p.frames' last)
	for {
		if wantKey && !limited {
			// members of plain keys and plain values first (most of an
			// event's envelope), by a loop with no call
			var at int
			if i, at = p.fastMembers(f, i); at == atValue {
				wantKey = false
			} else if at == atEnd {
				goto valueEnded
			}
		}
		if wantKey {
			if i >= n {
				return p.synErr(errEOF(n), true)
			}
			if src[i] != '"' {
				return p.synErr(errChar(i, src[i], "looking for beginning of object key string"), true)
			}
			if limited {
				if elems++; elems > p.maxElems {
					return p.limitErr(LimitElements, p.maxElems, i, true)
				}
			}
			end, esc, serr := -1, false, (*SyntaxError)(nil)
			if i+18 <= n {
				// plainEnd and plainEnd16 in line, the first word's
				// mask computed once (a key or value of up to 16 bytes)
				sp := unsafe.Pointer(unsafe.SliceData(src))
				j, m := i+1, specialMask(word(sp, i+1))
				if m == 0 {
					j, m = i+9, specialMask(word(sp, i+9))
				}
				if j += bits.TrailingZeros64(m) >> 3; *(*byte)(unsafe.Add(sp, j)) == '"' {
					end = j + 1
				}
			} else {
				end = plainEnd(src, i)
			}
			if end < 0 {
				end, esc, serr = p.scanTree(i)
			}
			if serr != nil {
				return p.synErr(serr, true)
			}
			var b uint64 // the key's keyBit
			if !esc {
				kn := end - i - 2
				if limited && kn > p.maxStr {
					return p.limitErr(LimitStringBytes, p.maxStr, i, true)
				}
				f.keyOff, f.keyLen, f.keyEsc = uint32(i+1), uint32(kn), false
				p.addNode(node{start: uint32(i), end: uint32(end)})
				b = keyBitAt(src, i+1, kn)
			} else {
				off, kn, err := p.escapedKey(i, end)
				if err != nil {
					return err
				}
				f.keyOff, f.keyLen, f.keyEsc = uint32(off), uint32(kn), true
				b = keyBit(p.keyString(uint32(off), uint32(kn), true))
			}
			if p.dupCheck {
				// A key not in its small object's filter is new: only
				// its bit is recorded (the object's keys are its nodes,
				// which treeKey reads back when a bit is set).
				if f.seen&b == 0 && f.idx < smallObject {
					f.seen |= b
				} else if err := p.treeKey(f, i, b); err != nil {
					return err
				}
			}
			if sp := unsafe.Pointer(unsafe.SliceData(src)); end+1 < n && *(*byte)(unsafe.Add(sp, end)) == ':' && *(*byte)(unsafe.Add(sp, end+1)) > ' ' {
				// "key":value, no blanks (most input)
				i = end + 1
			} else {
				i = skipWS(src, end)
				if i >= n {
					return p.synErr(errEOF(n), false)
				}
				if src[i] != ':' {
					return p.synErr(errChar(i, src[i], "after object key"), false)
				}
				i = skipWS(src, i+1)
			}
			wantKey = false
		}
		if i >= n {
			return p.synErr(errEOF(n), false)
		}
		if limited {
			if elems++; elems > p.maxElems {
				return p.limitErr(LimitElements, p.maxElems, i, false)
			}
		}
		switch c := src[i]; c {
		case '"':
			end, esc, serr := -1, false, (*SyntaxError)(nil)
			if i+18 <= n {
				// plainEnd and plainEnd16 in line, the first word's
				// mask computed once (a key or value of up to 16 bytes)
				sp := unsafe.Pointer(unsafe.SliceData(src))
				j, m := i+1, specialMask(word(sp, i+1))
				if m == 0 {
					j, m = i+9, specialMask(word(sp, i+9))
				}
				if j += bits.TrailingZeros64(m) >> 3; *(*byte)(unsafe.Add(sp, j)) == '"' {
					end = j + 1
				}
			} else {
				end = plainEnd(src, i)
			}
			if end < 0 {
				end, esc, serr = p.scanTree(i)
			}
			if serr != nil {
				return p.synErr(serr, false)
			}
			if !esc && (!limited || end-i-2 <= p.maxStr) {
				p.addNode(node{start: uint32(i), end: uint32(end)})
			} else if err := p.stringValue(i, end, esc); err != nil {
				return err
			}
			i = end
		case '{', '[':
			if c == '[' && !limited {
				// [] or plain strings (a multi-value header's)
				var vend int
				if vend, p.nodes = p.fastArray(i); vend >= 0 {
					i = vend
					goto valueEnded
				}
			}
			if len(p.frames) >= p.maxDepth {
				return p.limitErr(LimitDepth, p.maxDepth, i, false)
			}
			j := skipWS(src, i+1)
			if j >= n {
				return p.synErr(errEOF(n), false)
			}
			if c == '{' && src[j] == '}' || c == '[' && src[j] == ']' {
				p.addNode(node{start: uint32(i), end: uint32(j+1) | extSlot})
				p.addNode(node{start: 0, end: uint32(len(p.nodes) + 1)})
				i = j + 1
				break
			}
			f = p.pushTree(i, c == '{')
			i, wantKey = j, c == '{'
			continue
		case 't', 'f', 'n':
			end := literalEnd(src, i, c)
			if end < 0 {
				lit := "null"
				if c == 't' {
					lit = "true"
				} else if c == 'f' {
					lit = "false"
				}
				var serr *SyntaxError
				if end, serr = scanLiteral(src, i, lit); serr != nil {
					return p.synErr(serr, false)
				}
			}
			p.addNode(node{start: uint32(i), end: uint32(end)})
			i = end
		default:
			if c != '-' && !isDigit(c) {
				return p.synErr(errChar(i, c, "looking for beginning of value"), false)
			}
			end, serr := scanNumber(src, i)
			if serr != nil {
				return p.synErr(serr, false)
			}
			p.addNode(node{start: uint32(i), end: uint32(end)})
			i = end
		}
		// A value ended at i: close containers until a ',' or the end.
	valueEnded:
		if sp := unsafe.Pointer(unsafe.SliceData(src)); i+1 < n && *(*byte)(unsafe.Add(sp, i)) == ',' && *(*byte)(unsafe.Add(sp, i+1)) > ' ' && f != nil {
			// value,next with no blanks (most input)
			f.idx++
			i++
			wantKey = f.obj
			continue
		}
		for {
			i = skipWS(src, i)
			if f == nil {
				if i < n {
					return p.synErr(errChar(i, src[i], "after top-level value"), false)
				}
				return nil
			}
			if i >= n {
				return p.synErr(errEOF(n), false)
			}
			c := src[i]
			if c == ',' {
				f.idx++
				i = skipWS(src, i+1)
				wantKey = f.obj
				break
			}
			if f.obj && c == '}' || !f.obj && c == ']' {
				f = p.popTree(i)
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

// Where fastMembers stopped: at a key, at a value (its key read), or
// just past a value.
const (
	atKey = iota
	atValue
	atEnd
)

// fastMembers reads, for runTree (under no string or element limit), the
// members of the object f from its key at src[i] on while they are
// "key":value with no blanks, the key a plain string (no escape, control
// or non-ASCII byte) its object's filter does not hold, the value a plain
// string or a literal, each string ending within fastWords words: it adds
// their nodes and updates f as runTree would. It stops at the first
// member it does not take whole, before its key (atKey) or before its
// value (atValue, the key read), or past a value that a ',' and a key's
// quote do not follow (atEnd); runTree goes on from there. It reads
// whole words only within src and never fails: anything else is
// runTree's.
func (p *parser) fastMembers(f *frame, i int) (int, int) {
	src := p.src
	n := len(src)
	sp := unsafe.Pointer(unsafe.SliceData(src))
	// the nodes are written at nn, within the arena's capacity (no
	// append: its growth call would make the loop keep its values on the
	// stack)
	nodes, nn := p.nodes[:cap(p.nodes)], len(p.nodes)
	dup := p.dupCheck
	at := atKey
	for {
		// the key: src[i] is its opening quote (runTree's callers, and
		// the loop below, made sure)
		if i+1+8*fastWords > n || len(nodes)-nn < 2 || src[i] != '"' {
			break
		}
		end := -1
		for j := i + 1; j < i+1+8*fastWords; j += 8 {
			if m := specialMask(word(sp, j)); m != 0 {
				if j += bits.TrailingZeros64(m) >> 3; *(*byte)(unsafe.Add(sp, j)) == '"' {
					end = j + 1
				}
				break
			}
		}
		// ':' and the value's first byte, with no blank between
		if end < 0 || end+2+8*fastWords > n || *(*byte)(unsafe.Add(sp, end)) != ':' || *(*byte)(unsafe.Add(sp, end+1)) <= ' ' {
			break
		}
		kn := end - i - 2
		var b uint64
		if dup {
			if b = keyBitAt(src, i+1, kn); f.seen&b != 0 || f.idx >= smallObject {
				break
			}
		}
		f.keyOff, f.keyLen, f.keyEsc = uint32(i+1), uint32(kn), false
		f.seen |= b
		nodes[nn] = node{start: uint32(i), end: uint32(end)}
		nn++
		i, at = end+1, atValue
		// the value
		vend := -1
		switch c := *(*byte)(unsafe.Add(sp, i)); c {
		case '"':
			for j := i + 1; j < i+1+8*fastWords; j += 8 {
				if m := specialMask(word(sp, j)); m != 0 {
					if j += bits.TrailingZeros64(m) >> 3; *(*byte)(unsafe.Add(sp, j)) == '"' {
						vend = j + 1
					}
					break
				}
			}
		case 'n', 't', 'f':
			vend = literalEnd(src, i, c)
		}
		if vend < 0 {
			break
		}
		nodes[nn] = node{start: uint32(i), end: uint32(vend)}
		nn++
		i, at = vend, atEnd
		if vend+1 >= n || *(*byte)(unsafe.Add(sp, vend)) != ',' || *(*byte)(unsafe.Add(sp, vend+1)) != '"' {
			break
		}
		f.idx++
		i, at = vend+1, atKey
	}
	p.nodes = nodes[:nn]
	return i, at
}

// fastArray is runTree's reading (under no string or element limit) of
// the array at src[i] when it is [] or plain strings with no blanks (a
// multi-value header's): it writes its node and extension slot as pushTree
// and popTree do, once its ']' is found (the elements' nodes are written
// past them meanwhile, within the arena's room; nothing is kept if the
// array is not taken), and returns the offset past it and the nodes, or
// -1 and p.nodes as they were. (Not in fastMembers' loop: a call there, or
// its code in line, made every member dearer.)
func (p *parser) fastArray(i int) (int, []node) {
	nodes, nn := p.nodes[:cap(p.nodes)], len(p.nodes)
	src := p.src
	n := len(src)
	sp := unsafe.Pointer(unsafe.SliceData(src))
	vend := -1
	if i+2+8*fastWords > n || len(p.frames) >= p.maxDepth || len(nodes)-nn < 2 {
		return -1, p.nodes
	}
	k, j, cnt := nn+2, i+1, 0
	if *(*byte)(unsafe.Add(sp, j)) == ']' {
		vend = j + 1
	}
	for vend < 0 && j+2+8*fastWords <= n && k < len(nodes) && *(*byte)(unsafe.Add(sp, j)) == '"' {
		e := -1
		for w := j + 1; w < j+1+8*fastWords; w += 8 {
			if m := specialMask(word(sp, w)); m != 0 {
				if w += bits.TrailingZeros64(m) >> 3; *(*byte)(unsafe.Add(sp, w)) == '"' {
					e = w + 1
				}
				break
			}
		}
		if e < 0 {
			break
		}
		nodes[k] = node{start: uint32(j), end: uint32(e)}
		k++
		cnt++
		if c := *(*byte)(unsafe.Add(sp, e)); c == ']' {
			vend = e + 1
		} else if c != ',' {
			break
		}
		j = e + 1
	}
	if vend < 0 {
		return -1, p.nodes
	}
	nodes[nn] = node{start: uint32(i), end: uint32(vend) | extSlot}
	nodes[nn+1] = node{start: uint32(cnt), end: uint32(k)}
	return vend, nodes[:k]
}

// fastWords bounds the strings fastMembers reads: 64 bytes.
const fastWords = 8

// pushTree is push for runTree, which needs no p.keys or p.kbuf offsets
// (its duplicate check reads the tree): it returns the new frame.
func (p *parser) pushTree(i int, obj bool) *frame {
	// its node and extension slot, with one test of the room (growNodes
	// makes room for 16 nodes at least)
	n := len(p.nodes)
	if cap(p.nodes)-n < 2 {
		p.growNodes()
	}
	p.nodes = p.nodes[:n+2]
	p.nodes[n], p.nodes[n+1] = node{start: uint32(i)}, node{}
	if n := len(p.frames); n < cap(p.frames) {
		p.frames = p.frames[:n+1]
	} else {
		p.frames = append(p.frames, frame{})
	}
	f := &p.frames[len(p.frames)-1]
	f.obj, f.idx, f.node = obj, 0, uint32(len(p.nodes)-2)
	f.keyLen, f.keyEsc, f.seen = 0, false, 0 // (f.set is nil: popTree and release reset it)
	return f
}

// popTree is pop for runTree: it returns the frame that is innermost
// again (nil at the top level).
func (p *parser) popTree(i int) *frame {
	n := len(p.frames) - 1
	f := &p.frames[n]
	p.nodes[f.node].end = uint32(i+1) | extSlot
	p.nodes[f.node+1] = node{start: uint32(f.idx + 1), end: uint32(len(p.nodes))}
	if f.set != nil {
		p.putSet(f.set)
		f.set = nil
	}
	p.frames = p.frames[:n]
	if n == 0 {
		return nil
	}
	return &p.frames[n-1]
}

// push opens a non-empty container, an object or an array (Walk's;
// runTree's is pushTree).
func (p *parser) push(obj bool) {
	if n := len(p.frames); n < cap(p.frames) {
		p.frames = p.frames[:n+1]
	} else {
		p.frames = append(p.frames, frame{})
	}
	f := &p.frames[len(p.frames)-1]
	f.obj = obj
	f.idx = 0
	if obj {
		f.keyLen, f.keyEsc = 0, false
		f.kbufStart = int32(len(p.kbuf))
		if p.dupCheck {
			f.keyStart = int32(len(p.keys))
			// (f.set is always nil here: pop and release reset it)
			f.seen = 0
		}
	}
}

// dropSet returns the keySet of f, an object closing, to the pool.
//
//go:noinline
func (p *parser) dropSet(f *frame) {
	p.putSet(f.set)
	f.set = nil
}

// dupErr reports the repeated key k at src[i].
//
//go:noinline
func (p *parser) dupErr(i int, k string) error {
	e := p.limitErr(LimitDuplicateKey, 1, i, false)
	e.Key = strings.Clone(shorten(k)) // k may alias a pooled buffer
	return e
}

// bigString is the length past which stringValue unescapes a string into
// an array of its own.
const bigString = 4 << 10

// stringValue handles a string value spanning src[start:end] that has
// escapes or exceeds MaxStringBytes before unescaping.
func (p *parser) stringValue(start, end int, esc bool) error {
	raw := p.src[start+1 : end-1]
	if !esc {
		return p.limitErr(LimitStringBytes, p.maxStr, start, false)
	}
	if p.tree {
		off, err := p.unescapeToBuf(start, end, false)
		if err != nil {
			return err
		}
		p.addNode(node{start: uint32(start), end: uint32(end) | extSlot})
		p.addNode(node{start: uint32(off), end: uint32(len(p.buf) - off)})
		return nil
	}
	if p.visit == nil && len(raw) <= p.maxStr {
		return nil // validation only; unescaping never lengthens a string
	}
	if p.visit != nil && len(raw) > bigString {
		// A long string is unescaped straight into its own array, which
		// becomes the visited string: no scratch grown to its size and
		// copied again (twice its size for one string).
		b := appendUnescaped(make([]byte, 0, len(raw)), raw)
		if len(b) > p.maxStr {
			return p.limitErr(LimitStringBytes, p.maxStr, start, false)
		}
		p.path.key = false
		return p.visit(&p.path, unsafe.String(unsafe.SliceData(b), len(b)), false)
	}
	if p.visit == nil {
		p.scratch = appendUnescaped(p.scratch[:0], raw)
		if len(p.scratch) > p.maxStr {
			return p.limitErr(LimitStringBytes, p.maxStr, start, false)
		}
		return nil
	}
	// The visited string is cut from the walk's slab: bytes written once
	// and never again (it stays valid after the call, as a string of its
	// own would), one allocation for many escaped strings rather than one
	// each (a log batch's messages, with their tabs and quotes, all are).
	if len(raw) > cap(p.slab)-len(p.slab) {
		p.slab = make([]byte, 0, slabSize(len(raw), cap(p.slab), len(p.src)-start))
	}
	n := len(p.slab)
	p.slab = appendUnescaped(p.slab, raw) // (within its room: no growth)
	if len(p.slab)-n > p.maxStr {
		return p.limitErr(LimitStringBytes, p.maxStr, start, false)
	}
	p.path.key = false
	return p.visit(&p.path, unsafe.String(&p.slab[n], len(p.slab)-n), false)
}

// slabSize is the capacity of a walk's next slab for escaped strings,
// which needs room for need bytes (an unescaped string is never longer
// than its escaped form), after one of capacity prev: twice as large,
// from 2 KB up to 64 KB, but no more than the rest of the document (from
// the string on) can need.
func slabSize(need, prev, rest int) int {
	return max(need, min(max(2*prev, 2<<10), 64<<10, rest))
}

// escapedKey unescapes the key spanning src[start:end] into the key buffer
// (adding its nodes when parsing) and returns its location there.
func (p *parser) escapedKey(start, end int) (off, n int, err error) {
	if p.tree {
		if off, err = p.unescapeToBuf(start, end, true); err != nil {
			return 0, 0, err
		}
		n = len(p.buf) - off
		p.addNode(node{start: uint32(start), end: uint32(end) | extSlot})
		p.addNode(node{start: uint32(off), end: uint32(n)})
		return off, n, nil
	}
	off = len(p.kbuf)
	p.kbuf = appendUnescaped(p.kbuf, p.src[start+1:end-1])
	n = len(p.kbuf) - off
	if n > p.maxStr {
		return 0, 0, p.limitErr(LimitStringBytes, p.maxStr, start, true)
	}
	return off, n, nil
}

// unescapeToBuf appends the unescaped string src[start:end] to the Doc
// buffer, checks its length and returns its offset. The buffer is never
// modified once written, so strings aliasing it stay valid.
func (p *parser) unescapeToBuf(start, end int, isKey bool) (int, error) {
	if off := p.escOff; off >= 0 {
		// unescaped by scanTree as it was validated
		p.escOff = -1
		if len(p.buf)-off > p.maxStr {
			return 0, p.limitErr(LimitStringBytes, p.maxStr, start, isKey)
		}
		return off, nil
	}
	if p.buf == nil {
		// Escaped strings are rare and short in typical events; size the
		// buffer for the rest of the input when that is small.
		p.buf = make([]byte, 0, min(len(p.src)-start, 4<<10))
	}
	off := len(p.buf)
	if raw := end - start - 2; cap(p.buf)-off < raw {
		// Unescaping never lengthens a string. Grow by extrapolating the
		// escaped bytes per input byte seen so far.
		buf := make([]byte, off, max(extrapolate(off, start, len(p.src)), off+raw))
		copy(buf, p.buf)
		p.buf = buf
	}
	p.buf = appendUnescaped(p.buf, p.src[start+1:end-1])
	if len(p.buf)-off > p.maxStr {
		return 0, p.limitErr(LimitStringBytes, p.maxStr, start, isKey)
	}
	return off, nil
}

// addNode appends nd to p.nodes, growing the arena geometrically. The new
// capacity is extrapolated from the node density seen so far, so a
// homogeneous document needs one or two allocations.
func (p *parser) addNode(nd node) {
	if len(p.nodes) == cap(p.nodes) {
		p.growNodes()
	}
	p.nodes = append(p.nodes, nd)
}

//go:noinline
func (p *parser) growNodes() {
	n := len(p.nodes)
	pos := 0
	if n > 0 {
		// The input position reached: the last node is a value or key, or
		// an extension slot right after one (whose start is a count or a
		// buffer offset, both smaller).
		pos = int(p.nodes[n-1].start)
		if n > 1 {
			pos = max(pos, int(p.nodes[n-2].start))
		}
	}
	want := extrapolate(n, pos, len(p.src))
	// Each node, or pair of slots, starts at its own input byte (or two).
	want = min(want, 2*len(p.src)+16)
	nodes := make([]node, n, want)
	copy(nodes, p.nodes)
	p.nodes = nodes
}

// extrapolate returns the capacity for a buffer holding n units after pos of
// total input bytes: the density so far applied to the whole input, +10%,
// but at least 1.25 n (so growth stays geometric).
func extrapolate(n, pos, total int) int {
	want := n + n/4 + 16
	if pos > 0 {
		want = max(want, int(float64(n)*float64(total)/float64(pos)*1.1)+16)
	}
	return want
}

// initialNodes estimates the arena size for an input of n bytes: about one
// node per 8 bytes for small inputs, capped so that a string-heavy large
// input does not over-allocate (growNodes extrapolates from there).
func initialNodes(n int) int {
	return min(n/8+16, largeNodes)
}

// addKey records key k (aliasing src or the key buffer, located by f's
// current key; its opening quote at src[pos]) of the object f and reports
// whether it is a duplicate. Up to smallObject keys, an object's keys are
// recorded in p.keys and their keyBit in a 64-bit filter (f.seen): a key
// whose bit is not set is new (run records most keys so, in line); one
// whose bit is set is compared with the keys one by one. Objects with more
// keys switch to a (pooled) keySet.
func (p *parser) addKey(f *frame, k string, pos int) bool {
	if f.set != nil {
		return p.setKey(f.set, k, pos)
	}
	keys := p.keys[f.keyStart:]
	if len(keys) >= smallObject {
		m := p.newSet()
		m.start = int(keys[0].pos)
		for _, r := range keys {
			p.setKey(m, p.keyString(r.off, r.n, r.esc), int(r.pos))
		}
		p.keys = p.keys[:f.keyStart]
		f.set = m
		return p.setKey(m, k, pos)
	}
	b := keyBit(k)
	if f.seen&b != 0 {
		for _, r := range keys {
			if int(r.n) == len(k) && p.keyString(r.off, r.n, r.esc) == k {
				return true
			}
		}
	}
	f.seen |= b
	p.keys = append(p.keys, keyRef{off: f.keyOff, n: f.keyLen, pos: uint32(pos), esc: f.keyEsc})
	return false
}

// keyBit is the bit of a key in an object's 64-bit filter: one of the top
// six bits of its keyHash.
func keyBit(k string) uint64 {
	return 1 << (keyHash(k) >> 58)
}

// keyBitAt is keyBit of the n bytes at src[at:], which are in src.
func keyBitAt(src []byte, at, n int) uint64 {
	if n == 0 {
		return 1
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(src)), at)
	h := uint64(n) | uint64(*(*byte)(p))<<16 | uint64(*(*byte)(unsafe.Add(p, n>>1)))<<32 | uint64(*(*byte)(unsafe.Add(p, n-1)))<<48
	return 1 << (h * 0x9E3779B97F4A7C15 >> 58)
}

// treeKey is runTree's duplicate check of the current key of f (its
// opening quote at src[pos], its keyBit b) when the filter does not tell it
// new: f's previous keys are read back from their nodes (a tree has them;
// p.keys is Walk's) and compared with it, or, in an object past smallObject
// keys, put in a keySet once, which then takes every key.
//
//go:noinline
func (p *parser) treeKey(f *frame, pos int, b uint64) error {
	k := p.keyString(f.keyOff, f.keyLen, f.keyEsc)
	if f.set == nil && f.idx >= smallObject {
		m := p.newSet()
		for j, n := f.node+2, 0; n < f.idx; n++ {
			if n == 0 {
				m.start = int(p.nodes[j].start)
			}
			p.setKey(m, p.nodeKey(j), int(p.nodes[j].start))
			j = p.nodeNext(p.nodeNext(j))
		}
		f.set = m
	}
	if f.set != nil {
		if p.setKey(f.set, k, pos) {
			return p.dupErr(pos, k)
		}
		return nil
	}
	src, nodes := p.src, p.nodes
	for j, n := f.node+2, 0; n < f.idx; n++ {
		// a plain key's length and bytes are compared in line
		nd, vj := nodes[j], j+1
		if nd.end&extSlot == 0 {
			if int(nd.end-nd.start-2) == len(k) && string(src[nd.start+1:nd.end-1]) == k {
				return p.dupErr(pos, k)
			}
		} else if vj = j + 2; p.nodeKey(j) == k {
			return p.dupErr(pos, k)
		}
		j = p.nodeNext(vj)
	}
	f.seen |= b
	return nil
}

// nodeKey is the key of key node j of the tree being built.
func (p *parser) nodeKey(j uint32) string {
	nd := p.nodes[j]
	if nd.end&extSlot == 0 {
		return unsafe.String(&p.src[nd.start+1], nd.end-nd.start-2)
	}
	return p.keyString(p.nodes[j+1].start, p.nodes[j+1].end, true)
}

// nodeNext is the index of the node after the subtree of node j of the
// tree being built (closed: Doc.next).
func (p *parser) nodeNext(j uint32) uint32 {
	nd := p.nodes[j]
	if nd.end&extSlot == 0 {
		return j + 1
	}
	if p.src[nd.start] == '"' {
		return j + 2
	}
	return p.nodes[j+1].end
}

// keySet is the duplicate check of an object with many keys: an
// open-addressing hash set of the keys' source offsets (at most 3/4 full,
// probed by triangular steps, which visit every slot of a power of two),
// hashed with a per-process seed so that no input can make its keys
// collide. A key is read back from the source only to confirm a hash slot
// that may hold it. A source of less than 64 KB has its offsets in 2-byte
// slots (small), a larger one in 4-byte slots: the slots of a set that
// doubled are garbage, and an object of short keys ("a1":1) in a small
// document would otherwise cost twice its size. (A map[string]struct{}
// costs 5-9 times the size of an object of short keys, counting its
// growth.)
type keySet struct {
	slots []uint32 // offset of a key's opening quote in src, plus 1; 0 = empty
	small []uint16 // the same, when src is shorter than smallSrc
	n     int
	grow  int // n at which the set grows: 3/4 of its slots (1/2 of small)
	start int // offset of the object's first key: growSet extrapolates from it
}

// smallSrc bounds the sources whose key offsets (plus 1) fit in a uint16;
// tagSrc those whose offsets leave a uint32's top byte to a tag, the top
// byte of the key's hash (with the slots far bigger than a cache, a
// read of the source to tell two keys apart costs a cache miss).
const (
	smallSrc = math.MaxUint16
	tagSrc   = 1<<24 - 1
)

var keySeed = maphash.MakeSeed()

// keySecrets are setHash's per-process random keys.
var keySecrets = [4]uint64{
	maphash.String(keySeed, "0"), maphash.String(keySeed, "1"),
	maphash.String(keySeed, "2"), maphash.String(keySeed, "3"),
}

// setHash is a keySet's hash of the key k: maphash for a long key; a
// short one (16 bytes at most, most keys) is read as two words (the
// first and last eight, four or one bytes), mixed with the per-process
// random keys by two 128-bit multiplications, as wyhash reads short
// input: a few instructions where maphash's calls cost some seventy.
func setHash(k string) uint64 {
	n := len(k)
	if n > 16 {
		return longHash(k)
	}
	b := unsafe.Slice(unsafe.StringData(k), n)
	var x, y uint64
	switch {
	case n >= 8:
		x, y = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		x, y = uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		x = uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1])
	}
	return mixKey(x, y, n)
}

// mixKey is setHash of a key of n <= 16 bytes read as x and y.
func mixKey(x, y uint64, n int) uint64 {
	return mix64(mix64(x^keySecrets[0], y^keySecrets[1])^keySecrets[2], uint64(n)^keySecrets[3])
}

// hashAt is setHash of the key whose opening quote is at src[pos] (it was
// scanned before: valid), for a rehash. A key that ends in the word after
// its quote, all printable ASCII (most keys), is hashed from that word as
// setHash reads it (TestHashAt); any other is read back by keyAt.
func (p *parser) hashAt(pos int) uint64 {
	if pos+10 <= len(p.src) {
		w := word(unsafe.Pointer(unsafe.SliceData(p.src)), pos+1)
		n := bits.TrailingZeros64(specialMask(w)) >> 3
		if n < 8 && byte(w>>(8*n)) == '"' {
			return wordHash(w, n)
		}
	}
	return setHash(p.keyAt(pos))
}

// wordHash is setHash of a key of n < 8 plain bytes, the low bytes of w
// (read from the byte after its opening quote), as setHash reads them.
func wordHash(w uint64, n int) uint64 {
	x, y := wordXY(w, n)
	return mixKey(x, y, n)
}

// wordXY reads the key of wordHash as setHash does, into the two words
// mixKey mixes (small enough to inline: the shifts are masked, n < 8).
func wordXY(w uint64, n int) (x, y uint64) {
	if n >= 4 {
		return w & 0xffffffff, w >> (8 * (n - 4) & 63) & 0xffffffff
	}
	if n > 0 {
		x = (w&0xff)<<16 | (w>>(8*(n>>1)&63)&0xff)<<8 | w>>(8*(n-1)&63)&0xff
	}
	return x, 0
}

// longHash is setHash of a key longer than 16 bytes (out of line: setHash
// stays small enough to inline).
func longHash(k string) uint64 { return maphash.String(keySeed, k) }

// mix64 folds the 128-bit product of x and y.
func mix64(x, y uint64) uint64 {
	hi, lo := bits.Mul64(x, y)
	return hi ^ lo
}

// newSet returns an empty keySet for p's source, pooled if one is free.
func (p *parser) newSet() *keySet {
	small := len(p.src) < smallSrc
	for l := len(p.freeSets); l > 0; l = len(p.freeSets) {
		m := p.freeSets[l-1]
		p.freeSets = p.freeSets[:l-1]
		if (m.small != nil) == small {
			return m
		}
	}
	if small {
		return &keySet{small: make([]uint16, 4*smallObject), grow: setGrow(4*smallObject, true)}
	}
	return &keySet{slots: make([]uint32, 4*smallObject), grow: setGrow(4*smallObject, false)}
}

// setKey adds the key k, whose opening quote is at src[pos], to m and
// reports whether it was there already.
func (p *parser) setKey(m *keySet, k string, pos int) bool {
	if m.n >= m.grow {
		p.growSet(m, pos)
	}
	h := setHash(k)
	var dup bool
	if m.small != nil {
		dup = probeKey(p, m.small, h, k, pos, 0, math.MaxUint16)
	} else if len(p.src) < tagSrc {
		// the hash's top byte in the slot's: a slot with another
		// one holds another key, no read of the source needed
		dup = probeKey(p, m.slots, h, k, pos, uint32(h>>56)<<24, tagSrc)
	} else {
		dup = probeKey(p, m.slots, h, k, pos, 0, math.MaxUint32)
	}
	if !dup {
		m.n++
	}
	return dup
}

// setSrcKey is setKey of the key k, whose opening quote is at src[pos],
// escaped (esc: k is in the key buffer) or not (k is in the source). A
// plain key of n < 8 bytes whose word after the quote is in the source
// (pos+10 <= len(src)), most keys of a big object, is hashed from that
// word (wordHash, inlined) and compared with the stored keys a word at
// a time as probeKey does, in this one call.
func (p *parser) setSrcKey(m *keySet, k string, pos int, esc bool) bool {
	n := len(k)
	if esc || n >= 8 || pos+10 > len(p.src) {
		return p.setKey(m, k, pos)
	}
	if m.n >= m.grow {
		p.growSet(m, pos)
	}
	src := unsafe.Pointer(unsafe.SliceData(p.src))
	w := word(src, pos+1)
	x, y := wordXY(w, n)
	h := mixKey(x, y, n)
	keep := uint64(1)<<(8*n+8) - 1 // the key's bytes and its closing quote
	w &= keep
	if slots := m.small; slots != nil {
		mask := len(slots) - 1
		for i, step := int(h)&mask, 1; ; i, step = (i+step)&mask, step+1 {
			s := slots[i]
			if s == 0 {
				slots[i] = uint16(pos + 1)
				m.n++
				return false
			}
			if at := int(s); at+8 <= len(p.src) {
				d := word(src, at)&keep ^ w
				if d == 0 {
					return true
				}
				if *(*byte)(unsafe.Add(src, at+bits.TrailingZeros64(d)>>3)) != '\\' {
					continue
				}
			}
			if p.wordSame(int(s), pos, n) {
				return true
			}
		}
	}
	tag, posMask := uint32(0), uint32(math.MaxUint32)
	if len(p.src) < tagSrc {
		tag, posMask = uint32(h>>56)<<24, tagSrc
	}
	slots := m.slots
	mask := len(slots) - 1
	for i, step := int(h)&mask, 1; ; i, step = (i+step)&mask, step+1 {
		s := slots[i]
		if s == 0 {
			slots[i] = uint32(pos+1) | tag
			m.n++
			return false
		}
		if s&^posMask != tag {
			continue
		}
		if at := int(s & posMask); at+8 <= len(p.src) {
			d := word(src, at)&keep ^ w
			if d == 0 {
				return true
			}
			if *(*byte)(unsafe.Add(src, at+bits.TrailingZeros64(d)>>3)) != '\\' {
				continue
			}
		}
		if p.wordSame(int(s&posMask), pos, n) {
			return true
		}
	}
}

// wordSame is setSrcKey's comparison of its key, n bytes at
// src[pos+1:], with the stored key whose first byte is src[at] when the
// words do not tell: by sameKey.
func (p *parser) wordSame(at, pos, n int) bool {
	return p.sameKey(at-1, unsafe.String(&p.src[pos+1], n))
}

// probeKey looks k (hash h, its opening quote at src[pos]) up in slots and
// adds it when it is not there. A slot holds the offset plus 1 in the
// bits of posMask and tag, k's tag, in the others. A key k shorter than
// eight bytes that is itself in the source (no escapes) is compared with
// a stored key a word at a time, up to k's closing quote: the same word
// is the same key; one that differs first at a byte that is not a
// backslash is another key (the bytes before are k's, plain, and there the
// stored key ends or reads another byte). The rest (an escape, a key near
// the end of the source) are compared by sameKey.
func probeKey[T uint16 | uint32](p *parser, slots []T, h uint64, k string, pos int, tag, posMask T) bool {
	mask := len(slots) - 1
	for i, step := int(h)&mask, 1; ; i, step = (i+step)&mask, step+1 {
		s := slots[i]
		if s == 0 {
			slots[i] = T(pos+1) | tag
			return false
		}
		if s&^posMask != tag {
			continue
		}
		at := int(s & posMask) // the stored key's first byte
		if src := unsafe.Pointer(unsafe.SliceData(p.src)); len(k) < 8 && max(at, pos+1)+8 <= len(p.src) && unsafe.Pointer(unsafe.StringData(k)) == unsafe.Add(src, pos+1) {
			d := (word(src, at) ^ word(src, pos+1)) & (1<<(8*len(k)+8) - 1)
			if d == 0 {
				return true
			}
			if *(*byte)(unsafe.Add(src, at+bits.TrailingZeros64(d)>>3)) != '\\' {
				continue
			}
		}
		if p.sameKey(at-1, k) {
			return true
		}
	}
}

// sameKey reports whether the key whose opening quote is at src[pos]
// reads k. The source is compared with k byte by byte: up to a backslash
// in it (an escape: the key is read back unescaped and compared whole), a
// difference or a quote (the stored key ends there) proves them different;
// k's bytes followed by the closing quote prove them the same.
func (p *parser) sameKey(pos int, k string) bool {
	raw := p.src[pos+1:]
	for j := 0; j < len(k); j++ {
		// (raw holds the key's closing quote: the loop stops at it)
		r := raw[j]
		if r == '\\' {
			return p.keyAt(pos) == k
		}
		if r != k[j] || r == '"' {
			return false
		}
	}
	return raw[len(k)] == '"'
}

// keyAt reads back the key whose opening quote is at src[pos] (it was
// scanned before: valid), unescaped into p.cmp when it has escapes. A key
// that ends in the word after its quote, all printable ASCII (most keys),
// is found from the word's mask; any other is read by keyAtSlow.
func (p *parser) keyAt(pos int) string {
	if end := plainEnd(p.src, pos); end >= 0 {
		return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(p.src)), pos+1)), end-pos-2)
	}
	return p.keyAtSlow(pos)
}

// keyAtSlow is keyAt of a key read by scanString.
func (p *parser) keyAtSlow(pos int) string {
	end, esc, _ := scanString(p.src, pos)
	if !esc {
		return unsafe.String(&p.src[pos+1], end-pos-2)
	}
	p.cmp = appendUnescaped(p.cmp[:0], p.src[pos+1:end-1])
	if len(p.cmp) == 0 {
		return ""
	}
	return unsafe.String(&p.cmp[0], len(p.cmp))
}

// growSet grows m, whose next key is at src[pos], and rehashes its keys.
// The new size holds the keys extrapolated from the object's density so far
// over the rest of the source, +10%: a big object of small members (the
// common case of a big set) is rehashed once or twice rather than once per
// doubling. It at least doubles and grows at most fourfold, or further
// while the parser's setJump allows: slots of as many bytes as the source
// in all, over every set of the parse, so that an object that ends early
// (or objects nested in each other, each extrapolating over the same rest)
// costs at most that beyond a few times the slots it needs.
func (p *parser) growSet(m *keySet, pos int) {
	size := len(m.slots) + len(m.small)
	want := 2 * size
	if pos > m.start {
		est := int(float64(m.n)*float64(len(p.src)-m.start)/float64(pos-m.start)*1.1) + 1
		unit := 4
		if m.small != nil {
			unit = 2
		}
		for setGrow(want, m.small != nil) < est && (want < 4*size || 2*want*unit <= p.setJump) {
			want *= 2
		}
		if want > 4*size {
			p.setJump -= want * unit
		}
	}
	switch {
	case m.small != nil:
		m.small = rehash(p, m.small, math.MaxUint16, want)
	case len(p.src) < tagSrc:
		m.slots = rehash(p, m.slots, tagSrc, want)
	default:
		m.slots = rehash(p, m.slots, math.MaxUint32, want)
	}
	m.grow = setGrow(want, m.small != nil)
}

// setGrow is the number of keys at which a set of size slots grows: half
// of 2-byte slots (no hash tag: every probe compares the source), 3/4 of
// 4-byte ones.
func setGrow(size int, small bool) int {
	if small {
		return size / 2
	}
	return size / 4 * 3
}

func rehash[T uint16 | uint32](p *parser, old []T, posMask T, size int) []T {
	slots := make([]T, size)
	mask := len(slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		pos := int(s&posMask - 1)
		hk, ok := uint64(0), false
		if pos+10 <= len(p.src) {
			// hashAt's word, without its call
			w := word(unsafe.Pointer(unsafe.SliceData(p.src)), pos+1)
			if n := bits.TrailingZeros64(specialMask(w)) >> 3; n < 8 && byte(w>>(8*n)) == '"' {
				x, y := wordXY(w, n) // wordHash(w, n), inlined
				hk, ok = mixKey(x, y, n), true
			}
		}
		if !ok {
			hk = p.hashAt(pos)
		}
		h := int(hk) & mask
		for step := 1; slots[h] != 0; step++ {
			h = (h + step) & mask
		}
		slots[h] = s
	}
	return slots
}

// keyHash is a cheap fingerprint of a key: its length and first, middle and
// last bytes. Collisions only cost a linear scan.
func keyHash(s string) uint64 {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint64(n) | uint64(s[0])<<16 | uint64(s[n>>1])<<32 | uint64(s[n-1])<<48
	return h * 0x9E3779B97F4A7C15
}

// synErr completes e with the current path. dropKey omits the key of the
// innermost object (for errors that occur before its next key is known).
//
//go:noinline
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
	return string(p.appendFrames(nil, dropKey, true))
}

// scanTree is scanString when parsing (tree): a string with escapes is
// unescaped into p.buf as it is validated (unescapeFrom, one pass instead
// of scanString's and appendUnescaped's), and p.escOff records where, for
// unescapeToBuf. A string whose first byte that needs attention is not a
// backslash (non-ASCII) is read by scanRest and unescaped by unescapeToBuf.
func (p *parser) scanTree(i int) (end int, esc bool, err *SyntaxError) {
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	src := p.src
	sp, n := unsafe.Pointer(unsafe.SliceData(src)), len(src)
	j := i + 1
	for stop := min(n-8, i+8*mediumWords-7); j <= stop; j += 8 {
		x := word(sp, j)
		if m := ((x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)) & top; m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			switch *(*byte)(unsafe.Add(sp, j)) {
			case '"':
				return j + 1, false, nil
			case '\\':
				return p.unescapeFrom(i, j)
			}
			break
		}
	}
	return scanRest(src, j)
}

// unescapeFrom validates the string whose opening quote is at src[i] from
// the backslash at src[j] on (the bytes between are plain), as scanRest
// does and with its errors, and appends its unescaped form to p.buf as it
// goes: a word is copied at a time up to the next byte that needs
// attention, a run longer than two words is searched by IndexByte, checked
// by printable and copied. p.escOff is the offset of the string in p.buf.
func (p *parser) unescapeFrom(i, j int) (end int, esc bool, serr *SyntaxError) {
	src := p.src
	n := len(src)
	if p.buf == nil {
		// Escaped strings are rare and short in typical events; size the
		// buffer for the rest of the input when that is small.
		p.buf = make([]byte, 0, min(n-i, 4<<10))
	}
	off := len(p.buf)
	buf := p.buf
	// room: the bytes before src[j] and a chunk (grow makes more)
	if cap(buf)-off < j-i+32 {
		buf = p.growBuf(buf, off, i, j-i+32)
	}
	w := off + copy(buf[off:cap(buf)], src[i+1:j])
	// The output is written through op, which has room bytes: while r <=
	// rlim, 24 bytes of room are left at w (a word, a \u escape's four
	// bytes, a multi-byte rune), since w advances no more than r does
	// (unescaping never lengthens what it reads).
	op, room := unsafe.Pointer(unsafe.SliceData(buf)), cap(buf)
	r := j
	rlim := r + room - w - 24
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	sp := unsafe.Pointer(unsafe.SliceData(src))
	for {
		if r > rlim {
			// rlim assumed every byte read was written; w is behind r
			// by the escapes read since, so the room may still do
			if rlim = r + room - w - 24; r > rlim {
				buf = p.growBuf(unsafe.Slice((*byte)(op), room), w, r, 24)
				op, room = unsafe.Pointer(unsafe.SliceData(buf)), cap(buf)
				rlim = r + room - w - 24
			}
		}
		if useAVX2 {
			// plain bytes and one-letter escapes (most of a JSON
			// document inside a string) 32 bytes a round, as far as
			// the input and the room at w allow
			if lim := min(n-r, room-w); lim >= 32 {
				dr, dw := unescapeBlocks((*byte)(unsafe.Add(op, w)), (*byte)(unsafe.Add(sp, r)), lim)
				if r, w = r+dr, w+dw; r > rlim {
					continue
				}
			}
		} else if r <= n-9 {
			// the same in a small loop, a word at a time
			if r, w = unescapeRun(op, sp, r, w, min(rlim, n-9)); r > rlim {
				continue
			}
		}
		if r+8 <= n {
			x := word(sp, r)
			putWord(op, w, x)
			m := ((x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)) & top
			if m == 0 {
				r += 8
				w += 8
				if r+8 <= n {
					if y := word(sp, r); ((y-c20)|((y^quote)-one)|((y^bslash)-one))&top == 0 {
						// two plain words: a long run, up to the
						// byte that ends it (plainLen), copied whole
						p.buf = unsafe.Slice((*byte)(op), room)[:w]
						r, w = p.copyLongRun(r)
						op, room = unsafe.Pointer(unsafe.SliceData(p.buf)), cap(p.buf)
						rlim = r + room - w - 24
					}
				}
				continue
			}
			d := bits.TrailingZeros64(m) >> 3 // the first flag is exact
			r += d
			w += d
		} else {
			for r < n && strPlain[src[r]] {
				*(*byte)(unsafe.Add(op, w)) = src[r]
				w++
				r++
			}
			if r >= n {
				return 0, false, errEOF(n)
			}
		}
		switch c := *(*byte)(unsafe.Add(sp, r)); {
		case c == '"':
			p.buf, p.escOff = unsafe.Slice((*byte)(op), room)[:w], off
			return r + 1, true, nil
		case c == '\\':
			if r+1 >= n {
				return 0, false, errEOF(n)
			}
			e := *(*byte)(unsafe.Add(sp, r+1))
			if b := unescByte[e]; b != 0 {
				*(*byte)(unsafe.Add(op, w)) = b
				w++
				r += 2
				continue
			}
			if e != 'u' {
				return 0, false, errChar(r+1, e, "in string escape code")
			}
			if serr := hexEscape(src, r); serr != nil {
				return 0, false, serr
			}
			r, w = unescapeU(op, src, r, w)
		case c < 0x20:
			return 0, false, errChar(r, c, "in string literal")
		default: // c >= 0x80
			_, size := utf8.DecodeRune(src[r:])
			if size == 1 {
				return 0, false, &SyntaxError{Offset: int64(r), Msg: "invalid UTF-8 in string"}
			}
			w += copy(unsafe.Slice((*byte)(unsafe.Add(op, w)), size), src[r:r+size])
			r += size
		}
	}
}

// unescapeRun is unescapeFrom's loop over plain bytes and one-letter
// escapes, a small function with the mask's constants in registers: from
// src[r] (at sp) on, while r <= stop, it copies a word at a time to the
// output at op+w (24 bytes of room there while r <= stop, as unescapeFrom's
// rlim gives: w advances no more than r does) and writes the byte a
// one-letter escape stands for. It returns the offsets read and written at
// the first byte that needs attention and is no such escape (a quote, a
// \u escape, a control or non-ASCII byte: unescapeFrom's), at two plain
// words (a long run: copyLongRun's), or past stop. stop is at most
// len(src)-9, so that the word at r and the byte after a flagged one are
// in src.
func unescapeRun(op, sp unsafe.Pointer, r, w, stop int) (int, int) {
	k := &skipConsts
	c20, quote, bslash, one, top := k[0], k[1], k[2], k[3], k[4]
	for r <= stop {
		x := word(sp, r)
		putWord(op, w, x)
		m := ((x - c20) | ((x ^ quote) - one) | ((x ^ bslash) - one)) & top
		if m == 0 {
			if r+16 <= stop+9 {
				if y := word(sp, r+8); ((y-c20)|((y^quote)-one)|((y^bslash)-one))&top == 0 {
					return r, w
				}
			}
			r += 8
			w += 8
			continue
		}
		d := bits.TrailingZeros64(m) >> 3 // the first flag is exact
		r += d
		w += d
		if *(*byte)(unsafe.Add(sp, r)) != '\\' {
			return r, w
		}
		b := unescByte[*(*byte)(unsafe.Add(sp, r+1))]
		if b == 0 {
			return r, w
		}
		*(*byte)(unsafe.Add(op, w)) = b
		w++
		r += 2
	}
	return r, w
}

// copyLongRun is unescapeFrom's long run at src[r] (plain words, the output
// in p.buf up to its length): the plain bytes up to the first that is not
// (plainLen) are copied whole, p.buf grown for them. It returns the
// offsets read and written.
//
//go:noinline
func (p *parser) copyLongRun(r int) (int, int) {
	run := p.src[r:]
	run = run[:plainLen(run)]
	if cap(p.buf)-len(p.buf) < len(run)+24 {
		p.buf = p.growBuf(p.buf, len(p.buf), r, len(run)+24)
	}
	p.buf = append(p.buf, run...)
	return r + len(run), len(p.buf)
}

// hexEscape checks the four hex digits of the \u escape at src[r], as
// scanRest does.
func hexEscape(src []byte, r int) *SyntaxError {
	for k := r + 2; k < r+6; k++ {
		if k >= len(src) {
			return errEOF(len(src))
		}
		if unhex(src[k]) < 0 {
			return errChar(k, src[k], `in \u hexadecimal character escape`)
		}
	}
	return nil
}

// growBuf returns a buffer holding buf[:w] with room for need more bytes,
// sized by extrapolating the unescaped bytes per input byte (pos of src)
// seen so far. Unescaping never lengthens what it reads, so the rest of
// the input bounds what can still be written: when that bound is within
// twice the estimate it is taken at once. A long escaped string (an API
// Gateway body) was unescaped into an estimate and then into twice it, ~2.6
// times the string in all; it is now one buffer of about its size.
//
//go:noinline
func (p *parser) growBuf(buf []byte, w, pos, need int) []byte {
	want := max(extrapolate(w, pos, len(p.src)), w+need, 2*cap(buf))
	if bound := w + len(p.src) - pos + 32; bound < 2*want {
		want = max(bound, w+need)
	}
	nb := make([]byte, w, want)
	copy(nb, buf[:w])
	return nb
}
