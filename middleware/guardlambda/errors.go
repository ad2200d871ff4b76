package guardlambda

import "errors"

// ErrNilHandler is returned by every invocation of a handler that
// WrapHandler was given a nil lambda.Handler for.
var ErrNilHandler = errors.New("guardlambda: nil lambda.Handler passed to WrapHandler")

// The other errors an invocation can return are the engine's:
//
//   - *guard.BlockedError (errors.Is guard.ErrBlocked, guard.ErrRejected or
//     guard.ErrFailed) when a non-HTTP event must not reach the handler;
//   - guard.ErrNoGuard when the *guard.Guard is nil;
//   - whatever the handler itself returns.
