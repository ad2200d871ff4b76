// Package guardhttp protects any net/http handler with fnguard: Cloud Run,
// Knative, OpenFaaS, plain servers, and Lambda Function URLs served through
// aws-lambda-go's lambdaurl.
//
//	g, err := guard.New()
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.ListenAndServe(":8080", guardhttp.Handler(g, mux))
//
// or, with a router, as middleware: r.Use(guardhttp.Middleware(g)). Put
// tracing middleware such as otelhttp outside (before) it, so that fnguard's
// span event lands on the request's server span.
//
// # What is inspected
//
// Every request becomes a guard.Invocation with source guard.SourceHTTP:
//
//   - the method and the path as sent, still escaped (URL.EscapedPath), so
//     that encoded traversal such as /files/..%2f..%2fetc%2fpasswd is seen;
//     FNGUARD_ALLOW_ROUTES globs are matched against this path;
//   - query parameters from URL.RawQuery, names and values, decoded like
//     form values, one parameter per value; a part with a malformed escape
//     ("%zz") is inspected as raw text instead of being dropped;
//   - every header value (names lower-cased) and each cookie of the Cookie
//     headers (parsed leniently: nothing is dropped). The Host is left out:
//     net/http only accepts syntactically valid hosts, which carry no
//     injection, and the server's own name (127.0.0.1:8080, an internal
//     name behind a proxy) is not an SSRF target; X-Forwarded-Host is
//     inspected;
//   - for the protocol checks (category protocol): r.Proto, the raw query
//     string, the path as sent when it holds a raw '#', and the
//     Transfer-Encoding net/http moved out of the header map. What
//     net/http refuses itself never reaches the middleware: a malformed
//     Content-Length or request line, a Transfer-Encoding other than
//     chunked (501), NUL, CR or LF in a header, HTTP/0.9 and HTTP/2+ on an
//     HTTP/1 connection (505), a missing Host on HTTP/1.1; and a request
//     with both Content-Length and chunked Transfer-Encoding arrives
//     without its Content-Length (RFC 9112 6.3), read by the chunks;
//   - the body, read up to FNGUARD_MAX_BODY_BYTES+1 bytes: a body over the
//     limit is refused with 413 without reading the rest (a Content-Length
//     over the limit is refused before reading anything). The handler then
//     reads the body again from memory, byte for byte, and r.ContentLength
//     matches it. When the policy sanitises HTML fields
//     (FNGUARD_SANITIZE_HTML), the handler reads the sanitised body.
//
// # Client address
//
// The client IP (for FNGUARD_ALLOW_SOURCE_CIDRS / _DENY_SOURCE_CIDRS and
// logs) is the address of r.RemoteAddr, unless FNGUARD_TRUSTED_PROXY_HEADER
// names a header that trusted proxies set. Then the values of that header
// form a comma-separated list (X-Forwarded-For style) and the entry
// FNGUARD_TRUSTED_HOPS places from the right is the client: with one
// trusted proxy (the default, 1) the last entry, the one that proxy
// appended; entries further left were written by the client and are never
// trusted. RFC 7239 "Forwarded" (for=...) is understood too. A value that is
// not an IP address makes the client unknown, which an address allowlist
// refuses; a request without the header uses RemoteAddr. FNGUARD_TRUSTED_HOPS=0
// means no proxy is trusted and RemoteAddr is used.
//
// # Request ids
//
// The id in logs and in fnguard's answers is the Lambda request id (through
// lambdaurl), X-Request-Id, or the trace id of X-Cloud-Trace-Context or
// traceparent, in that order; otherwise a random id. Ids come from the client,
// so only short ids of safe characters are used.
//
// # Answers
//
// When the handler must not run, fnguard answers with
// Content-Type: application/json and
//
//	{"message":"Forbidden","requestId":"..."}
//
// with status 403 (blocked: an attack or a policy violation), 400 "Bad
// Request" or 413 "Payload Too Large" (rejected: malformed or oversized
// input), or 503 "Service Unavailable" (inspection failed and the fail mode
// is closed, runtime protections could not be installed, or no guard). In
// monitor mode the handler always runs and findings are only logged.
//
// # Response scanning
//
// With FNGUARD_RESPONSE_SCAN=block or scrub, responses are buffered (only
// then) and scanned for the function's own credentials and secret-looking
// values: a leaking response becomes a 500, or is sent with the secrets
// masked. A response larger than FNGUARD_MAX_BODY_BYTES cannot be scanned as
// a whole: with the default fail mode (closed) the client gets a 503 and
// the handler's Write returns ErrResponseTooLarge; with FNGUARD_FAIL=open it
// is streamed unscanned and the failure logged. While buffering, Flush is a
// no-op and the connection cannot be hijacked; deadlines set through
// http.ResponseController still apply.
//
// # Failure
//
// guard.New reports configuration errors. A nil *guard.Guard (its error
// ignored) never runs the handler unprotected: every request is answered
// 503. Runtime protections (FNGUARD_EGRESS_ALLOW, FNGUARD_LOCKDOWN) are
// installed on the first request (guard.Guard.Protect); if that fails the
// requests fail closed. A panic inside the middleware's own code is
// recovered and handled by the fail mode (FNGUARD_FAIL); panics in the
// handler are left to net/http.
package guardhttp
