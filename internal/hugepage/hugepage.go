// Package hugepage allocates large arrays backed by huge pages (2 MiB on
// x86-64 Linux instead of 4 KiB). Arrays accessed at random over tens of
// megabytes — the ring buffers of a large network — otherwise miss the
// translation cache (TLB) at almost every access. Where transparent huge
// pages are set to "madvise" (a common default), only memory advised
// before it is first touched gets them, which memory reused by the Go
// heap usually is not: Make maps fresh memory for large arrays instead.
package hugepage

import (
	"runtime"
	"unsafe"
)

// MinBytes is the smallest array Make maps itself: smaller ones span too
// few huge pages to matter and come from the Go heap.
const MinBytes = 2 << 20

// Make returns a zeroed slice of n elements of a type without pointers.
// From MinBytes on (on Linux) its memory is mapped outside the Go heap
// with huge pages advised, and unmapped once owner — the object that holds
// the slice, which must not outlive it — is garbage collected.
func Make[T any, O any](n int, owner *O) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < MinBytes {
		return make([]T, n)
	}
	p, unmap := mapHuge(size)
	if p == nil {
		return make([]T, n)
	}
	runtime.AddCleanup(owner, func(struct{}) { unmap() }, struct{}{})
	return unsafe.Slice((*T)(p), n)
}
