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

// unescapeBlocks copies and unescapes, 32 bytes a round, the plain bytes
// and one-letter escapes at src to dst, reading no more than n bytes at src
// and writing no more than n at dst, and returns the offsets read and
// written where it stops: at a byte that needs attention other than such an
// escape, or where fewer than 32 bytes remain (plainlen_amd64.s, AVX2;
// unescapeFrom's rounds).
//
//go:noescape
func unescapeBlocks(dst, src *byte, n int) (r, w int)
