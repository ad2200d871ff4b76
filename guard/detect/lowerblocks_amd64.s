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

// 0x7f, 32 bytes (a memory operand of two32)
DATA lowerBlocks7f<>+0(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA lowerBlocks7f<>+8(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA lowerBlocks7f<>+16(SB)/8, $0x7f7f7f7f7f7f7f7f
DATA lowerBlocks7f<>+24(SB)/8, $0x7f7f7f7f7f7f7f7f
GLOBL lowerBlocks7f<>(SB), RODATA|NOPTR, $32

// two32's constants, 32 bytes each (a table twice, for VPSHUFB's two
// lanes): 0x0f; lowerBlocksX's low and high tables (bit 0: 'a'..'o',
// high 6 and low 1..15; bit 1: 'p'..'z', high 7 and low 0..10; bit 2:
// ' '; bits 3, 4, 5: 'u', 'f', 'j'); lowerBlocksY's (bits 3, 4, 5: 'n',
// 'r', 'o' after &0x7f|0x20: the high nibbles 4, 6, 12, 14 read as 6, and
// 5, 7, 13, 15 as 7); 0x07; 0x04 (the spaces' bit)
DATA lowerBlocksLUT<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA lowerBlocksLUT<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA lowerBlocksLUT<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA lowerBlocksLUT<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA lowerBlocksLUT<>+32(SB)/8, $0x03130b0303030306
DATA lowerBlocksLUT<>+40(SB)/8, $0x0101010101230303
DATA lowerBlocksLUT<>+48(SB)/8, $0x03130b0303030306
DATA lowerBlocksLUT<>+56(SB)/8, $0x0101010101230303
DATA lowerBlocksLUT<>+64(SB)/8, $0x0a31000000040000
DATA lowerBlocksLUT<>+72(SB)/8, $0x0000000000000000
DATA lowerBlocksLUT<>+80(SB)/8, $0x0a31000000040000
DATA lowerBlocksLUT<>+88(SB)/8, $0x0000000000000000
DATA lowerBlocksLUT<>+96(SB)/8, $0x0000000000100000
DATA lowerBlocksLUT<>+104(SB)/8, $0x2008000000000000
DATA lowerBlocksLUT<>+112(SB)/8, $0x0000000000100000
DATA lowerBlocksLUT<>+120(SB)/8, $0x2008000000000000
DATA lowerBlocksLUT<>+128(SB)/8, $0x1028102800000000
DATA lowerBlocksLUT<>+136(SB)/8, $0x1028102800000000
DATA lowerBlocksLUT<>+144(SB)/8, $0x1028102800000000
DATA lowerBlocksLUT<>+152(SB)/8, $0x1028102800000000
DATA lowerBlocksLUT<>+160(SB)/8, $0x0707070707070707
DATA lowerBlocksLUT<>+168(SB)/8, $0x0707070707070707
DATA lowerBlocksLUT<>+176(SB)/8, $0x0707070707070707
DATA lowerBlocksLUT<>+184(SB)/8, $0x0707070707070707
DATA lowerBlocksLUT<>+192(SB)/8, $0x0404040404040404
DATA lowerBlocksLUT<>+200(SB)/8, $0x0404040404040404
DATA lowerBlocksLUT<>+208(SB)/8, $0x0404040404040404
DATA lowerBlocksLUT<>+216(SB)/8, $0x0404040404040404
GLOBL lowerBlocksLUT<>(SB), RODATA|NOPTR, $224

// func lowerBlocks(p *byte, n int) (k int, sp bool)
//
// The loop at two reads two blocks a round, the one at loop a block (and
// the round of two that has a byte or pair to look at). A round reads the
// block x (16 bytes at p+k) and y (16 bytes at p+k+1):
// a byte of x is a letter where x+0x1f is at most 0x99 as a signed byte
// (-128..-103: 'a'..'z'), a space where it is 0x20; a pair starts where x
// is 'u', 'f' or 'j' and y&0x7f|0x20 is 'n', 'r' or 'o' (sqlPair), and
// the four bytes there are compared (sqlWord4). The first half of the
// block that stops the run is taken when it passes. With AVX2
// (lowerAVX2), two32 reads the two blocks of a round of two as one of 32
// bytes, with the same tests: a round that passes goes on there, any
// other is read again by two.
TEXT ·lowerBlocks(SB), NOSPLIT, $0-25
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), DI
	LEAQ -4(DI), R13  // the last place with four bytes from it
	SUBQ $17, DI      // the last k with 17 bytes from k
	LEAQ -16(DI), R12 // the last k with 33 bytes from k
	XORQ CX, CX       // k
	XORL BX, BX       // the space bits of the blocks that passed at loop
	PXOR X5, X5       // the spaces of the blocks that passed at two
	MOVL $1, R11      // 1: loop goes on at two after a block
	CMPQ CX, DI
	JLE  loop
	JMP  done

two:
	CMPB ·lowerAVX2(SB), $0
	JNE  two32

twosse:
	// two blocks a round while 33 bytes remain: a round with a byte
	// neither a letter nor a space, or with a pair that is a word's
	// start, is read again a block at a time (loop)
	MOVOU (SI)(CX*1), X0
	MOVO  X0, X2
	PADDB lowerBlocksConsts<>+0(SB), X2
	PCMPGTB lowerBlocksConsts<>+16(SB), X2
	MOVO  X0, X3
	PCMPEQB lowerBlocksConsts<>+32(SB), X3
	PXOR  X3, X2
	MOVOU 16(SI)(CX*1), X7
	MOVO  X7, X9
	PADDB lowerBlocksConsts<>+0(SB), X9
	PCMPGTB lowerBlocksConsts<>+16(SB), X9
	MOVO  X7, X10
	PCMPEQB lowerBlocksConsts<>+32(SB), X10
	PXOR  X10, X9
	PMOVMSKB X2, AX
	PMOVMSKB X9, R9
	ORL   AX, R9
	JNZ   bad
	POR   X10, X3 // the spaces of the round
	MOVOU 1(SI)(CX*1), X1
	PAND  lowerBlocksConsts<>+48(SB), X1
	POR   lowerBlocksConsts<>+32(SB), X1
	MOVO  X0, X4
	PCMPEQB lowerBlocksConsts<>+64(SB), X4
	MOVO  X1, X6
	PCMPEQB lowerBlocksConsts<>+80(SB), X6
	PAND  X6, X4
	MOVO  X0, X6
	PCMPEQB lowerBlocksConsts<>+96(SB), X6
	MOVO  X1, X2
	PCMPEQB lowerBlocksConsts<>+112(SB), X2
	PAND  X2, X6
	POR   X6, X4
	PCMPEQB lowerBlocksConsts<>+128(SB), X0
	PCMPEQB lowerBlocksConsts<>+144(SB), X1
	PAND  X1, X0
	POR   X0, X4
	MOVOU 17(SI)(CX*1), X8
	PAND  lowerBlocksConsts<>+48(SB), X8
	POR   lowerBlocksConsts<>+32(SB), X8
	MOVO  X7, X11
	PCMPEQB lowerBlocksConsts<>+64(SB), X11
	MOVO  X8, X13
	PCMPEQB lowerBlocksConsts<>+80(SB), X13
	PAND  X13, X11
	MOVO  X7, X13
	PCMPEQB lowerBlocksConsts<>+96(SB), X13
	MOVO  X8, X9
	PCMPEQB lowerBlocksConsts<>+112(SB), X9
	PAND  X9, X13
	POR   X13, X11
	PCMPEQB lowerBlocksConsts<>+128(SB), X7
	PCMPEQB lowerBlocksConsts<>+144(SB), X8
	PAND  X8, X7
	POR   X7, X11
	PMOVMSKB X4, R8  // the pairs of the first block
	PMOVMSKB X11, R9 // and of the second
	SHLL  $16, R9
	ORL   R9, R8
	JNZ   twopair

twonext:
	POR   X3, X5
	ADDQ  $32, CX
	CMPQ  CX, R12
	JLE   two
	CMPQ  CX, DI
	JG    done

loop:
	MOVOU (SI)(CX*1), X0
	MOVO  X0, X2
	PADDB lowerBlocksConsts<>+0(SB), X2
	PCMPGTB lowerBlocksConsts<>+16(SB), X2 // not a letter
	MOVO  X0, X3
	PCMPEQB lowerBlocksConsts<>+32(SB), X3 // a space
	PXOR  X3, X2    // neither

tested:
	PMOVMSKB X3, DX
	PMOVMSKB X2, AX
	TESTL $0xff, AX
	JNZ   done // a byte of the first half neither a letter nor a space
	MOVOU 1(SI)(CX*1), X1
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
	ORL   DX, BX
	ADDQ  $16, CX
	TESTL R11, R11
	JZ    one
	CMPQ  CX, $32 // (a short run, most of text with punctuation, is read a block at a time)
	JL    one
	CMPQ  CX, R12
	JLE   two

one:
	CMPQ CX, DI
	JLE  loop

done:
	MOVQ CX, k+16(FP)
	PMOVMSKB X5, AX
	ORL  AX, BX
	SETNE sp+24(FP)
	RET

twopair:
	BSFL  R8, R9
	LEAQ  (CX)(R9*1), R10 // the pair's place
	CMPQ  R10, R13
	JG    wordstart       // fewer than four bytes from it
	MOVL  (SI)(R10*1), R10
	ORL   $0x20202020, R10
	CMPL  R10, $0x6f696e75 // "unio"
	JEQ   wordstart
	CMPL  R10, $0x6d6f7266 // "from"
	JEQ   wordstart
	CMPL  R10, $0x6e696f6a // "join"
	JEQ   wordstart
	LEAL  -1(R8), R9
	ANDL  R9, R8
	JNZ   twopair
	JMP   twonext

wordstart:
	// a block at a time, then two again
	MOVL $1, R11
	JMP  loop

bad:
	// a block at a time from the first, whose test of bytes is made
	// (X0, X2, X3): the run stops in these two
	XORL R11, R11
	JMP  tested

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

two32:
	// two's rounds in AVX2 (32 bytes a register), with the tests made by
	// table (VPSHUFB) from each byte's low and high four bits: cls, the
	// AND of lowerBlocksX's two tables at x's nibbles, has bit 0, 1 or 2
	// exactly where x is a letter 'a'..'o', 'p'..'z' or a space, and bit
	// 3, 4 or 5 where it is 'u', 'f' or 'j'; lowerBlocksY's, at the
	// nibbles of y (the bytes one further on), bit 3, 4 or 5 where
	// y&0x7f|0x20 is 'n', 'r' or 'o' (a byte >= 0x80 or in upper case
	// reads as that: the high table is indexed by the raw high nibble), so
	// that the AND of the two is not 0 exactly where a pair of sqlPair
	// starts. The constants: 0x0f in Y8, the tables in Y9..Y12, 0x07 in
	// Y13, 0 in Y14; the cls of the rounds that pass are ORed in Y6 and
	// their spaces (bit 2) go to BX when the loop is left (X5, the spaces
	// of two, is kept)
	VMOVDQU lowerBlocksLUT<>+0(SB), Y8
	VMOVDQU lowerBlocksLUT<>+32(SB), Y9
	VMOVDQU lowerBlocksLUT<>+64(SB), Y10
	VMOVDQU lowerBlocksLUT<>+96(SB), Y11
	VMOVDQU lowerBlocksLUT<>+128(SB), Y12
	VMOVDQU lowerBlocksLUT<>+160(SB), Y13
	VPXOR   Y14, Y14, Y14
	VPXOR   Y6, Y6, Y6

round32:
	VMOVDQU  (SI)(CX*1), Y0
	VPSRLW   $4, Y0, Y1
	VPAND    Y8, Y1, Y1 // high nibbles
	VPAND    Y8, Y0, Y2 // low nibbles
	VPSHUFB  Y2, Y9, Y2
	VPSHUFB  Y1, Y10, Y1
	VPAND    Y1, Y2, Y2 // cls
	VPAND    Y13, Y2, Y3
	VPCMPEQB Y14, Y3, Y3 // neither a letter nor a space
	VPTEST   Y3, Y3
	JNZ      out32
	VMOVDQU  1(SI)(CX*1), Y0
	VPSRLW   $4, Y0, Y1
	VPAND    Y8, Y1, Y1
	VPAND    Y8, Y0, Y0
	VPSHUFB  Y0, Y11, Y0
	VPSHUFB  Y1, Y12, Y1
	VPAND    Y1, Y0, Y0
	VPAND    Y2, Y0, Y0 // the pairs
	VPTEST   Y0, Y0
	JNZ      pairs32

next32:
	VPOR     Y2, Y6, Y6
	ADDQ     $32, CX
	CMPQ     CX, R12
	JLE      round32
	VPTEST lowerBlocksLUT<>+192(SB), Y6 // the spaces of the rounds that passed
	JZ     nosp1
	ORL    $1, BX
nosp1:
	VZEROUPPER
	CMPQ     CX, DI
	JG       done
	JMP      loop

pairs32:
	VPCMPEQB  Y14, Y0, Y0
	VPMOVMSKB Y0, R8
	NOTL      R8 // the places of the pairs

pair32:
	BSFL  R8, R9
	LEAQ  (CX)(R9*1), R10 // the pair's place
	CMPQ  R10, R13
	JG    word32          // fewer than four bytes from it
	MOVL  (SI)(R10*1), R10
	ORL   $0x20202020, R10
	CMPL  R10, $0x6f696e75 // "unio"
	JEQ   word32
	CMPL  R10, $0x6d6f7266 // "from"
	JEQ   word32
	CMPL  R10, $0x6e696f6a // "join"
	JEQ   word32
	LEAL  -1(R8), R9
	ANDL  R9, R8
	JNZ   pair32
	JMP   next32

word32:
	// a word starts: a block at a time, as two does
	VPTEST lowerBlocksLUT<>+192(SB), Y6 // the spaces of the rounds that passed
	JZ     nosp2
	ORL    $1, BX
nosp2:
	VZEROUPPER
	MOVL $1, R11
	JMP  loop

out32:
	// a byte neither a letter nor a space: the round is two's
	VPTEST lowerBlocksLUT<>+192(SB), Y6 // the spaces of the rounds that passed
	JZ     nosp3
	ORL    $1, BX
nosp3:
	VZEROUPPER
	JMP twosse
