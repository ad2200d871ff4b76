package guardlambda

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// rejection is malformed input the adapter found while mapping an event; it
// becomes a guard.Reject decision (400 unless status says otherwise).
type rejection struct {
	status int
	rule   string
	loc    string
	reason string
}

func badShape(loc, want string, got jsontree.Value) *rejection {
	return &rejection{status: 400, rule: "validation.event_shape", loc: loc,
		reason: loc + ": want " + want + ", got " + got.Kind().String()}
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

	// requestContext members.
	rcElb, rcHTTP, rcIdentity, rcAuthorizer, rcRequestID, rcResourcePath, rcDomainName jsontree.Value
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
		}
	}
}

// recognize tells the event source from the payload's shape, filling e.
func recognize(root jsontree.Value, e *envelope) kind {
	if root.Kind() != jsontree.Object {
		return kindUnknown
	}
	e.fill(root)
	if e.requestContext.Kind() == jsontree.Object {
		if e.rcElb.Kind() == jsontree.Object {
			return kindALB
		}
		if v, _ := e.version.Str(); v == "2.0" && e.rcHTTP.Kind() == jsontree.Object {
			if dn, _ := e.rcDomainName.Str(); strings.Contains(dn, ".lambda-url.") {
				return kindFunctionURL
			}
			return kindHTTPv2
		}
		if e.httpMethod.Kind() == jsontree.String {
			return kindRESTv1
		}
	}
	if recs := e.records; recs.Kind() == jsontree.Array && recs.Len() > 0 {
		k := kindUnknown
		for i, r := range recs.Elems() {
			rk := recordKind(r)
			if i == 0 {
				k = rk
			} else if rk != k {
				return kindUnknown // a mixed batch is no AWS event: inspect it whole
			}
		}
		if k != kindUnknown {
			return k
		}
	}
	if e.detailType.Kind() == jsontree.String && e.source.Kind() == jsontree.String && e.detail.Exists() {
		return kindEventBridge
	}
	return kindUnknown
}

func recordKind(r jsontree.Value) kind {
	src, ok := r.Get("eventSource").Str()
	if !ok {
		src, _ = r.Get("EventSource").Str() // SNS spells it this way
	}
	switch src {
	case "aws:sqs":
		return kindSQS
	case "aws:sns":
		return kindSNS
	case "aws:s3":
		return kindS3
	case "aws:dynamodb":
		return kindDynamoDB
	case "aws:kinesis":
		return kindKinesis
	}
	return kindUnknown
}

// testHookMap, set only by tests, runs at the start of every mapping (to
// check that a panic in the adapter goes to the guard's fail mode).
var testHookMap func()

// mapEvent fills st.inv from the parsed payload.
func (st *state) mapEvent(ctx context.Context, g *guard.Guard, payload []byte) *rejection {
	inv := &st.inv
	inv.Source = st.kind.source()
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
	switch {
	case st.kind.isHTTP():
		return st.mapHTTP(g)
	case st.kind == kindEventBridge:
		return st.mapEventBridge()
	case st.kind == kindUnknown:
		st.fields = append(st.fields, guard.Field{Loc: "event", Value: bytesString(payload), JSON: true})
		inv.Fields = st.fields
		return nil
	}
	return st.mapRecords()
}
