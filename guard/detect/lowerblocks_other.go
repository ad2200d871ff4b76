//go:build !amd64 || purego

package detect

// useLowerBlocks is false: lowerWords reads word by word, as fast as
// lowerBlocksGo on prose and faster on short runs (sentence text); the
// SSE2 kernel's reference, lowerBlocksGo, stays tested (FuzzLowerBlocks).
const useLowerBlocks = false

func lowerBlocks(p *byte, n int) (int, bool) { return lowerBlocksGo(p, n) }

// lowerAVX2 is false: there is no AVX2 kernel here.
var lowerAVX2 = false
