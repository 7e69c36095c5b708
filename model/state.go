package model

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Params is a parameter vector. In JSON it is the base64 of its IEEE-754
// little-endian float64 bytes: bit-exact, and about half the size of decimal text.
type Params []float64

// MarshalJSON encodes p as a base64 string.
func (p Params) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 8*len(p))
	for i, v := range p {
		binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(v))
	}
	out := make([]byte, 0, base64.StdEncoding.EncodedLen(len(raw))+2)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, raw)
	return append(out, '"'), nil
}

// UnmarshalJSON decodes the base64 form written by MarshalJSON.
func (p *Params) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.New("parameters: want a base64 string of float64 values")
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("parameters: %v", err)
	}
	if len(raw)%8 != 0 {
		return fmt.Errorf("parameters: %d bytes is not a whole number of float64 values", len(raw))
	}
	v := make([]float64, len(raw)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	*p = v
	return nil
}

// AdamState is an optimiser's first and second moments and its step count.
type AdamState struct {
	T int    `json:"t"`
	M Params `json:"m"`
	V Params `json:"v"`
}

// CompartmentState is a compartment's trainable state.
type CompartmentState struct {
	In   int       `json:"in"`
	Out  int       `json:"out"`
	W    Params    `json:"w"`
	B    Params    `json:"b"`
	OptW AdamState `json:"opt_w"`
	OptB AdamState `json:"opt_b"`
}

// LayerState is a layer's goal and the state of its compartments (L is nil
// for bivariate layers).
type LayerState struct {
	Name  string            `json:"name"`
	Gamma []float64         `json:"gamma"`
	F     *CompartmentState `json:"f"`
	C     *CompartmentState `json:"c"`
	L     *CompartmentState `json:"l,omitempty"`
}

// NetState is everything a network learned: with it a network built from the
// same spec continues training exactly as the original would.
type NetState struct {
	Layers []LayerState `json:"layers"`
}

// State returns a deep copy of the network's trainable state.
func (n *Network) State() NetState {
	s := NetState{Layers: make([]LayerState, len(n.Layers))}
	for i, l := range n.Layers {
		s.Layers[i] = LayerState{Name: l.Spec.Name, Gamma: append([]float64(nil), l.Spec.Gamma...),
			F: l.F.state(), C: l.C.state(), L: l.L.state()}
	}
	return s
}

func (c *Compartment) state() *CompartmentState {
	if c == nil {
		return nil
	}
	return &CompartmentState{In: c.In, Out: c.Out,
		W: append(Params(nil), c.W...), B: append(Params(nil), c.B...),
		OptW: c.optW.state(), OptB: c.optB.state()}
}

func (a *Adam) state() AdamState {
	return AdamState{T: a.t, M: append(Params(nil), a.m...), V: append(Params(nil), a.v...)}
}

// Restore replaces the network's trainable state with s, which must come
// from a network of the same spec. It checks every shape and value first and
// changes nothing when it returns an error.
func (n *Network) Restore(s NetState) error {
	if len(s.Layers) != len(n.Layers) {
		return fmt.Errorf("state has %d layers, the network %d", len(s.Layers), len(n.Layers))
	}
	for i, l := range n.Layers {
		ls := s.Layers[i]
		if ls.Name != l.Spec.Name {
			return fmt.Errorf("state layer %d is %q, the network's is %q", i, ls.Name, l.Spec.Name)
		}
		if len(ls.Gamma) != len(l.Spec.Gamma) {
			return fmt.Errorf("layer %s: γ has %d entries, want %d", l.Spec.Name, len(ls.Gamma), len(l.Spec.Gamma))
		}
		if !stateFinite(ls.Gamma) {
			return fmt.Errorf("layer %s: γ must be finite", l.Spec.Name)
		}
		for _, p := range []struct {
			name string
			c    *Compartment
			s    *CompartmentState
		}{{"f", l.F, ls.F}, {"c", l.C, ls.C}, {"l", l.L, ls.L}} {
			if err := p.c.check(p.s); err != nil {
				return fmt.Errorf("layer %s, compartment %s: %v", l.Spec.Name, p.name, err)
			}
		}
	}
	for i, l := range n.Layers {
		ls := s.Layers[i]
		copy(l.Spec.Gamma, ls.Gamma)
		l.F.restore(ls.F)
		l.C.restore(ls.C)
		l.L.restore(ls.L)
	}
	return nil
}

// check validates a compartment state against the compartment c (nil: absent).
func (c *Compartment) check(s *CompartmentState) error {
	switch {
	case c == nil && s == nil:
		return nil
	case c == nil:
		return errors.New("the state has it, the network does not")
	case s == nil:
		return errors.New("missing from the state")
	}
	if s.In != c.In || s.Out != c.Out {
		return fmt.Errorf("shape %d×%d, want %d×%d", s.In, s.Out, c.In, c.Out)
	}
	for _, v := range []struct {
		name string
		got  []float64
		n    int
	}{{"w", s.W, len(c.W)}, {"b", s.B, len(c.B)},
		{"opt_w.m", s.OptW.M, len(c.W)}, {"opt_w.v", s.OptW.V, len(c.W)},
		{"opt_b.m", s.OptB.M, len(c.B)}, {"opt_b.v", s.OptB.V, len(c.B)}} {
		if len(v.got) != v.n {
			return fmt.Errorf("%s has %d values, want %d", v.name, len(v.got), v.n)
		}
		if !stateFinite(v.got) {
			return fmt.Errorf("%s has a NaN or infinite value", v.name)
		}
	}
	for _, v := range [][]float64{s.OptW.V, s.OptB.V} {
		for _, x := range v {
			if x < 0 {
				return errors.New("negative Adam second moment")
			}
		}
	}
	if s.OptW.T < 0 || s.OptB.T < 0 {
		return errors.New("negative Adam step count")
	}
	for i, m := range c.Mask {
		if m == 0 && s.W[i] != 0 {
			return fmt.Errorf("masked weight %d is %g, want 0", i, s.W[i])
		}
	}
	if c.Fixed {
		for i, w := range s.W {
			if w != c.W[i] {
				return fmt.Errorf("fixed weight %d is %g, want %g", i, w, c.W[i])
			}
		}
	}
	return nil
}

func (c *Compartment) restore(s *CompartmentState) {
	if c == nil {
		return
	}
	c.wChanged()
	copy(c.W, s.W)
	copy(c.B, s.B)
	c.optW.restore(s.OptW)
	c.optB.restore(s.OptB)
}

func (a *Adam) restore(s AdamState) {
	a.t = s.T
	copy(a.m, s.M)
	copy(a.v, s.V)
}

func stateFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
