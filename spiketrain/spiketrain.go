// Package spiketrain holds spike data — the spike times of neurons
// observed over a time window — reads it from files, and computes the
// standard statistics of spike trains: rates, interspike-interval
// statistics, PSTHs, correlograms, spike-triggered averages and spike-train
// distances.
//
// Times are in milliseconds and rates in spikes per second (Hz)
// throughout, as in the rest of hebb.
package spiketrain

import (
	"fmt"
	"math"
	"sort"
)

// Train is one neuron's spike times in ms, in ascending order.
type Train []float64

// Group is the spike trains of a set of neurons (a population, a
// recording session, one trial) observed during the window [Start, Stop)
// in ms. A neuron that did not fire has an empty train: a silent neuron
// counts in rates and Fano factors.
type Group struct {
	// Name names the group, e.g. the population's name.
	Name string
	// IDs are the neurons' ids, one per train.
	IDs []int
	// Trains are the neurons' spike trains.
	Trains []Train
	// Start and Stop bound the observation window, in ms.
	Start, Stop float64
}

// Duration returns the length of the observation window in ms.
func (g *Group) Duration() float64 { return g.Stop - g.Start }

// Spikes returns the total number of spikes in the group.
func (g *Group) Spikes() int {
	n := 0
	for _, tr := range g.Trains {
		n += len(tr)
	}
	return n
}

// Data is spike data read from a file or a results folder: one group per
// population (or a single group for files without populations).
type Data struct {
	// Source is the file or folder the data came from.
	Source string
	// Groups are the groups of neurons, in the order they were found.
	Groups []Group
}

// Group returns the group called name, or nil.
func (d *Data) Group(name string) *Group {
	for i := range d.Groups {
		if d.Groups[i].Name == name {
			return &d.Groups[i]
		}
	}
	return nil
}

// Check reports the first defect of g: a train that is not sorted, a
// spike time that is not finite or lies outside [Start, Stop], a window
// that is empty, or a number of ids different from the number of trains.
func (g *Group) Check() error {
	if !(g.Stop > g.Start) || math.IsInf(g.Stop-g.Start, 0) {
		return fmt.Errorf("group %q: window [%g, %g) ms is empty or not finite", g.Name, g.Start, g.Stop)
	}
	if len(g.IDs) != len(g.Trains) {
		return fmt.Errorf("group %q: %d ids for %d trains", g.Name, len(g.IDs), len(g.Trains))
	}
	for i, tr := range g.Trains {
		for k, t := range tr {
			if math.IsNaN(t) || math.IsInf(t, 0) {
				return fmt.Errorf("group %q: neuron %d: spike %d at %g ms is not a finite time", g.Name, g.IDs[i], k, t)
			}
			if t < g.Start || t > g.Stop {
				return fmt.Errorf("group %q: neuron %d: spike at %g ms lies outside the window [%g, %g] ms", g.Name, g.IDs[i], t, g.Start, g.Stop)
			}
			if k > 0 && t < tr[k-1] {
				return fmt.Errorf("group %q: neuron %d: spike times not in ascending order (%g ms after %g ms)", g.Name, g.IDs[i], t, tr[k-1])
			}
		}
	}
	return nil
}

// FromEvents groups spike events (ids[k] fired at times[k]) into one train
// per neuron. Neurons are listed by ascending id; every id in 0..n-1 gets
// a train (an empty one if it never fired) when n > 0, otherwise only the
// ids that occur. Each train is sorted. The window is [start, stop).
func FromEvents(name string, ids []int, times []float64, n int, start, stop float64) Group {
	g := Group{Name: name, Start: start, Stop: stop}
	index := map[int]int{}
	if n > 0 {
		g.IDs = make([]int, n)
		g.Trains = make([]Train, n)
		for i := range n {
			g.IDs[i] = i
			index[i] = i
		}
	} else {
		seen := append([]int(nil), ids...)
		sort.Ints(seen)
		for k, id := range seen {
			if k == 0 || id != seen[k-1] {
				index[id] = len(g.IDs)
				g.IDs = append(g.IDs, id)
			}
		}
		g.Trains = make([]Train, len(g.IDs))
	}
	for k, id := range ids {
		i, ok := index[id]
		if !ok {
			// An id outside 0..n-1: give it a train of its own.
			i = len(g.IDs)
			index[id] = i
			g.IDs = append(g.IDs, id)
			g.Trains = append(g.Trains, nil)
		}
		g.Trains[i] = append(g.Trains[i], times[k])
	}
	for _, tr := range g.Trains {
		sort.Float64s(tr)
	}
	return g
}
