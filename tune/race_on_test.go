//go:build race

package tune

// raceEnabled: the race detector slows the samplers' arithmetic ~4×.
const raceEnabled = true
