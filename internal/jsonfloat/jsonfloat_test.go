package jsonfloat

import (
	"encoding/json"
	"math"
	"testing"
)

func TestFloat(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -2.5, 0.1, 1e21, 1e-7, 123456789.125, math.MaxFloat64, 5e-324} {
		got, err := json.Marshal(Float(v))
		want, _ := json.Marshal(v)
		if err != nil || string(got) != string(want) {
			t.Errorf("%v: %s, %v; want %s as for float64", v, got, err, want)
		}
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, err := json.Marshal(Float(v)); err != nil || string(got) != "null" {
			t.Errorf("%v: %s, %v; want null", v, got, err)
		}
	}
	type doc struct {
		A Float   `json:"a"`
		B []Float `json:"b"`
		C []Float `json:"c"`
	}
	got, err := json.Marshal(doc{A: Float(math.NaN()), B: Slice([]float64{1, math.Inf(1), 0.5}), C: Slice(nil)})
	if want := `{"a":null,"b":[1,null,0.5],"c":[]}`; err != nil || string(got) != want {
		t.Errorf("document %s, %v; want %s", got, err, want)
	}
}

func TestShortest(t *testing.T) {
	for v, want := range map[float64]string{0.915: "0.915", 1e-7: "1e-07", 3: "3", math.NaN(): "null", math.Inf(-1): "null", -0.5: "-0.5"} {
		if got := Shortest(v); got != want {
			t.Errorf("Shortest(%v) = %q, want %q", v, got, want)
		}
	}
}
