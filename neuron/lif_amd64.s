#include "textflag.h"

// The exact step of lif_delta, four neurons at a time (AVX2), with the
// operations of the Go loop (lifDelta.Step in lif.go) in the same order and
// without fused multiply-adds, so that the results are the same bit for bit:
//
//	v' = ((vrest + (v-vrest)*p22) + p20*cur) + (ex + inh)   cur = ie, or ie + iext
//	v' = v where ref > 0 (refractory: V is held, input discarded, no spike),
//	and ref is decremented there; then ex = inh = 0
//
// The loop stops after the first group of four in which a neuron that is
// not refractory reached threshold (v' >= vth); the caller resets and emits
// those neurons and calls again for the rest.

// Registers:
//	SI V, R9 ex, R10 inh, R11 iext (0 if none), R12 ref
//	BX index, CX count, DX spike mask of the last group
//	Y15 vrest, Y14 p22, Y13 ie, Y12 p20, Y11 p20*ie, Y9 vth, Y5 zero, Y0–Y4 work.

// DSTEP advances neurons BX..BX+3; DRIVE adds p20*cur to Y1.
#define DSTEP(DRIVE) \
	VMOVUPD (SI)(BX*8), Y0 \
	VSUBPD  Y15, Y0, Y1 \
	VMULPD  Y14, Y1, Y1 \
	VADDPD  Y1, Y15, Y1 \
	DRIVE \
	VMOVUPD (R9)(BX*8), Y2 \
	VADDPD  (R10)(BX*8), Y2, Y2 \
	VADDPD  Y2, Y1, Y1 \
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
	VANDNPD Y2, Y3, Y2 \
	VMOVMSKPD Y2, DX \
	ADDQ    $4, BX

#define DRIVEBIAS VADDPD Y11, Y1, Y1
#define DRIVEEXT VADDPD (R11)(BX*8), Y13, Y2; VMULPD Y2, Y12, Y2; VADDPD Y2, Y1, Y1

// func deltaExactAVX2(c *[6]float64, v, ex, inh, iext *float64, ref *int32, n int) (done, mask int)
TEXT ·deltaExactAVX2(SB), NOSPLIT, $0-72
	MOVQ c+0(FP), AX
	MOVQ v+8(FP), SI
	MOVQ ex+16(FP), R9
	MOVQ inh+24(FP), R10
	MOVQ iext+32(FP), R11
	MOVQ ref+40(FP), R12
	MOVQ n+48(FP), CX
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
	VXORPD       Y5, Y5, Y5
	SUBQ         $4, CX      // the last group starts at or before n-4

	TESTQ R11, R11
	JNZ   loopext

loop:
	DSTEP(DRIVEBIAS)
	TESTL DX, DX
	JNZ   done
	CMPQ  BX, CX
	JLE   loop
	JMP   done

loopext:
	DSTEP(DRIVEEXT)
	TESTL DX, DX
	JNZ   done
	CMPQ  BX, CX
	JLE   loopext

done:
	VZEROUPPER

ret:
	MOVQ BX, done+56(FP)
	MOVQ DX, mask+64(FP)
	RET
