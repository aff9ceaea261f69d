package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no model file, however broken, makes Parse or
// Resolve panic, and that every error they report says something.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(models, "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(models, "*", "*.yaml"))
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, c := range errorCases {
		src, _, _ := marked(c.yaml)
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, perr := Parse("fuzz.yaml", data)
		if s == nil {
			t.Fatal("Parse returned no Spec")
		}
		net, err := s.Resolve()
		if (net == nil) == (err == nil) {
			t.Fatalf("Resolve returned net %v and error %v", net != nil, err)
		}
		if perr != nil && err == nil {
			t.Fatalf("Parse failed with %v but Resolve succeeded", perr)
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.TrimSpace(line) == "" {
					t.Fatalf("empty error line in\n%v", err)
				}
			}
		}
	})
}
