package guard

import (
	"net/netip"

	"github.com/fnguard/fnguard/guard/verify"
)

// Source names the kind of event that triggered an invocation. Adapters set
// it; policies (allowlists, blocking semantics) and telemetry use it.
type Source string

// Event sources known to fnguard. The string values appear in logs
// (fnguard.source) and metrics.
const (
	SourceAPIGatewayREST Source = "aws:apigateway:rest" // API Gateway REST API (payload v1)
	SourceAPIGatewayHTTP Source = "aws:apigateway:http" // API Gateway HTTP API (payload v2)
	SourceFunctionURL    Source = "aws:lambda:url"      // Lambda Function URL
	SourceALB            Source = "aws:alb"             // Application Load Balancer target
	SourceSQS            Source = "aws:sqs"
	SourceSNS            Source = "aws:sns"
	SourceS3             Source = "aws:s3"
	SourceEventBridge    Source = "aws:eventbridge"
	SourceDynamoDB       Source = "aws:dynamodb"
	SourceKinesis        Source = "aws:kinesis"
	SourceLambdaUnknown  Source = "aws:lambda:unknown" // any other payload, inspected as generic JSON
	SourceHTTP           Source = "http"               // a net/http request (guardhttp, Cloud Run, Knative...)
	SourceGCFHTTP        Source = "gcp:functions:http" // Cloud Functions HTTP function
	SourceCloudEvent     Source = "gcp:cloudevent"     // any other CloudEvent
	SourcePubSub         Source = "gcp:pubsub"         // google.cloud.pubsub.topic.v1.messagePublished
	SourceStorage        Source = "gcp:storage"        // google.cloud.storage.object.v1.*
)

// Further event families, each recognised from its payload's shape and
// answered as its platform expects when blocked (see the adapters'
// documentation).
const (
	SourceAPIGatewayAuthorizer Source = "aws:apigateway:authorizer" // Lambda authorizer (TOKEN, REQUEST; REST and HTTP API)
	SourceAPIGatewayWebSocket  Source = "aws:apigateway:websocket"  // API Gateway WebSocket API ($connect, $disconnect, messages)
	SourceAppSync              Source = "aws:appsync"               // AppSync direct Lambda resolver (single or batch), authorizer, events
	SourceVPCLattice           Source = "aws:vpc-lattice"           // VPC Lattice target (event v1 and v2)
	SourceCognito              Source = "aws:cognito-idp"           // Cognito user pool trigger
	SourceSES                  Source = "aws:ses"                   // SES receipt rule action
	SourceKafka                Source = "aws:kafka"                 // Amazon MSK and self-managed Apache Kafka
	SourceMQ                   Source = "aws:mq"                    // Amazon MQ (ActiveMQ and RabbitMQ)
	SourceFirehose             Source = "aws:firehose"              // Kinesis Data Firehose transformation
	SourceCloudWatchLogs       Source = "aws:logs"                  // CloudWatch Logs subscription
	SourceS3Batch              Source = "aws:s3:batch"              // S3 Batch Operations
	SourceS3ObjectLambda       Source = "aws:s3:object-lambda"      // S3 Object Lambda access point
	SourceCloudFormation       Source = "aws:cloudformation"        // CloudFormation custom resource
	SourceSecretsManager       Source = "aws:secretsmanager"        // Secrets Manager rotation
	SourceBedrockAgent         Source = "aws:bedrock:agent"         // Bedrock agent action group
	SourceLex                  Source = "aws:lex"                   // Lex V1 and V2 code hooks
	SourceConnect              Source = "aws:connect"               // Amazon Connect contact flow
	SourceIoT                  Source = "aws:iot"                   // IoT custom authorizer, provisioning hook, button
	SourceConfig               Source = "aws:config"                // AWS Config rule
	SourceCodeCommit           Source = "aws:codecommit"            // CodeCommit trigger
	SourceTransferFamily       Source = "aws:transfer"              // Transfer Family custom identity provider
	SourceClientVPN            Source = "aws:ec2:clientvpn"         // Client VPN connection handler

	SourceFirestore        Source = "gcp:firestore"         // google.cloud.firestore.document.v1.*
	SourceFirebaseDatabase Source = "gcp:firebase:database" // google.firebase.database.ref.v1.*
	SourceFirebaseAuth     Source = "gcp:firebase:auth"     // google.firebase.auth.user.v1.*
	SourceAuditLog         Source = "gcp:audit"             // google.cloud.audit.log.v1.written
	SourceCloudBuild       Source = "gcp:cloudbuild"        // google.cloud.cloudbuild.build.v1.statusChanged
	SourceScheduler        Source = "gcp:scheduler"         // google.cloud.scheduler.job.v1.executed
)

// IsHTTP reports whether s is an HTTP-style source that expects an HTTP
// response (a block becomes a 403 answer rather than an error).
func (s Source) IsHTTP() bool {
	switch s {
	case SourceAPIGatewayREST, SourceAPIGatewayHTTP, SourceFunctionURL, SourceALB, SourceHTTP, SourceGCFHTTP, SourceVPCLattice:
		return true
	}
	return false
}

// IsBatch reports whether s delivers records that can fail one by one
// (SQS, Kinesis, DynamoDB Streams, Kinesis Firehose, batched AppSync
// resolvers): a poisoned record is reported back as a batch item failure
// (Firehose: a record with result ProcessingFailed; AppSync: an error
// result in the call's place) and the clean ones still reach the handler.
// A single AppSync call has no records and fails whole.
func (s Source) IsBatch() bool {
	return s == SourceSQS || s == SourceKinesis || s == SourceDynamoDB || s == SourceFirehose || s == SourceAppSync
}

// Param is a name/value pair from a request: a header, a query parameter, a
// cookie or a path parameter. Both the name and the value are inspected.
type Param struct {
	Name  string
	Value string
}

// Field is a located string taken from an event envelope, such as an S3
// object key or an EventBridge detail-type. Loc is relative to its parent:
// the invocation, or the record it belongs to.
type Field struct {
	Loc   string // e.g. "s3.object.key", "subject", "messageAttributes.kind"
	Value string
	// JSON marks Value as a JSON document to be walked (EventBridge detail,
	// DynamoDB images, SNS messages that are JSON) instead of one string.
	// It is the same as Kind KindJSON.
	JSON bool
	// Encoding is how the sender or the platform encoded Value (a Kafka
	// value, a CloudWatch Logs batch, a Firehose record): the engine
	// decodes it, bounded by FNGUARD_MAX_BODY_BYTES and a compression
	// ratio cap, and inspects the decoded content (located at
	// Loc+"<base64>", Loc+"<gzip+base64>", ...). A value that does not
	// decode is refused (400 validation.invalid_encoding); one that
	// decodes over the caps is refused with 413.
	Encoding Encoding
	// Kind is what the (decoded) value is: text (the default), a JSON
	// document, a payload to sniff like a body, a GraphQL document or a
	// protobuf message.
	Kind FieldKind
	// ContentType optionally declares the media type of a KindBody value
	// (a Pub/Sub or MQ message's content type); it is sniffed otherwise.
	ContentType string
}

// Encoding names a transfer encoding of a Field value.
type Encoding string

// Encodings the engine decodes. Base64 is accepted in its standard and
// URL-safe alphabets, padded or not, with line breaks.
const (
	EncodingNone       Encoding = ""            // as is
	EncodingBase64     Encoding = "base64"      // base64 text
	EncodingGzip       Encoding = "gzip"        // gzip bytes (RFC 1952)
	EncodingDeflate    Encoding = "deflate"     // zlib (RFC 1950) or raw deflate (RFC 1951) bytes
	EncodingGzipBase64 Encoding = "gzip+base64" // base64 of gzip (CloudWatch Logs "awslogs.data")
)

// FieldKind says what a Field's (decoded) value is.
type FieldKind string

// Field kinds.
const (
	KindText     FieldKind = ""         // one string
	KindJSON     FieldKind = "json"     // a JSON document, walked
	KindBody     FieldKind = "body"     // a payload of any type, parsed like a body: JSON, XML, form, multipart, GraphQL or text (ContentType when set, else sniffed; gzip bytes are decompressed)
	KindGraphQL  FieldKind = "graphql"  // a GraphQL document: argument, variable and directive values are inspected, never the query syntax
	KindProtobuf FieldKind = "protobuf" // a protobuf message in wire format: its strings and nested messages are inspected
)

// Principal is what an authorizer established about the caller. A nil
// *Principal on an Invocation means no authorizer ran.
type Principal struct {
	ID     string            // subject or principal id
	Claims map[string]string // JWT claims or Lambda authorizer context values
	Scopes []string          // OAuth scopes
}

// Invocation is the source-neutral view of one function invocation. Adapters
// (guardlambda, guardgcf, guardhttp) build it from a platform event; Inspect
// judges it. Strings may alias the raw event: Inspect never modifies them.
type Invocation struct {
	Source       Source
	RequestID    string // platform request id (Lambda aws_request_id, GCF execution id, ...)
	FunctionName string
	TraceID      string // X-Ray trace id or Cloud trace context, from the context/headers
	// SpanID is the caller's span in TraceID's trace, as 16 lower-case hex
	// digits, when the header that gave TraceID names one
	// (X-Cloud-Trace-Context's decimal span id converted, or traceparent's
	// parent id); written as logging.googleapis.com/spanId on Google Cloud.
	SpanID string
	Attrs  []Param // extra telemetry context (k_service, function_target, ...); not inspected

	// HTTP-style sources.
	ClientIP netip.Addr // from the event's trusted field; zero when unknown
	Method   string
	// Proto is the HTTP version of the request as the server or front end
	// read it ("HTTP/1.1", "HTTP/2.0"); "" when unknown.
	Proto string
	// RawQuery is the query string as sent, without the '?', when the
	// adapter has it (net/http, HTTP API and function URL events); Query
	// holds its decoded parameters. The protocol checks read its escapes.
	RawQuery    string
	Route       string // API Gateway resource or route key ("GET /orders/{id}"); may be empty
	Path        string
	Headers     []Param // names lower-cased
	Query       []Param // decoded values; one entry per value for multi-value parameters
	Cookies     []Param
	PathParams  []Param
	ContentType string // media type with parameters, as sent
	Body        []byte // decoded body (base64 already undone by the adapter)
	Principal   *Principal

	// Fields are other client-controlled strings in the envelope.
	Fields []Field

	// Records are the items of a batch or notification event (SQS messages,
	// SNS notifications, S3 object records, stream records, a CloudEvent).
	Records []Record

	// Order is how the records of a batch source depend on each other,
	// which decides what a failed record does to the records after it
	// (see Order, WithFIFOScope and WithStreamOrder). Adapters set it;
	// the zero value, OrderNone, lets every record fail alone.
	Order Order
}

// Order is how the records of a batch are ordered.
type Order uint8

const (
	// OrderNone: the records are independent (a standard SQS queue); a
	// failed record fails alone.
	OrderNone Order = iota
	// OrderFIFO: an SQS FIFO queue (an eventSourceARN ending in ".fifo").
	// Record.Group is the MessageGroupId. After the first failed record,
	// every later record of the batch (FIFOScopeBatch, the default) or of
	// the same message group (FIFOScopeGroup) is reported failed too and
	// not handed to the handler, so that the queue delivers them again
	// after the failed one, in order.
	OrderFIFO
	// OrderShard: a Kinesis or DynamoDB stream. Record.Group is the shard.
	// After a failed record, the later records of the same shard are
	// reported failed too and not handed to the handler (Lambda resumes
	// the shard from the first failed sequence number), unless the policy
	// says StreamOrderUnordered.
	OrderShard
)

func (o Order) String() string {
	switch o {
	case OrderFIFO:
		return "fifo"
	case OrderShard:
		return "shard"
	}
	return "none"
}

// Record is one item of a multi-record event.
type Record struct {
	ID          string // message id, sequence number, event id: reported back for batch failures
	EventSource string // the ARN or source the record came from (queue ARN, topic ARN, bucket ARN, stream ARN, ce-source)
	EventType   string // event name / detail-type / ce-type, for event-type allowlists
	// Account is the AWS account the record was sent from, when the event
	// says so outside an ARN (EventBridge's "account"). For ARN sources
	// (SQS, SNS, DynamoDB, Kinesis) the engine reads the account from
	// EventSource; see WithAllowEventSources.
	Account     string
	Body        []byte // payload, inspected as JSON when ContentType says so or it parses as JSON, else as text
	ContentType string
	Fields      []Field
	SNS         *SNSMessage // set for SNS notifications, so their signature can be verified

	// Group is the ordering group of the record within an ordered batch
	// (Invocation.Order): the MessageGroupId of an SQS FIFO message, the
	// shard of a stream record. Records of one group are processed in
	// their order in Records.
	Group string

	// Rejection, set by an adapter, is why the record could not be read
	// (an attribute that is not valid base64, a malformed encoding). The
	// record fails alone, as a record that the engine finds malformed
	// does (a batch item failure for batch sources; the whole event for
	// the others); its Location is relative to the record.
	Rejection *Rejection
}

// SNSMessage holds the fields of an SNS notification that its signature
// covers; see package verify.
type SNSMessage = verify.SNSMessage

// Header returns the first value of the header with the given lower-case
// name, or "".
func (inv *Invocation) Header(name string) string {
	for i := range inv.Headers {
		if inv.Headers[i].Name == name {
			return inv.Headers[i].Value
		}
	}
	return ""
}
