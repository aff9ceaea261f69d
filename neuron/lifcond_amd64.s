#include "textflag.h"

// The forward Euler step of lif_cond_exp, four neurons at a time (AVX2,
// four float64 per register). Each operation is the one the Go loop
// (stepEuler in lifcond.go) does, in the same order and without fused
// multiply-adds, so that the results are the same bit for bit:
//
//	v' = v + dtC*(((gL*(eL-v) + ge*(eEx-v)) + gi*(eIn-v)) + cur)   cur = ie, or ie + iext
//	v' = v where ref > 0 (refractory: V is held), and ref is decremented there
//	ge' = ge*decEx + ex,  gi' = gi*decIn + |inh|,  then ex = inh = 0
//
// The loop stops after the first group of four in which a neuron reached
// threshold (v' >= vth); the caller resets and emits those neurons and
// calls again for the rest.

// Registers:
//	SI V, DI gEx, R8 gIn, R9 ex, R10 inh, R11 iext (0 if none), R12 ref
//	BX index, CX count, DX spike mask of the last group
//	Y15 eL, Y14 eEx, Y13 eIn, Y12 gL, Y11 dtC, Y10 ie, Y9 vth, Y8 decEx,
//	Y7 decIn, Y6 the mask that clears a sign bit, Y5 zero, Y0–Y4 work.

// STEP advances neurons BX..BX+3; CUR adds the current to the sum in Y1.
#define STEP(CUR) \
	VMOVUPD (SI)(BX*8), Y0 \
	VSUBPD  Y0, Y15, Y1 \
	VMULPD  Y1, Y12, Y1 \
	VMOVUPD (DI)(BX*8), Y2 \
	VSUBPD  Y0, Y14, Y3 \
	VMULPD  Y3, Y2, Y3 \
	VADDPD  Y3, Y1, Y1 \
	VMOVUPD (R8)(BX*8), Y3 \
	VSUBPD  Y0, Y13, Y4 \
	VMULPD  Y4, Y3, Y4 \
	VADDPD  Y4, Y1, Y1 \
	CUR \
	VMULPD  Y1, Y11, Y1 \
	VADDPD  Y1, Y0, Y1 \
	VMULPD  Y8, Y2, Y2 \
	VADDPD  (R9)(BX*8), Y2, Y2 \
	VMOVUPD Y2, (DI)(BX*8) \
	VANDPD  (R10)(BX*8), Y6, Y4 \
	VMULPD  Y7, Y3, Y3 \
	VADDPD  Y4, Y3, Y3 \
	VMOVUPD Y3, (R8)(BX*8) \
	VMOVUPD Y5, (R9)(BX*8) \
	VMOVUPD Y5, (R10)(BX*8) \
	VMOVDQU (R12)(BX*4), X2 \
	VPCMPGTD X5, X2, X3 \
	VPADDD  X3, X2, X2 \
	VMOVDQU X2, (R12)(BX*4) \
	VPMOVSXDQ X3, Y3 \
	VBLENDVPD Y3, Y0, Y1, Y1 \
	VMOVUPD Y1, (SI)(BX*8) \
	VCMPPD  $0x1d, Y9, Y1, Y2 \
	VMOVMSKPD Y2, DX \
	ADDQ    $4, BX

#define BIAS VADDPD Y10, Y1, Y1
#define BIASEXT VADDPD (R11)(BX*8), Y10, Y4; VADDPD Y4, Y1, Y1

// func condEulerAVX2(c *[9]float64, v, gEx, gIn, ex, inh, iext *float64, ref *int32, n int) (done, mask int)
TEXT ·condEulerAVX2(SB), NOSPLIT, $0-88
	MOVQ c+0(FP), AX
	MOVQ v+8(FP), SI
	MOVQ gEx+16(FP), DI
	MOVQ gIn+24(FP), R8
	MOVQ ex+32(FP), R9
	MOVQ inh+40(FP), R10
	MOVQ iext+48(FP), R11
	MOVQ ref+56(FP), R12
	MOVQ n+64(FP), CX
	XORQ BX, BX
	XORQ DX, DX
	CMPQ CX, $4
	JLT  ret

	VBROADCASTSD 0(AX), Y12  // gL
	VBROADCASTSD 8(AX), Y15  // eL
	VBROADCASTSD 16(AX), Y14 // eEx
	VBROADCASTSD 24(AX), Y13 // eIn
	VBROADCASTSD 32(AX), Y11 // dtC
	VBROADCASTSD 40(AX), Y10 // ie
	VBROADCASTSD 48(AX), Y9  // vth
	VBROADCASTSD 56(AX), Y8  // decEx
	VBROADCASTSD 64(AX), Y7  // decIn
	VPCMPEQQ     Y6, Y6, Y6
	VPSRLQ       $1, Y6, Y6  // 0x7fff…: clears the sign bit
	VXORPD       Y5, Y5, Y5
	SUBQ         $4, CX      // the last group starts at or before n-4

	TESTQ R11, R11
	JNZ   loopext

loop:
	STEP(BIAS)
	TESTL DX, DX
	JNZ   done
	CMPQ  BX, CX
	JLE   loop
	JMP   done

loopext:
	STEP(BIASEXT)
	TESTL DX, DX
	JNZ   done
	CMPQ  BX, CX
	JLE   loopext

done:
	VZEROUPPER

ret:
	MOVQ BX, done+72(FP)
	MOVQ DX, mask+80(FP)
	RET

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv0() (lo, hi uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, lo+0(FP)
	MOVL DX, hi+4(FP)
	RET
