package guard

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard/egress"
	"github.com/fnguard/fnguard/guard/lockdown"
)

// checkRuntimeConfig validates FNGUARD_EGRESS_ALLOW and FNGUARD_LOCKDOWN at
// New time, so that a typo fails the cold start instead of the first request.
func (g *Guard) checkRuntimeConfig() error {
	if g.egressSet {
		rules, err := egress.ParseAllowList(strings.Join(g.egressAllow, ","))
		if err != nil {
			return &ConfigError{Var: "FNGUARD_EGRESS_ALLOW", Value: strings.Join(g.egressAllow, ","), Want: "host names (with * wildcards), IPs or CIDRs, with optional :port", Err: err}
		}
		g.egressRules = rules
	}
	if g.lockdown != "" {
		spec, err := lockdown.ParseSpec(g.lockdown)
		if err != nil {
			return &ConfigError{Var: "FNGUARD_LOCKDOWN", Value: g.lockdown, Want: "off or exec", Err: err}
		}
		g.lockSpec = spec
	}
	return nil
}

// Protect installs the runtime controls the policy asks for, once per
// process: the egress allowlist on http.DefaultTransport (FNGUARD_EGRESS_ALLOW)
// and process lockdown (FNGUARD_LOCKDOWN=exec). The middlewares call it before
// the first invocation reaches the handler, which is after the function's own
// initialisation; call it yourself to lock down earlier. In block mode a
// lockdown that the platform refuses is an error (and the middlewares fail
// closed); in monitor mode it is logged and the function runs on.
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
		mode := egress.Block
		if g.egressMode == Monitor || g.categoryMode(Egress) == Monitor {
			mode = egress.Monitor
		}
		p, err := egress.New(egress.Config{Allow: g.egressRules, Mode: mode, OnDeny: g.onEgressDenied})
		if err != nil {
			return err
		}
		g.restore = p.Install()
		log.Info("fnguard egress allowlist installed")
	}
	if g.sinkMode != Off {
		g.installSSRF()
	}
	if g.lockdown != "" {
		if err := lockdown.Apply(g.lockSpec); err != nil {
			if errors.Is(err, lockdown.ErrUnavailable) && g.mode == Monitor {
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
func (g *Guard) onEgressDenied(ctx context.Context, d egress.Denial) {
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
	if !lockdown.IsDenied(err) {
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
