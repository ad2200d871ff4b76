package guard

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard/lockdown"
)

// TestReportExecDeniedNotDenied: in this process no exec lockdown is in
// effect, so no error is a denial and nothing is recorded, with a guard or
// without one.
func TestReportExecDeniedNotDenied(t *testing.T) {
	g, logs := newTestGuard(t)
	errs := []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"EPERM without lockdown", &fs.PathError{Op: "fork/exec", Path: "/bin/sh", Err: syscall.EPERM}},
		{"missing program", &fs.PathError{Op: "fork/exec", Path: "/bin/nope", Err: syscall.ENOENT}},
		{"exit status", errors.New("exit status 1")},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if g.ReportExecDenied(context.Background(), tt.err) {
				t.Errorf("ReportExecDenied(%v) = true", tt.err)
			}
			var nilGuard *Guard
			if nilGuard.ReportExecDenied(context.Background(), tt.err) {
				t.Errorf("nil guard: ReportExecDenied(%v) = true", tt.err)
			}
		})
	}
	if n := logs.Len(); n != 0 {
		t.Fatalf("%d log lines for errors that are not denials: %v", n, logs.All())
	}
}

// TestRecordExecDenied checks what a denial leaves behind: the log line and
// the decisions counter, with the program path and never its arguments.
func TestRecordExecDenied(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		wantExcerpt string
		wantReason  string
	}{
		{"os/exec", fmt.Errorf("wc: %w", &fs.PathError{Op: "fork/exec", Path: "/bin/sh", Err: syscall.EPERM}),
			"/bin/sh", "start of /bin/sh refused by the exec lockdown (FNGUARD_LOCKDOWN=exec)"},
		{"syscall.Exec", syscall.EPERM, "", "program start refused by the exec lockdown (FNGUARD_LOCKDOWN=exec)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reader := sdkmetric.NewManualReader()
			g, logs := newTestGuard(t, WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
			g.recordExecDenied(context.Background(), tt.err)

			entries := logs.All()
			if len(entries) != 1 {
				t.Fatalf("%d log lines, want 1: %v", len(entries), entries)
			}
			got := entries[0].ContextMap()
			want := map[string]any{
				"fnguard.action":   "block",
				"fnguard.source":   "lockdown",
				"fnguard.rule":     "lockdown.exec",
				"fnguard.category": "lockdown",
				"fnguard.location": "exec",
				"fnguard.excerpt":  tt.wantExcerpt,
				"fnguard.reason":   tt.wantReason,
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (line %v)", k, got[k], v, got)
				}
			}
			if entries[0].Level != zap.WarnLevel {
				t.Errorf("level %s, want warn", entries[0].Level)
			}
			if n := decisions(t, reader, map[string]string{"action": "block", "category": "lockdown", "source": "lockdown"}); n != 1 {
				t.Errorf("fnguard.decisions{action=block,category=lockdown,source=lockdown} = %d, want 1", n)
			}
		})
	}
}

// decisions returns the fnguard.decisions data point with exactly attrs.
func decisions(t *testing.T, reader *sdkmetric.ManualReader, attrs map[string]string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if m.Name != "fnguard.decisions" || !ok {
				continue
			}
		points:
			for _, dp := range sum.DataPoints {
				if dp.Attributes.Len() != len(attrs) {
					continue
				}
				for k, v := range attrs {
					if got, ok := dp.Attributes.Value(attribute.Key(k)); !ok || got.String() != v {
						continue points
					}
				}
				return dp.Value
			}
		}
	}
	return 0
}

const (
	execHelperEnv = "FNGUARD_GUARD_EXEC_HELPER"
	// execPayload stands for the injected part of a command line: it must
	// never reach the log.
	execPayload = "curl-attacker-example-net-sh-4f1c"

	markExecOK          = "EXEC-HELPER-OK"
	markExecUnavailable = "EXEC-HELPER-UNAVAILABLE: "
	markExecFail        = "EXEC-HELPER-FAIL: "
)

// TestReportExecDeniedHelper is not a test: TestReportExecDeniedUnderLockdown
// re-runs the test binary with execHelperEnv set, and this function then
// locks the throw-away process down through Protect, as the middlewares do,
// and reports a real denial. The lockdown cannot be undone, so it never runs
// inside the main test process.
func TestReportExecDeniedHelper(t *testing.T) {
	if os.Getenv(execHelperEnv) == "" {
		t.Skip("helper process for TestReportExecDeniedUnderLockdown")
	}
	err := reportRealDenial()
	switch {
	case errors.Is(err, lockdown.ErrUnavailable):
		fmt.Println(markExecUnavailable + err.Error())
	case err != nil:
		fmt.Println(markExecFail + err.Error())
	default:
		fmt.Println(markExecOK)
	}
	os.Exit(0) // the verdict is in the output
}

func reportRealDenial() error {
	// The default logger: zap JSON on stdout, as in a function.
	g, err := New(WithoutEnv(), WithLockdown("exec"), WithService("exec-helper"))
	if err != nil {
		return err
	}
	off, err := New(WithoutEnv(), WithMode(Off), WithService("exec-helper-off"))
	if err != nil {
		return err
	}
	if err := g.Protect(); err != nil {
		return err
	}
	_, err = exec.Command("/bin/sh", "-c", "echo "+execPayload).Output()
	if !g.ReportExecDenied(context.Background(), err) {
		return fmt.Errorf("ReportExecDenied(%v) = false under the exec lockdown", err)
	}
	var nilGuard *Guard
	if !nilGuard.ReportExecDenied(context.Background(), err) {
		return fmt.Errorf("nil guard: ReportExecDenied(%v) = false under the exec lockdown", err)
	}
	if !off.ReportExecDenied(context.Background(), err) {
		return fmt.Errorf("guard in mode off: ReportExecDenied(%v) = false under the exec lockdown", err)
	}
	if g.ReportExecDenied(context.Background(), errors.New("exit status 1")) {
		return errors.New("ReportExecDenied(exit status 1) = true")
	}
	return nil
}

// TestReportExecDeniedUnderLockdown applies the exec lockdown through
// Protect in a child process, starts a shell there and checks the one log
// line ReportExecDenied writes for it. Where the kernel or a sandbox refuses
// seccomp, it skips with the reason.
func TestReportExecDeniedUnderLockdown(t *testing.T) {
	if os.Getenv(execHelperEnv) != "" {
		t.Skip("inside the helper")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReportExecDeniedHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), execHelperEnv+"=1")
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case strings.Contains(text, markExecUnavailable):
		line := text[strings.Index(text, markExecUnavailable):]
		t.Skipf("seccomp unavailable on this machine: %s", strings.TrimSpace(strings.SplitN(line, "\n", 2)[0]))
	case strings.Contains(text, markExecOK) && err == nil:
	default:
		t.Fatalf("helper failed (%v):\n%s", err, text)
	}
	if strings.Contains(text, execPayload) {
		t.Errorf("the command line's payload appears in the output:\n%s", text)
	}
	var found []map[string]any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["fnguard.rule"] == "lockdown.exec" {
			found = append(found, m)
		}
	}
	// One line: the nil guard and the guard in mode off record nothing.
	if len(found) != 1 {
		t.Fatalf("%d lockdown.exec log lines, want 1; output:\n%s", len(found), text)
	}
	line := found[0]
	for k, v := range map[string]string{
		"level": "WARN", "service": "exec-helper", "fnguard.action": "block", "fnguard.category": "lockdown",
		"fnguard.location": "exec", "fnguard.excerpt": "/bin/sh", "fnguard.source": "lockdown",
	} {
		if line[k] != v {
			t.Errorf("%s = %v, want %q; line %v", k, line[k], v, line)
		}
	}
}

// Report a program start that FNGUARD_LOCKDOWN=exec refused: the kernel
// itself says nothing. (Not executed here: it starts a program.)
func ExampleGuard_ReportExecDenied() {
	g, err := New() // FNGUARD_LOCKDOWN=exec in the function's environment
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	out, err := exec.CommandContext(ctx, "/usr/bin/pdftotext", "invoice.pdf", "-").Output()
	switch {
	case g.ReportExecDenied(ctx, err): // logged and counted as rule lockdown.exec
		fmt.Println("text extraction is disabled in this function")
	case err != nil:
		fmt.Println("pdftotext:", err)
	default:
		fmt.Printf("%d bytes of text\n", len(out))
	}
}
