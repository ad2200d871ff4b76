// Package leaks holds the seeded-secrets test: secrets of many kinds are
// planted next to attacks in events sent through the real adapters
// (guardlambda behind aws-lambda-go's handler, guardhttp behind a net/http
// server on 127.0.0.1), in block and monitor mode, in upper, lower and
// mixed case, raw, URL-escaped and JSON-escaped, and every channel fnguard
// writes to (stdout, stderr, span events and attributes, metric attributes,
// returned errors and responses) is searched for any piece of them.
//
// It lives outside the library module's packages because it uses the
// OpenTelemetry SDK (an in-memory span recorder and a manual metric reader),
// which the library itself never imports.
//
//	go test ./benchmarks/leaks/ -run TestSeededSecrets -v
package leaks
