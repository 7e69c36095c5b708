package tui

import (
	"errors"
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// fakeStudy is a study of n trials: a fixed pattern of states and values.
func fakeStudy(n int) Study {
	s := Study{Title: "study runs/lateral", About: "tpe on mnist-lateral · layer hidden · 10 epochs · seed 1 · pruning median",
		Names: []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"}, Target: 40}
	for i := range n {
		t := StudyTrial{Number: i, State: TrialComplete, Epochs: 10,
			Val:   0.80 + 0.05*math.Sin(float64(i)*1.3) + 0.002*float64(i),
			Gamma: []float64{math.Sin(float64(i)), math.Cos(float64(i)), 0.1 * float64(i%7), -0.25, 0}}
		t.Test = t.Val + 0.01
		switch {
		case i%5 == 3:
			t.State, t.Epochs, t.Val, t.Test = TrialPruned, 3, 0.3+0.01*float64(i), math.NaN()
		case i == 7:
			t.State, t.Val, t.Test = TrialFailed, math.NaN(), math.NaN()
		case i >= n-2:
			t.State, t.Val, t.Test = TrialRunning, math.NaN(), math.NaN()
		}
		s.Trials = append(s.Trials, t)
	}
	return s
}

func studyScreen(t *testing.T, s Study, w, h int, keys ...string) (studyModel, string) {
	t.Helper()
	var m tea.Model = newStudyModel(func() (Study, error) { return s, nil }, "never", StudyRefresh)
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m, cmd := m.Update(studyLoadedMsg{s: s})
	if cmd == nil {
		t.Fatal("no refresh scheduled after a read")
	}
	for _, k := range keys {
		m, _ = m.Update(keyMsg(k))
	}
	sm := m.(studyModel)
	scr := ansi.Strip(sm.render())
	assertScreenSize(t, scr, w, h)
	return sm, scr
}

func TestGoldenStudy(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Study
		w, h int
		keys []string
	}{
		{"running", fakeStudy(24), 100, 30, nil},
		{"selected", fakeStudy(24), 80, 24, []string{"right", "right"}},
		{"empty", Study{Title: "study s", About: "cmaes on mnist-readout", Names: []string{"{1}"}, Target: 10}, 80, 16, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, scr := studyScreen(t, tc.s, tc.w, tc.h, tc.keys...)
			golden.RequireEqual(t, scr)
		})
	}
}

func TestStudyView(t *testing.T) {
	_, scr := studyScreen(t, fakeStudy(24), 120, 40)
	for _, want := range []string{"study runs/lateral", "24 of 40 trials · 17 complete · 5 pruned · 1 failed · 1 running or waiting",
		"best ", "never used to choose", "•", "×", "─", "◆", "!", "γ{1}{2}", "γ_res", "validation", "test (recorded)",
		"▸#", "★", "in progress: #22", "enter open its γ in the lab"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	// 18 entries in a short window: the table is cut, the chart stays.
	s := fakeStudy(10)
	s.Names = make([]string, 19)
	for i := range s.Names {
		s.Names[i] = "{x}"
	}
	_, scr = studyScreen(t, s, 90, 24)
	if !strings.Contains(scr, "…") || !strings.Contains(scr, "┤") {
		t.Errorf("short screen:\n%s", scr)
	}
}

// The view follows the folder: every read schedules the next; a failed read
// keeps the last study and says so.
func TestStudyRefresh(t *testing.T) {
	reads := 0
	s := fakeStudy(5)
	m := newStudyModel(func() (Study, error) {
		reads++
		if reads == 2 {
			return Study{}, errors.New("disk gone")
		}
		s.Trials = append(s.Trials, StudyTrial{Number: len(s.Trials), State: TrialComplete, Val: 0.9, Test: 0.9, Gamma: []float64{1, 1, 1, 1, 1}})
		return s, nil
	}, "never", StudyRefresh)
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if scr := ansi.Strip(tm.(studyModel).render()); !strings.Contains(scr, "reading the study") {
		t.Fatalf("before the first read:\n%s", scr)
	}
	msg := m.Init()()
	tm, cmd := tm.Update(msg)
	if cmd == nil {
		t.Fatal("no tick after a read")
	}
	if _, ok := cmd().(studyTickMsg); !ok {
		t.Fatal("the command after a read is not a tick")
	}
	tm, cmd = tm.Update(studyTickMsg{})
	tm, _ = tm.Update(cmd()) // the failed read
	scr := ansi.Strip(tm.(studyModel).render())
	if !strings.Contains(scr, "last read failed: disk gone") || !strings.Contains(scr, "6 of 40 trials") {
		t.Fatalf("after a failed read:\n%s", scr)
	}
	tm, cmd = tm.Update(studyTickMsg{})
	tm, _ = tm.Update(cmd())
	scr = ansi.Strip(tm.(studyModel).render())
	if !strings.Contains(scr, "7 of 40 trials") || strings.Contains(scr, "last read failed") || !strings.Contains(scr, "best 90.00% (#5)") {
		t.Fatalf("after the next read:\n%s", scr)
	}
}

func TestStudyKeys(t *testing.T) {
	for _, k := range []string{"q", "esc", "ctrl+c"} {
		_, cmd := newStudyModel(nil, "never", 0).Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
	}
	m, _ := studyScreen(t, fakeStudy(24), 100, 30, "right", "right", "left")
	top := m.top()
	if m.sel != 1 {
		t.Fatalf("selection %d, want 1", m.sel)
	}
	tm, cmd := m.Update(keyMsg("enter"))
	if cmd == nil || tm.(studyModel).chosen == nil || tm.(studyModel).chosen.Number != top[1].Number {
		t.Fatalf("enter: %v", tm.(studyModel).chosen)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("enter does not end the view")
	}
	for range 40 {
		tm, _ = tm.Update(keyMsg("right"))
	}
	if got := tm.(studyModel).sel; got != len(top)-1 {
		t.Errorf("selection ran to %d of %d", got, len(top))
	}
	if _, _, err := RunStudy(nil, "never", 0); err == nil {
		t.Error("a study view without a loader runs")
	}
	if _, _, err := RunStudy(func() (Study, error) { return Study{}, nil }, "sometimes", 0); err == nil {
		t.Error("a bad colour mode runs")
	}
}
