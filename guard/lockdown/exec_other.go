//go:build !linux

package lockdown

import "runtime"

// Exec makes every later execve and execveat fail with EPERM. It relies on
// Linux seccomp, so on this GOOS it always returns an *UnavailableError.
func Exec() error {
	return &UnavailableError{Reason: "seccomp requires Linux; GOOS=" + runtime.GOOS}
}

// execActive is always false here: Exec never succeeds on this GOOS.
func execActive() bool { return false }

// ExecMonitor is the monitor-mode counterpart of Exec (see the Linux
// documentation); it relies on Linux seccomp, so on this GOOS it always
// returns an *UnavailableError and changes nothing.
func ExecMonitor() error {
	return &UnavailableError{Reason: "seccomp requires Linux; GOOS=" + runtime.GOOS}
}
