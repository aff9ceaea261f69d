package bench

import (
	"testing"

	"github.com/hebb-snn/hebb/engine"
)

// BenchmarkBuildMicrocircuit builds the microcircuit at scale 0.05
// (3860 neurons, 15 million synapses) on one and two threads:
//
//	go test -run xxx -bench BuildMicrocircuit -benchtime 1x ./bench/
func BenchmarkBuildMicrocircuit(b *testing.B) {
	spec, err := Spec("microcircuit", 0.05, "1 s", 1)
	if err != nil {
		b.Fatal(err)
	}
	net, err := spec.Resolve()
	if err != nil {
		b.Fatal(err)
	}
	for _, threads := range []int{1, 2} {
		b.Run(string(rune('0'+threads))+"threads", func(b *testing.B) {
			for b.Loop() {
				if _, err := engine.Build(net, engine.Options{Threads: threads}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
