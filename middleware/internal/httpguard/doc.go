// Package httpguard is the net/http machinery shared by the guardhttp and
// guardgcf middlewares. It is internal: users import those packages.
//
// A [Handler] does, for every request:
//
//  1. With a nil *guard.Guard: answer 503 and never call the next handler
//     (guard.ErrNoGuard).
//  2. Install the runtime protections once ([guard.Guard.Protect]); if that
//     fails the request fails closed (503), whatever the fail mode.
//  3. Map the request to a [guard.Invocation] ([Map]): method, escaped path,
//     query parameters (decoded; the raw text when an escape is malformed),
//     headers with lower-case names and one Param per value (not the Host,
//     see [Headers]), cookies, content type, client IP ([ClientIP]), request
//     and trace ids.
//  4. Read the body up to MaxBodyBytes+1 bytes: a body over the limit is
//     rejected (413) before the rest is read.
//  5. Inspect. Blocked (403), rejected (400/413) and failed (503) requests
//     get a small JSON answer ([WriteDecision]) and never reach the handler.
//     Otherwise the handler gets the body back, byte for byte (or the
//     sanitised body when the decision carries one), with a consistent
//     ContentLength.
//  6. When response scanning is on, buffer the response, scan it
//     ([guard.Guard.ScanResponse]) and answer 500 or the scrubbed body.
//
// Panics in this package's own code are recovered and handed to
// [guard.Guard.Fail], so the fail mode decides; panics in the user's handler
// are not touched and propagate as usual.
package httpguard
