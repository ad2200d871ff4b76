package httpguard

import (
	"errors"
	"strconv"
)

// Errors reported to guard.Guard.Fail by the middleware itself.
var (
	// ErrNilHandler: the middleware was given a nil http.Handler. Every
	// request is answered 500 rather than dispatched nowhere.
	ErrNilHandler = errors.New("fnguard: nil http.Handler given to the middleware")
	// ErrResponseTooLarge: response scanning is on and the handler wrote
	// more than the buffer limit (FNGUARD_MAX_BODY_BYTES), so the response
	// could not be scanned as a whole. The fail mode decides: closed answers
	// 503, open streams the response unscanned.
	ErrResponseTooLarge = errors.New("fnguard: response larger than the scan buffer limit (FNGUARD_MAX_BODY_BYTES)")
	// ErrProtect wraps the error of guard.Guard.Protect (egress policy or
	// process lockdown could not be installed): such requests fail closed.
	ErrProtect = errors.New("fnguard: runtime protection could not be installed")
)

// BodyReadError is a request body that could not be read to the end (the
// client went away, or an outer http.MaxBytesReader stopped it). It is
// reported as a 400 rejection (413 for a MaxBytesReader).
type BodyReadError struct {
	Read int64 // bytes read before the error
	Err  error
}

func (e *BodyReadError) Error() string {
	return "reading the request body failed after " + strconv.FormatInt(e.Read, 10) + " bytes: " + e.Err.Error()
}

func (e *BodyReadError) Unwrap() error { return e.Err }
