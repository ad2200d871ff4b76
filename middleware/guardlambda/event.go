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

// recognize tells the event source from the raw payload's shape.
func recognize(root jsontree.Value) kind {
	if root.Kind() != jsontree.Object {
		return kindUnknown
	}
	if rc := root.Get("requestContext"); rc.Kind() == jsontree.Object {
		if rc.Get("elb").Kind() == jsontree.Object {
			return kindALB
		}
		if v, _ := root.Get("version").Str(); v == "2.0" && rc.Get("http").Kind() == jsontree.Object {
			if dn, _ := rc.Get("domainName").Str(); strings.Contains(dn, ".lambda-url.") {
				return kindFunctionURL
			}
			return kindHTTPv2
		}
		if root.Get("httpMethod").Kind() == jsontree.String {
			return kindRESTv1
		}
	}
	if recs := root.Get("Records"); recs.Kind() == jsontree.Array && recs.Len() > 0 {
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
	if root.Get("detail-type").Kind() == jsontree.String && root.Get("source").Kind() == jsontree.String && root.Get("detail").Exists() {
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

// mapEvent fills st.inv from the parsed payload.
func (st *state) mapEvent(ctx context.Context, g *guard.Guard, payload []byte) *rejection {
	inv := &st.inv
	inv.Source = st.kind.source()
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
