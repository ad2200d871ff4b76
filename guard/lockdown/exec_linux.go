//go:build linux

package lockdown

import (
	"errors"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

var (
	execMu      sync.Mutex
	execApplied bool
)

// Indirections for tests of the failure paths; production code never
// changes them.
var (
	goarch = runtime.GOARCH

	setNoNewPrivs = func() error {
		return unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
	}

	// loadFilter installs prog on every thread of the process. A positive
	// result is the ID of a thread TSYNC could not synchronise.
	loadFilter = func(prog *unix.SockFprog) (uintptr, error) {
		r, _, errno := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
			unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(prog)))
		if errno != 0 {
			return 0, errno
		}
		return r, nil
	}
)

// Exec makes every later execve and execveat in this process fail with
// EPERM, on all threads, present and future: os/exec, syscall.Exec and
// injected code alike can no longer start a shell or any other program. It
// sets no_new_privs (required for an unprivileged seccomp filter) and loads a
// seccomp-bpf filter with SECCOMP_FILTER_FLAG_TSYNC. Neither can be undone.
// Exec is idempotent and safe for concurrent use. It returns an
// *UnavailableError (errors.Is ErrUnavailable) when the kernel or a sandbox
// refuses seccomp, or the architecture has no filter definition.
func Exec() error {
	execMu.Lock()
	defer execMu.Unlock()
	if execApplied {
		return nil
	}
	a, ok := archFilters[goarch]
	if !ok {
		return &UnavailableError{Reason: "no seccomp filter definition for GOARCH=" + goarch + " (amd64 and arm64 are supported)"}
	}
	raw, err := bpf.Assemble(execFilter(a))
	if err != nil {
		return errors.New("lockdown: assembling the seccomp filter: " + err.Error())
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, ins := range raw {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	prog := &unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}

	// no_new_privs is per thread and the filter is loaded by the calling
	// thread (TSYNC copies both to the others): both calls must run on the
	// same OS thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := setNoNewPrivs(); err != nil {
		return &UnavailableError{Reason: "prctl(PR_SET_NO_NEW_PRIVS) refused", Err: err}
	}
	tid, err := loadFilter(prog)
	runtime.KeepAlive(filter)
	if err != nil {
		return &UnavailableError{Reason: seccompReason(err), Err: err}
	}
	if tid != 0 {
		return &UnavailableError{Reason: "thread " + strconv.FormatUint(uint64(tid), 10) + " could not be synchronised (SECCOMP_FILTER_FLAG_TSYNC)"}
	}
	execApplied = true
	return nil
}

var monitorApplied bool // ExecMonitor's filter is loaded (guarded by execMu)

// ExecMonitor is the monitor-mode counterpart of Exec: it refuses nothing and
// changes nothing the process can observe. Where the kernel can report
// program starts without a behaviour change, it loads a seccomp filter that
// answers execve and execveat (every ABI, as Exec does) with
// SECCOMP_RET_LOG: the call proceeds, and the kernel writes an audit record
// (type SECCOMP) if its audit log and kernel.seccomp.actions_logged allow it.
// An unprivileged filter needs no_new_privs, which Exec sets but which would
// also stop setuid and file-capability programs from gaining privileges, so
// ExecMonitor loads the filter only when no_new_privs is already in effect
// (some platforms set it) and otherwise returns an *UnavailableError saying
// so, having changed nothing. It also returns one when SECCOMP_RET_LOG is not
// available (Linux before 4.14) or seccomp is refused.
//
// Those kernel records are not visible to a Lambda function or a Cloud
// Function (their kernel log is not exported), so a monitor-mode lockdown
// is reported in process: guard's ReportExecAttempt, called by
// guard/execguard before each program start, records the would-be refusal.
// Programs started by other means (os/exec directly, injected code) are not
// seen in process.
func ExecMonitor() error {
	execMu.Lock()
	defer execMu.Unlock()
	if execApplied || monitorApplied {
		return nil
	}
	a, ok := archFilters[goarch]
	if !ok {
		return &UnavailableError{Reason: "no seccomp filter definition for GOARCH=" + goarch + " (amd64 and arm64 are supported)"}
	}
	nnp, err := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)
	if err != nil {
		return &UnavailableError{Reason: "prctl(PR_GET_NO_NEW_PRIVS) refused", Err: err}
	}
	if nnp != 1 {
		return &UnavailableError{Reason: "logging program starts through seccomp needs no_new_privs, which would change how setuid " +
			"and file-capability programs run; monitor mode changes nothing, so no filter is loaded"}
	}
	action := uint32(seccompRetLog)
	if _, _, errno := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_ACTION_AVAIL, 0, uintptr(unsafe.Pointer(&action))); errno != 0 {
		return &UnavailableError{Reason: "the kernel has no SECCOMP_RET_LOG action (Linux 4.14 or later)", Err: errno}
	}
	raw, err := bpf.Assemble(execFilterAction(a, seccompRetLog))
	if err != nil {
		return errors.New("lockdown: assembling the seccomp filter: " + err.Error())
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, ins := range raw {
		filter[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	prog := &unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	tid, err := loadFilter(prog)
	runtime.KeepAlive(filter)
	if err != nil {
		return &UnavailableError{Reason: seccompReason(err), Err: err}
	}
	if tid != 0 {
		return &UnavailableError{Reason: "thread " + strconv.FormatUint(uint64(tid), 10) + " could not be synchronised (SECCOMP_FILTER_FLAG_TSYNC)"}
	}
	monitorApplied = true
	return nil
}

// execActive reports whether Exec has succeeded in this process.
func execActive() bool {
	execMu.Lock()
	defer execMu.Unlock()
	return execApplied
}

func seccompReason(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSYS):
		return "the kernel has no seccomp(2) system call, or a sandbox hides it"
	case errors.Is(err, syscall.EINVAL):
		return "the kernel rejected the seccomp filter or the TSYNC flag (seccomp filter mode not built in?)"
	case errors.Is(err, syscall.EACCES):
		return "no_new_privs is not in effect and the process lacks CAP_SYS_ADMIN"
	case errors.Is(err, syscall.EPERM):
		return "a sandbox forbids installing seccomp filters"
	}
	return "seccomp(SECCOMP_SET_MODE_FILTER) failed"
}
