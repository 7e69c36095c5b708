package runfile

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"io"
	"math"
	"reflect"
	"slices"

	"infomorph-tui/model"
	"infomorph-tui/tasks"
)

// Encode writes the record to w exactly as Marshal returns it, byte for
// byte, without building the document in memory: the training state's
// large parameter arrays (weights and Adam moments, tens of MB at 2000
// neurons) are base64-encoded straight to w. Marshal of such a record holds
// several copies of them at once (each array's encoding, the encoder's
// buffer, the indented copy), and that set the peak memory of a run that
// saves its file.
//
// How: the record is marshalled with each large array replaced by a
// one-value placeholder (a small document), which is written with every
// placeholder's encoding swapped for the array's.
func Encode(w io.Writer, r Record) error {
	_, err := encode(w, r)
	return err
}

// streamMin is the length from which a parameter array is streamed; shorter
// ones stay in the skeleton (and an omitempty array must stay empty there).
const streamMin = 256

// marker|i is the bit pattern of the one value of the placeholder of
// streamed array i: a NaN, which no valid parameter is.
const marker = 0x7ffc_5eed_0000_0000

var paramsType = reflect.TypeFor[model.Params]()

// encode is Encode reporting whether it streamed the arrays: it falls back
// to Marshal when nothing is large enough to stream or a placeholder does
// not occur exactly once in the skeleton (a value equal to it elsewhere).
func encode(w io.Writer, r Record) (streamed bool, err error) {
	var big []model.Params
	sk := r
	if r.State != nil {
		sk.State = skeleton(reflect.ValueOf(r.State), &big).Interface().(*tasks.Checkpoint)
	}
	var doc []byte
	var at []int // where each placeholder's encoding starts in doc
	if len(big) > 0 {
		if doc, err = Marshal(sk); err != nil {
			return false, err
		}
		at = placeholders(doc, len(big))
	}
	if at == nil {
		data, err := Marshal(r)
		if err != nil {
			return false, err
		}
		_, err = w.Write(data)
		return false, err
	}
	order := make([]int, len(big)) // arrays in the order they occur in doc
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return at[a] - at[b] })
	prev := 0
	for _, i := range order {
		if _, err := w.Write(doc[prev : at[i]+1]); err != nil { // up to the opening quote
			return false, err
		}
		if err := writeBase64(w, big[i]); err != nil {
			return false, err
		}
		prev = at[i] + len(token(i)) - 1 // the closing quote is written next
	}
	_, err = w.Write(doc[prev:])
	return true, err
}

// token is placeholder i as it appears in the skeleton: its quoted base64.
func token(i int) string {
	b, _ := model.Params{math.Float64frombits(marker | uint64(i))}.MarshalJSON()
	return string(b)
}

// placeholders returns the offset of each of the n placeholders in doc, or
// nil if one of them does not occur exactly once.
func placeholders(doc []byte, n int) []int {
	at := make([]int, n)
	for i := range at {
		tok := []byte(token(i))
		at[i] = bytes.Index(doc, tok)
		if at[i] < 0 || bytes.Count(doc, tok) != 1 {
			return nil
		}
	}
	return at
}

// writeBase64 writes p's encoding (Params.MarshalJSON's, without quotes)
// through a small buffer: base64 of consecutive whole groups of 3 bytes is
// the concatenation of their encodings, and the encoder pads at Close.
func writeBase64(w io.Writer, p model.Params) error {
	enc := base64.NewEncoder(base64.StdEncoding, w)
	var raw [8 * 384]byte
	for len(p) > 0 {
		n := min(len(p), 384)
		for i, v := range p[:n] {
			binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(v))
		}
		if _, err := enc.Write(raw[:8*n]); err != nil {
			return err
		}
		p = p[n:]
	}
	return enc.Close()
}

// skeleton returns v with every parameter array of at least streamMin values
// replaced by a placeholder, appending the arrays to big in the order met.
// Pointers, slices and structs on the way to an array are copied (v is left
// as it was); everything else, and fields JSON skips, is shared.
func skeleton(v reflect.Value, big *[]model.Params) reflect.Value {
	t := v.Type()
	if t == paramsType {
		p := v.Interface().(model.Params)
		if len(p) < streamMin {
			return v
		}
		*big = append(*big, p)
		return reflect.ValueOf(model.Params{math.Float64frombits(marker | uint64(len(*big)-1))})
	}
	if !holdsParams(t, map[reflect.Type]bool{}) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(t.Elem())
		c.Elem().Set(skeleton(v.Elem(), big))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(skeleton(v.Index(i), big))
		}
		return c
	case reflect.Struct:
		c := reflect.New(t).Elem()
		c.Set(v)
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && !skipped(f) {
				c.Field(i).Set(skeleton(v.Field(i), big))
			}
		}
		return c
	}
	return v
}

// skipped reports whether encoding/json leaves the field out (tag "-").
func skipped(f reflect.StructField) bool { return f.Tag.Get("json") == "-" }

// holdsParams reports whether a value of type t can reach a parameter array
// through pointers, slices and the JSON fields of structs.
func holdsParams(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == paramsType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return holdsParams(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && !skipped(f) && holdsParams(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
