//go:build amd64 && !purego

#include "textflag.h"

// plainBlocks' constants, 32 bytes each: ' ', '"', '\\'
DATA plainConsts<>+0(SB)/8, $0x2020202020202020
DATA plainConsts<>+8(SB)/8, $0x2020202020202020
DATA plainConsts<>+16(SB)/8, $0x2020202020202020
DATA plainConsts<>+24(SB)/8, $0x2020202020202020
DATA plainConsts<>+32(SB)/8, $0x2222222222222222
DATA plainConsts<>+40(SB)/8, $0x2222222222222222
DATA plainConsts<>+48(SB)/8, $0x2222222222222222
DATA plainConsts<>+56(SB)/8, $0x2222222222222222
DATA plainConsts<>+64(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA plainConsts<>+72(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA plainConsts<>+80(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA plainConsts<>+88(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL plainConsts<>(SB), RODATA|NOPTR, $96

// The long loops prefetch the bytes 2 KB ahead of what they read (and
// unescapeBlocks those ahead of what it writes): a large body (an API
// Gateway event's, megabytes long) is read and written from beyond the L2
// cache, where the hardware prefetchers stop at each 4 KB page. On the
// engine alone with a 6 MB body that took ~8 % off the CPU time; on
// inputs in the caches it costs an instruction per 64 bytes read.

// func plainBlocks(p *byte, n int) int
//
// A byte x of a block needs attention where ' ' > x as a signed byte (a
// control byte, or a byte >= 0x80, which is negative), or where it is '"'
// or '\\'. A round reads two blocks and tests them together; the round that
// has a flag, and the last block of 32 when fewer than 64 bytes remain, are
// read a block at a time and the first flag's offset returned.
TEXT ·plainBlocks(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), DI
	XORQ CX, CX
	VMOVDQU plainConsts<>+0(SB), Y8
	VMOVDQU plainConsts<>+32(SB), Y9
	VMOVDQU plainConsts<>+64(SB), Y10
	LEAQ -64(DI), R8 // the last offset with 64 bytes from it
	CMPQ CX, R8
	JGT  one

two:
	PREFETCHT0 2048(SI)(CX*1)
	VMOVDQU  (SI)(CX*1), Y0
	VMOVDQU  32(SI)(CX*1), Y1
	VPCMPGTB Y0, Y8, Y2
	VPCMPEQB Y0, Y9, Y3
	VPCMPEQB Y0, Y10, Y4
	VPOR     Y3, Y2, Y2
	VPOR     Y4, Y2, Y2
	VPCMPGTB Y1, Y8, Y5
	VPCMPEQB Y1, Y9, Y6
	VPCMPEQB Y1, Y10, Y7
	VPOR     Y6, Y5, Y5
	VPOR     Y7, Y5, Y5
	VPOR     Y5, Y2, Y6
	VPTEST   Y6, Y6
	JNZ      found2
	ADDQ     $64, CX
	CMPQ     CX, R8
	JLE      two

one:
	LEAQ -32(DI), R8 // the last offset with 32 bytes from it
	CMPQ CX, R8
	JGT  done
	VMOVDQU  (SI)(CX*1), Y0
	VPCMPGTB Y0, Y8, Y2
	VPCMPEQB Y0, Y9, Y3
	VPCMPEQB Y0, Y10, Y4
	VPOR     Y3, Y2, Y2
	VPOR     Y4, Y2, Y2
	VPMOVMSKB Y2, AX
	TESTL    AX, AX
	JNZ      found
	ADDQ     $32, CX

done:
	VZEROUPPER
	MOVQ CX, ret+16(FP)
	RET

found2:
	VPMOVMSKB Y2, AX
	TESTL     AX, AX
	JNZ       found
	VPMOVMSKB Y5, AX
	ADDQ      $32, CX

found:
	BSFL AX, AX
	ADDQ AX, CX
	JMP  done

// func unescapeBlocks(dst, src *byte, n int) (r, w int)
//
// unescapeFrom's rounds of 32 bytes: while 32 bytes remain of the n at src
// (r+32 <= n), the block at src+r is stored at dst+w (w <= r: the n bytes
// at dst are room enough) and tested as plainBlocks tests it; a block with
// no flag is taken whole (and the blocks after it two a round, ulong, while
// they pass and 64 bytes remain), else the bytes before the first flag are, and a
// backslash there that starts a one-letter escape (unescByte) is written
// as its byte and stepped over. Any other byte (a quote, a \u escape, a
// control or non-ASCII byte), or a backslash at the last of the n bytes,
// stops the loop at it.
TEXT ·unescapeBlocks(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	XORQ CX, CX // r
	XORQ BX, BX // w
	LEAQ -32(DX), R8 // the last r with 32 bytes from it
	LEAQ -64(DX), R10 // the last r with 64 bytes from it
	DECQ DX          // the last r with a byte after it
	LEAQ ·unescByte(SB), R9
	VMOVDQU plainConsts<>+0(SB), Y8
	VMOVDQU plainConsts<>+32(SB), Y9
	VMOVDQU plainConsts<>+64(SB), Y10

uloop:
	CMPQ     CX, R8
	JGT      udone
	PREFETCHT0 2048(SI)(CX*1)
	PREFETCHT0 2048(DI)(BX*1)
	VMOVDQU  (SI)(CX*1), Y0
	VMOVDQU  Y0, (DI)(BX*1)
	VPCMPGTB Y0, Y8, Y1
	VPCMPEQB Y0, Y9, Y2
	VPCMPEQB Y0, Y10, Y3
	VPOR     Y2, Y1, Y1
	VPOR     Y3, Y1, Y1
	VPMOVMSKB Y1, AX
	TESTL    AX, AX
	JNZ      uflag
	ADDQ     $32, CX
	ADDQ     $32, BX

ulong:
	// a plain block: a long run, 64 bytes a round while they pass
	CMPQ     CX, R10
	JGT      uloop
	PREFETCHT0 2048(SI)(CX*1)
	PREFETCHT0 2048(DI)(BX*1)
	VMOVDQU  (SI)(CX*1), Y0
	VMOVDQU  32(SI)(CX*1), Y4
	VMOVDQU  Y0, (DI)(BX*1)
	VMOVDQU  Y4, 32(DI)(BX*1)
	VPCMPGTB Y0, Y8, Y1
	VPCMPEQB Y0, Y9, Y2
	VPCMPEQB Y0, Y10, Y3
	VPOR     Y2, Y1, Y1
	VPOR     Y3, Y1, Y1
	VPCMPGTB Y4, Y8, Y5
	VPCMPEQB Y4, Y9, Y6
	VPCMPEQB Y4, Y10, Y7
	VPOR     Y6, Y5, Y5
	VPOR     Y7, Y5, Y5
	VPOR     Y5, Y1, Y6
	VPTEST   Y6, Y6
	JNZ      uflag2
	ADDQ     $64, CX
	ADDQ     $64, BX
	JMP      ulong

uflag2:
	VPMOVMSKB Y1, AX
	TESTL     AX, AX
	JNZ       uflag
	VPMOVMSKB Y5, AX
	ADDQ      $32, CX
	ADDQ      $32, BX

uflag:
	BSFL    AX, AX
	ADDQ    AX, CX
	ADDQ    AX, BX
	MOVBLZX (SI)(CX*1), AX
	CMPL    AX, $0x5c
	JNE     udone
	CMPQ    CX, DX
	JGE     udone
	MOVBLZX 1(SI)(CX*1), AX
	MOVBLZX (R9)(AX*1), AX
	TESTL   AX, AX
	JZ      udone
	MOVB    AX, (DI)(BX*1)
	INCQ    BX
	ADDQ    $2, CX
	JMP     uloop

udone:
	VZEROUPPER
	MOVQ CX, r+24(FP)
	MOVQ BX, w+32(FP)
	RET
