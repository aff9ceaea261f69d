package results

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sbinet/npyio/npy"
)

func TestNPYHeaderBytes(t *testing.T) {
	d := newDir(t)
	if err := d.WriteNPYFloat64("x.npy", []float64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(d.Path, "x.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x93NUMPY\x01\x00")) {
		t.Fatalf("bad magic/version: %q", b[:8])
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	start := 10 + hlen
	if start%64 != 0 {
		t.Errorf("data starts at byte %d, not a multiple of 64", start)
	}
	hdr := string(b[10:start])
	want := "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
	if strings.TrimRight(hdr, " \n") != want || !strings.HasSuffix(hdr, "\n") {
		t.Errorf("header = %q, want %q padded with spaces and a newline", hdr, want)
	}
	if len(b) != start+3*8 {
		t.Errorf("file is %d bytes, want %d", len(b), start+3*8)
	}
	if got := binary.LittleEndian.Uint64(b[start+8:]); got != 0x4000000000000000 { // 2.0
		t.Errorf("second element bits = %#x", got)
	}
}

func TestNPYShapeString(t *testing.T) {
	for _, c := range []struct {
		n     int
		shape []int
		want  string
	}{
		{0, nil, "(0,)"},
		{5, nil, "(5,)"},
		{6, []int{2, 3}, "(2, 3)"},
		{0, []int{0, 4}, "(0, 4)"},
		{24, []int{2, 3, 4}, "(2, 3, 4)"},
	} {
		h, err := npyHeader("<i4", c.n, c.shape)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(h), "'shape': "+c.want+", }") {
			t.Errorf("shape %v: header %q lacks %s", c.shape, h, c.want)
		}
		if len(h)%64 != 0 {
			t.Errorf("shape %v: header is %d bytes", c.shape, len(h))
		}
	}
}

func TestNPYBadShape(t *testing.T) {
	d := newDir(t)
	if err := d.WriteNPYFloat64("a.npy", []float64{1, 2, 3}, 2, 2); err == nil {
		t.Error("shape (2, 2) for 3 elements accepted")
	}
	if err := d.WriteNPYInt32("b.npy", []int32{1, 2}, -1, -2); err == nil {
		t.Error("negative shape accepted")
	}
	if es := entries(t, d.Path); len(es) != 0 {
		t.Errorf("failed writes left %v", es)
	}
}

// npyCase is one array written by the round-trip tests.
type npyCase struct {
	name  string
	f64   []float64
	i32   []int32
	shape []int // as passed to the writer
	want  []int // shape expected back
}

func npyCases() []npyCase {
	return []npyCase{
		{name: "f1.npy", f64: []float64{0, -1.5, 3.25e-300, 1e300}, want: []int{4}},
		{name: "f0.npy", f64: []float64{}, want: []int{0}},
		{name: "f2.npy", f64: []float64{1, 2, 3, 4, 5, 6}, shape: []int{2, 3}, want: []int{2, 3}},
		{name: "i1.npy", i32: []int32{0, -1, 2147483647, -2147483648}, want: []int{4}},
		{name: "i0.npy", i32: nil, want: []int{0}},
		{name: "i2.npy", i32: []int32{1, 2, 3, 4, 5, 6}, shape: []int{3, 2}, want: []int{3, 2}},
	}
}

func writeNPYCases(t *testing.T) *Dir {
	t.Helper()
	d := newDir(t)
	for _, c := range npyCases() {
		var err error
		if strings.HasPrefix(c.name, "f") {
			err = d.WriteNPYFloat64(c.name, c.f64, c.shape...)
		} else {
			err = d.WriteNPYInt32(c.name, c.i32, c.shape...)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	return d
}

// TestNPYRoundTrip reads the files back with npyio, an independent reader.
func TestNPYRoundTrip(t *testing.T) {
	d := writeNPYCases(t)
	for _, c := range npyCases() {
		f, err := os.Open(filepath.Join(d.Path, c.name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := npy.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(r.Header.Descr.Shape, c.want) || r.Header.Descr.Fortran {
			t.Errorf("%s: shape %v fortran %v, want %v C order", c.name, r.Header.Descr.Shape, r.Header.Descr.Fortran, c.want)
		}
		if strings.HasPrefix(c.name, "f") {
			var got []float64
			if err := r.Read(&got); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if r.Header.Descr.Type != "<f8" || len(got) != len(c.f64) || (len(got) > 0 && !reflect.DeepEqual(got, c.f64)) {
				t.Errorf("%s: read %s %v, want <f8 %v", c.name, r.Header.Descr.Type, got, c.f64)
			}
		} else {
			var got []int32
			if err := r.Read(&got); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if r.Header.Descr.Type != "<i4" || len(got) != len(c.i32) || (len(got) > 0 && !reflect.DeepEqual(got, c.i32)) {
				t.Errorf("%s: read %s %v, want <i4 %v", c.name, r.Header.Descr.Type, got, c.i32)
			}
		}
		f.Close()
	}
}

// numpyPython returns a Python interpreter that can import numpy, or "".
func numpyPython() string {
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/python3")
	for _, p := range candidates {
		if exec.Command(p, "-c", "import numpy").Run() == nil {
			return p
		}
	}
	return ""
}

// TestNPYNumpyLoad checks that numpy.load reads the files; it is skipped
// where numpy is not installed.
func TestNPYNumpyLoad(t *testing.T) {
	py := numpyPython()
	if py == "" {
		t.Skip("no python3 with numpy")
	}
	d := writeNPYCases(t)
	const script = `
import sys, numpy as np
for name in sys.argv[1:]:
    a = np.load(name)
    print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'], a.ravel().tolist())
`
	args := []string{"-c", script}
	for _, c := range npyCases() {
		args = append(args, filepath.Join(d.Path, c.name))
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy.load failed: %v\n%s", err, out)
	}
	want := strings.Join([]string{
		"<f8 (4,) True [0.0, -1.5, 3.25e-300, 1e+300]",
		"<f8 (0,) True []",
		"<f8 (2, 3) True [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]",
		"<i4 (4,) True [0, -1, 2147483647, -2147483648]",
		"<i4 (0,) True []",
		"<i4 (3, 2) True [1, 2, 3, 4, 5, 6]",
	}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("numpy read:\n%s\nwant:\n%s", out, want)
	}
}
