//go:build amd64 && !purego

#include "textflag.h"

// the constants of lowerBlocks, sixteen bytes each (the symbol is aligned
// to 32 bytes, as SSE2 needs of a memory operand): 0x1f, 0x99, ' ', 0x7f,
// 'u', 'n', 'f', 'r', 'j', 'o'
DATA lowerBlocksConsts<>+0(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA lowerBlocksConsts<>+8(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA lowerBlocksConsts<>+16(SB)/8, $0x9999999999999999
DATA lowerBlocksConsts<>+24(SB)/8, $0x9999999999999999
DATA lowerBlocksConsts<>+32(SB)/8, $0x2020202020202020
DATA lowerBlocksConsts<>+40(SB)/8, $0x2020202020202020
DATA lowerBlocksConsts<>+48(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA lowerBlocksConsts<>+56(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA lowerBlocksConsts<>+64(SB)/8, $0x7575757575757575
DATA lowerBlocksConsts<>+72(SB)/8, $0x7575757575757575
DATA lowerBlocksConsts<>+80(SB)/8, $0x6e6e6e6e6e6e6e6e
DATA lowerBlocksConsts<>+88(SB)/8, $0x6e6e6e6e6e6e6e6e
DATA lowerBlocksConsts<>+96(SB)/8, $0x6666666666666666
DATA lowerBlocksConsts<>+104(SB)/8, $0x6666666666666666
DATA lowerBlocksConsts<>+112(SB)/8, $0x7272727272727272
DATA lowerBlocksConsts<>+120(SB)/8, $0x7272727272727272
DATA lowerBlocksConsts<>+128(SB)/8, $0x6a6a6a6a6a6a6a6a
DATA lowerBlocksConsts<>+136(SB)/8, $0x6a6a6a6a6a6a6a6a
DATA lowerBlocksConsts<>+144(SB)/8, $0x6f6f6f6f6f6f6f6f
DATA lowerBlocksConsts<>+152(SB)/8, $0x6f6f6f6f6f6f6f6f
GLOBL lowerBlocksConsts<>(SB), RODATA|NOPTR, $160

// func lowerBlocks(p *byte, n int) (k int, sp bool)
//
// A round reads the block x (16 bytes at p+k) and y (16 bytes at p+k+1):
// a byte of x is a letter where x+0x1f is at most 0x99 as a signed byte
// (-128..-103: 'a'..'z'), a space where it is 0x20; a pair starts where x
// is 'u', 'f' or 'j' and y&0x7f|0x20 is 'n', 'r' or 'o' (sqlPair), and
// the four bytes there are compared (sqlWord4). The first half of the
// block that stops the run is taken when it passes.
TEXT ·lowerBlocks(SB), NOSPLIT, $0-25
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), DI
	LEAQ -4(DI), R13 // the last place with four bytes from it
	SUBQ $17, DI     // the last k with 17 bytes from k
	XORQ CX, CX      // k
	XORL BX, BX      // the space bits of the blocks that passed
	CMPQ DI, $0
	JL   done

loop:
	MOVOU (SI)(CX*1), X0
	MOVOU 1(SI)(CX*1), X1
	MOVO  X0, X2
	PADDB lowerBlocksConsts<>+0(SB), X2
	PCMPGTB lowerBlocksConsts<>+16(SB), X2 // not a letter
	MOVO  X0, X3
	PCMPEQB lowerBlocksConsts<>+32(SB), X3 // a space
	PXOR  X3, X2    // neither
	PMOVMSKB X3, DX
	PMOVMSKB X2, AX
	TESTL $0xff, AX
	JNZ   done // a byte of the first half neither a letter nor a space
	PAND  lowerBlocksConsts<>+48(SB), X1
	POR   lowerBlocksConsts<>+32(SB), X1
	MOVO  X0, X2
	PCMPEQB lowerBlocksConsts<>+64(SB), X2
	MOVO  X1, X3
	PCMPEQB lowerBlocksConsts<>+80(SB), X3
	PAND  X3, X2 // "un"
	MOVO  X0, X3
	PCMPEQB lowerBlocksConsts<>+96(SB), X3
	MOVO  X1, X4
	PCMPEQB lowerBlocksConsts<>+112(SB), X4
	PAND  X4, X3
	POR   X3, X2 // "fr"
	PCMPEQB lowerBlocksConsts<>+128(SB), X0
	PCMPEQB lowerBlocksConsts<>+144(SB), X1
	PAND  X1, X0
	POR   X0, X2 // "jo"
	PMOVMSKB X2, R8 // the pairs
	MOVL  R8, R9
	ORL   AX, R9
	JNZ   check

next:
	ORL  DX, BX
	ADDQ $16, CX
	CMPQ CX, DI
	JLE  loop

done:
	MOVQ CX, k+16(FP)
	TESTL BX, BX
	SETNE sp+24(FP)
	RET

check:
pair:
	TESTL R8, R8
	JZ    nopair
	BSFL  R8, R9
	LEAQ  (CX)(R9*1), R10 // the pair's place
	CMPQ  R10, R13
	JG    stop            // fewer than four bytes from it
	MOVL  (SI)(R10*1), R10
	ORL   $0x20202020, R10
	CMPL  R10, $0x6f696e75 // "unio"
	JEQ   stop
	CMPL  R10, $0x6d6f7266 // "from"
	JEQ   stop
	CMPL  R10, $0x6e696f6a // "join"
	JEQ   stop
	LEAL  -1(R8), R9
	ANDL  R9, R8
	JMP   pair

stop:
	CMPL R9, $8
	JLT  done // in the first half

half:
	// the first half passes
	ADDQ $8, CX
	ANDL $0xff, DX
	ORL  DX, BX
	JMP  done

nopair:
	TESTL AX, AX
	JZ    next
	JMP   half
