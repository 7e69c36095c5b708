package tasks

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Data sources: what a preset's "dataset" field names, and where each
// finds its data. Nothing is ever downloaded.
//
//   - "mnist" (or empty): the folder given with --data, in any format it
//     holds (the four idx files under MNIST's names — MNIST, Fashion-MNIST,
//     KMNIST or any image size and class count —, CIFAR-10's binary files,
//     or train.csv and test.csv); without --data, MNIST as FindMNISTDir
//     finds it.
//   - "cifar10", "cifar10-grey": CIFAR-10's binary files in the --data
//     folder when it holds them, else in DefaultCIFARDir; colour (3072
//     inputs) or grey (1024).
//   - "bars", "xor", "and", "parity3": generated (Generated); --data is not used.
var SourceNames = []string{"mnist", "cifar10", "cifar10-grey", "bars", "xor", "and", "parity3"}

// CheckSourceName reports whether name is a known data source.
func CheckSourceName(name string) error {
	if name == "" || slices.Contains(SourceNames, name) {
		return nil
	}
	return fmt.Errorf("unknown dataset %q (want %s)", name, joinNames(SourceNames))
}

// SourceShape is the input size and class count a source's data has when
// it is what the name says (MNIST for "mnist": a --data folder may differ,
// and a run adapts to what it finds).
func SourceShape(name string) (dim, classes int) {
	switch name {
	case "cifar10":
		return 3 * CIFARPixels, cifarClasses
	case "cifar10-grey":
		return CIFARPixels, cifarClasses
	case "bars":
		return BarsSide * BarsSide, 3
	case "xor", "and":
		return 2, 2
	case "parity3":
		return 3, 2
	}
	return MNISTPixels, 10
}

// DefaultCIFARDir is where CIFAR-10 is looked for without --data:
// $XDG_DATA_HOME/infomorph-tui/cifar-10-batches-bin, or
// ~/.local/share/infomorph-tui/cifar-10-batches-bin.
func DefaultCIFARDir() string {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "infomorph-tui", CIFARDirName)
}

// cifarDir picks the CIFAR-10 folder: dir when it holds the files, else the default.
func cifarDir(dir string) (string, error) {
	if dir != "" && cifarMissing(dir) == nil {
		return dir, nil
	}
	def := DefaultCIFARDir()
	if err := cifarMissing(def); err != nil {
		where := def
		if dir != "" {
			where = dir + " (--data) or " + def
		}
		return "", fmt.Errorf("CIFAR-10 not found: place data_batch_1.bin … data_batch_5.bin and test_batch.bin (cifar-10-binary.tar.gz unpacked) in %s", where)
	}
	return def, nil
}

// folderKind says what a --data folder holds: "idx", "cifar10", "csv" or
// an error listing what it could have held.
func folderKind(dir string) (string, error) {
	if _, err := mnistFiles(dir); err == nil {
		return "idx", nil
	}
	if cifarMissing(dir) == nil {
		return "cifar10", nil
	}
	if csvMissing(dir) == nil {
		return "csv", nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("--data %s: not a folder", dir)
	}
	return "", fmt.Errorf("--data %s: no data found: want the four idx files (%s, %s, %s, %s; each may be .gz), CIFAR-10's %s, or %s and %s",
		dir, mnistTrainImagesFile, mnistTrainLabelsFile, mnistTestImagesFile, mnistTestLabelsFile, joinNames(CIFARFiles), CSVTrainFile, CSVTestFile)
}

// CheckSource says why a source's data cannot be found (nil when it can),
// without reading it.
func CheckSource(name, dir string) error {
	if err := CheckSourceName(name); err != nil {
		return err
	}
	switch name {
	case "", "mnist":
		if dir != "" {
			_, err := folderKind(dir)
			return err
		}
		_, err := FindMNISTDir("")
		return err
	case "cifar10", "cifar10-grey":
		_, err := cifarDir(dir)
		return err
	}
	return nil // generated
}

// LoadSource reads and prepares a source's data (see SourceNames); dir is
// the --data folder ("" for none).
func LoadSource(name, dir string) (*Dataset, error) {
	if err := CheckSourceName(name); err != nil {
		return nil, err
	}
	switch name {
	case "", "mnist":
		if dir == "" {
			return LoadDataset("")
		}
		kind, err := folderKind(dir)
		if err != nil {
			return nil, err
		}
		switch kind {
		case "cifar10":
			return LoadCIFAR10(dir, false)
		case "csv":
			return LoadCSV(dir)
		}
		return LoadDataset(dir)
	case "cifar10", "cifar10-grey":
		d, err := cifarDir(dir)
		if err != nil {
			return nil, err
		}
		return LoadCIFAR10(d, name == "cifar10-grey")
	}
	return Generated(name)
}
