//go:build amd64 || arm64 || ppc64le

package jsontree

import "unsafe"

// word reads the little-endian word at offset i of the bytes at p; the
// caller has checked that the eight bytes are in its slice. These
// architectures are little-endian and load unaligned words at full speed:
// one load, cheap enough for the inliner in the functions that call it.
func word(p unsafe.Pointer, i int) uint64 {
	return *(*uint64)(unsafe.Add(p, i))
}

// putWord writes x as the little-endian word at offset i of the bytes at p;
// the caller has checked that the eight bytes are in its slice.
func putWord(p unsafe.Pointer, i int, x uint64) {
	*(*uint64)(unsafe.Add(p, i)) = x
}
