package spiketrain

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/sbinet/npyio/npy"
	"github.com/sbinet/npyio/npz"
)

// Options control how spike files are read. The zero value reads times
// in the unit their column or array name states (time_ms, time_s) and in
// ms where the name states none, and takes the observation window from
// the file (a results folder's simulated time) or else [0, last spike].
type Options struct {
	// TimeUnit is the length in ms of one time unit for columns and
	// arrays whose name states no unit ("time", "t", "times"): 1 for ms,
	// 1000 for s. Zero means ms, and a note says so.
	TimeUnit float64
	// Start and Stop set the observation window in ms. Where Stop is
	// zero the window comes from the data: [0, reached time] for a
	// results folder, [0, last spike] otherwise (with a note).
	Start, Stop float64
	// Neurons, if positive, is the number of neurons of a file without
	// populations: ids 0..Neurons−1 all get a train, silent or not.
	// Otherwise only the ids that fired are known.
	Neurons int
}

// Loaded is spike data with the notes made while reading it: the
// assumptions a user should know about (a unit taken as ms, a window
// taken from the last spike).
type Loaded struct {
	Data
	// Notes are assumptions made while reading, one sentence each.
	Notes []string
}

// Load reads spike data from path: a hebb results folder (its
// manifest.json and spikes.csv), a CSV file, a NumPy .npy file or a .npz
// archive.
//
// CSV files have a header line naming the columns: an optional
// population column (population or pop), a neuron column (neuron, id,
// i, unit or sender) and a time column (time_ms, t_ms, time_s, t_s, time
// or t). Lines starting with # are comments.
//
// A .npz archive holds a times array (times, t, time, spike_times, with an
// optional _ms or _s suffix) and an ids array (ids, i, neuron, neurons,
// senders). A .npy file is either hebb's NAME_times.npy, read with its
// sibling NAME_ids.npy; a 2-D array of shape (n, 2) holding (id, time)
// rows; or a 1-D array of one neuron's spike times.
func Load(path string, opt Options) (*Loaded, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if opt.TimeUnit < 0 || math.IsNaN(opt.TimeUnit) || math.IsInf(opt.TimeUnit, 0) {
		return nil, fmt.Errorf("time unit %g ms: expected a positive length of time", opt.TimeUnit)
	}
	if opt.Stop != 0 && !(opt.Stop > opt.Start) {
		return nil, fmt.Errorf("window [%g, %g) ms: expected stop > start", opt.Start, opt.Stop)
	}
	l := &Loaded{Data: Data{Source: path}}
	switch {
	case st.IsDir():
		err = l.loadResults(path, opt)
	case strings.HasSuffix(strings.ToLower(path), ".csv"):
		err = l.loadCSVFile(path, opt, nil)
	case strings.HasSuffix(strings.ToLower(path), ".npz"):
		err = l.loadNPZ(path, opt)
	case strings.HasSuffix(strings.ToLower(path), ".npy"):
		err = l.loadNPY(path, opt)
	default:
		err = fmt.Errorf("%s: unknown kind of spike file: expected a results folder, .csv, .npy or .npz", path)
	}
	if err != nil {
		return nil, err
	}
	for i := range l.Groups {
		if err := l.Groups[i].Check(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return l, nil
}

func (l *Loaded) note(format string, args ...any) {
	l.Notes = append(l.Notes, fmt.Sprintf(format, args...))
}

// manifest holds the parts of a results folder's manifest.json that
// describe its spikes.
type manifest struct {
	ReachedMs   *float64 `json:"reached_ms"`
	Complete    bool     `json:"complete"`
	Populations []struct {
		Name string `json:"name"`
		Size int    `json:"size"`
	} `json:"populations"`
}

func (l *Loaded) loadResults(dir string, opt Options) error {
	mpath := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(mpath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: not a hebb results folder: it has no manifest.json", dir)
		}
		return err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %v", mpath, err)
	}
	if m.ReachedMs == nil || len(m.Populations) == 0 {
		return fmt.Errorf("%s: expected reached_ms and populations: is this a hebb manifest?", mpath)
	}
	if !m.Complete {
		l.note("the run did not complete; its spikes up to %g ms are analysed", *m.ReachedMs)
	}
	sizes := map[string]int{}
	for _, p := range m.Populations {
		sizes[p.Name] = p.Size
	}
	if opt.Stop == 0 {
		opt.Start, opt.Stop = 0, *m.ReachedMs
	}
	if !(opt.Stop > opt.Start) {
		return fmt.Errorf("%s: reached_ms is %g: there is no time to analyse", mpath, *m.ReachedMs)
	}
	spath := filepath.Join(dir, "spikes.csv")
	if err := l.loadCSVFile(spath, opt, sizes); err != nil {
		return err
	}
	// Every population of the model gets a group, in the manifest's
	// order, even one that recorded no spikes.
	var groups []Group
	for _, p := range m.Populations {
		if g := l.Group(p.Name); g != nil {
			groups = append(groups, *g)
		} else {
			groups = append(groups, FromEvents(p.Name, nil, nil, p.Size, opt.Start, opt.Stop))
		}
	}
	l.Groups = groups
	return nil
}

// columns names the columns a spike CSV may have.
var (
	popColumns    = []string{"population", "pop"}
	neuronColumns = []string{"neuron", "id", "i", "unit", "sender"}
)

// TimeColumn returns the length in ms of the unit of a time column or
// array called name (time_ms, t_s, spike_times_ms, event_s, …), or 0 if
// name is not a time column; bare is true when the name states no unit
// (time, t, times), and the unit returned is then ms.
func TimeColumn(name string) (unit float64, bare bool) {
	base, suffix := name, ""
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		base, suffix = name[:i], name[i+1:]
	}
	switch base {
	case "time", "t", "times", "spike_times", "spike_time", "event", "events":
		switch suffix {
		case "ms":
			return 1, false
		case "s":
			return 1000, false
		}
	}
	switch name {
	case "time", "t", "times", "spike_times":
		return 1, true
	}
	return 0, false
}

func indexOf(names []string, header []string) int {
	for i, h := range header {
		for _, n := range names {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// loadCSVFile reads a spike CSV. sizes, if not nil, gives the number of
// neurons of each population (a results folder).
func (l *Loaded) loadCSVFile(path string, opt Options, sizes map[string]int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return l.loadCSV(path, f, opt, sizes)
}

func (l *Loaded) loadCSV(path string, r io.Reader, opt Options, sizes map[string]int) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	var header []string
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		header = strings.Split(s, ",")
		for i := range header {
			header[i] = strings.ToLower(strings.Trim(strings.TrimSpace(header[i]), `"`))
		}
		break
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if header == nil {
		return fmt.Errorf("%s: empty file: expected a header line such as population,neuron,time_ms", path)
	}
	pc, nc := indexOf(popColumns, header), indexOf(neuronColumns, header)
	tc, unit := -1, 0.0
	for i, h := range header {
		if u, bare := TimeColumn(h); u > 0 {
			tc, unit = i, u
			if bare {
				unit = l.bareUnit(path, h, opt)
			}
			break
		}
	}
	if nc < 0 || tc < 0 {
		return fmt.Errorf("%s:%d: header %q: expected a neuron column (neuron, id, i, unit or sender) and a time column (time_ms, time_s, time or t)", path, line, strings.Join(header, ","))
	}
	type events struct {
		ids   []int
		times []float64
	}
	byPop := map[string]*events{}
	var order []string
	lastTime := math.Inf(-1)
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		rec := strings.Split(s, ",")
		if len(rec) != len(header) {
			return fmt.Errorf("%s:%d: %d fields: expected %d as in the header", path, line, len(rec), len(header))
		}
		pop := ""
		if pc >= 0 {
			pop = strings.Trim(strings.TrimSpace(rec[pc]), `"`)
			if sizes != nil {
				if _, ok := sizes[pop]; !ok {
					return fmt.Errorf("%s:%d: population %q is not in the manifest", path, line, pop)
				}
			}
		}
		id, err := strconv.Atoi(strings.TrimSpace(rec[nc]))
		if err != nil || id < 0 {
			return fmt.Errorf("%s:%d: %s: expected a neuron id (a whole number ≥ 0), got %q", path, line, header[nc], rec[nc])
		}
		if sizes == nil && opt.Neurons > 0 && id >= opt.Neurons {
			return fmt.Errorf("%s:%d: %s: neuron %d does not exist: expected ids below %d", path, line, header[nc], id, opt.Neurons)
		}
		if sizes != nil && id >= sizes[pop] {
			return fmt.Errorf("%s:%d: %s: neuron %d does not exist: population %q has %d neurons", path, line, header[nc], id, pop, sizes[pop])
		}
		t, err := strconv.ParseFloat(strings.TrimSpace(rec[tc]), 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("%s:%d: %s: expected a finite time, got %q", path, line, header[tc], rec[tc])
		}
		t *= unit
		if opt.Stop != 0 && (t < opt.Start || t > opt.Stop) {
			if sizes != nil {
				return fmt.Errorf("%s:%d: %s: spike at %g ms lies outside the run [%g, %g] ms", path, line, header[tc], t, opt.Start, opt.Stop)
			}
			continue // outside the window asked for
		}
		e := byPop[pop]
		if e == nil {
			e = &events{}
			byPop[pop] = e
			order = append(order, pop)
		}
		e.ids = append(e.ids, id)
		e.times = append(e.times, t)
		lastTime = math.Max(lastTime, t)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: line %d: %v", path, line+1, err)
	}
	start, stop := l.window(path, opt, lastTime)
	if len(order) == 0 && sizes == nil {
		if opt.Stop == 0 {
			return fmt.Errorf("%s: no spikes: give the observation window (stop time) to analyse an empty file", path)
		}
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		l.Groups = append(l.Groups, FromEvents(name, nil, nil, opt.Neurons, start, stop))
		return nil
	}
	sort.Strings(order)
	for _, pop := range order {
		n := opt.Neurons
		if sizes != nil {
			n = sizes[pop]
		}
		e := byPop[pop]
		name := pop
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		l.Groups = append(l.Groups, FromEvents(name, e.ids, e.times, n, start, stop))
	}
	return nil
}

// bareUnit returns the unit, in ms, of a time column whose name states
// none, and notes the assumption.
func (l *Loaded) bareUnit(path, name string, opt Options) float64 {
	if opt.TimeUnit > 0 {
		return opt.TimeUnit
	}
	l.note("%s: %q states no unit; read as ms (name it %s_s or give the time unit if it is in seconds)", filepath.Base(path), name, name)
	return 1
}

// window returns the observation window: the one asked for, or [0, the
// last spike] with a note.
func (l *Loaded) window(path string, opt Options, last float64) (start, stop float64) {
	if opt.Stop != 0 {
		return opt.Start, opt.Stop
	}
	if math.IsInf(last, -1) || last <= 0 {
		return 0, 0
	}
	l.note("%s: no observation window given; using [0, %g] ms, which ends at the last spike", filepath.Base(path), last)
	return 0, last
}

// readArray reads a numeric .npy stream as float64 values with its shape.
func readArray(r io.Reader) ([]float64, []int, error) {
	nr, err := npy.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	shape := nr.Header.Descr.Shape
	var out []float64
	typ := nr.Header.Descr.Type
	if len(typ) < 2 {
		return nil, nil, fmt.Errorf("data type %q: expected a numeric type", typ)
	}
	switch typ[1:] {
	case "f8":
		err = nr.Read(&out)
	case "f4":
		var v []float32
		err = nr.Read(&v)
		out = convert(v)
	case "i8":
		var v []int64
		err = nr.Read(&v)
		out = convert(v)
	case "i4":
		var v []int32
		err = nr.Read(&v)
		out = convert(v)
	case "i2":
		var v []int16
		err = nr.Read(&v)
		out = convert(v)
	case "u8":
		var v []uint64
		err = nr.Read(&v)
		out = convert(v)
	case "u4":
		var v []uint32
		err = nr.Read(&v)
		out = convert(v)
	case "u2":
		var v []uint16
		err = nr.Read(&v)
		out = convert(v)
	default:
		return nil, nil, fmt.Errorf("data type %q: expected floats or integers", typ)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	if len(out) != n {
		return nil, nil, fmt.Errorf("array of shape %v holds %d values: the file is truncated", shape, len(out))
	}
	if len(shape) == 2 && nr.Header.Descr.Fortran {
		// Column-major: transpose to rows.
		rows, cols := shape[0], shape[1]
		t := make([]float64, n)
		for c := range cols {
			for r := range rows {
				t[r*cols+c] = out[c*rows+r]
			}
		}
		out = t
	}
	return out, shape, nil
}

func convert[T int16 | int32 | int64 | uint16 | uint32 | uint64 | float32](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func readNPYFile(path string) ([]float64, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	v, shape, err := readArray(bufio.NewReader(f))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	return v, shape, nil
}

func (l *Loaded) loadNPY(path string, opt Options) error {
	if base, ok := strings.CutSuffix(path, "_times.npy"); ok {
		times, shape, err := readNPYFile(path)
		if err != nil {
			return err
		}
		idPath := base + "_ids.npy"
		ids, ishape, err := readNPYFile(idPath)
		if err != nil {
			return fmt.Errorf("%s: expected the neuron ids in %s: %w", path, filepath.Base(idPath), err)
		}
		if len(shape) != 1 || len(ishape) != 1 || len(times) != len(ids) {
			return fmt.Errorf("%s and %s: shapes %v and %v: expected two 1-D arrays of the same length", path, idPath, shape, ishape)
		}
		unit := opt.TimeUnit
		if unit == 0 {
			unit = 1 // hebb writes ms
		}
		return l.addEvents(path, filepath.Base(base), ids, times, unit, opt)
	}
	v, shape, err := readNPYFile(path)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	unit := opt.TimeUnit
	if unit == 0 {
		unit = 1
		l.note("%s states no time unit; read as ms", filepath.Base(path))
	}
	switch {
	case len(shape) == 2 && shape[1] == 2:
		ids := make([]float64, shape[0])
		times := make([]float64, shape[0])
		for r := range shape[0] {
			ids[r], times[r] = v[2*r], v[2*r+1]
		}
		return l.addEvents(path, name, ids, times, unit, opt)
	case len(shape) == 1:
		return l.addEvents(path, name, make([]float64, len(v)), v, unit, opt)
	}
	return fmt.Errorf("%s: array of shape %v: expected (n, 2) rows of (id, time) or a 1-D array of spike times", path, shape)
}

var (
	npzTimes = []string{"times", "t", "time", "spike_times", "times_ms", "t_ms", "spike_times_ms", "times_s", "t_s", "spike_times_s"}
	npzIDs   = []string{"ids", "i", "id", "neuron", "neurons", "senders", "sender"}
)

func (l *Loaded) loadNPZ(path string, opt Options) error {
	z, err := npz.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	defer z.Close()
	keys := map[string]string{} // array name → key in the archive
	for _, k := range z.Keys() {
		keys[strings.TrimSuffix(k, ".npy")] = k
	}
	find := func(names []string) string {
		for _, n := range names {
			if keys[n] != "" {
				return n
			}
		}
		return ""
	}
	tk, ik := find(npzTimes), find(npzIDs)
	if tk == "" || ik == "" {
		have := make([]string, 0, len(keys))
		for k := range keys {
			have = append(have, k)
		}
		sort.Strings(have)
		return fmt.Errorf("%s: arrays %v: expected a times array (%s) and an ids array (%s)", path, have, strings.Join(npzTimes[:4], ", "), strings.Join(npzIDs, ", "))
	}
	read := func(key string) ([]float64, error) {
		rc, err := z.Open(keys[key])
		if err != nil {
			return nil, fmt.Errorf("%s: array %s: %v", path, key, err)
		}
		defer rc.Close()
		v, shape, err := readArray(rc)
		if err != nil {
			return nil, fmt.Errorf("%s: array %s: %v", path, key, err)
		}
		if len(shape) != 1 {
			return nil, fmt.Errorf("%s: array %s has shape %v: expected a 1-D array", path, key, shape)
		}
		return v, nil
	}
	times, err := read(tk)
	if err != nil {
		return err
	}
	ids, err := read(ik)
	if err != nil {
		return err
	}
	if len(times) != len(ids) {
		return fmt.Errorf("%s: %s has %d values and %s %d: expected one id per spike time", path, tk, len(times), ik, len(ids))
	}
	unit, bare := TimeColumn(tk)
	if bare {
		unit = l.bareUnit(path, tk, opt)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return l.addEvents(path, name, ids, times, unit, opt)
}

// addEvents checks the ids and times of an array file and adds them as a
// group.
func (l *Loaded) addEvents(path, name string, fids, ftimes []float64, unit float64, opt Options) error {
	ids := make([]int, 0, len(fids))
	times := make([]float64, 0, len(ftimes))
	last := math.Inf(-1)
	for k, fid := range fids {
		if fid < 0 || fid != math.Trunc(fid) || fid > math.MaxInt32 {
			return fmt.Errorf("%s: element %d: neuron id %g: expected a whole number ≥ 0", path, k, fid)
		}
		if opt.Neurons > 0 && fid >= float64(opt.Neurons) {
			return fmt.Errorf("%s: element %d: neuron %g does not exist: expected ids below %d", path, k, fid, opt.Neurons)
		}
		t := ftimes[k] * unit
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("%s: element %d: spike time %g: expected a finite time", path, k, ftimes[k])
		}
		if opt.Stop != 0 && (t < opt.Start || t > opt.Stop) {
			continue
		}
		ids = append(ids, int(fid))
		times = append(times, t)
		last = math.Max(last, t)
	}
	if len(times) == 0 && opt.Stop == 0 {
		return fmt.Errorf("%s: no spikes: give the observation window (stop time) to analyse an empty file", path)
	}
	start, stop := l.window(path, opt, last)
	l.Groups = append(l.Groups, FromEvents(name, ids, times, opt.Neurons, start, stop))
	return nil
}
