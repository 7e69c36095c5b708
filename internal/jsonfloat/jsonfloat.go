// Package jsonfloat writes float64 values as JSON numbers, and NaN and ±Inf,
// which JSON cannot carry, as null. It imports only the standard library.
package jsonfloat

import (
	"encoding/json"
	"math"
	"strconv"
)

// Float is a float64 that marshals NaN and ±Inf as null and any other value
// exactly as encoding/json marshals a float64.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// Slice converts v to a new []Float; it is never nil, so that an empty or
// nil v marshals as [].
func Slice(v []float64) []Float {
	out := make([]Float, len(v))
	for i, x := range v {
		out[i] = Float(x)
	}
	return out
}

// Shortest is v in its shortest exact form (strconv 'g', -1: "0.915",
// "1e-07"), or null for NaN and ±Inf: the form of `run --json` lines and
// CSV cells, which are written by hand rather than by encoding/json.
func Shortest(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
