package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
)

// cli runs the command line as the binary would, with isolated user presets.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cliWith(t, context.Background(), strings.NewReader(""), args...)
}

// cliWith is cli with a context (cancel it to interrupt, as SIGINT would) and standard input.
func cliWith(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errb bytes.Buffer
	code = Main(ctx, args, Stdio{In: stdin, Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// checkOneLine is the contract of every error: exit status want, nothing on
// stdout, one line on stderr starting "infomorph-tui CMD: " that mentions
// mention.
func checkOneLine(t testing.TB, cmd string, code, want int, stdout, stderr, mention string) {
	t.Helper()
	if code != want {
		t.Errorf("exit %d, want %d (stderr %q)", code, want, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing", stdout)
	}
	prefix := "infomorph-tui " + cmd + ": "
	if cmd == "" {
		prefix = "infomorph-tui: "
	}
	if !strings.HasPrefix(stderr, prefix) || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr %q, want one line starting with %q", stderr, prefix)
	}
	if !strings.Contains(stderr, mention) {
		t.Errorf("stderr %q does not mention %q", stderr, mention)
	}
}

// tinyData is the small MNIST-shaped set of the command tests (mnisttest.TinySpec).
func tinyData(t *testing.T) string { return mnisttest.TinyDir(t) }
