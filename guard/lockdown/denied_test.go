package lockdown

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// deniedCases are the errors IsDenied is asked about; denied is the answer
// once the exec lockdown is in effect (before it, every answer is false).
var deniedCases = []struct {
	name   string
	err    error
	denied bool
}{
	{"os/exec start", &fs.PathError{Op: "fork/exec", Path: "/bin/sh", Err: syscall.EPERM}, true},
	{"syscall.Exec", syscall.EPERM, true},
	{"wrapped", fmt.Errorf("running wc: %w", &fs.PathError{Op: "fork/exec", Path: "/usr/bin/wc", Err: syscall.EPERM}), true},
	{"nil", nil, false},
	{"not executable", &fs.PathError{Op: "fork/exec", Path: "/tmp/x", Err: syscall.EACCES}, false},
	{"no such program", &fs.PathError{Op: "fork/exec", Path: "/bin/nope", Err: syscall.ENOENT}, false},
	{"EPERM in text only", errors.New("fork/exec /bin/sh: operation not permitted"), false},
}

// TestIsDeniedWithoutLockdown: in a process without the exec lockdown (this
// one, on every GOOS) an EPERM is somebody else's refusal, not a denial.
func TestIsDeniedWithoutLockdown(t *testing.T) {
	for _, tt := range deniedCases {
		t.Run(tt.name, func(t *testing.T) {
			if IsDenied(tt.err) {
				t.Fatalf("IsDenied(%v) = true without the exec lockdown", tt.err)
			}
		})
	}
}
