//go:build !amd64 || purego

package jsontree

// useAVX2 is false: plainLen is plainLenGo.
const useAVX2 = false

func plainBlocks(p *byte, n int) int { panic("jsontree: plainBlocks without AVX2") }

func unescapeBlocks(dst, src *byte, n int) (r, w int) {
	panic("jsontree: unescapeBlocks without AVX2")
}
