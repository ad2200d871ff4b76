package guard

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fnguard/fnguard/guard/lockdown"
)

const monitorHelperEnv = "GUARD_TEST_MONITOR_LOCKDOWN_HELPER"

// TestMonitorLockdownHelper is not a test: TestMonitorLockdownDoesNotBlockExec
// runs the test binary again with monitorHelperEnv set, and this function
// then configures FNGUARD_LOCKDOWN=exec with FNGUARD_MODE=monitor the way a
// function does, calls Protect as the middlewares do, and starts programs.
func TestMonitorLockdownHelper(t *testing.T) {
	if os.Getenv(monitorHelperEnv) == "" {
		t.Skip("helper process for TestMonitorLockdownDoesNotBlockExec")
	}
	if err := monitorHelper(); err != nil {
		fmt.Println(markExecFail + err.Error())
	} else {
		fmt.Println(markExecOK)
	}
	os.Exit(0)
}

func monitorHelper() error {
	os.Setenv("FNGUARD_LOCKDOWN", "exec")
	os.Setenv("FNGUARD_MODE", "monitor")
	g, err := New(WithService("monitor-helper"))
	if err != nil {
		return err
	}
	if err := g.Protect(); err != nil {
		return fmt.Errorf("Protect in monitor mode: %w", err)
	}
	out, err := exec.Command("/bin/sh", "-c", "echo "+execPayload).Output()
	if err != nil {
		return fmt.Errorf("monitor mode refused a child process: %w", err)
	}
	if strings.TrimSpace(string(out)) != execPayload {
		return fmt.Errorf("child output %q", out)
	}
	if got := g.ExecLockdown(); got != Monitor {
		return fmt.Errorf("ExecLockdown() = %v, want monitor", got)
	}
	ctx := context.Background()
	if !ReportExecStart(ctx, "/bin/sh") { // as guard/execguard does
		return errors.New("ReportExecStart recorded nothing in monitor mode")
	}
	blockGuard, err := New(WithoutEnv(), WithLockdown("exec"))
	if err != nil {
		return err
	}
	if blockGuard.ReportExecAttempt(ctx, "/bin/sh") {
		return errors.New("ReportExecAttempt recorded a start for a guard in block mode")
	}
	if g.ReportExecDenied(ctx, err) {
		return errors.New("ReportExecDenied(nil) = true")
	}
	if lockdown.IsDenied(errors.New("x")) {
		return errors.New("lockdown.IsDenied true in monitor mode")
	}
	return nil
}

// TestMonitorLockdownDoesNotBlockExec: FNGUARD_LOCKDOWN=exec with
// FNGUARD_MODE=monitor must not change behaviour: child processes start, and
// the would-be refusal is reported (one monitor line, rule lockdown.exec)
// through ReportExecAttempt (issue 19, item 6).
func TestMonitorLockdownDoesNotBlockExec(t *testing.T) {
	if os.Getenv(monitorHelperEnv) != "" {
		t.Skip("inside the helper")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestMonitorLockdownHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), monitorHelperEnv+"=1")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if !strings.Contains(text, markExecOK) || err != nil {
		t.Fatalf("helper failed (%v):\n%s", err, text)
	}
	var found []map[string]any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["fnguard.rule"] == "lockdown.exec" {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d lockdown.exec lines, want 1 (the attempt); output:\n%s", len(found), text)
	}
	for k, v := range map[string]string{"fnguard.action": "monitor", "fnguard.category": "lockdown", "fnguard.excerpt": "/bin/sh", "service": "monitor-helper"} {
		if found[0][k] != v {
			t.Errorf("%s = %v, want %q; line %v", k, found[0][k], v, found[0])
		}
	}
}
