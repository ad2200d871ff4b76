package fsguard_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/fsguard"
)

// Real files in a temp dir: a public directory and a secret next to it.
func TestOpenRealFiles(t *testing.T) {
	root := t.TempDir()
	pub := filepath.Join(root, "public")
	if err := os.MkdirAll(filepath.Join(pub, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(pub, "docs", "readme.txt"), []byte("hello"), 0o644))
	secret := filepath.Join(root, "secret.txt")
	must(t, os.WriteFile(secret, []byte("s3cr3t"), 0o600))

	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	must(t, err)
	open := func(in string, path func(string) string) (*os.File, error) {
		inv := &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "file", Value: in}}}
		ctx, end := guard.NewContext(context.Background(), g, inv)
		defer end()
		return fsguard.Open(ctx, path(in))
	}
	join := func(in string) string { return filepath.Join(pub, in) }
	concat := func(in string) string { return pub + "/" + in }
	asIs := func(in string) string { return in }

	for _, c := range []struct {
		name  string
		in    string
		build func(string) string
	}{
		{"joined", "../secret.txt", join},
		{"concatenated", "docs/../../secret.txt", concat},
		{"absolute", secret, asIs},
		{"nul", "docs/readme.txt\x00", concat},
	} {
		t.Run("attack/"+c.name, func(t *testing.T) {
			// Unchecked, the path really reaches the secret (except NUL,
			// which the kernel refuses): the case is a real traversal.
			if c.name != "nul" {
				b, err := os.ReadFile(c.build(c.in))
				if err != nil || string(b) != "s3cr3t" {
					t.Fatalf("unchecked read = %q, %v", b, err)
				}
			}
			f, err := open(c.in, c.build)
			if !errors.Is(err, guard.ErrBlocked) || f != nil {
				t.Fatalf("Open = %v, %v; want ErrBlocked", f, err)
			}
		})
	}
	for _, in := range []string{"docs/readme.txt", "docs/./readme.txt", "docs/../docs/readme.txt"} {
		t.Run("benign/"+in, func(t *testing.T) {
			f, err := open(in, join)
			if err != nil {
				t.Fatalf("Open(%q) = %v", in, err)
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			if string(b) != "hello" {
				t.Errorf("read %q", b)
			}
		})
	}
	// No invocation: no check.
	f, err := fsguard.Open(context.Background(), secret)
	must(t, err)
	f.Close()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
