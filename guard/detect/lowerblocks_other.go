//go:build !amd64 || purego

package detect

func lowerBlocks(p *byte, n int) (int, bool) { return lowerBlocksGo(p, n) }
