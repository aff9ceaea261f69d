package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Error is one problem with a model: where it is, which field, and what
// was expected. Its text reads
//
//	net.yaml:12:14: populations.exc.params.tau_m: expected a time like "20 ms", got a voltage ("20 mV")
//
// A model built in Go has no file position, and its errors read
// "field: message".
type Error struct {
	Pos   Pos
	Field string // path of the field, like "projections[0].synapse.weight"; "" for the file as a whole
	Msg   string
}

// Error returns "file:line:col: field: msg", leaving out the parts that
// are not known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// String returns "file:line:col", "file:line" when the column is not
// known, "file" when the line is not known, or "" for a model built in
// Go. A model parsed without a file name is called "<model>".
func (p Pos) String() string {
	file := p.File
	if file == "" {
		if p.Line == 0 {
			return ""
		}
		file = "<model>"
	}
	switch {
	case p.Line == 0:
		return file
	case p.Col == 0:
		return file + ":" + strconv.Itoa(p.Line)
	}
	return file + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// Errors is a list of problems with a model. Parse and Resolve return all
// the problems they find at once as an Errors.
type Errors []*Error

// Error returns one error per line, in the order of their positions in
// the file.
func (es Errors) Error() string {
	sorted := append(Errors(nil), es...)
	sorted.sort()
	lines := make([]string, len(sorted))
	for i, e := range sorted {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Add appends an error at pos about field, with a message formatted as by
// fmt.Sprintf.
func (es *Errors) Add(pos Pos, field, format string, args ...any) {
	*es = append(*es, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// sort orders es by file, line and column, keeping the order in which
// errors at the same place (or without a place) were found.
func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// err returns es as an error: nil if there are none, else es sorted.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	es.sort()
	return es
}

// covers reports whether an error about field p also concerns field f:
// f is p or lies inside it ("populations.exc" covers
// "populations.exc.size" and "projections[0]" covers
// "projections[0].delay"). The empty field covers everything.
func covers(p, f string) bool {
	if p == "" || p == f {
		return true
	}
	return strings.HasPrefix(f, p) && (f[len(p)] == '.' || f[len(p)] == '[')
}
