package execguard_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/execguard"
)

func guardFor(t *testing.T, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	g, err := guard.New(append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g, logs
}

// Real /bin/sh runs: the vulnerable "sh -c" call creates a marker file when
// the injection gets through; with the check it never starts.
func TestCommandRealShell(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh on this system")
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "owned")
	g, logs := guardFor(t)
	attacks := []string{
		"x; touch " + marker,
		"x && touch " + marker,
		"$(touch " + marker + ")",
		"`touch " + marker + "`",
		"x | touch " + marker,
		"x\ntouch " + marker,
	}
	for _, in := range attacks {
		t.Run(in, func(t *testing.T) {
			inv := &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "name", Value: in}}}
			ctx, end := guard.NewContext(context.Background(), g, inv)
			defer end()
			cmd, err := execguard.Command(ctx, "/bin/sh", "-c", "echo hello "+in)
			if !errors.Is(err, guard.ErrBlocked) || cmd != nil {
				t.Fatalf("Command = %v, %v; want ErrBlocked and no command", cmd, err)
			}
			var be *guard.BlockedError
			if !errors.As(err, &be) || be.Decision.Findings[0].Location != "query.name" {
				t.Fatalf("no BlockedError naming query.name: %v", err)
			}
			// Without the guard the same call runs the attack: the test
			// is about a real injection.
			out, err := execguard.Command(context.Background(), "/bin/sh", "-c", "echo hello "+in)
			if err != nil {
				t.Fatal(err)
			}
			_ = out.Run()
			if _, err := os.Stat(marker); err != nil {
				t.Fatalf("the unguarded attack did not run: %v", err)
			}
			os.Remove(marker)
		})
	}
	if n := logs.FilterField(zap.String("fnguard.source", "sink:exec")).Len(); n != len(attacks) {
		t.Errorf("%d sink:exec log lines, want %d", n, len(attacks))
	}

	benign := []string{"world", "Tom and Jerry", "O'Brien", "a;b|c$(d)"}
	for _, in := range benign {
		inv := &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "name", Value: in}}}
		ctx, end := guard.NewContext(context.Background(), g, inv)
		// Passed as a positional parameter: never an injection.
		cmd, err := execguard.Command(ctx, "/bin/sh", "-c", `printf '%s\n' "$1"`, "sh", in)
		if err != nil {
			t.Fatalf("positional parameter %q blocked: %v", in, err)
		}
		out, err := cmd.Output()
		if err != nil || strings.TrimSpace(string(out)) != in {
			t.Errorf("output %q, %v; want %q", out, err, in)
		}
		end()
	}
}

func TestCommandWithoutInvocation(t *testing.T) {
	cmd, err := execguard.Command(context.Background(), "/bin/sh", "-c", "echo x; echo y")
	if err != nil || cmd == nil {
		t.Fatalf("Command without invocation = %v, %v", cmd, err)
	}
}

func nopLogger() *zap.Logger { return zap.NewNop() }
