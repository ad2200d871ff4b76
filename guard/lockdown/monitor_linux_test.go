//go:build linux

package lockdown

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const monitorHelperEnv = "GUARD_LOCKDOWN_MONITOR_HELPER"

// TestExecMonitorHelper is not a test: TestExecMonitor runs the test binary
// again with monitorHelperEnv set; this function calls ExecMonitor without
// no_new_privs (it must change nothing), then sets no_new_privs itself, as
// some platforms do before the function starts, and calls it again (it may
// now load its logging filter), checking each time that programs still start.
func TestExecMonitorHelper(t *testing.T) {
	if os.Getenv(monitorHelperEnv) == "" {
		t.Skip("helper process for TestExecMonitor")
	}
	if err := monitorAndCheck(); err != nil {
		fmt.Println(markFail + err.Error())
	} else {
		fmt.Println(markOK)
	}
	os.Exit(0)
}

func monitorAndCheck() error {
	err := ExecMonitor()
	var ue *UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no_new_privs") {
		return fmt.Errorf("ExecMonitor without no_new_privs = %v, want an *UnavailableError naming no_new_privs", err)
	}
	if nnp, _ := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); nnp != 0 {
		return errors.New("ExecMonitor set no_new_privs: monitor mode changed the process")
	}
	if err := exec.Command("/bin/true").Run(); err != nil {
		return fmt.Errorf("/bin/true after ExecMonitor: %v", err)
	}
	// A platform that runs the function with no_new_privs already set.
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("setting no_new_privs: %v", err)
	}
	err = ExecMonitor()
	runtime.UnlockOSThread()
	switch {
	case errors.As(err, &ue):
		fmt.Println("kernel logging unavailable here:", err)
	case err != nil:
		return fmt.Errorf("ExecMonitor with no_new_privs: %v", err)
	default:
		fmt.Println("SECCOMP_RET_LOG filter loaded")
	}
	for _, argv := range [][]string{{"/bin/true"}, {"/bin/sh", "-c", "echo ok"}} {
		if err := exec.Command(argv[0], argv[1:]...).Run(); err != nil {
			return fmt.Errorf("%v under the monitor filter: %v", argv, err)
		}
	}
	if IsDenied(errors.New("operation not permitted")) {
		return errors.New("IsDenied true without the blocking lockdown")
	}
	return nil
}

// TestExecMonitor: the monitor-mode lockdown never refuses a program start
// and never changes the process (issue 19, item 6).
func TestExecMonitor(t *testing.T) {
	if os.Getenv(monitorHelperEnv) != "" {
		t.Skip("inside the helper")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestExecMonitorHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), monitorHelperEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), markOK) {
		t.Fatalf("helper failed (%v):\n%s", err, out)
	}
	t.Logf("helper:\n%s", out)
}
