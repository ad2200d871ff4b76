package lockdown

import (
	"errors"
	"strconv"
)

// ErrUnavailable is matched (errors.Is) by every *UnavailableError.
var ErrUnavailable = errors.New("lockdown: unavailable")

// ErrInvalidSpec is matched (errors.Is) by every *ParseError.
var ErrInvalidSpec = errors.New("lockdown: invalid spec")

// UnavailableError reports that a lockdown cannot be applied here: not Linux,
// an architecture without a filter definition, or a kernel or sandbox that
// refuses seccomp. Nothing was changed except, possibly, the calling thread's
// no_new_privs bit. Err, when set, is the underlying errno.
type UnavailableError struct {
	Reason string
	Err    error
}

// Error implements error.
func (e *UnavailableError) Error() string {
	s := "lockdown: exec lockdown unavailable: " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unwrap returns the underlying error, e.g. syscall.ENOSYS.
func (e *UnavailableError) Unwrap() error { return e.Err }

// ParseError reports a bad FNGUARD_LOCKDOWN value: Token is the offending
// comma-separated token, Input the whole value.
type ParseError struct {
	Input  string
	Token  string
	Reason string
}

// Error implements error.
func (e *ParseError) Error() string {
	return "lockdown: invalid token " + strconv.Quote(e.Token) + " in " + strconv.Quote(e.Input) + ": " + e.Reason
}

// Is reports whether target is ErrInvalidSpec.
func (e *ParseError) Is(target error) bool { return target == ErrInvalidSpec }
