//go:build linux

package hugepage

import (
	"syscall"
	"unsafe"
)

// mapHuge maps size bytes of fresh zeroed memory and advises huge pages
// for it; it returns nil if the mapping fails.
func mapHuge(size uintptr) (unsafe.Pointer, func()) {
	b, err := syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil
	}
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) // a hint: ignore refusals
	return unsafe.Pointer(unsafe.SliceData(b)), func() { _ = syscall.Munmap(b) }
}
