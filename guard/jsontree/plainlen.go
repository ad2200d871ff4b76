package jsontree

import (
	"bytes"
	"math/bits"
	"unsafe"
)

// plainLen returns the length of the longest prefix of b made of plain
// bytes: printable ASCII (0x20..0x7f) other than '"' and '\\'. It is the
// one pass over a long run of a string (the prose of a body, the note of
// an order) that finds the byte that ends it - the closing quote, an
// escape, a control or a non-ASCII byte - where a search for the quote, one
// for a backslash and a check of the bytes before them were three. On amd64
// with AVX2 it reads 64 bytes a round (plainBlocks); elsewhere it is
// plainLenGo.
func plainLen(b []byte) int {
	if !useAVX2 || len(b) < 32 {
		return plainLenGo(b)
	}
	return plainFrom(b, plainBlocks(unsafe.SliceData(b), len(b)))
}

// plainLenGo is plainLen in Go: the quote and the backslash found by
// IndexByte, the bytes before the first of them checked a few words a
// step (printablePrefix).
func plainLenGo(b []byte) int {
	if q := bytes.IndexByte(b, '"'); q >= 0 {
		b = b[:q]
	}
	if k := bytes.IndexByte(b, '\\'); k >= 0 {
		b = b[:k]
	}
	return printablePrefix(b)
}

// printablePrefix returns the length of the longest prefix of b of
// printable ASCII (0x20..0x7f); b holds no quote and no backslash.
func printablePrefix(b []byte) int {
	// top bit of a byte set: the byte is >= 0x80, or it is < 0x20 (x -
	// 0x20 borrows; a borrow only flags bytes above one that is): a
	// block of four words with no flag is printable, the first one with
	// one is read word by word (plainFrom)
	c20 := skipConsts[0]
	p, n := unsafe.Pointer(unsafe.SliceData(b)), len(b)
	i := 0
	for ; i+32 <= n; i += 32 {
		// native byte order: the test is the same for every byte
		x, y := *(*uint64)(unsafe.Add(p, i)), *(*uint64)(unsafe.Add(p, i+8))
		z, w := *(*uint64)(unsafe.Add(p, i+16)), *(*uint64)(unsafe.Add(p, i+24))
		if ((x-c20)|x|(y-c20)|y|(z-c20)|z|(w-c20)|w)&msb != 0 {
			break
		}
	}
	return plainFrom(b, i)
}

// plainFrom returns the offset of the first byte at or after i of b that
// is not plain (b's length if there is none), a word at a time (the lowest
// flag of specialMask is exact), the last bytes one by one.
func plainFrom(b []byte, i int) int {
	p, n := unsafe.Pointer(unsafe.SliceData(b)), len(b)
	for ; i+8 <= n; i += 8 {
		if m := specialMask(word(p, i)); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < n && strPlain[b[i]] {
		i++
	}
	return i
}
