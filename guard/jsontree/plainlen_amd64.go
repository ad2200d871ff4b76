//go:build amd64 && !purego

package jsontree

import "golang.org/x/sys/cpu"

// useAVX2 makes plainLen read long runs with plainBlocks.
var useAVX2 = cpu.X86.HasAVX2

// plainBlocks returns the offset in p[:n] (n >= 32) of the first byte that
// is not plain (plainLen) in the blocks of 32 bytes it reads, 64 bytes a
// round while they remain, or the offset (a multiple of 32) from which
// fewer than 32 bytes remain when those blocks are all plain
// (plainlen_amd64.s, AVX2).
//
//go:noescape
func plainBlocks(p *byte, n int) int
