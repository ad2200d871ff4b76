//go:build amd64 && !purego

package detect

import "golang.org/x/sys/cpu"

// lowerAVX2 makes lowerBlocks read its rounds of two blocks in AVX2, 32
// bytes a register (two32 in lowerblocks_amd64.s).
var lowerAVX2 = cpu.X86.HasAVX2

// useLowerBlocks makes lowerWords read runs of prose with lowerBlocks.
const useLowerBlocks = true

// lowerBlocks is lowerBlocksGo in SSE2, sixteen bytes a round
// (lowerblocks_amd64.s).
//
//go:noescape
func lowerBlocks(p *byte, n int) (k int, sp bool)
