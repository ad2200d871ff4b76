package guardlambda

import (
	"bytes"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// The type checks of this file make sure that an event the adapter lets
// through also decodes into the aws-lambda-go struct of its source: every
// member that struct declares must hold a JSON value that encoding/json
// decodes into the Go field without error. Otherwise the handler never runs
// and the invocation ends with a raw json error instead of a clear 400 (HTTP
// sources) or a *guard.BlockedError (the others).
//
// The shapes below are transcribed from the struct definitions of
// github.com/aws/aws-lambda-go/events (v1.55.1): APIGatewayProxyRequest,
// APIGatewayV2HTTPRequest, LambdaFunctionURLRequest, ALBTargetGroupRequest,
// SQSEvent, SNSEvent, S3Event, DynamoDBEvent, KinesisEvent and
// EventBridgeEvent. TestShapesMatchEvents compares them with those structs by
// reflection, and TestTypeChecksMatchDecoding checks, over type mutations of
// every member of every fixture, that the adapter rejects an event if and
// only if encoding/json refuses to decode it.
//
// What encoding/json accepts, per Go type:
//
//   - string: a string; int64: a number without fraction or exponent that
//     fits int64 (strconv.ParseInt); bool: true or false;
//   - map[string]string, map[string][]string, []string, structs and
//     pointers to structs: an object (array) whose values (elements) are
//     accepted by the element type;
//   - interface{}: anything, but every number must fit float64
//     (strconv.ParseFloat), map[string]interface{} an object;
//     json.RawMessage: anything;
//   - []byte: a base64 string (checked where the adapter decodes it) or an
//     array of integers from 0 to 255;
//   - time.Time: an RFC 3339 string (time.Time.UnmarshalJSON);
//     events.SecondsEpochTime: a number that fits float64;
//     events.DynamoDBAttributeValue: an object with exactly one type key and
//     a value of that type (events/attributevalue.go);
//   - null, for every type but DynamoDBAttributeValue.
//
// encoding/json matches member names to fields case-insensitively
// (bytes.EqualFold) when no field has the exact name. The adapter reads
// members by their exact names, so a member such as "Body" would hide its
// value from inspection while the handler gets it as Body: such members are
// refused. Duplicate keys are refused by the parse (envelopeLimits).

// jtype is the Go type of a field of an aws-lambda-go event struct, as far
// as decoding is concerned.
type jtype uint8

const (
	tString    jtype = iota + 1 // string, *string
	tInt64                      // int64
	tBool                       // bool
	tStrMap                     // map[string]string
	tStrsMap                    // map[string][]string
	tStrs                       // []string
	tAnyMap                     // map[string]interface{}
	tRaw                        // json.RawMessage
	tTime                       // time.Time
	tEpoch                      // events.SecondsEpochTime
	tBytes                      // []byte
	tBytesList                  // [][]byte
	tStruct                     // a struct or a pointer to one
	tStructMap                  // map[string]<struct>
	tStructs                    // []<struct>
	tDynamoMap                  // map[string]events.DynamoDBAttributeValue
)

// member is one field of an event struct: its JSON name and type.
type member struct {
	name string
	t    jtype
	sub  *shape // for tStruct, tStructMap, tStructs
	// alt is a second spelling, differing only in case, that the adapter
	// reads itself (SNS's SigningCertURL), so it is not refused.
	alt string
}

// shape is an event struct: its fields and, built by newShape, a hash
// index of their names.
type shape struct {
	goType  string // the aws-lambda-go type, for messages and tests
	members []member
	index   [64]uint32 // bit i of index[nameHash(name)] is set for members[i]
}

func newShape(goType string, ms ...member) *shape {
	if len(ms) > 32 {
		panic("guardlambda: shape " + goType + " has more than 32 members")
	}
	s := &shape{goType: goType, members: ms}
	for i, m := range ms {
		s.index[nameHash(m.name)] |= 1 << i
	}
	return s
}

// nameHash spreads the member names of a shape over 64 buckets (length,
// first and last byte), so that an exact lookup is mostly one comparison.
func nameHash(k string) int {
	if k == "" {
		return 0
	}
	return int(uint(len(k))*7+uint(k[0])*3+uint(k[len(k)-1])) & 63
}

// lookup finds the member a key decodes into: the one with exactly that name,
// else one whose name equals it under case folding (exact is false then).
func (s *shape) lookup(k string) (m *member, exact bool) {
	// Most buckets hold one name: that one is compared inline.
	if c := s.index[nameHash(k)]; c != 0 {
		if m := &s.members[bits.TrailingZeros32(c)]; sameName(m.name, k) {
			return m, true
		}
	}
	return s.lookupSlow(k)
}

// lookupSlow is lookup past the first name of the key's bucket.
func (s *shape) lookupSlow(k string) (m *member, exact bool) {
	for c := s.index[nameHash(k)]; c != 0; c &= c - 1 {
		if i := bits.TrailingZeros32(c); s.members[i].name == k {
			return &s.members[i], true
		}
	}
	// Only a name of the same length can fold to an ASCII key; a key with
	// other characters (the Kelvin sign folds to k, the long s to s) may
	// match a longer or shorter name.
	ascii := isASCII(k)
	for i := range s.members {
		if n := s.members[i].name; (!ascii || len(n) == len(k)) && strings.EqualFold(n, k) {
			return &s.members[i], false
		}
	}
	return nil, false
}

// sameName is name == k, a name of 8 to 16 bytes (most) compared as two
// words in line rather than by a call of memequal (for any two short
// strings: header names and values too).
func sameName(name, k string) bool {
	n := len(name)
	if n != len(k) {
		return false
	}
	if n < 8 || n > 16 {
		return name == k
	}
	a, b := unsafe.Pointer(unsafe.StringData(name)), unsafe.Pointer(unsafe.StringData(k))
	return *(*uint64)(a) == *(*uint64)(b) && *(*uint64)(unsafe.Add(a, n-8)) == *(*uint64)(unsafe.Add(b, n-8))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// The event structs of aws-lambda-go/events, one spec per source. They are
// built on first use (shapeOf): a function mostly receives one kind of
// event, and building every table at package init would make each cold
// start touch ~28 KB of fresh memory, which costs page faults. They are
// written as text rather than as Go calls because each call of a builder
// compiled to its own code (about 60 KB of it, plus an equality function
// per member array), where the text is a few KB of read-only data read by
// one small parser (issue 20).
//
// A spec is whitespace-separated tokens: a shape is its Go type, "{", its
// members and "}"; a member is its JSON name, then optionally "/" and a
// second spelling (member.alt), then optionally ":" and its jtype (see
// jtypeNames; none means a string). A member of type struct, structs or
// structmap is followed by the shape of its element.

var shapeSpecs = [...]string{
	kindRESTv1: `events.APIGatewayProxyRequest {
		resource path httpMethod headers:strmap multiValueHeaders:strsmap
		queryStringParameters:strmap multiValueQueryStringParameters:strsmap
		pathParameters:strmap stageVariables:strmap
		requestContext:struct events.APIGatewayProxyRequestContext {
			accountId resourceId operationName stage domainName domainPrefix
			requestId extendedRequestId protocol
			identity:struct events.APIGatewayRequestIdentity {
				cognitoIdentityPoolId accountId cognitoIdentityId caller apiKey
				apiKeyId accessKey sourceIp cognitoAuthenticationType
				cognitoAuthenticationProvider userArn userAgent user
				clientCert:struct events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert {
					clientCertPem issuerDN serialNumber subjectDN
					validity:struct events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCertValidity { notAfter notBefore }
				}
			}
			resourcePath path authorizer:anymap httpMethod requestTime
			requestTimeEpoch:int64 apiId
		}
		body isBase64Encoded:bool
	}`,
	kindHTTPv2: `events.APIGatewayV2HTTPRequest {
		version routeKey rawPath rawQueryString cookies:strs
		headers:strmap queryStringParameters:strmap pathParameters:strmap
		requestContext:struct events.APIGatewayV2HTTPRequestContext {
			routeKey accountId stage requestId
			authorizer:struct events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
				jwt:struct events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription { claims:strmap scopes:strs }
				lambda:anymap
				iam:struct events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription {
					accessKey accountId callerId
					cognitoIdentity:struct events.APIGatewayV2HTTPRequestContextAuthorizerCognitoIdentity { amr:strs identityId identityPoolId }
					principalOrgId userArn userId
				}
			}
			apiId domainName domainPrefix time timeEpoch:int64
			http:struct events.APIGatewayV2HTTPRequestContextHTTPDescription { method path protocol sourceIp userAgent }
			authentication:struct events.APIGatewayV2HTTPRequestContextAuthentication {
				clientCert:struct events.APIGatewayV2HTTPRequestContextAuthenticationClientCert {
					clientCertPem issuerDN serialNumber subjectDN
					validity:struct events.APIGatewayV2HTTPRequestContextAuthenticationClientCertValidity { notAfter notBefore }
				}
			}
		}
		stageVariables:strmap body isBase64Encoded:bool
	}`,
	kindFunctionURL: `events.LambdaFunctionURLRequest {
		version rawPath rawQueryString cookies:strs headers:strmap queryStringParameters:strmap
		requestContext:struct events.LambdaFunctionURLRequestContext {
			accountId requestId
			authorizer:struct events.LambdaFunctionURLRequestContextAuthorizerDescription {
				iam:struct events.LambdaFunctionURLRequestContextAuthorizerIAMDescription { accessKey accountId callerId userArn userId }
			}
			apiId domainName domainPrefix time timeEpoch:int64
			http:struct events.LambdaFunctionURLRequestContextHTTPDescription { method path protocol sourceIp userAgent }
		}
		body isBase64Encoded:bool
	}`,
	kindALB: `events.ALBTargetGroupRequest {
		httpMethod path queryStringParameters:strmap multiValueQueryStringParameters:strsmap
		headers:strmap multiValueHeaders:strsmap
		requestContext:struct events.ALBTargetGroupRequestContext {
			elb:struct events.ELBContext { targetGroupArn }
		}
		isBase64Encoded:bool body
	}`,
	kindSQS: `events.SQSEvent {
		Records:structs events.SQSMessage {
			messageId receiptHandle body md5OfBody md5OfMessageAttributes attributes:strmap
			messageAttributes:structmap events.SQSMessageAttribute {
				stringValue binaryValue:bytes stringListValues:strs binaryListValues:byteslist dataType
			}
			eventSourceARN eventSource awsRegion
		}
	}`,
	kindSNS: `events.SNSEvent {
		Records:structs events.SNSEventRecord {
			EventVersion EventSubscriptionArn EventSource
			Sns:struct events.SNSEntity {
				Signature MessageId Type TopicArn MessageAttributes:anymap SignatureVersion Timestamp:time
				SigningCertUrl/SigningCertURL Message UnsubscribeUrl Subject
			}
		}
	}`,
	// S3Object's UnmarshalJSON decodes its fields and then
	// url.QueryUnescape(key), which the mapping checks.
	kindS3: `events.S3Event {
		Records:structs events.S3EventRecord {
			eventVersion eventSource awsRegion eventTime:time eventName
			userIdentity:struct events.S3UserIdentity { principalId }
			requestParameters:struct events.S3RequestParameters { sourceIPAddress }
			responseElements:strmap
			s3:struct events.S3Entity {
				s3SchemaVersion configurationId
				bucket:struct events.S3Bucket {
					name ownerIdentity:struct events.S3UserIdentity { principalId } arn
				}
				object:struct events.S3Object { key size:int64 urlDecodedKey versionId eTag sequencer }
			}
			glacierEventData:struct events.S3GlacierEventData {
				restoreEventData:struct events.S3RestoreEventData { lifecycleRestorationExpiryTime:time lifecycleRestoreStorageClass }
			}
			restoreEventData:struct events.S3RestoreEventData { lifecycleRestorationExpiryTime:time lifecycleRestoreStorageClass }
			replicationEventData:struct events.S3ReplicationEventData {
				replicationRuleId destinationBucket s3Operation requestTime:time failureReason
			}
			intelligentTieringEventData:struct events.S3IntelligentTieringEventData { destinationAccessTier }
			lifecycleEventData:struct events.S3LifecycleEventData {
				transitionEventData:struct events.S3TransitionEventData { destinationStorageClass }
			}
		}
	}`,
	kindDynamoDB: `events.DynamoDBEvent {
		Records:structs events.DynamoDBEventRecord {
			awsRegion
			dynamodb:struct events.DynamoDBStreamRecord {
				ApproximateCreationDateTime:epoch Keys:dynamomap NewImage:dynamomap
				OldImage:dynamomap SequenceNumber SizeBytes:int64 StreamViewType
			}
			eventID eventName eventSource eventVersion eventSourceARN
			userIdentity:struct events.DynamoDBUserIdentity { type principalId }
		}
	}`,
	kindKinesis: `events.KinesisEvent {
		Records:structs events.KinesisEventRecord {
			awsRegion eventID eventName eventSource eventSourceARN eventVersion invokeIdentityArn
			kinesis:struct events.KinesisRecord {
				approximateArrivalTimestamp:epoch data:bytes encryptionType
				partitionKey sequenceNumber kinesisSchemaVersion
			}
		}
	}`,
	// events.CloudWatchEvent = events.EventBridgeEvent
	kindEventBridge: `events.CloudWatchEvent {
		version id detail-type source account time:time region resources:strs detail:raw
	}`,
}

// jtypeNames are the jtype names of the specs.
var jtypeNames = [...]string{
	tString: "string", tInt64: "int64", tBool: "bool", tStrMap: "strmap", tStrsMap: "strsmap",
	tStrs: "strs", tAnyMap: "anymap", tRaw: "raw", tTime: "time", tEpoch: "epoch", tBytes: "bytes",
	tBytesList: "byteslist", tStruct: "struct", tStructMap: "structmap", tStructs: "structs",
	tDynamoMap: "dynamomap",
}

// parseShape builds the shape a spec describes; a malformed spec panics
// (the specs are constants, and every one is parsed by the tests).
func parseShape(spec string) *shape {
	p := specParser{toks: strings.Fields(spec)}
	s := p.shape()
	if p.i != len(p.toks) {
		panic("guardlambda: shape spec: text after the shape: " + p.toks[p.i])
	}
	return s
}

type specParser struct {
	toks []string
	i    int
}

func (p *specParser) next() string {
	if p.i == len(p.toks) {
		panic("guardlambda: shape spec: unexpected end")
	}
	p.i++
	return p.toks[p.i-1]
}

func (p *specParser) shape() *shape {
	goType := p.next()
	if p.next() != "{" {
		panic("guardlambda: shape spec: want { after " + goType)
	}
	var ms []member
	for {
		tok := p.next()
		if tok == "}" {
			return newShape(goType, ms...)
		}
		name, typ, _ := strings.Cut(tok, ":")
		name, alt, _ := strings.Cut(name, "/")
		m := member{name: name, t: tString, alt: alt}
		if typ != "" {
			m.t = 0
			for t, n := range jtypeNames {
				if n == typ && t != 0 {
					m.t = jtype(t)
				}
			}
			if m.t == 0 {
				panic("guardlambda: shape spec: unknown type " + typ + " of " + goType + "." + name)
			}
		}
		if m.t == tStruct || m.t == tStructs || m.t == tStructMap {
			m.sub = p.shape()
		}
		ms = append(ms, m)
	}
}

// shapes caches what parseShape built.
var shapes [len(shapeSpecs)]struct {
	once sync.Once
	s    *shape
}

// shapeOf returns the struct events of kind k decode into (nil for
// kindUnknown), building it on first use.
func shapeOf(k kind) *shape {
	if int(k) >= len(shapeSpecs) || shapeSpecs[k] == "" {
		return nil
	}
	e := &shapes[k]
	e.once.Do(func() { e.s = parseShape(shapeSpecs[k]) })
	return e.s
}

// pathSeg is one step of the location of a type error: an object key
// (index < 0) or an array index.
type pathSeg struct {
	key   string
	index int
	name  bool // key is a member name of the struct (trusted, printed as is)
}

// shapeErr is the first member of an event whose value the event struct
// cannot hold. It is only built on the error path.
type shapeErr struct {
	path []pathSeg // innermost first
	rule string
	msg  string // the reason after "<location>: "
}

// mismatch is the shapeErr of a value of the wrong JSON type. It is not
// inlined: it is the error path of some twenty checks (a
// copy at each cost kilobytes of code).
//
//go:noinline
func mismatch(want string, got jsontree.Value) *shapeErr {
	return &shapeErr{rule: "validation.event_shape", msg: "want " + want + ", got " + describe(got)}
}

func (e *shapeErr) key(k string, name bool) *shapeErr {
	e.path = append(e.path, pathSeg{key: k, index: -1, name: name})
	return e
}

func (e *shapeErr) index(i int) *shapeErr {
	e.path = append(e.path, pathSeg{index: i})
	return e
}

// loc renders the location as the adapter's other rejections do:
// requestContext.requestTimeEpoch, headers["X-A"], Records[0].body.
func (e *shapeErr) loc() string {
	var b []byte
	for i := len(e.path) - 1; i >= 0; i-- {
		s := e.path[i]
		switch {
		case s.index >= 0:
			b = jsontree.AppendIndex(b, s.index)
		case s.name:
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, s.key...)
		default:
			b = jsontree.AppendKey(b, s.key)
			if i == len(e.path)-1 && b[0] == '.' {
				b = b[1:]
			}
		}
	}
	if len(b) == 0 {
		return "event"
	}
	return string(b)
}

func (e *shapeErr) rejection() *rejection {
	loc := e.loc()
	return &rejection{status: 400, rule: e.rule, loc: loc, reason: loc + ": " + e.msg}
}

// describe names the kind of a JSON value for a message; numbers are shown
// when short, counted when not.
func describe(v jsontree.Value) string {
	switch v.Kind() {
	case jsontree.String:
		return "a string"
	case jsontree.Number:
		return describeNumber(v.Raw())
	case jsontree.Bool:
		return "a boolean"
	case jsontree.Array:
		return "an array"
	case jsontree.Object:
		return "an object"
	case jsontree.Null:
		return "null"
	}
	return "nothing"
}

// checkStruct checks an object decoded into the struct s (null is fine).
func checkStruct(v jsontree.Value, s *shape) *shapeErr { return checkStructVals(v, s, nil) }

// checkStructVals is checkStruct that also gives the value of each member
// found under its exact name, at the member's index in s.members in vals
// (the others stay Invalid; vals may be nil), so that a mapping that reads
// them needs no pass of its own over the object. vals is complete only
// when it returns nil.
func checkStructVals(v jsontree.Value, s *shape, vals *[32]jsontree.Value) *shapeErr {
	switch v.Kind() {
	case jsontree.Object:
	case jsontree.Null:
		return nil
	default:
		return mismatch("an object", v)
	}
	for k, mv := range v.Members() {
		// s.lookup(k), its first comparison written out (a call per
		// member otherwise).
		var m *member
		exact := false
		if c := s.index[nameHash(k)]; c != 0 {
			if i := bits.TrailingZeros32(c); sameName(s.members[i].name, k) {
				m, exact = &s.members[i], true
				if vals != nil {
					vals[i] = mv
				}
			}
		}
		if m == nil {
			if m, exact = s.lookupSlow(k); m == nil {
				continue // encoding/json ignores members the struct does not have
			}
			if exact && vals != nil {
				vals[s.memberIndex(m)] = mv
			}
		}
		if m.t == tString && exact {
			// Most members: checked here, without a call.
			if mk := mv.Kind(); mk == jsontree.String || mk == jsontree.Null {
				continue
			}
		}
		if err := checkFound(s, k, mv, m, exact); err != nil {
			return err
		}
	}
	return nil
}

// memberIndex is the index of m, one of s.members.
func (s *shape) memberIndex(m *member) int {
	for i := range s.members {
		if &s.members[i] == m {
			return i
		}
	}
	panic("guardlambda: member " + m.name + " is not one of " + s.goType + "'s")
}

// memberNamed is the index in s.members of the member with that exact
// name (-1 when there is none).
func (s *shape) memberNamed(name string) int {
	if m, exact := s.lookup(name); m != nil && exact {
		return s.memberIndex(m)
	}
	return -1
}

// checkField checks member k of an object of shape s.
func checkField(s *shape, k string, mv jsontree.Value) *shapeErr {
	m, exact := s.lookup(k)
	if m == nil {
		return nil // encoding/json ignores members the struct does not have
	}
	if m.t == tString && exact {
		// Most members: checked here, without a call.
		if mk := mv.Kind(); mk == jsontree.String || mk == jsontree.Null {
			return nil
		}
	}
	return checkFound(s, k, mv, m, exact)
}

// checkFound is checkField once member k is found: m, exactly named or
// not.
func checkFound(s *shape, k string, mv jsontree.Value, m *member, exact bool) *shapeErr {
	if err := checkMember(mv, m); err != nil {
		return err.key(k, exact)
	}
	if !exact && k != m.alt {
		e := &shapeErr{rule: "validation.event_shape",
			msg: "member name differs from " + strconv.Quote(m.name) + " only in letter case; aws-lambda-go would decode it into " +
				s.goType + "'s " + strconv.Quote(m.name) + " field, which fnguard reads under its exact name only"}
		return e.key(k, false)
	}
	return nil
}

// checkBatchEnvelope is checkStruct for the events of batch sources (SQS,
// Kinesis, DynamoDB Streams), whose records can fail one by one: every
// member but the Records array is checked here; each record is checked on
// its own by checkRecord, so that a record its struct cannot hold fails
// alone (it is dropped from the handler's event, which then decodes).
func checkBatchEnvelope(v jsontree.Value, s *shape) *shapeErr {
	for k, mv := range v.Members() {
		if k == "Records" && mv.Kind() == jsontree.Array {
			continue
		}
		if err := checkField(s, k, mv); err != nil {
			return err
		}
	}
	return nil
}

// recordShape is the shape of the records of a batch event of shape s
// (nil when s has no Records array of structs).
func recordShape(s *shape) *shape {
	if s == nil {
		return nil
	}
	m, exact := s.lookup("Records")
	if m == nil || !exact || m.t != tStructs {
		return nil
	}
	return m.sub
}

// checkRecord checks record i of a batch event whose records have shape
// rs (recordShape; see checkBatchEnvelope).
func checkRecord(rs *shape, i int, rv jsontree.Value) *shapeErr {
	if rs == nil {
		return nil
	}
	if err := checkStruct(rv, rs); err != nil {
		return err.index(i).key("Records", true)
	}
	return nil
}

// checkMember checks the value of one member against its field's type.
func checkMember(v jsontree.Value, m *member) *shapeErr {
	k := v.Kind()
	if k == jsontree.Null {
		return nil // encoding/json leaves the field as it is
	}
	switch m.t {
	case tString:
		if k != jsontree.String {
			return mismatch("a string", v)
		}
	case tInt64:
		if !fitsInt64(v) {
			return mismatch("an integer that fits int64", v)
		}
	case tBool:
		if k != jsontree.Bool {
			return mismatch("a boolean", v)
		}
	case tStrMap:
		if k != jsontree.Object {
			return mismatch("an object of strings", v)
		}
		if v.StringsOrNulls() {
			return nil // (most: the loop finds which member is not)
		}
		for name, e := range v.Members() {
			if ek := e.Kind(); ek != jsontree.String && ek != jsontree.Null {
				return mismatch("a string", e).key(name, false)
			}
		}
	case tStrsMap:
		if k != jsontree.Object {
			return mismatch("an object of string arrays", v)
		}
		if v.StringArraysOrNulls() {
			return nil // (most: the loop finds which member is not)
		}
		for name, e := range v.Members() {
			if err := checkStrings(e); err != nil {
				return err.key(name, false)
			}
		}
	case tStrs:
		return checkStrings(v)
	case tAnyMap:
		if k != jsontree.Object {
			return mismatch("an object", v)
		}
		return checkNumbers(v)
	case tRaw:
	case tTime:
		var t time.Time
		if t.UnmarshalJSON(v.Raw()) != nil {
			if k != jsontree.String {
				return mismatch("an RFC 3339 time string", v)
			}
			return &shapeErr{rule: "validation.event_shape", msg: "want an RFC 3339 time string such as 2006-01-02T15:04:05Z, got " + quoteShort(v)}
		}
	case tEpoch:
		if k != jsontree.Number || !fitsFloat64(v.Raw()) {
			return mismatch("a number of seconds that fits float64", v)
		}
	case tBytes:
		return checkBytes(v)
	case tBytesList:
		if k != jsontree.Array {
			return mismatch("an array of base64 strings", v)
		}
		for i, e := range v.Elems() {
			if err := checkBytes(e); err != nil {
				return err.index(i)
			}
		}
	case tStruct:
		return checkStruct(v, m.sub)
	case tStructMap:
		if k != jsontree.Object {
			return mismatch("an object", v)
		}
		for name, e := range v.Members() {
			if err := checkStruct(e, m.sub); err != nil {
				return err.key(name, false)
			}
		}
	case tStructs:
		if k != jsontree.Array {
			return mismatch("an array", v)
		}
		for i, e := range v.Elems() {
			if err := checkStruct(e, m.sub); err != nil {
				return err.index(i)
			}
		}
	case tDynamoMap:
		if k != jsontree.Object {
			return mismatch("an object of DynamoDB attribute values", v)
		}
		for name, e := range v.Members() {
			if err := checkDynamo(e); err != nil {
				return err.key(name, false)
			}
		}
	}
	return nil
}

// checkStrings checks a []string: an array of strings (or nulls), or null.
func checkStrings(v jsontree.Value) *shapeErr {
	switch v.Kind() {
	case jsontree.Array:
	case jsontree.Null:
		return nil
	default:
		return mismatch("an array of strings", v)
	}
	if v.StringsOrNulls() {
		return nil // (most: the loop finds which element is not)
	}
	for i, e := range v.Elems() {
		if ek := e.Kind(); ek != jsontree.String && ek != jsontree.Null {
			return mismatch("a string", e).index(i)
		}
	}
	return nil
}

// checkBytes checks a []byte: a string (base64, which the mapping decodes
// and checks), an array of integers from 0 to 255, or null.
func checkBytes(v jsontree.Value) *shapeErr {
	switch v.Kind() {
	case jsontree.String, jsontree.Null:
		return nil
	case jsontree.Array:
	default:
		return mismatch("a base64 string", v)
	}
	for i, e := range v.Elems() {
		switch e.Kind() {
		case jsontree.Null:
		case jsontree.Number:
			if _, err := strconv.ParseUint(bytesString(e.Raw()), 10, 8); err == nil {
				continue
			}
			fallthrough
		default:
			return mismatch("an integer from 0 to 255", e).index(i)
		}
	}
	return nil
}

// checkNumbers checks that every number in v fits float64, as
// encoding/json needs to decode v into an interface{}. It scans the raw
// text, jumping over strings, so it neither recurses nor allocates.
func checkNumbers(v jsontree.Value) *shapeErr {
	raw := v.Raw()
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			i = stringEnd(raw, i+1)
		case c == '-' || '0' <= c && c <= '9':
			j := i + 1
			for j < len(raw) && isNumByte(raw[j]) {
				j++
			}
			if !fitsFloat64(raw[i:j]) {
				return &shapeErr{rule: "validation.event_shape",
					msg: "want numbers that fit float64, got " + describeNumber(raw[i:j])}
			}
			i = j
		default:
			i++
		}
	}
	return nil
}

// stringEnd returns the index just past the closing quote of the JSON
// string whose contents start at raw[i] (raw is valid JSON).
func stringEnd(raw []byte, i int) int {
	for {
		q := bytes.IndexByte(raw[i:], '"')
		if q < 0 {
			return len(raw)
		}
		i += q
		// The quote is escaped when an odd number of backslashes precede it.
		n := 0
		for j := i - 1; raw[j] == '\\'; j-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// fitsInt64 reports whether v is a number that encoding/json decodes into
// an int64: strconv.ParseInt succeeds on it (no fraction, no exponent, in
// range). Up to 18 digits, the syntax the parser checked is enough.
func fitsInt64(v jsontree.Value) bool {
	if v.Kind() != jsontree.Number {
		return false
	}
	raw := v.Raw()
	if len(raw) <= 18 {
		for _, c := range raw {
			if c == '.' || c == 'e' || c == 'E' {
				return false
			}
		}
		return true
	}
	_, ok := v.Int64()
	return ok
}

// fitsFloat64 reports whether a number literal decodes into a float64:
// strconv.ParseFloat does not overflow on it (underflow is no error). A
// literal without exponent whose integer part has at most 308 digits is
// below 1e308 and needs no parse.
func fitsFloat64(raw []byte) bool {
	digits, fraction := 0, false
	for _, c := range raw {
		switch {
		case c == 'e' || c == 'E':
			_, err := strconv.ParseFloat(bytesString(raw), 64)
			return err == nil
		case c == '.':
			fraction = true
		case '0' <= c && c <= '9' && !fraction:
			digits++
		}
	}
	if digits <= 308 {
		return true
	}
	_, err := strconv.ParseFloat(bytesString(raw), 64)
	return err == nil
}

func isNumByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// describeNumber shows a number literal when it is short, else counts it:
// "a 10000-digit number".
func describeNumber(raw []byte) string {
	if len(raw) <= 24 {
		return string(raw)
	}
	digits := 0
	for _, c := range raw {
		if '0' <= c && c <= '9' {
			digits++
		}
	}
	if digits == len(raw) || digits == len(raw)-1 && raw[0] == '-' {
		return "a " + strconv.Itoa(digits) + "-digit number"
	}
	return "a " + strconv.Itoa(len(raw)) + "-character number"
}

// quoteShort quotes a string value for a message, cut to 64 bytes.
func quoteShort(v jsontree.Value) string {
	s, _ := v.Str()
	if len(s) > 64 {
		s = s[:64]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		return strconv.Quote(s) + "..."
	}
	return strconv.Quote(s)
}

// dynamoTypes are the type keys events.DynamoDBAttributeValue understands.
const dynamoTypes = "B, BOOL, BS, L, M, N, NS, NULL, S or SS"

// checkDynamo checks an events.DynamoDBAttributeValue, whose UnmarshalJSON
// decodes the value into a map[string]interface{} holding exactly one type
// key, then checks the value of that type. Every number in that map must
// fit float64, but a number anywhere but in a NULL value is refused by the
// type checks anyway, so only NULL values are scanned for numbers. A BS element that is not a string makes it panic; nested L and M
// values are attribute values again.
func checkDynamo(v jsontree.Value) *shapeErr {
	if v.Kind() != jsontree.Object {
		return mismatch("a DynamoDB attribute value (an object with one type key)", v)
	}
	if n := v.Len(); n != 1 {
		return &shapeErr{rule: "validation.event_shape",
			msg: "want a DynamoDB attribute value with exactly one type key, got " + strconv.Itoa(n) + " members"}
	}
	for t, e := range v.Members() {
		var err *shapeErr
		k := e.Kind()
		switch t {
		case "NULL":
			err = checkNumbers(e)
		case "S", "N", "B":
			if k != jsontree.String {
				err = mismatch("a string", e)
			}
		case "BOOL":
			if k != jsontree.Bool {
				err = mismatch("a boolean", e)
			}
		case "SS", "NS", "BS":
			if k != jsontree.Array {
				err = mismatch("an array of strings", e)
				break
			}
			for i, s := range e.Elems() {
				if s.Kind() != jsontree.String {
					err = mismatch("a string", s).index(i)
					break
				}
			}
		case "L":
			if k != jsontree.Array {
				err = mismatch("an array of DynamoDB attribute values", e)
				break
			}
			for i, av := range e.Elems() {
				if err = checkDynamo(av); err != nil {
					err = err.index(i)
					break
				}
			}
		case "M":
			if k != jsontree.Object {
				err = mismatch("an object of DynamoDB attribute values", e)
				break
			}
			for name, av := range e.Members() {
				if err = checkDynamo(av); err != nil {
					err = err.key(name, false)
					break
				}
			}
		default:
			err = &shapeErr{rule: "validation.event_shape", msg: "want a DynamoDB type key (" + dynamoTypes + ")"}
			return err.key(t, false)
		}
		if err != nil {
			return err.key(t, true)
		}
	}
	return nil
}
