//go:build !(amd64 || arm64 || ppc64le)

package jsontree

import (
	"encoding/binary"
	"unsafe"
)

// word reads the little-endian word at offset i of the bytes at p; the
// caller has checked that the eight bytes are in its slice.
func word(p unsafe.Pointer, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])
}

// putWord writes x as the little-endian word at offset i of the bytes at p;
// the caller has checked that the eight bytes are in its slice.
func putWord(p unsafe.Pointer, i int, x uint64) {
	binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(p, i))[:], x)
}
