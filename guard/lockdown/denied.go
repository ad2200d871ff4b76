package lockdown

import (
	"errors"
	"syscall"
)

// IsDenied reports whether err, the error of a program start (exec.Cmd's
// Start, Run, Output..., syscall.Exec, os.StartProcess), means that the
// exec lockdown refused it: err wraps EPERM, the errno the filter answers execve and
// execveat with (os/exec reports it as "fork/exec /bin/sh: operation not
// permitted", syscall.Exec returns it bare), and [Exec] has succeeded in
// this process. The filter answers before the kernel looks at the file, so
// under the lockdown every start fails this way, even of a missing program.
//
// The kernel refuses silently: nothing is logged, and the caller sees only
// the errno. Code that starts programs uses IsDenied to tell a lockdown
// denial from other failures and report it (guard.(*Guard).ReportExecDenied
// logs and counts it as a finding). An EPERM while no exec lockdown is in
// effect, say from a security module, is not a denial; nor is nil, nor any
// other errno.
func IsDenied(err error) bool {
	return err != nil && execActive() && errors.Is(err, syscall.EPERM)
}
