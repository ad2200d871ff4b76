//go:build linux

package lockdown

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestIsDeniedAfterExec: once Exec has succeeded (here against a stubbed
// kernel; TestExecLockdown checks real exec errors), EPERM from a program
// start is a denial and nothing else is.
func TestIsDeniedAfterExec(t *testing.T) {
	stubKernel(t, func() error { return nil }, func(*unix.SockFprog) (uintptr, error) { return 0, nil })
	if err := Exec(); err != nil {
		t.Fatalf("Exec against the stubbed kernel: %v", err)
	}
	for _, tt := range deniedCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsDenied(tt.err); got != tt.denied {
				t.Fatalf("IsDenied(%v) = %v, want %v", tt.err, got, tt.denied)
			}
		})
	}
}

// TestIsDeniedAfterFailedExec: a lockdown the kernel refused is not in
// effect, so an EPERM later is not its doing.
func TestIsDeniedAfterFailedExec(t *testing.T) {
	stubKernel(t, func() error { return nil }, func(*unix.SockFprog) (uintptr, error) { return 0, unix.ENOSYS })
	if err := Exec(); err == nil {
		t.Fatal("Exec succeeded against a kernel without seccomp")
	}
	if IsDenied(unix.EPERM) {
		t.Fatal("IsDenied(EPERM) = true after a failed Exec")
	}
}
