package runfile

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"infomorph-tui/model"
	"infomorph-tui/tasks"
)

// seeded returns n seeded values; odd lengths end the base64 with padding.
func seeded(rng *rand.Rand, n int) model.Params {
	p := make(model.Params, n)
	for i := range p {
		p[i] = rng.NormFloat64()
	}
	return p
}

// bigRecord is a record shaped like a mnist-trivariate-2000-sparse run's:
// one 2000-neuron layer with F (784 inputs, the bulk), C and L compartments and their
// Adam moments, window sums, and short arrays that must stay inline.
func bigRecord(t *testing.T) Record {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	const in, out = 784, 2000
	comp := func(in, out int) *model.CompartmentState {
		return &model.CompartmentState{In: in, Out: out, W: seeded(rng, in*out), B: seeded(rng, out),
			OptW: model.AdamState{T: 7, M: seeded(rng, in*out), V: seeded(rng, in*out)},
			OptB: model.AdamState{T: 7, M: seeded(rng, out), V: seeded(rng, out)}}
	}
	c := &tasks.Checkpoint{Epoch: 1, StepsPerEpoch: 750, TotalSteps: 750,
		Net: model.NetState{Layers: []model.LayerState{
			{Name: "hidden", Gamma: []float64{0.1, 0.2}, F: comp(in, out), C: comp(10, out), L: comp(20, out)},
			{Name: "readout", Gamma: []float64{1}, F: comp(out, 10), C: comp(10, 10)}}},
		Windows: []tasks.WindowState{
			{N: 3, Atoms: seeded(rng, out*19), Theta: seeded(rng, out), Goal: 0.5,
				LastNeurons: seeded(rng, out*19+1), LastTheta: seeded(rng, out+2)},
			{N: 3, Atoms: seeded(rng, 5), Theta: seeded(rng, 1)}}} // short, and LastNeurons empty (omitempty)
	rec, _ := trained(t)
	rec.State = c
	return rec
}

// TestEncodeMatchesMarshal: the streamed bytes are Marshal's exactly, for a
// small trained run and for a 2000-neuron state, and Save writes them; the
// record is left as it was.
func TestEncodeMatchesMarshal(t *testing.T) {
	small, _ := trained(t)
	noState := small
	noState.State = nil
	for name, rec := range map[string]Record{"small": small, "no state": noState, "2000": bigRecord(t)} {
		want, err := Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		streamed, err := encode(&buf, rec)
		if err != nil {
			t.Fatal(err)
		}
		if streamed != (rec.State != nil) {
			t.Errorf("%s: streamed %v", name, streamed)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: streamed %d bytes differ from Marshal's %d", name, buf.Len(), len(want))
		}
		if again, _ := Marshal(rec); !bytes.Equal(again, want) {
			t.Errorf("%s: encoding changed the record", name)
		}
		ref := rec
		ref.Schema = Schema
		if ref, _ := json.MarshalIndent(ref, "", "  "); rec.State != nil && !bytes.Equal(append(ref, '\n'), want) {
			t.Errorf("%s: Marshal is not json.MarshalIndent", name) // the schema is already set
		}
		path := filepath.Join(t.TempDir(), "run.json")
		if err := Save(path, rec); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Errorf("%s: Save wrote %d bytes, not Marshal's", name, len(got))
		}
	}
}

// TestEncodeCollision: a short array equal to a placeholder cannot be told
// from it; the encoder falls back to Marshal and the bytes stay right.
func TestEncodeCollision(t *testing.T) {
	rec := bigRecord(t)
	rec.State.Windows[1].Theta = model.Params{math.Float64frombits(marker)} // placeholder 0
	want, _ := Marshal(rec)
	var buf bytes.Buffer
	streamed, err := encode(&buf, rec)
	if err != nil || streamed || !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("streamed %v, err %v, equal %v: want a correct fallback", streamed, err, bytes.Equal(buf.Bytes(), want))
	}
}

// TestEncodeMemory: streaming a 2000-neuron state allocates a small
// fraction of its size (Marshal allocates several times its size).
func TestEncodeMemory(t *testing.T) {
	rec := bigRecord(t)
	alloc := func(f func()) uint64 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc
	}
	streamed := alloc(func() { Encode(io.Discard, rec) })
	whole := alloc(func() { Marshal(rec) })
	size := uint64(8 * 3 * (784 + 10 + 20) * 2000) // the big arrays' bytes, roughly
	t.Logf("state %d MB; allocated: Encode %d kB, Marshal %d MB", size>>20, streamed>>10, whole>>20)
	if streamed > size/20 {
		t.Errorf("Encode allocated %d bytes for a state of %d", streamed, size)
	}
	if whole < size {
		t.Errorf("Marshal allocated %d bytes, less than the state (%d): the test measures nothing", whole, size)
	}
}
