package tasks

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
)

// idxTestPixels returns deterministic pixel data covering all byte values.
func idxTestPixels(n int) []uint8 {
	pix := make([]uint8, n)
	for i := range pix {
		pix[i] = uint8(i*7 + i/13)
	}
	return pix
}

func TestReadIDXImagesValid(t *testing.T) {
	dir := t.TempDir()
	const n, rows, cols = 3, 28, 28
	pix := idxTestPixels(n * rows * cols)
	raw := mnisttest.IDXImages(idxImagesMagic, n, rows, cols, pix)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"images-idx3-ubyte", raw},
		{"images-idx3-ubyte.gz", mnisttest.Gzip(t, raw)},
		// Format is sniffed from content, not from the name.
		{"gz-without-suffix", mnisttest.Gzip(t, raw)},
	} {
		p := mnisttest.WriteFile(t, dir, tc.name, tc.data)
		gn, gr, gc, gpix, err := readIDXImages(p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if gn != n || gr != rows || gc != cols {
			t.Fatalf("%s: got n=%d %dx%d, want %d %dx%d", tc.name, gn, gr, gc, n, rows, cols)
		}
		if !bytes.Equal(gpix, pix) {
			t.Fatalf("%s: pixel mismatch", tc.name)
		}
	}
}

func TestReadIDXImagesGeneralDims(t *testing.T) {
	dir := t.TempDir()
	pix := idxTestPixels(4 * 2 * 5)
	p := mnisttest.WriteFile(t, dir, "small.gz", mnisttest.Gzip(t, mnisttest.IDXImages(idxImagesMagic, 4, 2, 5, pix)))
	n, r, c, got, err := readIDXImages(p)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 || r != 2 || c != 5 || !bytes.Equal(got, pix) {
		t.Fatalf("got n=%d %dx%d len=%d", n, r, c, len(got))
	}
	// Zero images is a valid, if empty, file.
	p = mnisttest.WriteFile(t, dir, "empty-set", mnisttest.IDXImages(idxImagesMagic, 0, 28, 28, nil))
	if n, _, _, got, err = readIDXImages(p); err != nil || n != 0 || len(got) != 0 {
		t.Fatalf("empty set: n=%d len=%d err=%v", n, len(got), err)
	}
}

func TestReadIDXLabelsValid(t *testing.T) {
	dir := t.TempDir()
	labels := []uint8{7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4}
	raw := mnisttest.IDXLabels(idxLabelsMagic, uint32(len(labels)), labels)
	for name, data := range map[string][]byte{
		"labels-idx1-ubyte":    raw,
		"labels-idx1-ubyte.gz": mnisttest.Gzip(t, raw),
	} {
		got, err := readIDXLabels(mnisttest.WriteFile(t, dir, name, data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, labels) {
			t.Fatalf("%s: got %v, want %v", name, got, labels)
		}
	}
}

// corruptGzip returns variants of a valid gzip stream that must be rejected.
func corruptGzip(t *testing.T, raw []byte) map[string][]byte {
	gz := mnisttest.Gzip(t, raw)
	badCRC := bytes.Clone(gz)
	badCRC[len(badCRC)-8] ^= 0xff // CRC-32 in the trailer
	badLen := bytes.Clone(gz)
	badLen[len(badLen)-4] ^= 0x01 // ISIZE in the trailer
	cut := gz[:len(gz)/2]
	noTrailer := gz[:len(gz)-3]
	badHeader := bytes.Clone(gz)
	badHeader[2] = 0x07 // compression method must be 8 (deflate)
	garbage := append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, bytes.Repeat([]byte{0xff}, 64)...)
	return map[string][]byte{
		"badcrc.gz":    badCRC,
		"badlen.gz":    badLen,
		"cut.gz":       cut,
		"notrailer.gz": noTrailer,
		"badheader.gz": badHeader,
		"garbage.gz":   garbage,
	}
}

func TestReadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	pix := idxTestPixels(5 * 28 * 28)
	goodImg := mnisttest.IDXImages(idxImagesMagic, 5, 28, 28, pix)
	goodLab := mnisttest.IDXLabels(idxLabelsMagic, 5, []uint8{0, 1, 2, 3, 4})

	type tc struct {
		name string
		data []byte
		want string // substring of the error besides the path
	}
	imgCases := []tc{
		{"train-images-idx3-ubyte", mnisttest.IDXImages(idxImagesMagic, 5, 28, 28, pix[:1234]),
			"truncated: want 3920 pixel bytes, got 1234"},
		{"trunc-images.gz", mnisttest.Gzip(t, mnisttest.IDXImages(idxImagesMagic, 5, 28, 28, pix[:1234])),
			"truncated: want 3920 pixel bytes, got 1234"},
		{"short-header", goodImg[:10], "truncated: want 16 header bytes, got 10"},
		{"empty", nil, "empty file"},
		{"magic-images", mnisttest.IDXImages(idxLabelsMagic, 5, 28, 28, pix), "bad magic number 0x00000801, want 0x00000803"},
		{"zero-rows", mnisttest.IDXImages(idxImagesMagic, 5, 0, 28, nil), "implausible image size: rows=0 cols=28"},
		{"huge-dims", mnisttest.IDXImages(idxImagesMagic, 5, 1<<20, 28, nil), "implausible image size"},
		// A lying header on a tiny file: must fail without a giant allocation.
		{"lying-count", mnisttest.IDXImages(idxImagesMagic, 1<<30, 28, 28, pix[:100]), "exceeds limit"},
		{"lying-count2", mnisttest.IDXImages(idxImagesMagic, 1<<12, 28, 28, pix[:100]), "truncated"},
		{"trailing", append(bytes.Clone(goodImg), 0), "trailing data"},
	}
	for name, data := range corruptGzip(t, goodImg) {
		imgCases = append(imgCases, tc{"img-" + name, data, ""})
	}
	for _, c := range imgCases {
		p := mnisttest.WriteFile(t, dir, c.name, c.data)
		_, _, _, _, err := readIDXImages(p)
		checkIDXErr(t, c.name, err, p, c.want)
	}

	labCases := []tc{
		{"train-labels-idx1-ubyte", mnisttest.IDXLabels(idxLabelsMagic, 5, []uint8{0, 1}), "truncated: want 5 label bytes, got 2"},
		{"magic-labels", mnisttest.IDXLabels(idxImagesMagic, 5, []uint8{0, 1, 2, 3, 4}), "bad magic number"},
		{"range-labels", mnisttest.IDXLabels(idxLabelsMagic, 5, []uint8{0, 1, 2, 100, 4}), "label 100 at index 3 out of range 0..99"},
		{"range-labels.gz", mnisttest.Gzip(t, mnisttest.IDXLabels(idxLabelsMagic, 3, []uint8{255, 1, 2})), "label 255 at index 0 out of range"},
		{"trailing-labels", append(bytes.Clone(goodLab), 1, 2), "trailing data"},
	}
	for name, data := range corruptGzip(t, goodLab) {
		labCases = append(labCases, tc{"lab-" + name, data, ""})
	}
	for _, c := range labCases {
		p := mnisttest.WriteFile(t, dir, c.name, c.data)
		_, err := readIDXLabels(p)
		checkIDXErr(t, c.name, err, p, c.want)
	}

	missing := filepath.Join(dir, "does-not-exist.gz")
	_, _, _, _, err := readIDXImages(missing)
	checkIDXErr(t, "missing images", err, missing, "")
	_, err = readIDXLabels(missing)
	checkIDXErr(t, "missing labels", err, missing, "")
}

func checkIDXErr(t *testing.T, name string, err error, path, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: expected an error", name)
		return
	}
	msg := err.Error()
	t.Logf("%s: %s", name, msg)
	if !strings.HasPrefix(msg, "mnist: ") || !strings.Contains(msg, path) {
		t.Errorf("%s: error does not name the file %s: %q", name, path, msg)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("%s: error %q does not contain %q", name, msg, want)
	}
}
