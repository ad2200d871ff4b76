// Package telemetry records fnguard's decisions as zap JSON log lines,
// OpenTelemetry span events and OpenTelemetry metrics, with every string
// redacted on the way out.
//
// A [Recorder] is source-neutral: the engine hands it an [Event] describing
// one inspected invocation (its action, event source, findings, request id,
// trace id, client IP, inspection time...), and Record
//
//   - writes one log line when the decision is not a plain allow, with keys
//     compatible with AWS Lambda Powertools (level, message, timestamp,
//     service, cold_start, function_name, function_request_id,
//     xray_trace_id) plus fnguard.* keys; finding lines are rate-limited by
//     a per-Recorder token bucket, and the next line written reports how
//     many were dropped in fnguard.suppressed;
//   - adds a "fnguard.decision" event to the span found in the context, if
//     it is recording, with semantic-convention attributes (faas.*,
//     cloud.provider, security_rule.*) plus fnguard.*; it never starts a span
//     and never changes the span's status;
//   - counts the decision in the fnguard.decisions counter, the inspection
//     time in the fnguard.inspection.duration histogram (seconds) and cold
//     starts in fnguard.coldstarts. Metric attributes are bounded enums
//     only: action, category and source.
//
// Every string taken from an Event passes through a [redact.Redactor] before
// it reaches a log line or a span: excerpts are masked wholesale when their
// location ends in a secret key (a password field), and scrubbed of bearer
// tokens, JWTs, card numbers, cloud credentials and the like otherwise, then
// cut to 64 bytes.
//
// [RedactCore] is the same protection for an application's own zap logs.
package telemetry
