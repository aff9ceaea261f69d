//go:build !linux

package hugepage

import "unsafe"

// mapHuge is not available here: Make falls back to the Go heap.
func mapHuge(uintptr) (unsafe.Pointer, func()) { return nil, nil }
