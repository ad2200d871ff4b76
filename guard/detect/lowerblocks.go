package detect

import (
	"math/bits"
	"unsafe"
)

// lowerBlocks and lowerBlocksGo return the length k (a multiple of 8) of
// the longest run of words (eight bytes) at the start of the n bytes at p
// whose bytes are lower-case letters and spaces, and in none of which
// starts one of the words classifyWords looks for (no byte of it starts a
// pair of sqlPair whose four bytes are sqlWord4 or which has fewer than
// four bytes from it in the n), read in blocks of two words with 17 bytes
// or more from a block's start (the first word of the block that stops
// the run counts when it passes); and whether those words hold a space.
// lowerWords reads such words (most of prose) at once and the others one
// by one. lowerBlocks is lowerBlocksGo in SSE2 on amd64
// (lowerblocks_amd64.s); FuzzLowerBlocks compares them.
//
// sqlPair reports the pairs "un", "fr" and "jo" whose second byte b is
// read as b&0x7f|0x20 (in any case, and a byte >= 0x80 as its low seven
// bits: the pairs of every word sqlWord4 takes, and more), a test of a
// whole block at once.
func sqlPair(c, b byte) bool {
	b = b&0x7f | 0x20
	return c == 'u' && b == 'n' || c == 'f' && b == 'r' || c == 'j' && b == 'o'
}

// sqlWord4 reports four bytes (little-endian) that are "unio", "from" or
// "join" in any case: the start of a word of sqlWordsAt.
func sqlWord4(w uint32) bool {
	w |= 0x20202020
	return w == 'u'|'n'<<8|'i'<<16|'o'<<24 || w == 'f'|'r'<<8|'o'<<16|'m'<<24 || w == 'j'|'o'<<8|'i'<<16|'n'<<24
}

// lowerBlocksGo is lowerBlocks eight bytes a step: lowerWords' test of a
// word and, for the pairs, the word and the bytes one further on. For a
// word x of lower-case letters and spaces and y of bytes below 0x80,
// ((x ^ c*lsb8) | (y ^ b*lsb8)) + 0x7f*lsb8 has a byte's top bit clear
// exactly where x has c and y has b (no carry crosses a byte).
func lowerBlocksGo(p *byte, n int) (int, bool) {
	k := &wordConsts
	c85, c1f, sp, c7f := k[0], k[1], k[2], k[3]
	spaces := ^uint64(0)
	i := 0
	for ; i+17 <= n; i += 8 {
		x := *(*uint64)(unsafe.Add(unsafe.Pointer(p), i))
		nsp := (x ^ sp) + c7f
		if ((x+c85)^(x+c1f))&nsp|x|c7f != c7f {
			break
		}
		y := *(*uint64)(unsafe.Add(unsafe.Pointer(p), i+1))&c7f | sp
		un := ((x ^ lsb8*'u') | (y ^ lsb8*'n')) + c7f
		fr := ((x ^ lsb8*'f') | (y ^ lsb8*'r')) + c7f
		jo := ((x ^ lsb8*'j') | (y ^ lsb8*'o')) + c7f
		if !pairsPass(p, n, i, ^(un&fr&jo)&msb8) {
			break
		}
		spaces &= nsp
		// the block's second word
		x = *(*uint64)(unsafe.Add(unsafe.Pointer(p), i+8))
		nsp = (x ^ sp) + c7f
		if ((x+c85)^(x+c1f))&nsp|x|c7f != c7f {
			return i + 8, spaces|c7f != ^uint64(0)
		}
		y = *(*uint64)(unsafe.Add(unsafe.Pointer(p), i+9))&c7f | sp
		un = ((x ^ lsb8*'u') | (y ^ lsb8*'n')) + c7f
		fr = ((x ^ lsb8*'f') | (y ^ lsb8*'r')) + c7f
		jo = ((x ^ lsb8*'j') | (y ^ lsb8*'o')) + c7f
		if !pairsPass(p, n, i+8, ^(un&fr&jo)&msb8) {
			return i + 8, spaces|c7f != ^uint64(0)
		}
		spaces &= nsp
		i += 8
	}
	return i, spaces|c7f != ^uint64(0)
}

// pairsPass reports whether none of the pairs of lowerBlocksGo at o + j,
// for the j whose byte has its top bit set in cand, stops the run.
func pairsPass(p *byte, n, o int, cand uint64) bool {
	for ; cand != 0; cand &= cand - 1 {
		j := o + bits.TrailingZeros64(cand)>>3
		if j+4 > n || sqlWord4(*(*uint32)(unsafe.Add(unsafe.Pointer(p), j))) {
			return false
		}
	}
	return true
}
