package tasks

// Reader for the IDX file format used by the MNIST distribution
// (http://yann.lecun.com/exdb/mnist/). An IDX file is a big-endian header
// followed by a dense payload of unsigned bytes:
//
//	images: magic 0x00000803, n, rows, cols (uint32 each), then n*rows*cols pixels
//	labels: magic 0x00000801, n (uint32 each), then n labels
//
// Files may be gzip-compressed or raw; the format is detected from the gzip
// magic bytes, not from the file name.

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

const (
	idxImagesMagic = 0x00000803
	idxLabelsMagic = 0x00000801

	// idxMaxDim bounds rows and cols; idxMaxPayload bounds the total payload
	// so that a corrupt header cannot trigger a huge allocation.
	idxMaxDim     = 1 << 12
	idxMaxPayload = 1 << 32

	// idxChunk is the largest single allocation made before any payload
	// bytes have actually been read.
	idxChunk = 1 << 26
)

// idxErr formats an error that names the offending file.
func idxErr(path, format string, args ...any) error {
	return fmt.Errorf("mnist: %s: %s", path, fmt.Sprintf(format, args...))
}

// idxOpen opens path and returns a reader yielding the decompressed bytes.
// The returned close function must always be called.
func idxOpen(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, func() {}, fmt.Errorf("mnist: %w", err)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, func() {}, idxErr(path, "corrupt gzip: %v", err)
		}
		// Payload reads go straight into large buffers via io.ReadFull, so
		// no bufio layer is needed on the decompressed side.
		return zr, func() { zr.Close(); f.Close() }, nil
	}
	return br, func() { f.Close() }, nil
}

// idxReadErr turns a read error into a descriptive, file-naming error.
// what describes the expected data, want is the number of bytes expected and
// got the number actually read.
func idxReadErr(path string, err error, what string, want, got uint64) error {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return idxErr(path, "truncated: want %d %s, got %d", want, what, got)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return idxErr(path, "corrupt gzip: %v", err)
	default:
		// flate.CorruptInputError (damaged compressed data) and I/O errors.
		return idxErr(path, "corrupt or unreadable: %v", err)
	}
}

// idxHeader reads the magic number and the given number of uint32 dimensions.
func idxHeader(r io.Reader, path string, magic uint32, ndims int) ([]uint32, error) {
	buf := make([]byte, 4*(1+ndims))
	n, err := io.ReadFull(r, buf)
	if err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, idxErr(path, "empty file")
		}
		return nil, idxReadErr(path, err, "header bytes", uint64(len(buf)), uint64(n))
	}
	if got := binary.BigEndian.Uint32(buf); got != magic {
		return nil, idxErr(path, "bad magic number 0x%08x, want 0x%08x", got, magic)
	}
	dims := make([]uint32, ndims)
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(buf[4*(i+1):])
	}
	return dims, nil
}

// idxPayload reads exactly want bytes and then requires end of stream. For
// gzip input reaching the end also verifies the CRC-32 and length trailer.
func idxPayload(r io.Reader, path, what string, want uint64) ([]uint8, error) {
	if want > idxMaxPayload {
		return nil, idxErr(path, "payload of %d %s exceeds limit %d", want, what, uint64(idxMaxPayload))
	}
	// Allocate the whole payload at once when it is modest (MNIST train is
	// 47 MB); otherwise grow as bytes actually arrive, so a lying header on a
	// short file cannot force a multi-GB allocation.
	data := make([]uint8, 0, min(want, idxChunk))
	for uint64(len(data)) < want {
		if len(data) == cap(data) {
			next := min(want, uint64(2*cap(data)))
			grown := make([]uint8, len(data), next)
			copy(grown, data)
			data = grown
		}
		end := min(uint64(cap(data)), want)
		n, err := io.ReadFull(r, data[len(data):end])
		data = data[:len(data)+n]
		if err != nil {
			return nil, idxReadErr(path, err, what, want, uint64(len(data)))
		}
	}
	var one [1]byte
	n, err := io.ReadFull(r, one[:])
	switch {
	case n > 0:
		return nil, idxErr(path, "trailing data after %d %s", want, what)
	case errors.Is(err, io.EOF):
		return data, nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, idxErr(path, "truncated gzip stream: trailer missing after %d %s", want, what)
	default:
		return nil, idxReadErr(path, err, what, want, want)
	}
}

// readIDXImages reads an IDX image file (raw or gzip). It returns the image
// count, the image dimensions and all pixels, n*rows*cols bytes, row-major,
// image after image.
func readIDXImages(path string) (n, rows, cols int, pix []uint8, err error) {
	r, closeFn, err := idxOpen(path)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	defer closeFn()
	dims, err := idxHeader(r, path, idxImagesMagic, 3)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	if dims[1] == 0 || dims[1] > idxMaxDim || dims[2] == 0 || dims[2] > idxMaxDim {
		return 0, 0, 0, nil, idxErr(path, "implausible image size: rows=%d cols=%d (want 1..%d each)", dims[1], dims[2], idxMaxDim)
	}
	want := uint64(dims[0]) * uint64(dims[1]) * uint64(dims[2])
	pix, err = idxPayload(r, path, "pixel bytes", want)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return int(dims[0]), int(dims[1]), int(dims[2]), pix, nil
}

// readIDXLabels reads an IDX label file (raw or gzip) and checks that every
// label is a class 0..MaxClasses−1.
func readIDXLabels(path string) ([]uint8, error) {
	r, closeFn, err := idxOpen(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	dims, err := idxHeader(r, path, idxLabelsMagic, 1)
	if err != nil {
		return nil, err
	}
	labels, err := idxPayload(r, path, "label bytes", uint64(dims[0]))
	if err != nil {
		return nil, err
	}
	for i, l := range labels {
		if int(l) >= MaxClasses {
			return nil, idxErr(path, "label %d at index %d out of range 0..%d", l, i, MaxClasses-1)
		}
	}
	return labels, nil
}
