//go:build linux

package lockdown

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const helperEnv = "FNGUARD_LOCKDOWN_HELPER"

// Markers the helper prints for the parent.
const (
	markOK          = "LOCKDOWN-OK"
	markUnavailable = "LOCKDOWN-UNAVAILABLE: "
	markFail        = "LOCKDOWN-FAIL: "
)

// TestExecHelper is not a test: TestExecLockdown re-runs the test binary
// with helperEnv set, and this function then applies the lockdown to that
// throw-away process and checks its effects. The lockdown cannot be undone,
// so it never runs inside the main test process.
func TestExecHelper(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("helper process for TestExecLockdown")
	}
	err := lockdownAndCheck()
	var ue *UnavailableError
	switch {
	case errors.As(err, &ue):
		fmt.Println(markUnavailable + err.Error())
	case err != nil:
		fmt.Println(markFail + err.Error())
	default:
		fmt.Println(markOK)
	}
	os.Exit(0) // the verdict is in the output; skip the test framework's
}

func lockdownAndCheck() error {
	if err := exec.Command("/bin/true").Run(); err != nil {
		return fmt.Errorf("/bin/true before lockdown: %v", err)
	}
	before := syscallCost()
	if err := Exec(); err != nil {
		return err // *UnavailableError: the parent skips
	}
	fmt.Printf("getpid(2) cost: %v before, %v after the filter\n", before, syscallCost())
	// Every exec path fails with EPERM.
	err := exec.Command("/bin/true").Run()
	if !errors.Is(err, syscall.EPERM) {
		return fmt.Errorf("os/exec after lockdown = %v, want EPERM", err)
	}
	if !IsDenied(err) {
		return fmt.Errorf("IsDenied(%v) = false for a real lockdown denial", err)
	}
	fmt.Println("os/exec after lockdown:", err)
	if err := exec.Command("/bin/sh", "-c", "echo pwned").Run(); !errors.Is(err, syscall.EPERM) {
		return fmt.Errorf("sh -c after lockdown = %v, want EPERM", err)
	}
	if _, err := exec.Command("/bin/sh", "-c", "echo pwned").Output(); !IsDenied(err) {
		return fmt.Errorf("IsDenied(%v) = false for cmd.Output after lockdown", err)
	}
	// The filter answers before the kernel looks at the file: even a missing
	// program is refused with EPERM. A failure that never reaches execve is
	// not a denial.
	if err := exec.Command("/nonexistent/program").Run(); !IsDenied(err) {
		return fmt.Errorf("IsDenied(%v) = false for a missing program under the lockdown", err)
	}
	if err := exec.Command("").Run(); err == nil || IsDenied(err) {
		return fmt.Errorf("IsDenied(%v) = true for a command that never reached execve", err)
	}
	argv0, _ := unix.BytePtrFromString("/bin/true")
	argv := []*byte{argv0, nil}
	envp := []*byte{nil}
	atFDCWD := unix.AT_FDCWD
	if _, _, errno := unix.Syscall6(unix.SYS_EXECVEAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(argv0)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envp[0])), 0, 0); errno != unix.EPERM {
		return fmt.Errorf("execveat after lockdown = %v, want EPERM", errno)
	}
	if err := syscall.Exec("/bin/true", []string{"true"}, nil); !errors.Is(err, syscall.EPERM) || !IsDenied(err) {
		return fmt.Errorf("syscall.Exec after lockdown = %v (IsDenied %v), want EPERM", err, IsDenied(err))
	}
	if runtime.GOARCH == "amd64" {
		// x32 ABI getpid: ENOSYS on kernels without x32, EPERM under the filter.
		if _, _, errno := unix.RawSyscall(x32SyscallBit|39, 0, 0, 0); errno != unix.EPERM {
			return fmt.Errorf("x32 syscall after lockdown = %v, want EPERM", errno)
		}
	}
	if err := Exec(); err != nil {
		return fmt.Errorf("second Exec (must be idempotent): %v", err)
	}

	// TSYNC: every existing thread carries the filter.
	if err := allThreadsFiltered(); err != nil {
		return err
	}
	// Threads created after the lockdown inherit it, and exec fails there too.
	if err := newThreadsFiltered(8); err != nil {
		return err
	}
	// The Go runtime keeps working.
	return runtimeWorks()
}

// syscallCost measures one raw system call (bounded: 100k iterations).
func syscallCost() time.Duration {
	const n = 100000
	start := time.Now()
	for range n {
		unix.Getppid()
	}
	return time.Since(start) / n
}

func allThreadsFiltered() error {
	tasks, err := filepath.Glob("/proc/self/task/*/status")
	if err != nil || len(tasks) == 0 {
		return fmt.Errorf("listing threads: %v (%d found)", err, len(tasks))
	}
	for _, st := range tasks {
		mode, err := seccompModeOf(st)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // thread exited meanwhile
			}
			return err
		}
		if mode != "2" {
			return fmt.Errorf("%s: Seccomp %s, want 2 (filter) on every thread", st, mode)
		}
	}
	fmt.Printf("threads filtered: %d\n", len(tasks))
	return nil
}

func newThreadsFiltered(n int) error {
	errs := make(chan error, n)
	release := make(chan struct{})
	for range n {
		go func() {
			// A goroutine locked to its thread keeps that thread to itself, so
			// n of them at once need n threads, some of them new.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			mode, err := seccompModeOf("/proc/thread-self/status")
			if err == nil && mode != "2" {
				err = fmt.Errorf("thread %d: Seccomp %s, want 2", unix.Gettid(), mode)
			}
			if err == nil {
				if xerr := exec.Command("/bin/true").Run(); !errors.Is(xerr, syscall.EPERM) {
					err = fmt.Errorf("exec on thread %d = %v, want EPERM", unix.Gettid(), xerr)
				}
			}
			errs <- err
			<-release
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	close(release)
	return first
}

func runtimeWorks() error {
	// Goroutines and timers.
	const workers = 200
	var wg sync.WaitGroup
	results := make(chan int, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			timer := time.NewTimer(time.Duration(i%10) * time.Millisecond)
			<-timer.C
			results <- i
		}()
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	if want := workers * (workers - 1) / 2; sum != want {
		return fmt.Errorf("goroutine results sum %d, want %d", sum, want)
	}
	runtime.GC()

	// A TCP round trip on 127.0.0.1.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen after lockdown: %v", err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(c, io.LimitReader(c, 4))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		return fmt.Errorf("dial after lockdown: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("ping")); err != nil {
		return fmt.Errorf("write: %v", err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		return fmt.Errorf("echo = %q, %v", buf, err)
	}
	// Files and the clock.
	if _, err := os.ReadFile("/proc/self/status"); err != nil {
		return fmt.Errorf("read file: %v", err)
	}
	start := time.Now()
	time.Sleep(2 * time.Millisecond)
	if time.Since(start) < 2*time.Millisecond {
		return errors.New("clock did not advance")
	}
	fmt.Println("runtime ok: goroutines, timers, GC, TCP, files")
	return nil
}

func seccompModeOf(statusFile string) (string, error) {
	f, err := os.Open(statusFile)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Seccomp:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s: no Seccomp line", statusFile)
}

// TestExecLockdown applies Exec in a child process and checks that programs
// can run before it and not after, while the Go runtime keeps working. Where
// the kernel or a sandbox refuses seccomp, it skips with the reason.
func TestExecLockdown(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside the helper")
	}
	if _, err := os.Stat("/bin/true"); err != nil {
		t.Skipf("/bin/true not available: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestExecHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case strings.Contains(text, markUnavailable):
		line := text[strings.Index(text, markUnavailable):]
		t.Skipf("seccomp unavailable on this machine: %s", strings.TrimSpace(strings.SplitN(line, "\n", 2)[0]))
	case strings.Contains(text, markOK) && err == nil:
		t.Logf("helper output:\n%s", text)
	default:
		t.Fatalf("lockdown helper failed (%v):\n%s", err, text)
	}
	// The parent is untouched.
	if err := exec.Command("/bin/true").Run(); err != nil {
		t.Fatalf("/bin/true in the parent: %v", err)
	}
}

// stubKernel replaces the kernel entry points for the duration of a test.
func stubKernel(t *testing.T, nnp func() error, load func(*unix.SockFprog) (uintptr, error)) *int {
	t.Helper()
	calls := new(int)
	oldNNP, oldLoad, oldArch := setNoNewPrivs, loadFilter, goarch
	setNoNewPrivs = nnp
	loadFilter = func(p *unix.SockFprog) (uintptr, error) {
		*calls++
		return load(p)
	}
	t.Cleanup(func() {
		setNoNewPrivs, loadFilter, goarch = oldNNP, oldLoad, oldArch
		execMu.Lock()
		execApplied = false
		execMu.Unlock()
	})
	return calls
}

func TestExecUnavailable(t *testing.T) {
	ok := func() error { return nil }
	tests := []struct {
		name   string
		goarch string
		nnp    func() error
		load   func(*unix.SockFprog) (uintptr, error)
		reason string
		errno  error
	}{
		{"no seccomp syscall", "", ok, func(*unix.SockFprog) (uintptr, error) { return 0, unix.ENOSYS }, "no seccomp(2)", unix.ENOSYS},
		{"filter rejected", "", ok, func(*unix.SockFprog) (uintptr, error) { return 0, unix.EINVAL }, "rejected", unix.EINVAL},
		{"sandbox forbids", "", ok, func(*unix.SockFprog) (uintptr, error) { return 0, unix.EPERM }, "sandbox", unix.EPERM},
		{"no privileges", "", ok, func(*unix.SockFprog) (uintptr, error) { return 0, unix.EACCES }, "CAP_SYS_ADMIN", unix.EACCES},
		{"other errno", "", ok, func(*unix.SockFprog) (uintptr, error) { return 0, unix.ENOMEM }, "failed", unix.ENOMEM},
		{"tsync failure", "", ok, func(*unix.SockFprog) (uintptr, error) { return 4242, nil }, "thread 4242", nil},
		{"prctl refused", "", func() error { return unix.EPERM }, nil, "PR_SET_NO_NEW_PRIVS", unix.EPERM},
		{"unsupported arch", "riscv64", ok, nil, "GOARCH=riscv64", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			load := tt.load
			if load == nil {
				load = func(*unix.SockFprog) (uintptr, error) {
					t.Error("filter loaded although an earlier step failed")
					return 0, nil
				}
			}
			calls := stubKernel(t, tt.nnp, load)
			if tt.goarch != "" {
				goarch = tt.goarch
			}
			err := Exec()
			var ue *UnavailableError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUnavailable) {
				t.Fatalf("Exec() = %v, want *UnavailableError", err)
			}
			if !strings.Contains(ue.Reason, tt.reason) {
				t.Fatalf("reason %q, want it to contain %q", ue.Reason, tt.reason)
			}
			if tt.errno != nil && !errors.Is(err, tt.errno) {
				t.Fatalf("%v does not wrap %v", err, tt.errno)
			}
			// A failed attempt is not remembered: the next call tries again.
			before := *calls
			_ = Exec()
			if tt.load != nil && *calls != before+1 {
				t.Fatalf("retry after failure did not reach the kernel")
			}
		})
	}
}

func TestExecIdempotentAndFilterShape(t *testing.T) {
	var loaded *unix.SockFprog
	var insts []unix.SockFilter
	calls := stubKernel(t, func() error { return nil }, func(p *unix.SockFprog) (uintptr, error) {
		loaded = p
		insts = append(insts, unsafe.Slice(p.Filter, int(p.Len))...)
		return 0, nil
	})
	if err := Apply(Spec{}); err != nil || *calls != 0 {
		t.Fatalf("Apply(Spec{}) = %v with %d filter loads, want a no-op", err, *calls)
	}
	for range 3 {
		if err := Apply(Spec{Exec: true}); err != nil {
			t.Fatalf("Apply(exec) = %v", err)
		}
	}
	if *calls != 1 {
		t.Fatalf("filter loaded %d times, want exactly once", *calls)
	}
	if loaded == nil || int(loaded.Len) != len(insts) || len(insts) == 0 {
		t.Fatalf("bad program handed to the kernel: %+v", loaded)
	}
	// The last instruction is the fail-closed "deny" for foreign architectures.
	last := insts[len(insts)-1]
	if last.K != seccompRetErrno|errnoEPERM {
		t.Fatalf("last instruction %+v, want RET ERRNO(EPERM)", last)
	}
}
