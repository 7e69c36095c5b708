package tasks_test

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"infomorph-tui/model"
	"infomorph-tui/presets"
	. "infomorph-tui/tasks"
)

// benchData loads real MNIST, or skips.
func benchData(b *testing.B) *Dataset {
	b.Helper()
	dir, err := FindMNISTDir("")
	if err != nil {
		b.Skip("MNIST not found:", err)
	}
	m, err := LoadMNIST(dir)
	if err != nil {
		b.Fatal(err)
	}
	return NewDataset(m)
}

// benchRun builds a Run of a built-in preset on real MNIST, or skips.
func benchRun(b *testing.B, name string) *Run { return benchRunF32(b, name, false) }

// benchRunF32 is benchRun with the hidden layers' products in float32 when f32.
func benchRunF32(b *testing.B, name string, f32 bool) *Run {
	b.Helper()
	data := benchData(b)
	p, err := presets.Find(presets.Builtin(), name)
	if err != nil {
		b.Fatal(err)
	}
	spec, err := p.NetSpec()
	if err != nil {
		b.Fatal(err)
	}
	for i := range spec.Layers[:len(spec.Layers)-1] {
		spec.Layers[i].Float32 = f32
	}
	r, err := NewRun(Config{Preset: name, Net: spec, Seed: 1}, data)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// benchSteps measures training batches (no evaluation) and reports samples/s.
func benchSteps(b *testing.B, name string) { benchStepsF32(b, name, false) }

// benchStepsF32 is benchSteps with the hidden layers in float32 when f32.
func benchStepsF32(b *testing.B, name string, f32 bool) {
	r := benchRunF32(b, name, f32)
	// Stay inside the first epoch's training batches so no evaluation runs.
	steps := 0
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		// (Not Snapshot: its layer statistics cost ≈ 5 ms a step at 2000
		// neurons, which `run` pays once an epoch.)
		if r.StepInEpoch() == r.StepsPerEpoch()-1 {
			b.StopTimer()
			r.Reset()
			b.StartTimer()
		}
		if err := r.Step(); err != nil {
			b.Fatal(err)
		}
		steps++
	}
	b.ReportMetric(float64(steps*BatchSize)/b.Elapsed().Seconds(), "samples/s")
	// CPU time per step: on a shared machine it varies less than wall time.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(steps), "cpu-ms/op")
}

func BenchmarkStepReadout(b *testing.B)    { benchSteps(b, "mnist-readout") }
func BenchmarkStepContext(b *testing.B)    { benchSteps(b, "mnist-context") }
func BenchmarkStepLateral(b *testing.B)    { benchSteps(b, "mnist-lateral") }
func BenchmarkStepTrivariate(b *testing.B) { benchSteps(b, "mnist-trivariate") }

// The paper's large networks (2000 hidden neurons) in float64, the
// reference the earlier measurements used.
func BenchmarkStepTrivariate2000(b *testing.B) { benchSteps(b, "mnist-trivariate-2000-sparse") }
func BenchmarkStepContext2000(b *testing.B)    { benchSteps(b, "mnist-context-2000") }

// The same with the hidden layer's products in float32 (LayerSpec.Float32),
// as the presets now run.
func BenchmarkStepTrivariate2000F32(b *testing.B) {
	benchStepsF32(b, "mnist-trivariate-2000-sparse", true)
}
func BenchmarkStepContext2000F32(b *testing.B) { benchStepsF32(b, "mnist-context-2000", true) }

// benchEval measures evaluation (the forward pass of validation and test at
// every epoch's end) per batch of BatchSize images, on the trained-for-one-
// batch network: CPU ms per batch, single thread with -cpu 1.
func benchEval(b *testing.B, name string) { benchEvalF32(b, name, false) }

// benchEvalF32 is benchEval with the hidden layers in float32 when f32.
func benchEvalF32(b *testing.B, name string, f32 bool) {
	r := benchRunF32(b, name, f32)
	if err := r.Step(); err != nil {
		b.Fatal(err)
	}
	ids := make([]int, BatchSize)
	for i := range ids {
		ids[i] = i
	}
	batches := 0
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		r.Evaluate(TestSet, ids, 2)
		batches++
	}
	b.ReportMetric(float64(batches*BatchSize)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(batches), "cpu-ms/op")
}

func BenchmarkEvalTrivariate(b *testing.B)     { benchEval(b, "mnist-trivariate") }
func BenchmarkEvalTrivariate2000(b *testing.B) { benchEval(b, "mnist-trivariate-2000-sparse") }
func BenchmarkEvalContext2000(b *testing.B)    { benchEval(b, "mnist-context-2000") }
func BenchmarkEvalTrivariate2000F32(b *testing.B) {
	benchEvalF32(b, "mnist-trivariate-2000-sparse", true)
}
func BenchmarkEvalContext2000F32(b *testing.B) { benchEvalF32(b, "mnist-context-2000", true) }

// BenchmarkImageProduct2000 times the F compartment of the 2000-neuron
// presets alone (784 → 2000, Forward and the weight gradient) on a batch of
// real MNIST training images, whose shared pixels the four-line kernels
// exploit (model/rowgroups.go): CPU ms per call, -cpu 1 for one worker.
func BenchmarkImageProduct2000(b *testing.B) { benchImageProduct(b, false) }

// BenchmarkImageProduct2000F32 is BenchmarkImageProduct2000 in float32.
func BenchmarkImageProduct2000F32(b *testing.B) { benchImageProduct(b, true) }

// benchImageProduct times the image product of 2000 units, in float32 when
// f32.
func benchImageProduct(b *testing.B, f32 bool) {
	d := benchData(b)
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]int, BatchSize)
	for i := range ids {
		ids[i] = d.Train[rng.IntN(len(d.Train))]
	}
	img := &model.Input{}
	d.Fill(TrainSet, ids, img, nil)
	c := model.NewCompartment(img.Dim, 2000, rng)
	c.F32 = f32
	out := make([]float64, BatchSize*2000)
	delta := make([]float64, BatchSize*2000)
	for i := range delta {
		delta[i] = rng.NormFloat64()
	}
	for _, pass := range []struct {
		name string
		run  func()
	}{{"forward", func() { c.Forward(img, out, runtime.GOMAXPROCS(0)) }},
		{"gradient", func() { c.Backward(img, delta, runtime.GOMAXPROCS(0)) }}} {
		b.Run(pass.name, func(b *testing.B) {
			calls := 0
			cpu0 := cpuTime()
			for b.Loop() {
				pass.run()
				calls++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1e3/float64(calls), "cpu-ms/op")
		})
	}
}
