package guardlambda

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// rejection is malformed input the adapter found while mapping an event.
// loc is spelled as the event spells it ("Records[2].kinesis.data"). It
// becomes a whole-event guard.Rejection, or the Record.Rejection of the one
// record it is in.
type rejection struct {
	status int
	rule   string
	loc    string
	reason string
}

// guard is the whole-event rejection.
func (r *rejection) guard() *guard.Rejection {
	return &guard.Rejection{Status: r.status, Rule: r.rule, Location: r.loc, Reason: r.reason}
}

// inRecord is the rejection of record i alone, its location relative to the
// record (the engine reports it at records[i].<location>, records[i] for
// the record as a whole, records[i]["Key"] for a quoted key).
func (r *rejection) inRecord(i int) *guard.Rejection {
	rel := strings.TrimPrefix(strings.TrimPrefix(r.loc, recLoc(i, "")), ".")
	return &guard.Rejection{Status: r.status, Rule: r.rule, Location: rel, Reason: r.reason}
}

// badShape is the rejection of a member of the wrong JSON type. It is not
// inlined: it is the error path of some twenty checks (a
// copy at each cost kilobytes of code).
//
//go:noinline
func badShape(loc, want string, got jsontree.Value) *rejection {
	return &rejection{status: 400, rule: "validation.event_shape", loc: loc,
		reason: loc + ": want " + want + ", got " + describe(got)}
}

// envelope holds the top-level members of an event (and of its
// requestContext) that recognition and mapping read. It is filled in one
// pass over each object: jsontree's Get is linear, and an API Gateway event
// has a dozen members.
type envelope struct {
	version, httpMethod, path, resource, rawPath, rawQueryString, routeKey jsontree.Value
	headers, multiHeaders, query, multiQuery, pathParams, cookies          jsontree.Value
	body, isBase64                                                         jsontree.Value
	requestContext, records                                                jsontree.Value
	detailType, source, detail, resources, id, account, region             jsontree.Value
	typ, methodArn, routeArn, authToken, eventSource, eventSourceArn       jsontree.Value

	// requestContext members.
	rcElb, rcHTTP, rcIdentity, rcAuthorizer, rcRequestID, rcResourcePath, rcDomainName jsontree.Value
	rcConnectionID, rcEventType, rcProtocol                                            jsontree.Value

	// fam is the event family refine recognised (famNone for the core
	// kinds); see families.go.
	fam family
}

func (e *envelope) fill(root jsontree.Value) {
	for k, v := range root.Members() {
		switch k {
		case "version":
			e.version = v
		case "httpMethod":
			e.httpMethod = v
		case "path":
			e.path = v
		case "resource":
			e.resource = v
		case "rawPath":
			e.rawPath = v
		case "rawQueryString":
			e.rawQueryString = v
		case "routeKey":
			e.routeKey = v
		case "headers":
			e.headers = v
		case "multiValueHeaders":
			e.multiHeaders = v
		case "queryStringParameters":
			e.query = v
		case "multiValueQueryStringParameters":
			e.multiQuery = v
		case "pathParameters":
			e.pathParams = v
		case "cookies":
			e.cookies = v
		case "body":
			e.body = v
		case "isBase64Encoded":
			e.isBase64 = v
		case "requestContext":
			e.requestContext = v
		case "Records":
			e.records = v
		case "detail-type":
			e.detailType = v
		case "source":
			e.source = v
		case "detail":
			e.detail = v
		case "resources":
			e.resources = v
		case "id":
			e.id = v
		case "account":
			e.account = v
		case "region":
			e.region = v
		case "type":
			e.typ = v
		case "methodArn":
			e.methodArn = v
		case "routeArn":
			e.routeArn = v
		case "authorizationToken":
			e.authToken = v
		case "eventSource":
			e.eventSource = v
		case "eventSourceArn":
			e.eventSourceArn = v
		}
	}
	for k, v := range e.requestContext.Members() {
		switch k {
		case "elb":
			e.rcElb = v
		case "http":
			e.rcHTTP = v
		case "identity":
			e.rcIdentity = v
		case "authorizer":
			e.rcAuthorizer = v
		case "requestId":
			e.rcRequestID = v
		case "resourcePath":
			e.rcResourcePath = v
		case "domainName":
			e.rcDomainName = v
		case "connectionId":
			e.rcConnectionID = v
		case "eventType":
			e.rcEventType = v
		case "protocol":
			e.rcProtocol = v
		}
	}
}

// recognize tells the event source from the payload's shape, filling e.
//
// A member that identifies a source but has the wrong JSON type still
// identifies it ("httpMethod": 5 next to a requestContext is an API Gateway
// REST event), so that the type checks of its struct refuse it by name
// rather than the whole event being inspected as an unknown one that
// aws-lambda-go then fails to decode.
func recognize(root jsontree.Value, e *envelope) kind {
	return refine(root, e, recognizeCore(root, e))
}

// recognizeCore recognises the core kinds (API Gateway, function URLs,
// ALB, SQS, SNS, S3, DynamoDB, Kinesis, EventBridge).
func recognizeCore(root jsontree.Value, e *envelope) kind {
	if root.Kind() != jsontree.Object {
		return kindUnknown
	}
	e.fill(root)
	if rc := e.requestContext; rc.Exists() {
		if present(e.rcElb) {
			return kindALB
		}
		v, isStr := e.version.Str()
		if v == "2.0" || !isStr && present(e.version) {
			if present(e.rcHTTP) || v == "2.0" && rc.Kind() != jsontree.Object && rc.Kind() != jsontree.Null {
				if dn, _ := e.rcDomainName.Str(); strings.Contains(dn, ".lambda-url.") {
					return kindFunctionURL
				}
				return kindHTTPv2
			}
		}
		if e.httpMethod.Exists() {
			return kindRESTv1
		}
	}
	if recs := e.records; recs.Kind() == jsontree.Array && recs.Len() > 0 {
		k := kindUnknown
		for _, r := range recs.Elems() {
			rk, weak := recordKind(r)
			switch {
			case weak:
				continue
			case rk == kindUnknown:
				return kindUnknown
			case k == kindUnknown:
				k = rk
			case rk != k:
				return kindUnknown // a mixed batch is no AWS event: inspect it whole
			}
		}
		if k != kindUnknown {
			return k
		}
	}
	if present(e.detailType) && present(e.source) && e.detail.Exists() {
		return kindEventBridge
	}
	return kindUnknown
}

// present reports whether a member is there and not null.
func present(v jsontree.Value) bool {
	return v.Exists() && v.Kind() != jsontree.Null
}

// recordKind tells the source of one record by its eventSource. weak is set
// for a record that says nothing about the batch: null, not an object, or
// with an eventSource that is not a string (every record struct declares
// it a string, so the type checks refuse it once the batch is recognised).
func recordKind(r jsontree.Value) (k kind, weak bool) {
	if r.Kind() != jsontree.Object {
		return kindUnknown, true
	}
	es := r.Get("eventSource")
	if !es.Exists() {
		es = r.Get("EventSource") // SNS spells it this way
	}
	src, ok := es.Str()
	if !ok {
		return kindUnknown, present(es)
	}
	switch src {
	case "aws:sqs":
		return kindSQS, false
	case "aws:sns":
		return kindSNS, false
	case "aws:s3":
		return kindS3, false
	case "aws:dynamodb":
		return kindDynamoDB, false
	case "aws:kinesis":
		return kindKinesis, false
	case "aws:ses":
		return kindSES, false
	case "aws:codecommit":
		return kindCodeCommit, false
	}
	return kindUnknown, false
}

// testHookMap, set only by tests, runs at the start of every mapping (to
// check that a panic in the adapter goes to the guard's fail mode).
var testHookMap func()

// mapEvent fills st.inv from the parsed payload.
func (st *state) mapEvent(ctx context.Context, g *guard.Guard, payload []byte) *rejection {
	inv := &st.inv
	inv.Source = st.kind.source()
	if st.env.fam != famNone {
		inv.Source = st.env.fam.source()
	}
	if testHookMap != nil {
		testHookMap()
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		inv.RequestID = lc.AwsRequestID
	}
	inv.FunctionName = lambdacontext.FunctionName
	// aws-lambda-go stores the X-Ray trace header in the context under this
	// string key (lambda/invoke_loop.go); the environment variable is only
	// meaningful when the runtime handles one invocation at a time.
	if t, ok := ctx.Value("x-amzn-trace-id").(string); ok {
		inv.TraceID = t
	}
	// Every member the source's aws-lambda-go struct declares must decode
	// into its field: see shape.go.
	if sh := shapeOf(st.kind); sh != nil && st.env.fam == famNone {
		check := checkStruct
		if st.kind.isBatch() {
			check = checkBatchEnvelope // and each record in mapRecords
		}
		if err := check(st.root, sh); err != nil {
			return err.rejection()
		}
	}
	switch {
	case st.kind == kindFamily:
		return st.mapFamily(g, payload)
	case st.kind.isHTTP():
		if rej := st.mapHTTP(g); rej != nil {
			return rej
		}
		if st.env.fam.isAuthorizer() {
			st.authorizerFields()
		}
		return nil
	case st.kind == kindEventBridge:
		return st.mapEventBridge()
	case st.kind == kindUnknown:
		st.fields = append(st.fields, guard.Field{Loc: "event", Value: bytesString(payload), JSON: true})
		inv.Fields = st.fields
		return nil
	}
	return st.mapRecords()
}
