// Package guardlambda protects AWS Lambda functions with fnguard: every
// invocation payload is parsed (with guard/jsontree, before aws-lambda-go
// decodes it), mapped to a guard.Invocation, judged by the guard, and only
// then handed to the function's handler — or answered the way its event
// source expects a refusal.
//
//	func main() {
//		g, err := guard.New()
//		if err != nil {
//			log.Fatal(err) // a misconfigured guard fails the cold start
//		}
//		lambda.Start(guardlambda.Wrap(g, handler))
//	}
//
// Wrap takes a typed handler func(context.Context, TIn) (TOut, error);
// WrapHandler takes any lambda.Handler (use lambda.NewHandler for the other
// handler signatures lambda.Start accepts).
//
// # Event sources
//
// The source is recognised from the payload's shape; every string a client
// or message producer controls is inspected, with its location:
//
//   - API Gateway REST API (payload 1.0; HTTP APIs with payload 1.0 too):
//     path, headers (names lower-cased; multiValueHeaders, one value at a
//     time), query parameters (multiValueQueryStringParameters), cookies
//     (from the Cookie header), path parameters and the body (base64-decoded
//     when isBase64Encoded; invalid base64 is a 400). The client IP is
//     requestContext.identity.sourceIp; the authorizer
//     (requestContext.authorizer: Cognito claims, a Lambda authorizer's
//     principalId and context, or the IAM caller) becomes guard.Principal;
//     requestContext.protocol is guard.Invocation.Proto (the protocol
//     checks read it; REST events carry no raw query string).
//   - API Gateway HTTP API (payload 2.0) and function URLs (a payload 2.0
//     event whose requestContext.domainName contains ".lambda-url."):
//     rawPath, rawQueryString (decoded, every repeated value; as sent in
//     guard.Invocation.RawQuery), headers, the cookies array, path
//     parameters, body; requestContext.http.sourceIp and .protocol
//     (guard.Invocation.Proto); authorizer jwt (claims, scopes), lambda
//     (context) or iam.
//   - Application Load Balancer (requestContext.elb): like REST, except that
//     the query string is percent-decoded here (ALB passes it on as sent) and
//     the client IP is taken from X-Forwarded-For, guard.TrustedHops() entries
//     from the right (FNGUARD_TRUSTED_HOPS, default 1: the ALB's own entry).
//   - SQS: each message body (walked as JSON when it is JSON) and its
//     message attributes' string (and UTF-8 binary) values. Record ID is the
//     messageId, EventSource the queue ARN.
//   - SNS: Sns.Message (JSON when JSON), Sns.Subject and message attribute
//     values; the fields covered by the signature are handed to the guard
//     for FNGUARD_SNS_VERIFY (both SigningCertUrl and SigningCertURL are
//     understood). EventSource is the topic ARN, EventType the message Type.
//   - S3: the object key, URL-decoded ("+" is a space), the bucket name and
//     the principal id. EventSource is the bucket ARN, EventType the event
//     name (ObjectCreated:Put, ...).
//   - DynamoDB Streams: Keys, NewImage and OldImage are walked as JSON, so
//     every attribute name and every S, N, SS, NS value, nested L and M
//     included, is inspected at a location such as
//     records[0].dynamodb.NewImage.note.S; B and BS values are base64-decoded
//     and inspected when they are text. Record ID is the sequence number.
//   - Kinesis: kinesis.data, base64-decoded, walked as JSON when it is JSON
//     and inspected as text when it is UTF-8 (binary data, such as the gzip of
//     CloudWatch Logs subscriptions, is not); the partition key. Record ID is
//     the sequence number.
//   - EventBridge (an event with detail-type, source and detail): one record
//     whose EventSource is the event's source and EventType its detail-type;
//     detail is walked as JSON, and source, detail-type and resources are
//     inspected too. FNGUARD_ALLOW_EVENT_SOURCES therefore names sources
//     ("com.example.orders", "aws.s3"), and FNGUARD_ALLOW_EVENT_TYPES
//     detail-types. The event's account is the record's Account, which
//     "account:<id>" entries of FNGUARD_ALLOW_EVENT_SOURCES match (a
//     forwarded event from another account is then blocked with rule
//     allowlist.account, as is one that names no account); the account and
//     region are also attached to every log line of the invocation
//     (aws.account_id, aws.region). The account is what the event says:
//     on a bus that accepts events from other accounts, its resource policy
//     decides who may put events there.
//   - Anything else (direct invocations, Step Functions, custom events) is
//     walked whole as one JSON document at location "event".
//
// A payload that is not a single valid JSON document, that nests deeper
// than encoding/json's 10000 levels, or whose envelope repeats a key
// (aws-lambda-go would keep the last occurrence, fnguard reads the first, so
// a repeated key could hide a value from inspection; AWS never sends one),
// is rejected with a *guard.BlockedError that matches guard.ErrRejected.
//
// A recognised event must also decode into its aws-lambda-go struct
// (events.APIGatewayProxyRequest, APIGatewayV2HTTPRequest,
// LambdaFunctionURLRequest, ALBTargetGroupRequest, SQSEvent, SNSEvent,
// S3Event, DynamoDBEvent, KinesisEvent, EventBridgeEvent): every member the
// struct declares is type-checked as encoding/json would decode it (strings,
// int64 numbers such as requestContext.requestTimeEpoch, booleans, string
// maps, RFC 3339 times, base64 or byte arrays, DynamoDB attribute values;
// null is accepted where encoding/json accepts it). A mismatch is refused
// before the handler runs, as a 400 for HTTP sources and a
// *guard.BlockedError matching guard.ErrRejected for the others, with rule
// validation.event_shape and a reason naming the member, e.g.
// "requestContext.requestTimeEpoch: want an integer that fits int64, got a
// 10000-digit number", instead of a json error from aws-lambda-go. A member
// whose name differs from a field's only in letter case ("Body",
// "HTTPMethod") is refused too: encoding/json would decode it into the
// field, but fnguard reads members by their exact names, so its value would
// reach the handler uninspected. An event that is not recognised is
// inspected whole and not type-checked, since its handler's type is unknown.
//
// The trace id comes from the invocation's context (the value aws-lambda-go
// stores under "x-amzn-trace-id"), the request id and function name from
// lambdacontext.
//
// # Event families
//
// Beyond the sources above, the adapter recognises the event families its
// platform sends to Lambda functions (families.go, brokers.go, firehose.go,
// records2.go), each from members its platform always sends, with its
// client-controlled fields located and decoded, and answers a blocked event
// as that platform expects (answers.go; the README's "Event families" table
// lists them): API Gateway authorizers (TOKEN, REQUEST, HTTP API payload
// 1.0 and 2.0, WebSocket $connect) get a Deny IAM policy — for payload 2.0,
// whose event does not say whether the authorizer uses simple responses,
// one document that carries both "isAuthorized": false and the Deny policy;
// WebSocket routes {"statusCode":403}; VPC Lattice an HTTP 403; the AppSync
// authorizer {"isAuthorized":false}; IoT custom authorizers
// {"isAuthenticated":false} and pre-provisioning hooks
// {"allowProvisioning":false}; S3 Batch a PermanentFailure result; Bedrock
// agents an action group response with httpStatusCode 403; CloudFormation
// custom resources a FAILED response sent to the stack's ResponseURL (an
// https URL on an AWS host; the error when it cannot be sent); SES receipt
// rules {"disposition":"STOP_RULE_SET"}; Lex V1 and V2 code hooks the intent
// closed as Failed with a message for the user; Kinesis
// Firehose returns its poisoned records with result "ProcessingFailed"
// next to the handler's answer for the clean ones; a batched AppSync
// resolver answers each poisoned call with an error result in its place,
// {"data":null,"errorMessage":"Forbidden","errorType":"fnguard.Blocked"},
// next to the handler's results for the clean calls (appsync.go). Kafka,
// Amazon MQ, CloudWatch Logs, Cognito triggers, single AppSync resolver
// calls, S3 Object Lambda,
// Secrets Manager, Config, Connect and CodeCommit
// get the *guard.BlockedError. Encoded payloads (Kafka keys and values, MQ
// data, Firehose records, CloudWatch Logs data, gzip Kinesis records) are
// handed to the engine as guard.Field values with their Encoding and Kind,
// so one bounded decoder serves every adapter.
//
// # What a refusal looks like
//
// HTTP events (API Gateway, function URLs, ALB): the handler is not called
// and the function answers with the platform's own response type, status
// 403 (attack or policy), 400 (malformed), 413 (over a limit) or 503
// (inspection failed and FNGUARD_FAIL=closed), header
// Content-Type: application/json and body
// {"message":"Forbidden","requestId":"<aws request id>"}; the invocation
// itself succeeds (nil error), so the client gets that answer and not a 502.
// ALB answers carry statusDescription ("403 Forbidden") and use
// multiValueHeaders when the target group has them on.
//
// SNS, S3, EventBridge and unrecognised events: the invocation fails with
// the decision as a *guard.BlockedError, so that Lambda's retries, dead-letter
// queue and on-failure destination keep the event for analysis.
//
// SQS, Kinesis and DynamoDB Streams batches: when only some records are
// poisoned, the handler is called with a copy of the event holding only the
// clean records (raw JSON, byte for byte; not called at all if none is
// clean), and the poisoned records are reported as
// {"batchItemFailures":[{"itemIdentifier":"<messageId or sequence number>"}]},
// merged with the batchItemFailures of the handler's own response (its other
// fields are kept; a response that is not valid JSON or repeats a key cannot
// carry them reliably, and the invocation then fails with a
// *BatchResponseError so that the whole batch is retried). For this to work the event source mapping MUST have
// ReportBatchItemFailures enabled (FunctionResponseTypes:
// [ReportBatchItemFailures]): without it Lambda ignores the response and
// treats the whole batch as processed, so SQS deletes the poisoned messages
// (they are logged by fnguard, but not kept in a dead-letter queue). A
// record that is malformed (an attribute that is not base64, a member its
// aws-lambda-go struct cannot hold, a string over the limit) is a poisoned
// record too: it fails alone, whether the adapter or the engine finds it.
//
// Order (guard.Order): in an SQS FIFO queue (an eventSourceARN ending in
// ".fifo"), every record after the first failed one — blocked by fnguard,
// or reported in the handler's own batchItemFailures — is reported failed
// too and not handed to the handler, as AWS documents for FIFO partial
// batch responses, so that the queue redelivers them after it, in order
// (FNGUARD_FIFO_SCOPE=group: only the later records of the same
// MessageGroupId). For Kinesis and DynamoDB Streams, Lambda resumes the
// shard from the lowest reported sequence number, so the later records of
// the shard (one shard per invocation: the shard id of Kinesis eventIDs,
// the stream ARN for DynamoDB) are reported failed too and not handed to
// the handler (FNGUARD_STREAM_ORDER=unordered hands them to it; they are
// delivered again anyway, so the handler must then be idempotent). The
// mapping should set a maximum retry count and an on-failure destination. A problem with the event as a
// whole (a payload over the limits, a failed inspection) fails the
// invocation with a *guard.BlockedError and the whole batch is retried.
//
// In monitor mode findings are logged and the handler is always called with
// the original event. When the guard sanitises HTML fields
// (FNGUARD_SANITIZE_HTML), the handler gets the event with the cleaned body
// spliced in (base64 again if it was). With FNGUARD_RESPONSE_SCAN the body
// of HTTP responses is scanned for credentials: block turns the response
// into a 500, scrub masks them.
//
// # Configuration errors and a nil guard
//
// guard.New reports every invalid option or FNGUARD_* variable as a
// *guard.ConfigError: check it and fail the cold start (log.Fatal, or
// guard.Must at package level). If the error is ignored and a nil
// *guard.Guard is wrapped, the wrapper refuses every invocation rather than
// run the handler unprotected: HTTP events get a 503 response, all others
// fail with guard.ErrNoGuard.
//
// The runtime controls of the policy (FNGUARD_EGRESS_ALLOW,
// FNGUARD_LOCKDOWN) are installed by guard.Protect on the first invocation,
// after the function's own initialisation and before its handler runs; if
// they cannot be installed, invocations fail closed (503 / ErrFailed).
package guardlambda
