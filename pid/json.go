package pid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxJSONSize is the most bytes ReadJSON accepts: far above any real table
// (a three-source 20×20×20 pmf is about 400 kB of JSON), and small enough
// that every cell index of the pmf fits the estimator's int32 keys.
const MaxJSONSize = 64 << 20

// ReadJSON parses a pmf written as the JSON object {"p": [...]}: a nested
// array with the target index first, p[t][s1], p[t][s1][s2] or
// p[t][s1][s2][s3], of finite non-negative numbers that sum to 1 (within
// SumTolerance). Other keys of the object are ignored. The array must be
// rectangular; errors name the first offending entry, e.g. "p[1][0] = -0.25
// is negative". The returned Dist has passed Validate.
func ReadJSON(data []byte) (Dist, error) {
	if len(data) > MaxJSONSize {
		return Dist{}, fmt.Errorf("input is larger than %d MiB", MaxJSONSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Dist{}, errors.New("empty input (want a JSON object {\"p\": [...]})")
	}
	if !utf8.Valid(data) {
		return Dist{}, errors.New("malformed JSON: input is not UTF-8")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return Dist{}, errors.New("input must be a JSON object {\"p\": [...]}")
		}
		return Dist{}, fmt.Errorf("malformed JSON: %w", err)
	}
	if top == nil { // the input was null
		return Dist{}, errors.New("input must be a JSON object {\"p\": [...]}")
	}
	raw, ok := top["p"]
	if !ok {
		return Dist{}, errors.New(`missing field "p"`)
	}
	return readPMF(raw)
}

// pmfReader streams the tokens of "p", checking as it goes that the array
// is rectangular, 2 to 1+MaxSources levels deep, with finite non-negative
// numbers as leaves. The length of each axis is fixed by the first array
// closed at that depth (depth first, so before any of its siblings); every
// later array at that depth must match it.
type pmfReader struct {
	dec   *json.Decoder
	shape [1 + MaxSources]int // length per depth, 0 while unknown
	leaf  int                 // depth of the numbers, -1 while unknown
	idx   [1 + MaxSources]int // index of the current element per depth
	vals  []float64
}

func readPMF(raw []byte) (Dist, error) {
	r := &pmfReader{dec: json.NewDecoder(bytes.NewReader(raw)), leaf: -1}
	r.dec.UseNumber()
	tok, err := r.dec.Token()
	if err != nil {
		return Dist{}, fmt.Errorf("malformed JSON in \"p\": %w", err)
	}
	if tok != json.Delim('[') {
		return Dist{}, fmt.Errorf(`"p" is %s; want a nested array p[t][s1]...`, tokenKind(tok))
	}
	if err := r.array(0); err != nil {
		return Dist{}, err
	}
	if r.leaf < 2 {
		return Dist{}, errors.New(`"p" needs a target axis and at least one source axis: p[t][s1]...`)
	}
	d := Dist{Shape: append([]int(nil), r.shape[:r.leaf]...), P: r.vals}
	if err := d.Validate(); err != nil {
		return Dist{}, err
	}
	return d, nil
}

// array reads the elements of an array at depth d whose '[' was consumed,
// and its closing ']'.
func (r *pmfReader) array(d int) error {
	if d > MaxSources {
		return fmt.Errorf(`"p" is nested deeper than p[t][s1][s2][s3]: at most %d sources are supported`, MaxSources)
	}
	n := 0
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return fmt.Errorf("malformed JSON in \"p\": %w", err)
		}
		if tok == json.Delim(']') {
			break
		}
		r.idx[d] = n
		at := "p" + indexString(r.idx[:d+1])
		switch v := tok.(type) {
		case json.Delim: // '[' or '{': the decoder reports a stray ']' or '}' as an error
			if v != '[' {
				return fmt.Errorf("%s is an object, not a number or array", at)
			}
			if r.leaf >= 0 && d+1 >= r.leaf {
				return fmt.Errorf("ragged array: %s is an array, want a number", at)
			}
			if err := r.array(d + 1); err != nil {
				return err
			}
		case json.Number:
			if r.leaf < 0 {
				r.leaf = d + 1
			} else if r.leaf != d+1 {
				return fmt.Errorf("ragged array: %s is a number, want an array", at)
			}
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return fmt.Errorf("%s = %s is not a finite number", at, clip(string(v)))
			}
			if f < 0 {
				return fmt.Errorf("%s = %s is negative", at, clip(string(v)))
			}
			r.vals = append(r.vals, f)
		default:
			return fmt.Errorf("%s is %s, not a number", at, tokenKind(tok))
		}
		n++
	}
	at := "p" + indexString(r.idx[:d])
	switch {
	case n == 0:
		return fmt.Errorf("%s is an empty array", at)
	case r.shape[d] == 0:
		r.shape[d] = n
	case r.shape[d] != n:
		return fmt.Errorf("ragged array: %s has %d entries, want %d", at, n, r.shape[d])
	}
	return nil
}

// indexString renders indices as "[1][0]".
func indexString(idx []int) string {
	var b strings.Builder
	for _, i := range idx {
		fmt.Fprintf(&b, "[%d]", i)
	}
	return b.String()
}

// tokenKind names a JSON token's kind for an error message.
func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	}
	return "not a number"
}

// clip shortens a number literal for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
