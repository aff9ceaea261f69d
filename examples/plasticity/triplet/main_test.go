package main

import (
	"context"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/model"
)

// The command runs the whole frequency sweep and writes its figure.
func TestFigure(t *testing.T) {
	dir := t.TempDir()
	os.Args = []string{"triplet", "-out", dir}
	main()
	f, err := os.Open(filepath.Join(dir, "sjostrom.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 500 {
		t.Fatalf("sjostrom.png: not a figure: %v", err)
	}
}

// sjostrom_50hz.yaml is the 50 Hz protocol of the command, written as a
// model file: with 1 and 3 threads it gives the same weights as the model
// built in Go, bit for bit, and the changes its comment states
// (Δw/w = +0.7627 and +0.7492, to 1e-4; computed independently in
// engine/triplet_test.go), both within 2 s.e.m. of the data.
func TestModelFile(t *testing.T) {
	plus, minus, err := change(protocol(50, nil))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := model.Load("sjostrom_50hz.yaml")
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, threads := range []int{1, 3} {
		sim, err := engine.Build(net, engine.Options{Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		p, m, err := relative(sim.Weights()[0])
		if err != nil {
			t.Fatal(err)
		}
		if p != plus || m != minus {
			t.Errorf("%d threads: model file Δw/w = %.9f, %.9f; Go model %.9f, %.9f", threads, p, m, plus, minus)
		}
	}
	d := sjostrom[len(sjostrom)-1]
	if d.f != 50 {
		t.Fatalf("last data point at %g Hz, want 50", d.f)
	}
	for _, c := range []struct {
		name              string
		got, want, x, sem float64
	}{{"+10 ms", plus, 0.7627, d.plus, d.plusSEM}, {"−10 ms", minus, 0.7492, d.minus, d.minusSEM}} {
		if math.Abs(c.got-c.want) > 1e-4 {
			t.Errorf("%s: Δw/w = %.5f, want %.4f", c.name, c.got, c.want)
		}
		if math.Abs(c.got-c.x) > 2*c.sem {
			t.Errorf("%s: Δw/w = %.3f, data %.2f ± %.2f", c.name, c.got, c.x, c.sem)
		}
	}
}
