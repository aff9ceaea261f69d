package results

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// This file writes NumPy's .npy format, version 1.0, as documented in
// numpy.lib.format:
//
//	6 bytes   magic "\x93NUMPY"
//	2 bytes   version 1, 0
//	2 bytes   header length H, little endian
//	H bytes   a Python dict literal, e.g.
//	          {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
//	          padded with spaces and ended by '\n' so that the data starts
//	          at a multiple of 64 bytes
//	then      the array elements, little endian, in C (row-major) order

// npyAlign is the alignment of the data block (NumPy uses 64 since 1.x;
// older readers ask for 16, which 64 satisfies).
const npyAlign = 64

// WriteNPYFloat64 writes data as a NumPy .npy file of 64-bit floats
// ('<f8'), readable with numpy.load. shape gives the array's dimensions in
// C order (the last index varies fastest); without shape the array is
// one-dimensional with len(data) elements. The product of shape must be
// len(data).
func (d *Dir) WriteNPYFloat64(name string, data []float64, shape ...int) error {
	return d.WriteFile(name, func(w io.Writer) error {
		return encodeNPY(w, "<f8", 8, len(data), shape, func(b []byte, i int) []byte {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(data[i]))
		})
	})
}

// WriteNPYInt32 writes data as a NumPy .npy file of 32-bit integers
// ('<i4'). shape works as for WriteNPYFloat64.
func (d *Dir) WriteNPYInt32(name string, data []int32, shape ...int) error {
	return d.WriteFile(name, func(w io.Writer) error {
		return encodeNPY(w, "<i4", 4, len(data), shape, func(b []byte, i int) []byte {
			return binary.LittleEndian.AppendUint32(b, uint32(data[i]))
		})
	})
}

// encodeNPY writes the .npy header for n elements of type descr (each
// size bytes) and the given shape, then the elements, which put appends
// to a byte slice one at a time.
func encodeNPY(w io.Writer, descr string, size, n int, shape []int, put func(b []byte, i int) []byte) error {
	hdr, err := npyHeader(descr, n, shape)
	if err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	const chunk = 1 << 15 // elements per write
	buf := make([]byte, 0, min(n, chunk)*size)
	for start := 0; start < n; start += chunk {
		buf = buf[:0]
		for i := start; i < min(n, start+chunk); i++ {
			buf = put(buf, i)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// npyHeader returns the magic string, version and padded header dict for
// an array of n elements of type descr with the given shape (or (n,) when
// shape is empty).
func npyHeader(descr string, n int, shape []int) ([]byte, error) {
	if len(shape) == 0 {
		shape = []int{n}
	}
	count := 1
	dims := make([]string, len(shape))
	for i, s := range shape {
		if s < 0 {
			return nil, fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		count *= s
		dims[i] = strconv.Itoa(s)
	}
	if count != n {
		return nil, fmt.Errorf("npy: shape %v holds %d elements, data has %d", shape, count, n)
	}
	// Python writes a one-element tuple as "(n,)".
	tuple := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		tuple = "(" + dims[0] + ",)"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, tuple)

	const prefix = 6 + 2 + 2 // magic, version, header length
	total := prefix + len(dict) + 1
	total += (npyAlign - total%npyAlign) % npyAlign
	hlen := total - prefix
	if hlen > math.MaxUint16 {
		return nil, fmt.Errorf("npy: shape %v is too long for a version 1.0 header", shape)
	}

	b := make([]byte, 0, total)
	b = append(b, "\x93NUMPY"...)
	b = append(b, 1, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	b = append(b, dict...)
	for len(b) < total-1 {
		b = append(b, ' ')
	}
	return append(b, '\n'), nil
}
