package guard

import (
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
)

// cleanMemo remembers, for one guard and across invocations, strings of
// one kind that judgeString found clean: no detector match at all (with
// the guard's whole detector, not a narrower one past the findings bound),
// no deny pattern configured, valid UTF-8, no nested document, nothing
// that decodes (base64). What judgeString does with a string depends on
// the string, its input kind, its parent key, the nesting depth and the
// guard; the location only filters matches. So a string found clean once
// is clean again wherever the same guard meets it with the same kind and
// no parent key (and at any depth: below maxNest a string is judged with
// every check, at it with fewer): skipping it changes no verdict. Only
// such strings are remembered (see scanner.clean).
//
// The names of a JSON API's documents (its keys), the header values of
// its clients and many of its values repeat from one invocation to the
// next; a new one is judged in full. A string is stored once it was found
// clean twice in a row for its set (its hash is kept after the first
// time), so that strings that change on every invocation cost no copy;
// each set has two ways, so that two strings of one set are both kept,
// and takes a bounded number of stores, so that strings that keep taking
// each other's place (or a client sending new ones) cost a bounded number
// of copies over the guard's life, not some on every invocation. It is
// safe for concurrent use: ways are atomic pointers to immutable copies.
//
// Strings longer than cleanMax and up to cleanLongMax (a bearer token, a
// session cookie, a signed request's credential: the same on every call
// of one client) have a few sets of their own, so that they cannot take
// the names' places and their copies stay bounded (longSets × 2 ways ×
// cleanLongMax bytes live, maxStores copies per set over the guard's
// life).
type cleanMemo struct {
	sets [memoSets]cleanSet
	long [longSets]cleanSet
}

type cleanSet struct {
	ways   [2]atomic.Pointer[cleanEntry]
	seen   atomic.Uint64 // hash of the last string offered
	stores atomic.Uint32
}

// cleanEntry is a remembered string (a copy) with its memoWords.
type cleanEntry struct {
	x, y uint64
	s    string
}

const (
	memoSets  = 512
	maxStores = 8   // per set
	cleanMax  = 256 // longest string remembered in sets

	longSets     = 16   // sets of the strings longer than cleanMax
	cleanLongMax = 4096 // longest string remembered
)

// set is the set of a string of length n with memoHash h.
func (m *cleanMemo) set(n int, h uint64) *cleanSet {
	if n > cleanMax {
		return &m.long[h%longSets]
	}
	return &m.sets[h%memoSets]
}

// memoWords reads v's first and last eight bytes (four, or its bytes,
// when shorter): for a string of at most 16 bytes they hold every byte,
// so that with its length they tell it from any other. The words are read
// in place (unaligned loads, in the machine's byte order: the values are
// only compared with each other), so that the function is inlined into
// hitHash, which runs for most strings of an event.
func memoWords(v string) (x, y uint64) {
	p, n := unsafe.Pointer(unsafe.StringData(v)), len(v)
	switch {
	case n >= 8:
		return *(*uint64)(p), *(*uint64)(unsafe.Add(p, n-8))
	case n >= 4:
		return uint64(*(*uint32)(p)), uint64(*(*uint32)(unsafe.Add(p, n-4)))
	case n > 0:
		return uint64(*(*byte)(p))<<16 | uint64(*(*byte)(unsafe.Add(p, n>>1)))<<8 | uint64(*(*byte)(unsafe.Add(p, n-1))), 0
	}
	return 0, 0
}

// memoMix spreads strings over the sets from their memoWords and length
// (a few instructions where maphash costs a hundred for a short name). A
// string made to collide with another only takes a way of its set: a hit
// compares the whole string.
func memoMix(x, y uint64, n int) uint64 {
	h := (x ^ uint64(n)*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	h = (h ^ h>>29 ^ y) * 0xc4ceb9fe1a85ec53
	return h ^ h>>32
}

// memoHash is v's hash (memoMix of its memoWords).
func memoHash(v string) uint64 {
	x, y := memoWords(v)
	return memoMix(x, y, len(v))
}

// is reports whether e holds v, whose memoWords are x and y.
func (e *cleanEntry) is(v string, x, y uint64) bool {
	return e != nil && e.x == x && e.y == y && len(e.s) == len(v) && (len(v) <= 16 || e.s == v)
}

// noCleanMemo, set only by tests, makes every hit miss (the verdicts
// without the memos).
var noCleanMemo bool

// hit reports whether v is remembered clean.
func (m *cleanMemo) hit(v string) bool {
	ok, _ := m.hitHash(v)
	return ok
}

// hitHash is hit, and v's memoHash for offerHash (0 when v is never
// remembered): a string judged after a miss is hashed once.
func (m *cleanMemo) hitHash(v string) (bool, uint64) {
	if len(v) > cleanLongMax || v == "" {
		return false, 0
	}
	x, y := memoWords(v)
	h := memoMix(x, y, len(v))
	if noCleanMemo {
		return false, h
	}
	st := m.set(len(v), h)
	return st.ways[0].Load().is(v, x, y) || st.ways[1].Load().is(v, x, y), h
}

// offer notes that v was just found clean (see cleanMemo).
func (m *cleanMemo) offer(v string) {
	if len(v) > cleanLongMax || v == "" {
		return
	}
	m.offerHash(v, memoHash(v))
}

// offerHash is offer with v's memoHash h from hitHash (0: v is never
// remembered).
func (m *cleanMemo) offerHash(v string, h uint64) {
	if h == 0 && (len(v) > cleanLongMax || v == "") {
		return
	}
	st := m.set(len(v), h)
	if st.stores.Load() >= maxStores || st.seen.Swap(h) != h {
		return
	}
	w := 0 // an empty way, else the one h names
	switch {
	case st.ways[0].Load() == nil:
	case st.ways[1].Load() == nil:
		w = 1
	default:
		w = int(h>>40) & 1
	}
	x, y := memoWords(v)
	st.ways[w].Store(&cleanEntry{x, y, strings.Clone(v)})
	st.stores.Add(1)
}

// cleanMisses is how many strings in a row may miss the guard's
// cleanMemos before an inspection stops asking them: past that, a body of
// distinct names and values (a crafted one, a batch of log lines) costs no
// look-up per string, while an API's repeated names and values, which hit,
// keep asking.
const cleanMisses = 32

// cleanLookup asks the guard's memo of strings judged as in about v: the
// memo to offer v to after judging it (nil when v is never remembered, or
// when this inspection stopped asking), v's hash for offerHash, and
// whether v is remembered clean.
func (s *scanner) cleanLookup(v string, in detect.Input) (cm *cleanMemo, h uint64, hit bool) {
	if s.cleanMiss >= cleanMisses {
		return nil, 0, false
	}
	if cm = s.cleanMemo(in); cm == nil {
		return nil, 0, false
	}
	if hit, h = cm.hitHash(v); hit {
		s.cleanMiss = 0
		return cm, h, true
	}
	s.cleanMiss++
	return cm, h, false
}

// cleanMemo is the guard's memo of the strings judged as in, nil for a
// name judged with its parent key and a string of an XML body (never
// remembered).
func (s *scanner) cleanMemo(in detect.Input) *cleanMemo {
	if in.ParentKey != "" || in.XML || int(in.Kind) >= len(s.g.clean) {
		return nil
	}
	return &s.g.clean[in.Kind]
}

// isClean reports whether the judgeString call that just returned (with
// s.clean reset before it) found v clean for the guard's cleanMemos: the
// very string, not one of its decoded parts.
func (s *scanner) isClean(v string) bool {
	return len(s.clean) == len(v) && unsafe.StringData(s.clean) == unsafe.StringData(v)
}
