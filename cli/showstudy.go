package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"infomorph-tui/tune"
)

// showStudy prints a tune study's summary: what it searches, its trials,
// the epochs pruning saved and the ten best trials (or, with asJSON, the
// spec and every trial as one JSON object).
func showStudy(s Stdio, dir string, asJSON bool) error {
	st, err := tune.Open(dir)
	if err != nil {
		return badInput(err)
	}
	trials, err := st.Trials()
	if err != nil {
		return badInput(err)
	}
	if asJSON {
		type trial struct {
			Number   int              `json:"number"`
			State    tune.State       `json:"state"`
			Gamma    []float64        `json:"gamma"`
			How      string           `json:"how"`
			Result   *tune.ResultFile `json:"result,omitempty"`
			Proposed string           `json:"proposed_at"`
		}
		out := struct {
			Dir    string    `json:"dir"`
			Spec   tune.Spec `json:"spec"`
			Trials []trial   `json:"trials"`
		}{Dir: dir, Spec: st.Spec, Trials: []trial{}}
		for _, t := range trials {
			out.Trials = append(out.Trials, trial{Number: t.Number, State: t.State, Gamma: t.Gamma(), How: t.Proposal.How,
				Result: t.Result, Proposed: t.Proposal.ProposedAt})
		}
		data, err := json.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "%s\n", data)
		return nil
	}
	writeStudy(s.Out, dir, st.Spec, trials)
	return nil
}

func writeStudy(w io.Writer, dir string, sp tune.Spec, trials []tune.Trial) {
	count := map[tune.State]int{}
	saved := 0
	for _, t := range trials {
		count[t.State]++
		if t.State == tune.Pruned {
			saved += (sp.Epochs - t.Result.Epochs) * sp.Seeds
		}
	}
	fmt.Fprintf(w, "study     %s\n", dir)
	fmt.Fprintf(w, "search    %s\n", sp.Describe())
	fmt.Fprintf(w, "trials    %d of %d: %d complete, %d pruned, %d failed, %d running or waiting\n", len(trials), sp.Trials,
		count[tune.Complete], count[tune.Pruned], count[tune.Failed], count[tune.Running]+count[tune.Waiting])
	if sp.Prune.On() {
		total := len(trials) * sp.Epochs * sp.Seeds
		fmt.Fprintf(w, "pruning   saved %d of %d epochs (%.0f%%)\n", saved, total, 100*float64(saved)/float64(max(total, 1)))
	}
	fmt.Fprintln(w, "objective validation accuracy; test accuracy is shown, never used to choose")
	var done []tune.Trial
	for _, t := range trials {
		if t.State == tune.Complete && !math.IsNaN(t.Value()) {
			done = append(done, t)
		}
	}
	if len(done) == 0 {
		fmt.Fprintln(w, "no complete trial yet")
		return
	}
	slices.SortStableFunc(done, func(a, b tune.Trial) int {
		switch {
		case a.Value() > b.Value():
			return -1
		case a.Value() < b.Value():
			return 1
		}
		return a.Number - b.Number
	})
	fmt.Fprintf(w, "\nbest %d (γ of layer %s):\n", min(len(done), 10), sp.Layer)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "trial\tvalidation\ttest\t")
	for _, n := range sp.GammaNames {
		fmt.Fprintf(tw, "%s\t", n)
	}
	fmt.Fprintln(tw)
	for _, t := range done[:min(len(done), 10)] {
		fmt.Fprintf(tw, "%d\t%s\t%s\t", t.Number, pct(t.Value(), math.NaN()), pct(float64(t.Result.Test), math.NaN()))
		for _, g := range t.Gamma() {
			fmt.Fprintf(tw, "%.3f\t", g)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
