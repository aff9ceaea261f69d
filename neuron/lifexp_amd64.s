#include "textflag.h"

// The exact step of lif_exp, four neurons at a time (AVX2), with the
// operations of the Go loop (lifExp.stepGo in lif.go) in the same order and
// without fused multiply-adds, so that the results are the same bit for bit:
//
//	v' = (((vrest + (v-vrest)*p22) + p20*cur) + p21ex*Iex) + p21in*Iin
//	     cur = ie, or ie + iext
//	v' = v where ref > 0 (refractory: V is held), and ref is decremented there
//	Iex' = Iex*p11ex + ex,  Iin' = Iin*p11in + inh,  then ex = inh = 0
//
// A neuron spikes when v' >= vth, refractory or not, as in the Go loop.
// The loop stops after the first group of four with a neuron at threshold;
// the caller resets and emits those neurons and calls again for the rest.

// Registers:
//	SI V, DI Iex, R8 Iin, R9 ex, R10 inh, R11 iext (0 if none), R12 ref
//	BX index, CX count, DX spike mask of the last group
//	Y15 vrest, Y14 p22, Y13 ie, Y12 p20, Y11 p20*ie, Y10 p21ex, Y9 vth,
//	Y8 p21in, Y7 p11ex, Y6 p11in, Y5 zero, Y0–Y4 work.

// ESTEP advances neurons BX..BX+3; DRIVE adds p20*cur to Y1.
#define ESTEP(DRIVE) \
	VMOVUPD (SI)(BX*8), Y0 \
	VSUBPD  Y15, Y0, Y1 \
	VMULPD  Y14, Y1, Y1 \
	VADDPD  Y1, Y15, Y1 \
	DRIVE \
	VMOVUPD (DI)(BX*8), Y2 \
	VMULPD  Y10, Y2, Y4 \
	VADDPD  Y4, Y1, Y1 \
	VMOVUPD (R8)(BX*8), Y3 \
	VMULPD  Y8, Y3, Y4 \
	VADDPD  Y4, Y1, Y1 \
	VMULPD  Y7, Y2, Y2 \
	VADDPD  (R9)(BX*8), Y2, Y2 \
	VMOVUPD Y2, (DI)(BX*8) \
	VMULPD  Y6, Y3, Y3 \
	VADDPD  (R10)(BX*8), Y3, Y3 \
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

#define EDRIVEBIAS VADDPD Y11, Y1, Y1
#define EDRIVEEXT VADDPD (R11)(BX*8), Y13, Y2; VMULPD Y2, Y12, Y2; VADDPD Y2, Y1, Y1

// func expExactAVX2(c *[10]float64, v, iex, iin, ex, inh, iext *float64, ref *int32, n int) (done, mask int)
TEXT ·expExactAVX2(SB), NOSPLIT, $0-88
	MOVQ c+0(FP), AX
	MOVQ v+8(FP), SI
	MOVQ iex+16(FP), DI
	MOVQ iin+24(FP), R8
	MOVQ ex+32(FP), R9
	MOVQ inh+40(FP), R10
	MOVQ iext+48(FP), R11
	MOVQ ref+56(FP), R12
	MOVQ n+64(FP), CX
	XORQ BX, BX
	XORQ DX, DX
	CMPQ CX, $4
	JLT  ret

	VBROADCASTSD 0(AX), Y15  // vrest
	VBROADCASTSD 8(AX), Y14  // p22
	VBROADCASTSD 16(AX), Y12 // p20
	VBROADCASTSD 24(AX), Y13 // ie
	VBROADCASTSD 32(AX), Y9  // vth
	VBROADCASTSD 40(AX), Y11 // p20*ie
	VBROADCASTSD 48(AX), Y10 // p21ex
	VBROADCASTSD 56(AX), Y8  // p21in
	VBROADCASTSD 64(AX), Y7  // p11ex
	VBROADCASTSD 72(AX), Y6  // p11in
	VXORPD       Y5, Y5, Y5
	SUBQ         $4, CX      // the last group starts at or before n-4

	TESTQ R11, R11
	JNZ   loopext

loop:
	ESTEP(EDRIVEBIAS)
	TESTL DX, DX
	JNZ   done
	CMPQ  BX, CX
	JLE   loop
	JMP   done

loopext:
	ESTEP(EDRIVEEXT)
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
