// Package plots draws publication-ready figures of runs and sweeps with
// gonum/plot: accuracy curves, atom shares over epochs, and final accuracy
// against the swept γ (a line with mean ± sd, or a heatmap). Colours are the
// Okabe–Ito palette (lines) and viridis (heatmaps), both colour-blind-safe;
// series also differ by glyph and dash so that they survive grey print.
//
// Imports: runfile and sweep (what is drawn), pid (atom words), tasks
// (MeanSD), internal/atomicfile, and gonum/plot.
//
// Invariants:
//   - Figures are built from their argument only; the one file written is
//     by Figure.Save, atomically, into an existing folder.
//   - Mean ± s.d. over seeds is tasks.MeanSD, as in sweep's summaries.
package plots
