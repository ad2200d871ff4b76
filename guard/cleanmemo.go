package guard

import (
	"encoding/binary"
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
// The names of a JSON API's documents (its keys) and the header values of
// its clients repeat from one invocation to the next; a new one is judged
// in full. A slot holds a string once the same string was found clean
// twice in a row for it (its hash is kept after the first time), so that
// strings that change on every invocation cost no copy. It is safe for
// concurrent use: slots are atomic pointers to immutable copies.
type cleanMemo struct {
	slots [memoSlots]atomic.Pointer[string]
	seen  [memoSlots]atomic.Uint64
}

const (
	memoSlots = 256
	cleanMax  = 256 // longest string remembered
)

// memoHash spreads strings over the slots: their first and last eight
// bytes and their length, mixed (a few instructions where maphash costs a
// hundred for a short name). A string made to collide with another only
// takes its slot: hit compares the whole string.
func memoHash(v string) uint64 {
	n := len(v)
	var a, b uint64
	if n >= 8 {
		p := unsafe.StringData(v)
		a = binary.LittleEndian.Uint64(unsafe.Slice(p, 8))
		b = binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(p), n-8)), 8))
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(v[i])
		}
	}
	h := (a ^ uint64(n)*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	h = (h ^ h>>29 ^ b) * 0xc4ceb9fe1a85ec53
	return h ^ h>>32
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
	if len(v) > cleanMax || v == "" {
		return false, 0
	}
	h := memoHash(v)
	if noCleanMemo {
		return false, h
	}
	p := m.slots[h%memoSlots].Load()
	// (the last bytes first: strings that differ by a counter, most of
	// those that share a slot, differ there)
	return p != nil && len(*p) == len(v) && (*p)[len(v)-1] == v[len(v)-1] && *p == v, h
}

// offer notes that v was just found clean (see cleanMemo).
func (m *cleanMemo) offer(v string) {
	if len(v) > cleanMax || v == "" {
		return
	}
	m.offerHash(v, memoHash(v))
}

// offerHash is offer with v's memoHash h from hitHash (0: v is never
// remembered).
func (m *cleanMemo) offerHash(v string, h uint64) {
	if h == 0 && (len(v) > cleanMax || v == "") {
		return
	}
	i := h % memoSlots
	if m.seen[i].Swap(h) == h {
		c := strings.Clone(v)
		m.slots[i].Store(&c)
	}
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
