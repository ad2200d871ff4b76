package guard

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// checkRuntimeConfig validates FNGUARD_EGRESS_ALLOW and FNGUARD_LOCKDOWN at
// New time, so that a typo fails the cold start instead of the first request.
//
// Both controls live in their own packages, which register through hooks;
// guard links both (links.go). Should a hook be missing all the same,
// asking for the control is a ConfigError, never a silently missing
// control.
func (g *Guard) checkRuntimeConfig() error {
	if g.egressSet {
		allow := strings.Join(g.egressAllow, ",")
		if hooks.EgressCheck == nil || hooks.EgressInstall == nil {
			return &ConfigError{Var: "FNGUARD_EGRESS_ALLOW", Value: allow,
				Want: `the egress policy linked into the program: add import _ "github.com/fnguard/fnguard/guard/egress"`}
		}
		if err := hooks.EgressCheck(allow); err != nil {
			return &ConfigError{Var: "FNGUARD_EGRESS_ALLOW", Value: allow, Want: "host names (with * wildcards), IPs or CIDRs, with optional :port", Err: err}
		}
	}
	if g.lockdown != "" {
		if hooks.LockdownCheck == nil || hooks.LockdownApply == nil {
			if strings.EqualFold(strings.TrimSpace(g.lockdown), "off") {
				g.lockdown = "" // nothing to apply, nothing to link
				return nil
			}
			return &ConfigError{Var: "FNGUARD_LOCKDOWN", Value: g.lockdown,
				Want: `process lockdown linked into the program: add import _ "github.com/fnguard/fnguard/guard/lockdown"`}
		}
		exec, err := hooks.LockdownCheck(g.lockdown)
		if err != nil {
			return &ConfigError{Var: "FNGUARD_LOCKDOWN", Value: g.lockdown, Want: "off or exec", Err: err}
		}
		g.lockExec = exec
	}
	return nil
}

// Protect installs the runtime controls the policy asks for, once per
// process: the egress allowlist on http.DefaultTransport (FNGUARD_EGRESS_ALLOW)
// and process lockdown (FNGUARD_LOCKDOWN=exec). The middlewares call it before
// the first invocation reaches the handler, which is after the function's own
// initialisation; call it yourself to lock down earlier. In block mode a
// lockdown that the platform refuses is an error (and the middlewares fail
// closed). In monitor mode the lockdown refuses nothing (see ReportExecAttempt
// for how would-be refusals are reported).
func (g *Guard) Protect() error {
	if g == nil {
		return ErrNoGuard
	}
	g.runtimeOnce.Do(func() { g.runtimeErr = g.protect() })
	return g.runtimeErr
}

func (g *Guard) protect() error {
	if g.mode == Off {
		return nil
	}
	log := g.rec.Logger()
	if g.egressSet {
		monitor := g.egressMode == Monitor || g.categoryMode(Egress) == Monitor
		restore, err := hooks.EgressInstall(strings.Join(g.egressAllow, ","), monitor, g.onEgressDenied)
		if err != nil {
			return err
		}
		g.restore = restore
		log.Info("fnguard egress allowlist installed")
	}
	if g.sinkMode != Off {
		g.installSSRF()
	}
	if g.lockdown != "" && g.mode == Monitor {
		// Monitor never changes behaviour: nothing is refused. The
		// would-be refusals are reported by ReportExecAttempt (execguard
		// calls it), and by the kernel's audit log where that needs no
		// change to the process (lockdown.ExecMonitor).
		execMonitor.Store(g)
		msg := "fnguard exec lockdown in monitor mode: nothing is refused; program starts through guard/execguard (or reported with ReportExecAttempt) are logged as would-be refusals"
		if _, err := hooks.LockdownApply(g.lockdown, true); err != nil {
			log.Info(msg, zap.String("fnguard.kernel", g.red.String(err.Error())))
		} else {
			log.Info(msg, zap.String("fnguard.kernel", "execve/execveat logged by seccomp (SECCOMP_RET_LOG)"))
		}
		return nil
	}
	if g.lockdown != "" {
		if unavailable, err := hooks.LockdownApply(g.lockdown, false); err != nil {
			if unavailable && g.mode == Monitor {
				log.Warn("fnguard lockdown unavailable; continuing in monitor mode", zap.String("fnguard.reason", g.red.String(err.Error())))
				return nil
			}
			return err
		}
		log.Info("fnguard process lockdown applied")
	}
	return nil
}

// onEgressDenied turns a denied outbound connection into a logged, counted
// finding.
func (g *Guard) onEgressDenied(ctx context.Context, d hooks.EgressDenial) {
	act := ActionBlock
	if d.Monitored {
		act = ActionMonitor
	}
	dest := d.Host
	if d.Addr.IsValid() {
		if dest != "" {
			dest += " "
		}
		dest += d.Addr.String()
	}
	dec := Decision{Action: act, Reason: "outbound connection to " + dest + " denied: " + d.Reason,
		Findings: []Finding{{Rule: "egress.denied", Category: Egress, Location: "egress." + d.Network, Excerpt: g.excerpt(dest), Action: act, Record: -1}}}
	if act == ActionBlock {
		dec.Status = 403
	}
	g.record(ctx, &Invocation{Source: "egress"}, &dec, 0)
}

// Lockdown is the category of the findings ReportExecDenied records: a
// program start that the exec lockdown (FNGUARD_LOCKDOWN=exec) refused. It
// has no mode of its own, as the refusal has already happened, so it is not
// a category FNGUARD_CATEGORY_MODES accepts.
const Lockdown Category = "lockdown"

// ruleExecDenied is the stable rule id of an exec lockdown denial.
const ruleExecDenied = "lockdown.exec"

// ReportExecDenied reports whether err, the error of a program start
// (exec.Cmd's Start, Run, Output..., syscall.Exec, os.StartProcess), means
// that the exec lockdown refused it (see lockdown.IsDenied), and if so
// records it as fnguard records a blocked request: one redacted log line,
// the fnguard.decisions counter and an event on the span in ctx, with action
// "block", category "lockdown", rule "lockdown.exec", location "exec" and
// source "lockdown". The excerpt is the program's path when err carries one
// (an *fs.PathError, as from os/exec); the arguments never appear, as they
// hold the payload of a command injection.
//
// The kernel refuses silently, so this is the only trace an exec denial
// leaves: call it wherever the function starts programs, and answer with an
// error when it returns true:
//
//	out, err := exec.CommandContext(ctx, "/usr/bin/wc", "-l", path).Output()
//	if g.ReportExecDenied(ctx, err) {
//		return errorResponse(500, "line counting is disabled here")
//	}
//
// It is safe for concurrent use. A nil Guard, and a guard whose mode is off,
// record nothing but still report whether err is a denial.
func (g *Guard) ReportExecDenied(ctx context.Context, err error) bool {
	if hooks.LockdownIsDenied == nil || !hooks.LockdownIsDenied(err) {
		return false
	}
	if g != nil && g.mode != Off {
		g.recordExecDenied(ctx, err)
	}
	return true
}

// recordExecDenied logs and counts an exec that the lockdown refused.
func (g *Guard) recordExecDenied(ctx context.Context, err error) {
	var prog string
	var pe *fs.PathError
	if errors.As(err, &pe) {
		prog = pe.Path
	}
	what := "program start"
	if prog != "" {
		what = "start of " + g.excerpt(prog)
	}
	dec := Decision{Action: ActionBlock, Reason: what + " refused by the exec lockdown (FNGUARD_LOCKDOWN=exec)",
		Findings: []Finding{{Rule: ruleExecDenied, Category: Lockdown, Location: "exec", Excerpt: g.excerpt(prog), Action: ActionBlock, Record: -1}}}
	g.record(ctx, &Invocation{Source: "lockdown"}, &dec, 0)
}

// ExecLockdown reports the exec lockdown the policy configures
// (FNGUARD_LOCKDOWN=exec): Block when program starts are refused (once
// Protect has applied it; lockdown.IsDenied tells a refused start), Monitor
// when FNGUARD_MODE=monitor turns it into reporting only, Off when there is
// none, the guard is off or nil.
func (g *Guard) ExecLockdown() Mode {
	if g == nil || g.mode == Off || !g.lockExec {
		return Off
	}
	if g.mode == Monitor {
		return Monitor
	}
	return Block
}

// ReportExecAttempt records a program start that the exec lockdown would
// refuse in block mode, when it runs in monitor mode (ExecLockdown() ==
// Monitor), where nothing is refused and the kernel says nothing the
// function can see: one redacted log line, the fnguard.decisions counter and
// a span event, with action "monitor", category "lockdown", rule
// "lockdown.exec", location "exec" and source "lockdown". The excerpt is
// program (a path or name), never the arguments. It returns whether it
// recorded the start; in block mode it records nothing, as the kernel
// refuses the start and ReportExecDenied reports it.
//
// guard/execguard calls it before every program start; code that starts
// programs with os/exec directly calls it itself:
//
//	g.ReportExecAttempt(ctx, "/usr/bin/wc")
//	out, err := exec.CommandContext(ctx, "/usr/bin/wc", "-l", path).Output()
//	if g.ReportExecDenied(ctx, err) { ... }
//
// What monitor mode cannot see: starts that go through neither (injected
// code, a library calling os/exec), except in the kernel's audit log where
// lockdown.ExecMonitor could load its logging filter.
func (g *Guard) ReportExecAttempt(ctx context.Context, program string) bool {
	if g.ExecLockdown() != Monitor {
		return false
	}
	what := "program start"
	if program != "" {
		what = "start of " + g.excerpt(program)
	}
	dec := Decision{Action: ActionMonitor, Reason: what + " would be refused by the exec lockdown (FNGUARD_LOCKDOWN=exec, monitor mode)",
		Findings: []Finding{{Rule: ruleExecDenied, Category: Lockdown, Location: "exec", Excerpt: g.excerpt(program), Action: ActionMonitor, Record: -1}}}
	g.record(ctx, &Invocation{Source: "lockdown"}, &dec, 0)
	return true
}

// execMonitor is the guard whose Protect put the exec lockdown in monitor
// mode: process-wide, as the lockdown itself is.
var execMonitor atomic.Pointer[Guard]

// ReportExecStart is ReportExecAttempt for code without a *Guard at hand:
// it reports through the guard whose Protect put the exec lockdown
// (FNGUARD_LOCKDOWN=exec) in monitor mode, if any, and returns whether it
// recorded the start. guard/execguard calls it for every command it lets
// through.
func ReportExecStart(ctx context.Context, program string) bool {
	g := execMonitor.Load()
	if g == nil {
		return false
	}
	return g.ReportExecAttempt(ctx, program)
}
