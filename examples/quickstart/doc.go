// Command quickstart is the first thing to run after cloning fnguard:
//
//	go run ./examples/quickstart
//
// It builds a guard with guard.New, wraps a small API Gateway REST (payload
// v1) handler with guardlambda.Wrap, and invokes the wrapped handler exactly
// as the Lambda runtime would (Invoke with the raw event bytes and a
// lambdacontext carrying the request id) over a handful of embedded sample
// events: everyday requests that merely look suspicious (an Irish surname, a
// sentence that starts with "select", a comment with a bit of HTML) and six
// classic attacks (SQL injection, stored XSS, path traversal, command
// injection, SSRF to the instance metadata service, log4shell).
//
// For every event it prints whether the handler ran or fnguard blocked the
// request, and for blocks the category, rule and location that fnguard wrote
// in its JSON log line. It needs no AWS account, no network and no
// environment variables (the guard is built WithoutEnv), and it exits with
// status 1 if any sample did not get the verdict it is documented to get.
//
// Flags:
//
//	-v   also print the (redacted) JSON log line fnguard wrote for each decision
package main
