package pid

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

const xorJSON = `{"p": [[[0.25, 0], [0, 0.25]], [[0, 0.25], [0.25, 0]]]}`

// parityJSON is T = S1 ⊕ S2 ⊕ S3 over uniform bits, p[t][s1][s2][s3].
const parityJSON = `{"p": [
  [[[0.125, 0], [0, 0.125]], [[0, 0.125], [0.125, 0]]],
  [[[0, 0.125], [0.125, 0]], [[0.125, 0], [0, 0.125]]]
]}`

func TestReadJSON(t *testing.T) {
	for _, c := range []struct {
		name, in string
		shape    []int
		p        []float64
	}{
		{"xor", xorJSON, []int{2, 2, 2}, []float64{0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0}},
		{"one source", `{"p": [[0.5, 0], [0, 0.5]]}`, []int{2, 2}, []float64{0.5, 0, 0, 0.5}},
		{"within tolerance", `{"p": [[0.25, 0.25], [0.25, 0.2500000004]]}`, []int{2, 2}, []float64{0.25, 0.25, 0.25, 0.2500000004}},
		{"extra keys ignored", `{"p": [[2.5e-1, 25e-2], [0.25, 0.25]], "comment": "extra keys are ignored", "x": 1e999}`,
			[]int{2, 2}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"underflow to 0", `{"p": [[0.5, 1e-400], [0.5, 0]]}`, []int{2, 2}, []float64{0.5, 0, 0.5, 0}},
		{"minus zero", `{"p": [[-0, 0.5], [0.5, 0]]}`, []int{2, 2}, []float64{0, 0.5, 0.5, 0}},
		{"one cell, blanks", `  {"p":[[1]]}  ` + "\n", []int{1, 1}, []float64{1}},
		{"last p wins", `{"p": [[1]], "p": [[0.5], [0.5]]}`, []int{2, 1}, []float64{0.5, 0.5}},
	} {
		d, err := ReadJSON([]byte(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(d.Shape, c.shape) || !slices.Equal(d.P, c.p) {
			t.Errorf("%s: shape %v p %v, want %v %v", c.name, d.Shape, d.P, c.shape, c.p)
		}
	}

	d, err := ReadJSON([]byte(parityJSON))
	if err != nil || !slices.Equal(d.Shape, []int{2, 2, 2, 2}) || len(d.P) != 16 || d.P[0] != 0.125 || d.P[1] != 0 {
		t.Fatalf("parity: %v %v", d, err)
	}
	r, err := Decompose(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Atoms[slices.Index(r.Names, "{123}")], 5-3*math.Log2(3); math.Abs(got-want) > 1e-12 {
		t.Errorf("parity {123} = %v, want %v", got, want)
	}
}

// TestReadJSONErrors pins the messages: the pid command prints them as they
// are, and its tests compare them.
func TestReadJSONErrors(t *testing.T) {
	const notObject = `input must be a JSON object {"p": [...]}`
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", `empty input (want a JSON object {"p": [...]})`},
		{"blank", " \n\t ", `empty input (want a JSON object {"p": [...]})`},
		{"not utf8", "{\"p\": [[0.5, 0.5], [0, 0]], \"\xff\": 1}", "malformed JSON: input is not UTF-8"},
		{"malformed", "{", "malformed JSON: unexpected end of JSON input"},
		{"not json", "hello", "malformed JSON: invalid character 'h' looking for beginning of value"},
		{"trailing garbage", xorJSON + " x", "malformed JSON: invalid character 'x' after top-level value"},
		{"two values", xorJSON + xorJSON, "malformed JSON: invalid character '{' after top-level value"},
		{"NaN literal", `{"p": [[NaN, 0], [0, 1]]}`, "malformed JSON: invalid character 'N' looking for beginning of value"},
		{"hex number", `{"p": [[0x1, 0], [0, 0]]}`, "malformed JSON: invalid character 'x' after array element"},
		{"leading plus", `{"p": [[+0.5, 0.5], [0, 0]]}`, "malformed JSON: invalid character '+' looking for beginning of value"},
		{"trailing comma", `{"p": [[0.5, 0.5], [0, 0],]}`, "malformed JSON: invalid character ']' looking for beginning of value"},
		{"single quotes", `{'p': [[0.5, 0.5], [0, 0]]}`, `malformed JSON: invalid character '\'' looking for beginning of object key string`},
		{"deep nesting", `{"p": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
			"malformed JSON: invalid character '[' exceeded max depth"},
		{"top array", "[[0.5, 0.5]]", notObject},
		{"top null", "null", notObject},
		{"top string", `"p"`, notObject},
		{"top number", "1", notObject},
		{"missing p", `{}`, `missing field "p"`},
		{"other key", `{"P": [[0.5, 0.5], [0, 0]]}`, `missing field "p"`},
		{"p null", `{"p": null}`, `"p" is null; want a nested array p[t][s1]...`},
		{"p number", `{"p": 1}`, `"p" is a number; want a nested array p[t][s1]...`},
		{"p string", `{"p": "[[0.5]]"}`, `"p" is a string; want a nested array p[t][s1]...`},
		{"p object", `{"p": {"0": [0.5, 0.5]}}`, `"p" is an object; want a nested array p[t][s1]...`},
		{"p empty", `{"p": []}`, "p is an empty array"},
		{"empty inner", `{"p": [[], []]}`, "p[0] is an empty array"},
		{"empty deep", `{"p": [[[]]]}`, "p[0][0] is an empty array"},
		{"no source", `{"p": [0.5, 0.5]}`, `"p" needs a target axis and at least one source axis: p[t][s1]...`},
		{"ragged length", `{"p": [[0.5, 0.25], [0.25]]}`, "ragged array: p[1] has 1 entries, want 2"},
		{"ragged first", `{"p": [[0.5], [0.25, 0.25]]}`, "ragged array: p[1] has 2 entries, want 1"},
		{"ragged depth", `{"p": [[0.5, [0.25]], [0.25, 0]]}`, "ragged array: p[0][1] is an array, want a number"},
		{"ragged depth 2", `{"p": [[[0.5], [0.25]], [0.25, 0]]}`, "ragged array: p[1][0] is a number, want an array"},
		{"ragged inner", `{"p": [[[0.25, 0.25], [0.25]], [[0.25, 0], [0, 0]]]}`, "ragged array: p[0][1] has 1 entries, want 2"},
		{"string entry", `{"p": [["0.5", 0.5], [0, 0]]}`, "p[0][0] is a string, not a number"},
		{"NaN string", `{"p": [["NaN", 0], [0, 1]]}`, "p[0][0] is a string, not a number"},
		{"bool entry", `{"p": [[true, 0.5], [0, 0]]}`, "p[0][0] is a boolean, not a number"},
		{"null entry", `{"p": [[null, 0.5], [0.5, 0]]}`, "p[0][0] is null, not a number"},
		{"object entry", `{"p": [[{}, 0.5], [0.5, 0]]}`, "p[0][0] is an object, not a number or array"},
		{"negative", `{"p": [[0.75, -0.25], [0.25, 0.25]]}`, "p[0][1] = -0.25 is negative"},
		{"negative tiny", `{"p": [[0.5, -1e-300], [0.25, 0.25]]}`, "p[0][1] = -1e-300 is negative"},
		{"negative long", `{"p": [[0.5, -0.00000000000000000000000000000000000000000000000001], [0, 0.5]]}`,
			"p[0][1] = -0.0000000000000000000000000000000000... is negative"},
		{"huge", `{"p": [[1e999, 0], [0, 0]]}`, "p[0][0] = 1e999 is not a finite number"},
		{"minus huge", `{"p": [[-1e999, 1], [0, 1]]}`, "p[0][0] = -1e999 is not a finite number"},
		{"four sources", `{"p": [[[[[0.5]]]], [[[[0.5]]]]]}`, `"p" is nested deeper than p[t][s1][s2][s3]: at most 3 sources are supported`},
		{"sum low", `{"p": [[0.25, 0.25], [0.25, 0.2]]}`, "entries sum to 0.95, not 1 (±1e-09)"},
		{"sum high", `{"p": [[0.25, 0.25], [0.25, 0.2500001]]}`, "entries sum to 1.0000001, not 1 (±1e-09)"},
		{"sum just over", `{"p": [[0.25, 0.25], [0.25, 0.250000002]]}`, "entries sum to 1.000000002, not 1 (±1e-09)"},
		{"all zero", `{"p": [[0, 0], [0, 0]]}`, "entries sum to 0, not 1 (±1e-09)"},
		{"big but finite sum", `{"p": [[1e308, 1e308], [0, 0]]}`, "entries sum to +Inf, not 1 (±1e-09)"},
	} {
		d, err := ReadJSON([]byte(c.in))
		if err == nil {
			t.Errorf("%s: no error, got %v", c.name, d)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s: error %q, want %q", c.name, err, c.want)
		}
	}
	big := append(append([]byte(`{"p": [[1]], "pad": "`), bytes.Repeat([]byte("x"), MaxJSONSize)...), `"}`...)
	if _, err := ReadJSON(big); err == nil || err.Error() != "input is larger than 64 MiB" {
		t.Errorf("oversized input: %v", err)
	}
}

// FuzzReadJSON: any bytes give a valid Dist or an error, never a panic.
func FuzzReadJSON(f *testing.F) {
	for _, s := range []string{xorJSON, parityJSON, `{"p": [[0.5, 0], [0, 0.5]]}`, `{"p": [[0.5, 0.25], [0.25]]}`,
		`{"p": [[1e999, 0], [0, 0]]}`, `{"p": [[[[[0.5]]]], [[[[0.5]]]]]}`, "", "{"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadJSON(data)
		if err != nil {
			return
		}
		if verr := d.Validate(); verr != nil {
			t.Fatalf("ReadJSON accepted an invalid pmf: %v", verr)
		}
	})
}
