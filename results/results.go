// Package results manages the output folder of one simulation run.
//
// Every file is first written under a temporary name in the same folder
// (".name.tmp-XXXX"), flushed to disk and only then renamed to its real
// name. A run that fails or is interrupted therefore never leaves a file
// that looks complete but is not: either the whole file is there, or there
// is no file of that name at all (at worst a hidden temporary file).
//
// The folder is described by manifest.json, which the caller writes last
// with WriteManifest. A folder without a manifest is treated as foreign and
// is never cleaned by this package; a folder with a manifest from an earlier
// hebb run is reused after removing exactly the files that manifest lists.
package results

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// ManifestName is the name of the file that describes a results folder.
const ManifestName = "manifest.json"

// Dir is the results folder of one simulation run.
// Its methods may be called from several goroutines at once.
type Dir struct {
	// Path is the folder's path, as given to Create.
	Path string

	mu    sync.Mutex
	files []string // names committed so far, in order, without duplicates
}

// Create makes the results folder at path (and any missing parents) and
// returns it.
//
// An existing empty folder is used as it is. An existing folder that
// contains a manifest.json from an earlier hebb run is cleaned first: the
// files listed in that manifest and the manifest itself are removed, and
// nothing else. Any other non-empty folder is refused with an error, so
// that files that hebb did not write are never deleted or overwritten.
func Create(path string) (*Dir, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		return &Dir{Path: path}, nil
	case err != nil:
		return nil, fmt.Errorf("results: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("results: %s exists and is not a folder", path)
	}

	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	if len(entries) == 0 {
		return &Dir{Path: path}, nil
	}
	if _, err := os.Stat(filepath.Join(path, ManifestName)); err != nil {
		return nil, fmt.Errorf("results: folder %s is not empty and has no %s, so it does not look like an earlier hebb run; choose another folder or empty it yourself", path, ManifestName)
	}
	old, err := readHebbManifest(path)
	if err != nil {
		return nil, fmt.Errorf("results: folder %s is not empty and %v; choose another folder", path, err)
	}
	for _, name := range old.Files {
		if checkName(name) != nil || name == ManifestName {
			// A manifest never lists such names; ignore rather than
			// risk deleting something outside the run's own files.
			continue
		}
		if err := os.Remove(filepath.Join(path, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("results: removing old result: %w", err)
		}
	}
	if err := os.Remove(filepath.Join(path, ManifestName)); err != nil {
		return nil, fmt.Errorf("results: removing old manifest: %w", err)
	}
	return &Dir{Path: path}, nil
}

// NewName returns a folder name derived from base (usually the model name)
// that does not exist yet: base itself if it is free, otherwise "base-2",
// "base-3", and so on.
func NewName(base string) string {
	if !exists(base) {
		return base
	}
	for i := 2; ; i++ {
		name := base + "-" + strconv.Itoa(i)
		if !exists(name) {
			return name
		}
	}
}

// exists reports whether anything (file, folder, link) is at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// Files returns the names of the files written so far, in the order they
// were completed. The manifest itself is not included.
func (d *Dir) Files() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append(make([]string, 0, len(d.files)), d.files...)
}

// record adds name to the list of written files (once).
func (d *Dir) record(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range d.files {
		if f == name {
			return
		}
	}
	d.files = append(d.files, name)
}

// checkName accepts only plain file names inside the folder.
func checkName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("results: invalid file name %q", name)
	case strings.ContainsAny(name, `/\`) || filepath.Base(name) != name:
		return fmt.Errorf("results: file name %q must not contain a folder", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("results: file name %q must not start with a dot (reserved for temporary files)", name)
	}
	return nil
}

// File is a results file being written. Its content goes to a temporary
// file until Commit renames it into place; Abort throws it away.
//
// The usual pattern is:
//
//	f, err := d.Create("spikes.csv")
//	if err != nil { ... }
//	defer f.Abort() // does nothing once Commit has succeeded
//	... write to f ...
//	return f.Commit()
type File struct {
	d    *Dir
	name string
	tmp  *os.File
	buf  *bufio.Writer
	done bool
}

// Create starts writing the file name in the folder, for output that is
// produced piece by piece. Nothing appears under name until Commit.
func (d *Dir) Create(name string) (*File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if name == ManifestName {
		return nil, fmt.Errorf("results: %s is written by WriteManifest", ManifestName)
	}
	return d.create(name)
}

// create opens the temporary file for name without checking the name.
func (d *Dir) create(name string) (*File, error) {
	tmp, err := os.CreateTemp(d.Path, "."+name+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return &File{d: d, name: name, tmp: tmp, buf: bufio.NewWriterSize(tmp, 1<<16)}, nil
}

// Write appends p to the file. It implements io.Writer.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, fmt.Errorf("results: write to %s after Commit or Abort", f.name)
	}
	return f.buf.Write(p)
}

// Commit finishes the file: it flushes the buffer, forces the data to
// disk, closes the file and renames it to its final name, replacing any
// older file of that name. Only then is the name added to Files.
// If Commit fails, the temporary file is removed.
func (f *File) Commit() error {
	if err := f.commit(); err != nil {
		return err
	}
	f.d.record(f.name)
	return nil
}

// commit does Commit's work without recording the name.
func (f *File) commit() error {
	if f.done {
		return fmt.Errorf("results: %s already committed or aborted", f.name)
	}
	f.done = true
	tmpName := f.tmp.Name()
	err := f.buf.Flush()
	if err == nil {
		err = f.tmp.Chmod(0o644) // CreateTemp makes files private
	}
	if err == nil {
		err = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmpName, filepath.Join(f.d.Path, f.name))
	}
	if err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("results: writing %s: %w", f.name, err)
	}
	syncDir(f.d.Path)
	return nil
}

// Abort throws the file away: the temporary file is closed and removed and
// nothing appears under the file's name. Abort after Commit does nothing,
// so it is safe to defer.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// syncDir makes a rename in folder durable. Errors are ignored: some
// systems cannot sync folders, and the file itself is already on disk.
func syncDir(path string) {
	if dir, err := os.Open(path); err == nil {
		dir.Sync()
		dir.Close()
	}
}

// WriteFile writes the file name in one go: write is called with a
// buffered writer to the temporary file, and the file is committed only if
// write returns nil. If write fails, no file (and no temporary file) is
// left behind and its error is returned.
func (d *Dir) WriteFile(name string, write func(w io.Writer) error) error {
	f, err := d.Create(name)
	if err != nil {
		return err
	}
	return writeAndCommit(f, write, true)
}

// writeAndCommit runs write on f and commits f, or aborts f on error.
func writeAndCommit(f *File, write func(w io.Writer) error, record bool) error {
	defer f.Abort()
	if err := write(f); err != nil {
		return fmt.Errorf("results: writing %s: %w", f.name, err)
	}
	if record {
		return f.Commit()
	}
	return f.commit()
}

// WriteCSV writes a comma-separated table: the header line, then one line
// per row for i = 0 … rows-1. For each row, row is called with the row
// index and a scratch record of length zero (reused between rows, to avoid
// allocations); it appends the row's fields and returns the record, e.g.
//
//	func(i int, rec []string) []string {
//		return append(rec, strconv.Itoa(i), strconv.FormatFloat(t[i], 'g', -1, 64))
//	}
//
// Every row must have as many fields as the header. Fields that contain
// commas or quotes are quoted as usual for CSV.
func (d *Dir) WriteCSV(name string, header []string, rows int, row func(i int, rec []string) []string) error {
	return d.WriteFile(name, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		rec := make([]string, 0, len(header))
		for i := range rows {
			rec = row(i, rec[:0])
			if len(rec) != len(header) {
				return fmt.Errorf("row %d has %d fields, header has %d", i, len(rec), len(header))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// WriteJSON writes v as indented JSON (two spaces), followed by a newline.
func (d *Dir) WriteJSON(name string, v any) error {
	return d.WriteFile(name, func(w io.Writer) error {
		return encodeJSON(w, v)
	})
}

// encodeJSON writes v as indented JSON without HTML escaping.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Manifest describes a finished (or failed) run. It is written last, as
// manifest.json, so a folder with a manifest whose Complete is true holds
// every result of the run.
type Manifest struct {
	// Model is the model's name.
	Model string `json:"model"`
	// ModelFile is the path of the model description that was run.
	ModelFile string `json:"model_file"`
	// ModelSHA256 is the hex SHA-256 of the model file's bytes.
	ModelSHA256 string `json:"model_sha256"`
	// HebbVersion is the version of hebb that ran the simulation.
	HebbVersion string `json:"hebb_version"`
	// GoVersion is the Go version hebb was built with.
	GoVersion string `json:"go_version"`
	// Seed is the random seed of the run.
	Seed uint64 `json:"seed"`
	// Threads is the number of worker threads used.
	Threads int `json:"threads"`
	// DtMs is the integration time step in milliseconds.
	DtMs float64 `json:"dt_ms"`
	// DurationMs is the simulated time that was asked for, in ms.
	DurationMs float64 `json:"duration_ms"`
	// ReachedMs is the simulated time actually reached, in ms
	// (less than DurationMs if the run stopped early).
	ReachedMs float64 `json:"reached_ms"`
	// Complete is true only if the run reached DurationMs and every
	// result file was written.
	Complete bool `json:"complete"`
	// Error says why the run did not complete; empty if it did.
	Error string `json:"error,omitempty"`
	// Neurons is the total number of neurons.
	Neurons int `json:"neurons"`
	// Synapses is the total number of synapses.
	Synapses int64 `json:"synapses"`
	// Populations summarises each neuron population.
	Populations []PopulationSummary `json:"populations"`
	// Projections summarises each projection between populations.
	Projections []ProjectionSummary `json:"projections"`
	// SpikesSHA256 is a hex SHA-256 over all spikes, used to check that
	// two runs produced the same spikes.
	SpikesSHA256 string `json:"spikes_sha256"`
	// BuildSeconds is the wall-clock time spent building the network.
	BuildSeconds float64 `json:"build_seconds"`
	// WallSeconds is the wall-clock time spent simulating.
	WallSeconds float64 `json:"wall_seconds"`
	// RealTimeFactor is wall-clock seconds per simulated second
	// (below 1 means faster than real time).
	RealTimeFactor float64 `json:"real_time_factor"`
	// Files lists the result files of the run (manifest.json excluded).
	// WriteManifest fills it in.
	Files []string `json:"files"`
	// Started is when the run started, in RFC 3339 format.
	Started string `json:"started"`
}

// PopulationSummary describes one neuron population of a run.
type PopulationSummary struct {
	// Name is the population's name in the model.
	Name string `json:"name"`
	// Model is the neuron model, e.g. "lif".
	Model string `json:"model"`
	// Size is the number of neurons.
	Size int `json:"size"`
	// Spikes is the number of spikes the population fired.
	Spikes int64 `json:"spikes"`
	// RateHz is the mean firing rate per neuron, in Hz.
	RateHz float64 `json:"mean_rate_hz"`
}

// ProjectionSummary describes one projection (a set of synapses from one
// population to another) of a run.
type ProjectionSummary struct {
	// Name is the projection's name in the model.
	Name string `json:"name"`
	// From is the presynaptic population.
	From string `json:"from"`
	// To is the postsynaptic population.
	To string `json:"to"`
	// Synapses is the number of synapses.
	Synapses int64 `json:"synapses"`
	// Events is the number of spikes delivered through the synapses.
	Events int64 `json:"events"`
}

// WriteManifest sets m.Files to the files written so far (see Files) and
// writes m to manifest.json, atomically like every other file. Call it
// last, after every other result has been written.
func (d *Dir) WriteManifest(m *Manifest) error {
	m.Files = d.Files()
	f, err := d.create(ManifestName)
	if err != nil {
		return err
	}
	return writeAndCommit(f, func(w io.Writer) error { return encodeJSON(w, m) }, false)
}

// readHebbManifest reads the manifest in dir and checks that it was
// written by hebb (it has the "hebb_version" and "files" keys), so that a
// manifest.json of some other program is never taken for ours.
func readHebbManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("its %s cannot be read: %v", ManifestName, err)
	}
	var keys map[string]json.RawMessage
	var m Manifest
	err = json.Unmarshal(data, &keys)
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil {
		return nil, fmt.Errorf("its %s is not a hebb manifest: %v", ManifestName, err)
	}
	for _, k := range []string{"hebb_version", "files"} {
		if _, ok := keys[k]; !ok {
			return nil, fmt.Errorf("its %s has no %q key, so it was not written by hebb", ManifestName, k)
		}
	}
	return &m, nil
}

// ReadManifest reads the manifest.json of the results folder dir.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("results: %s: %w", filepath.Join(dir, ManifestName), err)
	}
	return &m, nil
}

// Add records name, a file that another writer (such as package figure)
// put into the folder atomically, so that the manifest lists it.
func (d *Dir) Add(name string) {
	if checkName(name) == nil {
		d.record(name)
	}
}
