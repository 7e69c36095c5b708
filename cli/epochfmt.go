package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"infomorph-tui/internal/jsonfloat"
	"infomorph-tui/tasks"
)

// num formats a float for JSON lines and CSV cells: shortest exact form, null for NaN/Inf.
func num(v float64) string { return jsonfloat.Shortest(v) }

// epochJSON writes one epoch as a JSON object with atoms in documented order.
func epochJSON(st tasks.EpochStats, final bool) string {
	var b strings.Builder
	b.WriteByte('{')
	if final {
		b.WriteString(`"final":true,`)
	}
	fmt.Fprintf(&b, `"epoch":%d,"train_acc":%s,`, st.Epoch, num(st.TrainAcc))
	if st.TrainAccKind != "" {
		fmt.Fprintf(&b, `"train_acc_kind":%s,`, jsonString(st.TrainAccKind))
	}
	fmt.Fprintf(&b, `"val_acc":%s,"test_acc":%s,"samples_per_sec":%s,"train_seconds":%s,"atoms":{`,
		num(st.ValAcc), num(st.TestAcc), num(st.SamplesPerSec), num(st.TrainSeconds))
	for i, l := range st.Layers {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s:{", jsonString(l.Name))
		for k, name := range l.AtomNames {
			if k > 0 {
				b.WriteByte(',')
			}
			v := math.NaN()
			if k < len(l.Atoms) {
				v = l.Atoms[k]
			}
			fmt.Fprintf(&b, "%s:%s", jsonString(name), num(v))
		}
		fmt.Fprintf(&b, `,"h_y":%s}`, num(l.HY))
	}
	b.WriteByte('}')
	if bs := st.Bars; bs != nil {
		fmt.Fprintf(&b, `,"bars":{"detectors":%d,"units":%d,"fraction":%s,"distinct_bars":%d}`, bs.Detectors, bs.Units, num(bs.Fraction), bs.Distinct)
	}
	if lg := st.Logic; lg != nil {
		b.WriteString(`,"logic":{`)
		for k, name := range lg.AtomNames {
			fmt.Fprintf(&b, "%s:%s,", jsonString(name), num(lg.Atoms[k]))
		}
		fmt.Fprintf(&b, `"h_t":%s`, num(lg.HT))
		if len(lg.Exact) == len(lg.AtomNames) { // the task's closed form, for comparison
			b.WriteString(`,"exact":{`)
			for k, name := range lg.AtomNames {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%s:%s", jsonString(name), num(lg.Exact[k]))
			}
			b.WriteByte('}')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.String()
}

// csvHeader names the CSV columns: results, then layer:atom.
func csvHeader(st tasks.EpochStats) string {
	cols := []string{"epoch", "train_acc", "val_acc", "test_acc", "samples_per_sec", "train_seconds"}
	for _, l := range st.Layers {
		for _, name := range l.AtomNames {
			cols = append(cols, l.Name+":"+name)
		}
	}
	return strings.Join(cols, ",") + "\n"
}

// csvRow is one epoch as a CSV line, in csvHeader order.
func csvRow(st tasks.EpochStats) string {
	cols := []string{strconv.Itoa(st.Epoch), num(st.TrainAcc), num(st.ValAcc), num(st.TestAcc), num(st.SamplesPerSec), num(st.TrainSeconds)}
	for _, l := range st.Layers {
		for k := range l.AtomNames {
			cols = append(cols, num(l.Atoms[k]))
		}
	}
	return strings.Join(cols, ",") + "\n"
}
