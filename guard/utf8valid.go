package guard

import "encoding/binary"

// utf8Valid is utf8.Valid(b): a table-driven automaton over the bytes, one
// look-up a byte, with runs of ASCII read eight bytes at a time. On text
// of multi-byte characters (full-width letters, CJK) utf8.Valid decodes
// each rune; this reads each byte once.
func utf8Valid(b []byte) bool {
	b = b[:len(b):len(b)] // (no capacity to recompute when slicing b)
	st := uint8(u8Accept)
	for len(b) >= 8 {
		if st == u8Accept && binary.LittleEndian.Uint64(b)&hiBits == 0 {
			// eight ASCII bytes, and more likely: 32 at a time
			b = b[8:]
			for len(b) >= 32 && (binary.LittleEndian.Uint64(b)|binary.LittleEndian.Uint64(b[8:])|
				binary.LittleEndian.Uint64(b[16:])|binary.LittleEndian.Uint64(b[24:]))&hiBits == 0 {
				b = b[32:]
			}
			continue
		}
		w := b[:8]
		st = u8Next[st&15][w[0]]
		st = u8Next[st&15][w[1]]
		st = u8Next[st&15][w[2]]
		st = u8Next[st&15][w[3]]
		st = u8Next[st&15][w[4]]
		st = u8Next[st&15][w[5]]
		st = u8Next[st&15][w[6]]
		st = u8Next[st&15][w[7]]
		if st == u8Reject {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		st = u8Next[st&15][c]
	}
	return st == u8Accept
}

// hiBits flags the bytes of a word that are not ASCII.
const hiBits = 0x8080808080808080

// States of the UTF-8 automaton: what the bytes read so far still need.
const (
	u8Accept = iota // a whole number of characters
	u8Cont1         // one continuation byte 80..BF
	u8Cont2         // two
	u8Cont3         // three
	u8E0            // after E0: A0..BF (no overlong form)
	u8ED            // after ED: 80..9F (no surrogate)
	u8F0            // after F0: 90..BF (no overlong form)
	u8F4            // after F4: 80..8F (nothing above U+10FFFF)
	u8Reject        // not UTF-8, whatever follows
)

// u8Next is the automaton's transition table (the well-formed byte
// sequences of the Unicode standard, table 3-7): u8Next[state][byte]; the
// reject state's row, and the unused ones (16 rows: the state masked
// with 15 needs no bounds check), lead back to it.
var u8Next = func() (t [16][256]uint8) {
	for s := range t {
		for c := range t[s] {
			t[s][c] = u8Reject
		}
	}
	for c := 0; c < 0x80; c++ {
		t[u8Accept][c] = u8Accept
	}
	for c := 0xC2; c <= 0xDF; c++ {
		t[u8Accept][c] = u8Cont1
	}
	t[u8Accept][0xE0] = u8E0
	for c := 0xE1; c <= 0xEF; c++ {
		t[u8Accept][c] = u8Cont2
	}
	t[u8Accept][0xED] = u8ED
	t[u8Accept][0xF0] = u8F0
	for c := 0xF1; c <= 0xF3; c++ {
		t[u8Accept][c] = u8Cont3
	}
	t[u8Accept][0xF4] = u8F4
	for c := 0x80; c <= 0xBF; c++ {
		t[u8Cont1][c] = u8Accept
		t[u8Cont2][c] = u8Cont1
		t[u8Cont3][c] = u8Cont2
	}
	for c := 0xA0; c <= 0xBF; c++ {
		t[u8E0][c] = u8Cont1
	}
	for c := 0x80; c <= 0x9F; c++ {
		t[u8ED][c] = u8Cont1
	}
	for c := 0x90; c <= 0xBF; c++ {
		t[u8F0][c] = u8Cont2
	}
	for c := 0x80; c <= 0x8F; c++ {
		t[u8F4][c] = u8Cont2
	}
	return t
}()
