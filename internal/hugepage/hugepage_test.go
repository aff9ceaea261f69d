package hugepage

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

type owner struct{ buf []float64 }

// Make gives zeroed, writable slices of the length asked, small ones from
// the heap and large ones mapped; a large one's memory is released when
// its owner is collected, and a new one can be made after that.
func TestMake(t *testing.T) {
	for _, n := range []int{0, 10, MinBytes / 8, 3 * MinBytes / 8} {
		o := &owner{}
		o.buf = Make[float64](n, o)
		if len(o.buf) != n {
			t.Fatalf("len %d, want %d", len(o.buf), n)
		}
		for i := range o.buf {
			if o.buf[i] != 0 {
				t.Fatalf("n = %d: element %d = %g, want 0", n, i, o.buf[i])
			}
			o.buf[i] = float64(i)
		}
		sum := 0.0
		for _, x := range o.buf {
			sum += x
		}
		if want := float64(n) * float64(n-1) / 2; sum != want {
			t.Fatalf("n = %d: sum %g, want %g", n, sum, want)
		}
	}
	runtime.GC()
	runtime.GC()
}

// On Linux with transparent huge pages available, a large array made by
// Make is backed by huge pages (AnonHugePages grows by most of its size).
func TestHugePages(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("no transparent huge pages here")
	}
	before := anonHuge(t)
	o := &owner{}
	o.buf = Make[float64](64<<20/8, o)
	for i := range o.buf {
		o.buf[i] = 1
	}
	got := anonHuge(t) - before
	t.Logf("AnonHugePages grew by %d KiB for a 64 MiB array (THP mode: %s)", got, strings.TrimSpace(string(mode)))
	if got < 32<<10 {
		t.Errorf("AnonHugePages grew by %d KiB for a 64 MiB array, want most of 65536", got)
	}
	runtime.KeepAlive(o)
}

func anonHuge(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skip(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "AnonHugePages:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Skip("no AnonHugePages line")
	return 0
}
