package main

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The gallery command runs and writes its three figures.
func TestGallery(t *testing.T) {
	dir := t.TempDir()
	os.Args = []string{"neurons", "-out", dir}
	main()
	for _, name := range []string{"izhikevich.png", "adex.png", "fi.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 500 {
			t.Fatalf("%s: not a figure: %v", name, err)
		}
	}
}
