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
