// Package jsonfloat writes float64 values as JSON numbers, and NaN and ±Inf,
// which JSON cannot carry, as null. It imports only the standard library.
package jsonfloat

import (
	"encoding/json"
	"math"
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
