//go:build amd64 && !purego

package detect

// useLowerBlocks makes lowerWords read runs of prose with lowerBlocks.
const useLowerBlocks = true

// lowerBlocks is lowerBlocksGo in SSE2, sixteen bytes a round
// (lowerblocks_amd64.s).
//
//go:noescape
func lowerBlocks(p *byte, n int) (k int, sp bool)
