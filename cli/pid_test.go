package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const xorInput = `{"p": [[[0.25, 0], [0, 0.25]], [[0, 0.25], [0.25, 0]]]}`

// parityInput is T = S1 ⊕ S2 ⊕ S3 over uniform bits, p[t][s1][s2][s3].
const parityInput = `{"p": [
  [[[0.125, 0], [0, 0.125]], [[0, 0.125], [0.125, 0]]],
  [[[0, 0.125], [0.125, 0]], [[0.125, 0], [0, 0.125]]]
]}`

func pidCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), append([]string{"pid"}, args...), Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// pidOutput is the decoded JSON output, with the key order of each object.
type pidOutput struct {
	Sources  int
	Atoms    map[string]float64
	AtomKeys []string
	HRes     float64
	MI       map[string]float64
	MIKeys   []string
	TopKeys  []string
}

// decodeOrdered reads an object of numbers and returns it with its key order.
func decodeOrdered(t *testing.T, dec *json.Decoder) (map[string]float64, []string) {
	t.Helper()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v %v", tok, err)
	}
	m := map[string]float64{}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k := tok.(string)
		var v float64
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		m[k] = v
		keys = append(keys, k)
	}
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	return m, keys
}

func parseOutput(t *testing.T, s string) pidOutput {
	t.Helper()
	if !json.Valid([]byte(s)) {
		t.Fatalf("output is not valid JSON:\n%s", s)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	var o pidOutput
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v %v", tok, err)
	}
	for dec.More() {
		tok, _ := dec.Token()
		k := tok.(string)
		o.TopKeys = append(o.TopKeys, k)
		switch k {
		case "sources":
			if err := dec.Decode(&o.Sources); err != nil {
				t.Fatal(err)
			}
		case "atoms":
			o.Atoms, o.AtomKeys = decodeOrdered(t, dec)
		case "h_res":
			if err := dec.Decode(&o.HRes); err != nil {
				t.Fatal(err)
			}
		case "mi":
			o.MI, o.MIKeys = decodeOrdered(t, dec)
		default:
			t.Fatalf("unexpected key %q", k)
		}
	}
	return o
}

func TestPIDXOR(t *testing.T) {
	l3 := math.Log2(3)
	want := map[string]float64{"{1}": l3 - 1, "{2}": l3 - 1, "{1}{2}": 1 - l3, "{12}": 2 - l3}
	dir := t.TempDir()
	file := filepath.Join(dir, "xor.json")
	if err := os.WriteFile(file, []byte(xorInput), 0o644); err != nil {
		t.Fatal(err)
	}
	var first string
	for _, args := range [][]string{nil, {"-"}, {file}, {"--", file}} {
		code, out, errs := pidCLI(t, xorInput, args...)
		if code != 0 || errs != "" {
			t.Fatalf("args %v: exit %d, stderr %q", args, code, errs)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("args %v: output differs:\n%s\nvs\n%s", args, out, first)
		}
		o := parseOutput(t, out)
		if !slices.Equal(o.TopKeys, []string{"sources", "atoms", "h_res", "mi"}) {
			t.Errorf("top-level keys %v", o.TopKeys)
		}
		if o.Sources != 2 {
			t.Errorf("sources = %d", o.Sources)
		}
		if !slices.Equal(o.AtomKeys, []string{"{1}", "{2}", "{1}{2}", "{12}"}) {
			t.Errorf("atom keys %v", o.AtomKeys)
		}
		for k, w := range want {
			if math.Abs(o.Atoms[k]-w) > 1e-15 {
				t.Errorf("%s = %.17g, want %.17g", k, o.Atoms[k], w)
			}
		}
		if o.HRes != 0 {
			t.Errorf("h_res = %v", o.HRes)
		}
		if !slices.Equal(o.MIKeys, []string{"I(T;S1)", "I(T;S2)", "I(T;S1,S2)"}) {
			t.Errorf("mi keys %v", o.MIKeys)
		}
		if o.MI["I(T;S1)"] != 0 || o.MI["I(T;S2)"] != 0 || math.Abs(o.MI["I(T;S1,S2)"]-1) > 1e-15 {
			t.Errorf("mi %v", o.MI)
		}
	}
	// Full precision: the printed value parses back to the exact double.
	if !strings.Contains(first, `"{1}": 0.5849625007211563`) {
		t.Errorf("want shortest round-trip formatting:\n%s", first)
	}
}

func TestPIDOneAndThreeSources(t *testing.T) {
	code, out, errs := pidCLI(t, `{"p": [[0.5, 0], [0, 0.5]]}`)
	if code != 0 {
		t.Fatalf("one source: exit %d, %s", code, errs)
	}
	o := parseOutput(t, out)
	if o.Sources != 1 || !slices.Equal(o.AtomKeys, []string{"{1}"}) || o.Atoms["{1}"] != 1 || o.HRes != 0 ||
		!slices.Equal(o.MIKeys, []string{"I(T;S1)"}) || o.MI["I(T;S1)"] != 1 {
		t.Errorf("one source: %+v", o)
	}

	code, out, errs = pidCLI(t, parityInput)
	if code != 0 {
		t.Fatalf("parity: exit %d, %s", code, errs)
	}
	o = parseOutput(t, out)
	wantKeys := []string{"{1}{2}{3}", "{1}{2}", "{1}{3}", "{2}{3}", "{1}{23}", "{2}{13}", "{3}{12}",
		"{1}", "{2}", "{3}", "{12}{13}{23}", "{12}{13}", "{12}{23}", "{13}{23}", "{12}", "{13}", "{23}", "{123}"}
	if o.Sources != 3 || !slices.Equal(o.AtomKeys, wantKeys) {
		t.Fatalf("parity: sources %d, keys %v", o.Sources, o.AtomKeys)
	}
	for k, w := range map[string]float64{
		"{1}{2}{3}":    3 - math.Log2(7),
		"{12}{13}{23}": math.Log2(875) - 10,
		"{123}":        5 - 3*math.Log2(3),
	} {
		if math.Abs(o.Atoms[k]-w) > 1e-12 {
			t.Errorf("parity %s = %v, want %v", k, o.Atoms[k], w)
		}
	}
	if len(o.MIKeys) != 7 || o.MIKeys[6] != "I(T;S1,S2,S3)" || math.Abs(o.MI["I(T;S1,S2,S3)"]-1) > 1e-12 {
		t.Errorf("parity mi %v %v", o.MIKeys, o.MI)
	}
}

func TestPIDTable(t *testing.T) {
	code, out, errs := pidCLI(t, xorInput, "--table")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"unique S1", "unique S2", "shared S1·S2", "synergy", "h_res", "0.584963", "-0.584963", "0.415037", "I(T;S1,S2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// Flags may follow the file argument.
	code, out3, _ := pidCLI(t, parityInput, "-", "--table")
	if code != 0 {
		t.Fatalf("parity table: exit %d", code)
	}
	for _, want := range []string{"shared S1·S2·S3", "shared S1·(S2,S3)", "shared (S1,S2)·(S1,S3)·(S2,S3)", "synergy (S1,S2)", "synergy "} {
		if !strings.Contains(out3, want) {
			t.Errorf("parity table lacks %q:\n%s", want, out3)
		}
	}
	// Columns line up: every atom row puts its value at the same rune column.
	var col int
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "{") {
			c := len([]rune(line))
			if col == 0 {
				col = c
			} else if c != col {
				t.Errorf("ragged table row %q", line)
			}
		}
	}
}

func TestPIDHelp(t *testing.T) {
	code, out, _ := pidCLI(t, "", "--help")
	if code != 0 || !strings.Contains(out, "usage: infomorph-tui pid") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

func TestPIDAcceptsEdgeInputs(t *testing.T) {
	good := []string{
		`{"p": [[0.25, 0.25], [0.25, 0.2500000004]]}`, // within 1e-9
		`{"p": [[2.5e-1, 25e-2], [0.25, 0.25]], "comment": "extra keys are ignored", "x": 1e999}`,
		`{"p": [[0.5, 1e-400], [0.5, 0]]}`, // underflows to an exact 0
		`{"p": [[-0, 0.5], [0.5, 0]]}`,
		`  {"p":[[1]]}  ` + "\n", // one target value, one source value
	}
	for _, in := range good {
		code, out, errs := pidCLI(t, in)
		if code != 0 || errs != "" {
			t.Errorf("%s: exit %d, stderr %q", in, code, errs)
			continue
		}
		parseOutput(t, out)
	}
}

func TestPIDBadInput(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	cases := map[string]string{
		"empty":              "",
		"blank":              " \n\t ",
		"malformed":          "{",
		"not json":           "hello",
		"trailing garbage":   xorInput + " x",
		"two values":         xorInput + xorInput,
		"top array":          "[[0.5, 0.5]]",
		"top null":           "null",
		"top string":         `"p"`,
		"top number":         "1",
		"missing p":          `{}`,
		"other key":          `{"P": [[0.5, 0.5], [0, 0]]}`,
		"p null":             `{"p": null}`,
		"p number":           `{"p": 1}`,
		"p string":           `{"p": "[[0.5]]"}`,
		"p object":           `{"p": {"0": [0.5, 0.5]}}`,
		"p empty":            `{"p": []}`,
		"empty inner":        `{"p": [[], []]}`,
		"empty deep":         `{"p": [[[]]]}`,
		"no source":          `{"p": [0.5, 0.5]}`,
		"ragged length":      `{"p": [[0.5, 0.25], [0.25]]}`,
		"ragged first":       `{"p": [[0.5], [0.25, 0.25]]}`,
		"ragged depth":       `{"p": [[0.5, [0.25]], [0.25, 0]]}`,
		"ragged depth 2":     `{"p": [[[0.5], [0.25]], [0.25, 0]]}`,
		"ragged inner":       `{"p": [[[0.25, 0.25], [0.25]], [[0.25, 0], [0, 0]]]}`,
		"string entry":       `{"p": [["0.5", 0.5], [0, 0]]}`,
		"bool entry":         `{"p": [[true, 0.5], [0, 0]]}`,
		"null entry":         `{"p": [[null, 0.5], [0.5, 0]]}`,
		"object entry":       `{"p": [[{}, 0.5], [0.5, 0]]}`,
		"negative":           `{"p": [[0.75, -0.25], [0.25, 0.25]]}`,
		"negative tiny":      `{"p": [[0.5, -1e-300], [0.25, 0.25]]}`,
		"huge":               `{"p": [[1e999, 0], [0, 0]]}`,
		"minus huge":         `{"p": [[-1e999, 1], [0, 1]]}`,
		"NaN literal":        `{"p": [[NaN, 0], [0, 1]]}`,
		"Infinity literal":   `{"p": [[Infinity, 0], [0, 1]]}`,
		"NaN string":         `{"p": [["NaN", 0], [0, 1]]}`,
		"sum low":            `{"p": [[0.25, 0.25], [0.25, 0.2]]}`,
		"sum high":           `{"p": [[0.25, 0.25], [0.25, 0.2500001]]}`,
		"sum just over":      `{"p": [[0.25, 0.25], [0.25, 0.250000002]]}`,
		"all zero":           `{"p": [[0, 0], [0, 0]]}`,
		"four sources":       `{"p": [[[[[0.5]]]], [[[[0.5]]]]]}`,
		"deep nesting":       `{"p": ` + deep + `}`,
		"not utf8":           "{\"p\": [[0.5, 0.5], [0, 0]], \"\xff\": 1}",
		"single quotes":      `{'p': [[0.5, 0.5], [0, 0]]}`,
		"hex number":         `{"p": [[0x1, 0], [0, 0]]}`,
		"trailing comma":     `{"p": [[0.5, 0.5], [0, 0],]}`,
		"leading plus":       `{"p": [[+0.5, 0.5], [0, 0]]}`,
		"big but finite sum": `{"p": [[1e308, 1e308], [0, 0]]}`,
	}
	for name, in := range cases {
		code, out, errs := pidCLI(t, in)
		checkBad(t, name, code, out, errs)
	}
	// Usage errors.
	for name, args := range map[string][]string{
		"unknown flag":   {"--tabel"},
		"unknown short":  {"-x"},
		"flag with =":    {"--table=yes"},
		"two files":      {"a.json", "b.json"},
		"missing file":   {filepath.Join(t.TempDir(), "nope.json")},
		"directory file": {t.TempDir()},
	} {
		code, out, errs := pidCLI(t, xorInput, args...)
		checkBad(t, name, code, out, errs)
	}
}

// checkBad: bad input exits 2 with one line on stderr.
func checkBad(t testing.TB, name string, code int, out, errs string) {
	t.Helper()
	if t.Failed() {
		return
	}
	checkOneLine(t, "pid", code, ExitUsage, out, errs, "")
	if t.Failed() {
		t.Logf("case %s", name)
	}
}

// FuzzPIDInput feeds arbitrary bytes as the JSON input: never a panic, exit 0
// with valid JSON (or a table) on stdout, or exit 2 with one line on stderr.
func FuzzPIDInput(f *testing.F) {
	for _, s := range []string{
		xorInput, parityInput, `{"p": [[0.5, 0], [0, 0.5]]}`, `{"p": [[0.5, 0.25], [0.25]]}`,
		`{"p": [[1e999, 0], [0, 0]]}`, `{"p": [[[[[0.5]]]], [[[[0.5]]]]]}`, "", "{",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, args := range [][]string{{"pid"}, {"pid", "--table"}} {
			var out, errb bytes.Buffer
			code := Main(context.Background(), args, Stdio{In: bytes.NewReader(data), Out: &out, Err: &errb})
			switch code {
			case 0:
				if errb.Len() != 0 {
					t.Fatalf("%v: exit 0 with stderr %q", args, errb.String())
				}
				if len(args) == 1 && !json.Valid(out.Bytes()) {
					t.Fatalf("exit 0 with invalid JSON %q", out.String())
				}
				if out.Len() == 0 {
					t.Fatalf("%v: exit 0 with no output", args)
				}
			case 2:
				checkBad(t, string(data), code, out.String(), errb.String())
			default:
				t.Fatalf("%v: exit %d", args, code)
			}
		}
	})
}
