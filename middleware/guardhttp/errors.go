package guardhttp

import "github.com/fnguard/fnguard/middleware/internal/httpguard"

// Errors of the middleware. Decisions themselves are not errors here: a
// blocked request is answered (403, 400/413, 503) instead.
var (
	// ErrResponseTooLarge is returned by the ResponseWriter's Write when
	// response scanning (FNGUARD_RESPONSE_SCAN) is on, the response outgrew
	// the buffer limit (FNGUARD_MAX_BODY_BYTES) and the fail mode is closed:
	// the client gets a 503 instead of the response.
	ErrResponseTooLarge = httpguard.ErrResponseTooLarge
	// ErrNilHandler is logged when Handler or Middleware is given a nil
	// http.Handler; every request is then answered 500.
	ErrNilHandler = httpguard.ErrNilHandler
	// ErrProtect wraps a guard.Guard.Protect failure (egress policy or
	// lockdown could not be installed); such requests are answered 503.
	ErrProtect = httpguard.ErrProtect
)

// BodyReadError describes a request body that could not be read to the end;
// the request is rejected with 400 (413 when an outer http.MaxBytesReader
// cut it).
type BodyReadError = httpguard.BodyReadError
