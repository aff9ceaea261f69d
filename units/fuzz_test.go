package units

import (
	"math"
	"testing"
)

// FuzzParse checks that Parse never panics, that every value it accepts
// is finite, and that writing an accepted value in the SI unit of its
// dimension with Format and parsing it again gives back the same value.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, tt := range inTests {
		f.Add(tt.in)
	}
	for _, tt := range errorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Parse(%q): empty error message", s)
			}
			return
		}
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
			t.Fatalf("Parse(%q) = %v, not finite", s, q.Value)
		}
		info, ok := named[q.Dim]
		if !ok {
			return // no simple SI unit to write this dimension in
		}
		text := Format(q.Value, info.siUnit)
		q2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %v; Parse(Format(...)) = Parse(%q): %v", s, q, text, err)
		}
		if q2 != q {
			t.Fatalf("Parse(%q) = %v, but Parse(%q) = %v", s, q, text, q2)
		}
		// Expressing the value in its SI unit must not change it.
		if v, err := q.In(info.siUnit); err != nil || v != q.Value {
			t.Fatalf("Parse(%q).In(%q) = %v, %v; want %v", s, info.siUnit, v, err, q.Value)
		}
	})
}
