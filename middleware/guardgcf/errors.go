package guardgcf

import (
	"errors"

	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

// Errors of the middleware. Blocked events are not reported with these:
// CloudEvent returns a *guard.BlockedError (see package guard).
var (
	// ErrNilFunction is returned for every event when CloudEvent was given a
	// nil function, so that the event is retried rather than lost.
	ErrNilFunction = errors.New("fnguard: nil CloudEvent function given to guardgcf.CloudEvent")
	// ErrResponseTooLarge is returned by the ResponseWriter's Write of an
	// HTTP function when response scanning is on and the response outgrew
	// FNGUARD_MAX_BODY_BYTES with the fail mode closed (the client gets 503).
	ErrResponseTooLarge = httpguard.ErrResponseTooLarge
)
