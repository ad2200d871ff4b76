//go:build !amd64 || purego

package detect

// useLowerBlocks is false: lowerWords reads word by word, as fast as
// lowerBlocksGo on prose and faster on short runs (sentence text); the
// SSE2 kernel's reference, lowerBlocksGo, stays tested (FuzzLowerBlocks).
const useLowerBlocks = false

func lowerBlocks(p *byte, n int) (int, bool) { return lowerBlocksGo(p, n) }
