// Package guardgcf protects Google Cloud Functions (and Cloud Run functions)
// written with the Functions Framework for Go: HTTP functions and
// CloudEvent functions.
//
//	func init() {
//		g := guard.Must(guard.New()) // a bad FNGUARD_* variable fails the cold start
//		functions.HTTP("Hello", guardgcf.HTTP(g, hello))
//		functions.CloudEvent("ProcessOrder", guardgcf.CloudEvent(g, processOrder))
//	}
//
// The package depends on the CloudEvents SDK's event package only, not on the
// Functions Framework: it wraps plain functions, whatever registers them.
//
// # HTTP functions
//
// HTTP inspects requests exactly like package guardhttp (same mapping, body
// limit, client IP rules, answers and response scanning), with source
// guard.SourceGCFHTTP. The request id is the Function-Execution-Id header.
//
// Behind Google's front end the connection comes from Google, not from the
// client: for address allowlists set FNGUARD_TRUSTED_PROXY_HEADER=X-Forwarded-For,
// with FNGUARD_TRUSTED_HOPS counting the Google proxies that append to it
// (1 when the function is called on its own URL; 2 behind an external
// Application Load Balancer, which appends its own address). Entries to the
// left of those are written by the client and never trusted.
//
// # CloudEvent functions
//
// CloudEvent builds one guard.Record from the event (ID = ce-id,
// EventSource = ce-source, EventType = ce-type) and inspects:
//
//   - the context attributes id, source, type, subject, dataschema and every
//     extension (except traceparent and tracestate, which give the trace id),
//     at records[0].<name> (records[0].extensions.<name>);
//   - the data, by event type:
//
// Pub/Sub (google.cloud.pubsub.topic.v1.messagePublished, source
// guard.SourcePubSub), data {"message":{"data":"<base64>","attributes":{...},
// ...},"subscription":"..."}: message.data is base64-decoded exactly as
// encoding/json decodes a []byte field (standard alphabet, padded) and
// inspected at records[0].body, as JSON when it parses as JSON and as text
// otherwise; message.data that is not a valid base64 string is a 400
// rejection (rule validation.pubsub_base64). The rest of the envelope —
// attribute names and values, orderingKey, subscription and anything else —
// is walked as JSON at records[0].data (e.g.
// records[0].data.message.attributes.kind). Data that is not a JSON object
// with a message object is a 400 rejection (validation.pubsub_envelope).
//
// Cloud Storage (google.cloud.storage.object.v1.*: finalized, deleted,
// archived, metadataUpdated; source guard.SourceStorage): the object
// resource is inspected at records[0].body, so the object name is checked
// at records[0].body.name (path traversal, injection) and the subject
// ("objects/<name>") at records[0].subject. A data.bucket that differs from
// the bucket of ce-source is a 400 rejection
// (validation.storage_bucket_mismatch), so that the allowlist below judges
// the bucket the handler will read.
//
// Firestore (google.cloud.firestore.document.v1.*, guard.SourceFirestore):
// protobuf data (DocumentEventData in wire format, what Firestore sends) is
// walked by the engine's protobuf decoder, bounded, every string inspected
// (document names, field names, string values, nested maps and arrays) at
// records[0].data<protobuf>...; JSON data is walked as JSON. Cloud Scheduler
// (google.cloud.scheduler.job.v1.executed, guard.SourceScheduler): the
// base64 customData is decoded and inspected like a body at
// records[0].data.customData<base64>. Firebase Realtime Database
// (guard.SourceFirebaseDatabase), Firebase Auth (guard.SourceFirebaseAuth),
// Audit Logs (guard.SourceAuditLog) and Cloud Build
// (guard.SourceCloudBuild) events have their data walked as JSON under
// their own source (for allowlists and telemetry).
//
// Any other CloudEvent (source guard.SourceCloudEvent): the data is inspected
// at records[0].body according to datacontenttype: JSON (application/json,
// *+json) must be valid JSON and is walked, other types are inspected as
// JSON when they parse as JSON and as text otherwise; protobuf data of
// other products is treated as binary (inspected only when it is valid
// UTF-8).
//
// Data larger than FNGUARD_MAX_BODY_BYTES (after base64 decoding for
// Pub/Sub) is a 413 rejection.
//
// # Allowlists
//
// FNGUARD_ALLOW_EVENT_SOURCES globs are matched against ce-source, where '*'
// matches any run of characters (slashes included):
//
//	Pub/Sub         //pubsub.googleapis.com/projects/<project>/topics/<topic>
//	Cloud Storage   //storage.googleapis.com/projects/_/buckets/<bucket>
//	Eventarc/other  whatever the producer sets, e.g. //firestore.googleapis.com/projects/<p>/databases/(default)
//
// so "//storage.googleapis.com/projects/_/buckets/uploads-*" admits the
// buckets whose name starts with uploads-, and "*/topics/orders" the topic
// orders of any project. FNGUARD_ALLOW_EVENT_TYPES globs are matched against
// ce-type, e.g. "google.cloud.storage.object.v1.finalized" or
// "google.cloud.pubsub.topic.v1.*". An event outside an allowlist is blocked.
//
// # Blocked events: retry or drop
//
// A blocked or rejected event does not reach the function. By default
// CloudEvent returns the decision as an error (a *guard.BlockedError that
// matches guard.ErrBlocked or guard.ErrRejected): the Functions Framework
// answers non-2xx, so Pub/Sub and Eventarc redeliver the event with
// backoff and, when the subscription has a dead-letter topic, eventually
// move it there — the attack is kept for forensics and nothing is lost if a
// rule was too strict, at the cost of a few redeliveries (each blocked
// again, and logged again) and of the event sitting in the dead-letter
// topic until someone looks. Without a dead-letter topic, Pub/Sub retries
// until the message expires (7 days by default).
//
// With FNGUARD_ACK_BLOCKED=true, CloudEvent logs the drop and returns nil
// instead: the event is acknowledged and gone. There are no redeliveries,
// but a false positive silently loses a legitimate event, and the only
// trace of an attack is fnguard's log line. Choose it for high-volume
// topics without a dead-letter topic.
//
// An inspection failure with the fail mode closed is always returned as an
// error (guard.ErrFailed), even with FNGUARD_ACK_BLOCKED, so that a healthy
// event is never dropped because fnguard failed.
//
// # Telemetry
//
// Log lines and span events carry the request id (the Function-Execution-Id
// header for HTTP, the event id for CloudEvents), the trace id
// (X-Cloud-Trace-Context or traceparent; the traceparent extension for
// CloudEvents) and the attributes execution_id, k_service, k_revision and
// function_target (from K_SERVICE, K_REVISION and FUNCTION_TARGET).
//
// # Failure
//
// A nil *guard.Guard never runs the function unprotected: HTTP functions
// answer 503 and CloudEvent functions return guard.ErrNoGuard. Runtime
// protections are installed on the first invocation (guard.Guard.Protect);
// if that fails invocations fail closed. Panics in the adapter's own code
// are recovered and handled by the fail mode (FNGUARD_FAIL).
package guardgcf
