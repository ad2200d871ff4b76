package guard

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrBlocked: an attack or a policy violation was found; the handler did not run.
	ErrBlocked = errors.New("fnguard: blocked")
	// ErrRejected: the event was malformed or exceeded a limit; the handler did not run.
	ErrRejected = errors.New("fnguard: rejected")
	// ErrFailed: inspection failed internally and the fail mode is closed; the handler did not run.
	ErrFailed = errors.New("fnguard: inspection failed")
	// ErrNoGuard: a middleware was given a nil *Guard (typically because
	// guard.New returned an error that was ignored). Every invocation fails
	// closed with this error rather than running unprotected.
	ErrNoGuard = errors.New("fnguard: no guard configured (guard.New failed or was not called); refusing to run the handler unprotected")
)

// BlockedError is returned for an invocation whose handler must not run. It
// carries the whole Decision.
type BlockedError struct {
	Decision Decision
}

func (e *BlockedError) Error() string {
	var b strings.Builder
	b.WriteString("fnguard: ")
	b.WriteString(e.Decision.Action.String())
	if e.Decision.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Decision.Reason)
	}
	return b.String()
}

// Unwrap maps the action to ErrBlocked, ErrRejected or ErrFailed.
func (e *BlockedError) Unwrap() error {
	switch e.Decision.Action {
	case ActionReject:
		return ErrRejected
	case ActionFail:
		return ErrFailed
	default:
		return ErrBlocked
	}
}

// ConfigError reports an invalid option or environment variable. Var is the
// variable (FNGUARD_MODE) or the option (WithMode) that was wrong.
type ConfigError struct {
	Var   string
	Value string
	Want  string // what would have been valid
	Err   error  // underlying cause, if any
}

func (e *ConfigError) Error() string {
	s := fmt.Sprintf("fnguard: %s=%q: ", e.Var, e.Value)
	if e.Want != "" {
		s += "want " + e.Want
		if e.Err != nil {
			s += ": " + e.Err.Error()
		}
		return s
	}
	if e.Err != nil {
		return s + e.Err.Error()
	}
	return s + "invalid"
}

func (e *ConfigError) Unwrap() error { return e.Err }

// PanicError is what an inspection panic is turned into; it is logged (without
// the payload) and handled according to the fail mode.
type PanicError struct {
	Value any
	Stage string
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("fnguard: panic during %s: %v", e.Stage, e.Value)
}
