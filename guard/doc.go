// Package guard is fnguard's engine: a compiled, immutable protection policy
// that judges one serverless invocation at a time.
//
// Adapters (middleware/guardlambda, middleware/guardgcf, middleware/guardhttp)
// turn a platform event into a source-neutral Invocation and call Run, the
// one entry point that installs the runtime controls, contains panics,
// inspects, applies record-level verdicts and the order of FIFO queues and
// streams, records the decision once and answers through the adapter's
// Exchange (Map, Refuse, Deliver). Inspect, the step in the middle, returns a
// Decision — allow, monitor, block (403), reject (400/413) or fail (503) — with
// the Findings that led to it, each with a rule id, a category, a location such
// as "body.items[2].note" or "query.q", and a short redacted excerpt.
//
// What Inspect does, in order:
//
//   - validates size, element counts, JSON depth, duplicate keys, UTF-8 and
//     that a body is what its content type says (package jsontree);
//   - applies allowlists: source CIDRs, methods, routes, content types, event
//     sources and types, required authorizer claims and scopes, webhook and
//     SNS signatures (package verify);
//   - inspects every client-controlled string and key — path, query, headers,
//     cookies, path parameters, JSON/form/multipart/XML/text bodies, record
//     bodies and attributes — for SQL, NoSQL, LDAP, command and template
//     injection, XSS, path traversal, SSRF, JNDI lookups, prototype pollution
//     and XXE, after decoding URL, HTML, unicode and other escapes
//     (package detect);
//   - optionally sanitises chosen HTML fields (package sanitize, opt-in);
//   - records the decision: a zap JSON log line for anything but a plain
//     allow, an OpenTelemetry span event on the span in the context, and
//     metrics — all redacted (packages telemetry and redact).
//
// Configuration comes from defaults, then FNGUARD_* environment variables
// (see EnvVars), then options; an invalid value is a *ConfigError naming the
// variable and the value, and New never returns a weaker policy than asked.
// A nil *Guard given to a middleware fails every invocation closed
// (ErrNoGuard) rather than running the handler unprotected.
//
// Runtime controls (egress allowlist, process lockdown) are installed by
// Protect; see packages egress and lockdown.
package guard
