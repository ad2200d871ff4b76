package guardlambda

import (
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// family is an event family recognised beyond the core kinds (API Gateway,
// function URLs, ALB, SQS, SNS, S3, DynamoDB, Kinesis, EventBridge). It
// decides the event's guard.Source, how its client-controlled fields are
// located, and the answer its platform expects when the handler must not run
// (see answers.go).
//
// Authorizer REQUEST events and WebSocket events keep the kind of the proxy
// event they resemble (kindRESTv1 or kindHTTPv2), whose mapping they share;
// the family then only changes the source and the answer. Every other
// family has kind kindFamily and its own mapping.
type family uint8

const (
	famNone family = iota

	famAuthToken     // API Gateway REST TOKEN authorizer
	famAuthRequest   // REST REQUEST authorizer, HTTP API payload 1.0 authorizer, WebSocket $connect authorizer
	famAuthRequestV2 // HTTP API payload 2.0 authorizer
	famWebSocket     // API Gateway WebSocket route ($connect, $disconnect, messages)

	famAppSync        // AppSync direct Lambda resolver, one call
	famAppSyncBatch   // AppSync direct Lambda resolver, batched (a JSON array of calls)
	famAppSyncAuth    // AppSync Lambda authorizer
	famAppSyncEvents  // AppSync Events channel handler
	famVPCLattice     // VPC Lattice, event format v1
	famVPCLatticeV2   // VPC Lattice, event format v2
	famCognito        // Cognito user pool trigger
	famKafka          // MSK or self-managed Kafka
	famActiveMQ       // Amazon MQ for ActiveMQ
	famRabbitMQ       // Amazon MQ for RabbitMQ
	famFirehose       // Kinesis Data Firehose transformation
	famCloudWatchLogs // CloudWatch Logs subscription
	famS3Batch        // S3 Batch Operations
	famS3ObjectLambda // S3 Object Lambda
	famCloudFormation // CloudFormation custom resource
	famSecretsManager // Secrets Manager rotation
	famBedrockAgent   // Bedrock agent action group
	famLexV1          // Lex V1 code hook
	famLexV2          // Lex V2 code hook
	famConnect        // Amazon Connect contact flow
	famIoTAuth        // IoT Core custom authorizer
	famIoTProvision   // IoT fleet provisioning pre-provisioning hook
	famConfig         // AWS Config rule
	famSES            // SES receipt rule (Records, eventSource aws:ses)
	famCodeCommit     // CodeCommit trigger (Records, eventSource aws:codecommit)
	famTransfer       // Transfer Family custom identity provider
	famClientVPN      // Client VPN connection handler
)

var familyNames = [...]string{
	famNone: "", famAuthToken: "authorizer (TOKEN)", famAuthRequest: "authorizer (REQUEST)",
	famAuthRequestV2: "authorizer (HTTP API payload 2.0)", famWebSocket: "WebSocket",
	famAppSync: "AppSync resolver", famAppSyncBatch: "AppSync batch resolver", famAppSyncAuth: "AppSync authorizer",
	famAppSyncEvents: "AppSync Events", famVPCLattice: "VPC Lattice v1", famVPCLatticeV2: "VPC Lattice v2",
	famCognito: "Cognito trigger", famKafka: "Kafka", famActiveMQ: "ActiveMQ", famRabbitMQ: "RabbitMQ",
	famFirehose: "Kinesis Firehose", famCloudWatchLogs: "CloudWatch Logs", famS3Batch: "S3 Batch",
	famS3ObjectLambda: "S3 Object Lambda", famCloudFormation: "CloudFormation custom resource",
	famSecretsManager: "Secrets Manager rotation", famBedrockAgent: "Bedrock agent", famLexV1: "Lex V1",
	famLexV2: "Lex V2", famConnect: "Amazon Connect", famIoTAuth: "IoT custom authorizer",
	famIoTProvision: "IoT pre-provisioning hook", famConfig: "AWS Config rule", famSES: "SES", famCodeCommit: "CodeCommit",
	famTransfer: "Transfer Family identity provider", famClientVPN: "Client VPN connection handler",
}

func (f family) String() string {
	if int(f) < len(familyNames) {
		return familyNames[f]
	}
	return "family(" + strconv.Itoa(int(f)) + ")"
}

func (f family) source() guard.Source {
	switch f {
	case famAuthToken, famAuthRequest, famAuthRequestV2:
		return guard.SourceAPIGatewayAuthorizer
	case famWebSocket:
		return guard.SourceAPIGatewayWebSocket
	case famAppSync, famAppSyncBatch, famAppSyncAuth, famAppSyncEvents:
		return guard.SourceAppSync
	case famVPCLattice, famVPCLatticeV2:
		return guard.SourceVPCLattice
	case famCognito:
		return guard.SourceCognito
	case famKafka:
		return guard.SourceKafka
	case famActiveMQ, famRabbitMQ:
		return guard.SourceMQ
	case famFirehose:
		return guard.SourceFirehose
	case famCloudWatchLogs:
		return guard.SourceCloudWatchLogs
	case famS3Batch:
		return guard.SourceS3Batch
	case famS3ObjectLambda:
		return guard.SourceS3ObjectLambda
	case famCloudFormation:
		return guard.SourceCloudFormation
	case famSecretsManager:
		return guard.SourceSecretsManager
	case famBedrockAgent:
		return guard.SourceBedrockAgent
	case famLexV1, famLexV2:
		return guard.SourceLex
	case famConnect:
		return guard.SourceConnect
	case famIoTAuth, famIoTProvision:
		return guard.SourceIoT
	case famConfig:
		return guard.SourceConfig
	case famSES:
		return guard.SourceSES
	case famCodeCommit:
		return guard.SourceCodeCommit
	case famTransfer:
		return guard.SourceTransferFamily
	case famClientVPN:
		return guard.SourceClientVPN
	}
	return guard.SourceLambdaUnknown
}

// isAuthorizer reports whether f is an API Gateway Lambda authorizer.
func (f family) isAuthorizer() bool {
	return f == famAuthToken || f == famAuthRequest || f == famAuthRequestV2
}

// refine recognises the families whose events the core recognition took
// for a proxy request (authorizers, WebSocket routes) or did not recognise
// at all. It sets e.fam and returns the kind to map the event as.
//
// Each family is told by members that its platform always sends and that
// no other event has together; a client cannot add top-level members to
// an event, only the platform can.
func refine(root jsontree.Value, e *envelope, k kind) kind {
	typ, _ := e.typ.Str()
	switch k {
	case kindRESTv1, kindHTTPv2, kindFunctionURL:
		switch {
		case typ == "REQUEST" && present(e.routeArn):
			e.fam = famAuthRequestV2
			return kindHTTPv2
		case typ == "REQUEST" && present(e.methodArn):
			e.fam = famAuthRequest
			return kindRESTv1
		case k == kindRESTv1 && present(e.rcConnectionID) && present(e.rcEventType):
			e.fam = famWebSocket
		}
		return k
	case kindUnknown:
	default:
		return k
	}
	switch root.Kind() {
	case jsontree.Array:
		// AppSync batches resolver calls into an array of calls.
		if root.Len() > 0 && isAppSyncCall(root.At(0)) {
			e.fam = famAppSyncBatch
			return kindFamily
		}
		return kindUnknown
	case jsontree.Object:
	default:
		return kindUnknown
	}
	es, _ := e.eventSource.Str()
	switch {
	case typ == "TOKEN" && present(e.authToken):
		e.fam = famAuthToken
	case typ == "REQUEST" && present(e.methodArn) && e.requestContext.Kind() == jsontree.Object:
		// A WebSocket $connect authorizer: no httpMethod.
		e.fam = famAuthRequest
		return kindRESTv1
	case present(e.requestContext) && present(e.rcConnectionID) && present(e.rcEventType):
		e.fam = famWebSocket
		return kindRESTv1
	case es == "aws:kafka" || es == "SelfManagedKafka" || es == "aws:SelfManagedKafka":
		e.fam = famKafka
	case es == "aws:mq" || es == "aws:amq":
		e.fam = famActiveMQ
	case es == "aws:rmq":
		e.fam = famRabbitMQ
	case isAppSyncCall(root):
		e.fam = famAppSync
	case present(e.authToken) && e.requestContext.Kind() == jsontree.Object && e.requestContext.Get("queryString").Exists():
		e.fam = famAppSyncAuth
	case root.Get("info").Kind() == jsontree.Object && root.Get("info").Get("channelNamespace").Exists():
		e.fam = famAppSyncEvents
	case present(root.Get("raw_path")) && present(root.Get("method")):
		e.fam = famVPCLattice
	case present(root.Get("method")) && present(root.Get("path")) && present(e.requestContext) &&
		(present(e.requestContext.Get("serviceNetworkArn")) || present(e.requestContext.Get("targetGroupArn"))):
		e.fam = famVPCLatticeV2
	case present(root.Get("triggerSource")) && present(root.Get("userPoolId")):
		e.fam = famCognito
	case present(root.Get("deliveryStreamArn")) && present(root.Get("invocationId")) && root.Get("records").Kind() == jsontree.Array:
		e.fam = famFirehose
	default:
		if e.fam = refineMore(root); e.fam == famNone {
			return kindUnknown
		}
	}
	return kindFamily
}

// isAppSyncCall reports whether v is one call of an AppSync direct Lambda
// resolver: {"arguments", "info": {"fieldName", "parentTypeName"}, ...},
// or the form of a resolver mapping template that passes
// {"typeName", "fieldName", "arguments", ...}.
func isAppSyncCall(v jsontree.Value) bool {
	if v.Kind() != jsontree.Object || !v.Get("arguments").Exists() {
		return false
	}
	if info := v.Get("info"); info.Kind() == jsontree.Object {
		return info.Get("fieldName").Exists() && info.Get("parentTypeName").Exists()
	}
	return present(v.Get("fieldName")) && present(v.Get("typeName"))
}

// mapFamily maps an event of kind kindFamily.
func (st *state) mapFamily(g *guard.Guard, payload []byte) *rejection {
	switch st.env.fam {
	case famAuthToken:
		return st.mapAuthToken()
	case famAppSync:
		return st.mapAppSync(st.root, -1)
	case famAppSyncBatch:
		return st.mapAppSyncBatch()
	case famAppSyncAuth:
		return st.mapAppSyncAuth()
	case famAppSyncEvents:
		return st.mapAppSyncEvents()
	case famVPCLattice, famVPCLatticeV2:
		return st.mapVPCLattice(g)
	case famCognito:
		return st.mapCognito()
	case famKafka:
		return st.mapKafka()
	case famActiveMQ:
		return st.mapActiveMQ()
	case famRabbitMQ:
		return st.mapRabbitMQ()
	case famFirehose:
		return st.mapFirehose()
	}
	if rej, ok := st.mapFamily2(); ok {
		return rej
	}
	// Recognised but without a mapping of its own: the whole event is
	// walked, as an unknown one.
	st.fields = append(st.fields, guard.Field{Loc: "event", Value: bytesString(payload), JSON: true})
	st.inv.Fields = st.fields
	return nil
}

// finishFields hands the fields collected so far to the invocation. It is
// not inlined: once per event, from some twenty mappings (a copy at each,
// write barriers included, cost 6 KiB of code).
//
//go:noinline
func (st *state) finishFields() {
	st.inv.Fields = st.fields
	st.inv.Headers, st.inv.Query, st.inv.Attrs = st.headers, st.query, st.attrs
}

// finishRecords hands the records to the invocation: every field collected
// belongs to a record.
func (st *state) finishRecords() {
	st.inv.Records = st.records
	st.inv.Headers, st.inv.Query, st.inv.Attrs = st.headers, st.query, st.attrs
}

// jsonField adds a JSON value of the event at loc: objects and arrays are
// walked by the engine (every key and string, with their locations), a
// string is inspected as one (as JSON when it holds a JSON document), other
// scalars carry no text.
func (st *state) jsonField(loc string, v jsontree.Value) {
	switch v.Kind() {
	case jsontree.Object, jsontree.Array:
		if v.Len() > 0 {
			st.fields = append(st.fields, guard.Field{Loc: loc, Value: bytesString(v.Raw()), JSON: true})
		}
	case jsontree.String:
		if s, _ := v.Str(); s != "" {
			st.field(loc, s)
		}
	}
}

// strField adds a string member when it is one and not empty.
func (st *state) strField(loc string, v jsontree.Value) {
	if s, ok := v.Str(); ok && s != "" {
		st.field(loc, s)
	}
}

// headerMap adds the members of a header object to st.headers (names
// lower-cased): values that are strings, or arrays of strings (VPC Lattice
// v2). The engine judges them as HTTP headers.
func (st *state) headerMap(h jsontree.Value) {
	for k, v := range h.Members() {
		st.headers = appendValues(st.headers, st.a.lower(k), v)
	}
	for i := range st.headers {
		if st.headers[i].Name == "content-type" && st.inv.ContentType == "" {
			st.inv.ContentType = st.headers[i].Value
		}
	}
}

// appendValues appends name=value for a member that is a string, and one
// entry per string element for an array of them (VPC Lattice v2's
// multi-value headers and query parameters); other values add nothing.
func appendValues(dst []guard.Param, name string, v jsontree.Value) []guard.Param {
	switch v.Kind() {
	case jsontree.String:
		s, _ := v.Str()
		dst = append(dst, guard.Param{Name: name, Value: s})
	case jsontree.Array:
		for _, e := range v.Elems() {
			if s, ok := e.Str(); ok {
				dst = append(dst, guard.Param{Name: name, Value: s})
			}
		}
	}
	return dst
}

// mapAuthToken maps a REST API TOKEN authorizer event: the token is the
// value of the identity source header (Authorization by default) and is
// judged as one; the method ARN carries the request path.
func (st *state) mapAuthToken() *rejection {
	e := &st.env
	var tok string
	if rej := st.str(&tok, "authorizationToken", e.authToken); rej != nil {
		return rej
	}
	if tok != "" {
		st.headers = append(st.headers, guard.Param{Name: "authorization", Value: tok})
	}
	st.strField("methodArn", e.methodArn)
	st.finishFields()
	return nil
}

// authorizerFields adds what an authorizer REQUEST event carries besides the
// request it describes (mapped by mapHTTP): the method or route ARN (with
// the request path in it).
func (st *state) authorizerFields() {
	e := &st.env
	st.strField("methodArn", e.methodArn)
	st.strField("routeArn", e.routeArn)
	if s, ok := e.authToken.Str(); ok && s != "" && st.inv.Header("authorization") != s {
		st.field("authorizationToken", s)
	}
	st.inv.Fields = st.fields
}

// mapVPCLattice maps a VPC Lattice event as the HTTP request it is:
// method, path, headers (v2: arrays of values), query parameters (v2:
// arrays of values) and body (base64 when is_base64_encoded /
// isBase64Encoded says so).
func (st *state) mapVPCLattice(g *guard.Guard) *rejection {
	root, inv := st.root, &st.inv
	v2 := st.env.fam == famVPCLatticeV2
	inv.Method, _ = root.Get("method").Str()
	pathKey, queryKey, b64Key := "raw_path", "query_string_parameters", "is_base64_encoded"
	if v2 {
		pathKey, b64Key = "path", "isBase64Encoded"
		if root.Get("queryStringParameters").Exists() {
			queryKey = "queryStringParameters"
		}
	}
	var p string
	if rej := st.str(&p, pathKey, root.Get(pathKey)); rej != nil {
		return rej
	}
	// v1 puts the query string in raw_path.
	if i := indexByte(p, '?'); i >= 0 {
		st.parseQuery(p[i+1:])
		p = p[:i]
	}
	inv.Path = p
	h := root.Get("headers")
	if h.Kind() != jsontree.Object && present(h) {
		return badShape("headers", "an object", h)
	}
	st.headerMap(h)
	q := root.Get(queryKey)
	for k, v := range q.Members() {
		st.query = appendValues(st.query, k, v)
	}
	for i := range st.headers {
		if st.headers[i].Name == "cookie" {
			st.cookies = parseCookies(st.cookies, st.headers[i].Value)
		}
	}
	if v2 {
		rc := st.env.requestContext
		inv.ClientIP = forwardedFor(st.headers, g)
		if id := rc.Get("identity"); id.Kind() == jsontree.Object {
			if s, ok := id.Get("principal").Str(); ok && s != "" {
				st.principal.ID = s
				inv.Principal = &st.principal
			}
		}
	} else {
		inv.ClientIP = forwardedFor(st.headers, g)
	}
	b := root.Get("body")
	switch b.Kind() {
	case jsontree.String:
		s, _ := b.Str()
		if enc, _ := root.Get(b64Key).Bool(); enc && s != "" {
			dec, ok := st.a.b64(s)
			if !ok {
				return &rejection{status: 400, rule: "validation.invalid_base64", loc: "body",
					reason: "body: " + b64Key + " is true but the body is not valid base64"}
			}
			inv.Body = dec
		} else {
			inv.Body = stringBytes(s)
		}
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape("body", "a string", b)
	}
	inv.Cookies = st.cookies
	st.finishFields()
	return nil
}

// parseQuery adds the parameters of a raw query string.
func (st *state) parseQuery(rq string) {
	for rq != "" {
		var pair string
		pair, rq, _ = cut(rq, '&')
		if pair == "" {
			continue
		}
		k, v, _ := cut(pair, '=')
		st.query = append(st.query, guard.Param{Name: st.value(k, true), Value: st.value(v, true)})
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func cut(s string, c byte) (before, after string, found bool) {
	if i := indexByte(s, c); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// mapAppSync maps one call of an AppSync direct Lambda resolver: the field's
// arguments, the GraphQL variables, the caller's request headers (judged as
// HTTP headers), the identity's claims and user name, and the parent
// object (source) and previous result. The selection set is query syntax,
// not data: only the values in it (argument literals of nested
// fields, directive arguments) are inspected, by the engine's GraphQL parser. rec is the index of the call in a batch, or -1.
func (st *state) mapAppSync(call jsontree.Value, rec int) *rejection {
	if rec < 0 || rec == 0 {
		st.headerMap(call.Path("request", "headers"))
	}
	st.jsonField("arguments", call.Get("arguments"))
	info := call.Get("info")
	st.jsonField("info.variables", info.Get("variables"))
	if s, ok := info.Get("selectionSetGraphQL").Str(); ok && s != "" {
		st.fields = append(st.fields, guard.Field{Loc: "info.selectionSetGraphQL", Value: s, Kind: guard.KindGraphQL})
	}
	id := call.Get("identity")
	st.jsonField("identity.claims", id.Get("claims"))
	st.strField("identity.username", id.Get("username"))
	st.jsonField("identity.resolverContext", id.Get("resolverContext"))
	st.jsonField("source", call.Get("source"))
	st.jsonField("prev", call.Get("prev"))
	st.jsonField("stash", call.Get("stash"))
	if rec < 0 {
		st.finishFields()
	}
	return nil
}

// mapAppSyncBatch maps a batch of resolver calls, one record per call: a
// blocked call blocks the whole invocation (AppSync expects one answer per
// call, in order, and fnguard answers with an error for the batch).
func (st *state) mapAppSyncBatch() *rejection {
	st.recArr = st.root // the calls, for spliceRecords
	st.records = st.records[:0]
	st.recVals = st.recVals[:0]
	for i, call := range st.root.Elems() {
		st.records = append(st.records, guard.Record{})
		st.recVals = append(st.recVals, call)
		f0 := len(st.fields)
		if call.Kind() != jsontree.Object {
			return badShape("event["+strconv.Itoa(i)+"]", "an object", call)
		}
		if rej := st.mapAppSync(call, i); rej != nil {
			return rej
		}
		r := &st.records[i]
		r.EventType, _ = call.Path("info", "fieldName").Str()
		r.Fields = st.fields[f0:len(st.fields):len(st.fields)]
	}
	st.inv.Records = st.records
	st.inv.Headers, st.inv.Attrs = st.headers, st.attrs
	return nil
}

// mapAppSyncAuth maps an AppSync Lambda authorizer event: the token (as an
// Authorization header), the request headers, the GraphQL variables and the
// string literals of the query document.
func (st *state) mapAppSyncAuth() *rejection {
	root := st.root
	rc := st.env.requestContext
	if s, ok := st.env.authToken.Str(); ok && s != "" {
		st.headers = append(st.headers, guard.Param{Name: "authorization", Value: s})
	}
	st.headerMap(root.Get("requestHeaders"))
	st.jsonField("requestContext.variables", rc.Get("variables"))
	st.strField("requestContext.operationName", rc.Get("operationName"))
	if s, ok := rc.Get("queryString").Str(); ok && s != "" {
		st.fields = append(st.fields, guard.Field{Loc: "requestContext.queryString", Value: s, Kind: guard.KindGraphQL})
	}
	st.finishFields()
	return nil
}

// mapAppSyncEvents maps an AppSync Events handler call: the published
// events' payloads, the channel path and the request headers.
func (st *state) mapAppSyncEvents() *rejection {
	root := st.root
	st.headerMap(root.Path("request", "headers"))
	st.strField("info.channel.path", root.Path("info", "channel", "path"))
	evs := root.Get("events")
	for i, ev := range evs.Elems() {
		st.jsonField("events["+strconv.Itoa(i)+"].payload", ev.Get("payload"))
	}
	st.jsonField("identity.claims", root.Path("identity", "claims"))
	st.finishFields()
	return nil
}

// mapCognito maps a Cognito user pool trigger: the user name, the client
// id, and every member of request that the user supplied (user attributes,
// validation data, client metadata, challenge answers...). Passwords
// (user migration, custom authentication) are not inspected: a password
// is not used as data, and any character is valid in one. Nor are the
// codeParameter/usernameParameter placeholders Cognito itself fills in.
func (st *state) mapCognito() *rejection {
	root := st.root
	st.strField("userName", root.Get("userName"))
	st.strField("callerContext.clientId", root.Path("callerContext", "clientId"))
	req := root.Get("request")
	for k, v := range req.Members() {
		switch k {
		case "password", "codeParameter", "usernameParameter", "linkParameter":
			continue
		}
		st.jsonField(st.a.loc("request", k, ""), v)
	}
	st.finishFields()
	return nil
}
