package guardlambda

import (
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// The answers of the event families (families.go) whose handler must not
// run. Each is what the platform expects from the function:
//
//   - API Gateway authorizers: never an error (API Gateway turns it into a
//     500) and never a proxy response (an authorizer cannot return one),
//     but an IAM policy that denies the method or route, so that the client
//     gets a 403. A REST API TOKEN or REQUEST authorizer, an HTTP API
//     authorizer with payload format 1.0 and a WebSocket $connect authorizer
//     (methodArn in the event) get
//     {"principalId":"fnguard","policyDocument":{"Version":"2012-10-17",
//     "Statement":[{"Action":["execute-api:Invoke"],"Effect":"Deny","Resource":["<methodArn>"]}]}}.
//     An HTTP API authorizer with payload format 2.0 (routeArn in the event)
//     may be configured for simple responses ({"isAuthorized": bool}) or
//     for IAM policies, and the event does not say which: fnguard answers
//     with one document valid in both formats, {"isAuthorized":false, ...}
//     plus the Deny policy on the routeArn. Either way the request is
//     refused with a 403.
//   - API Gateway WebSocket routes: {"statusCode":403,...} without calling
//     the handler ($connect: the connection is refused).
//   - VPC Lattice: an HTTP response as for ALB (statusCode,
//     statusDescription, headers, body).
//   - AppSync Lambda authorizer: {"isAuthorized":false}.
//   - IoT Core custom authorizer: {"isAuthenticated":false,...}; IoT
//     pre-provisioning hook: {"allowProvisioning":false}.
//   - Transfer Family custom identity provider: {} (no Role: the login is
//     refused); Client VPN connection handler: {"allow":false,...}.
//   - Kinesis Firehose: the poisoned records come back with result
//     "ProcessingFailed" (and their data unchanged), the clean ones are
//     processed by the handler; see firehose.go.
//   - Batched AppSync resolvers: each poisoned call gets
//     {"data":null,"errorMessage":"Forbidden","errorType":"fnguard.Blocked"}
//     in its place, the clean calls the handler's results; see appsync.go.
//   - S3 Batch Operations: the task is reported as a PermanentFailure with
//     fnguard's reason, in the response format of the job's schema version.
//   - Bedrock agents: an action group response with httpStatusCode 403.
//   - SES receipt rules: {"disposition":"STOP_RULE_SET"}, so that no
//     further action or rule handles the message.
//   - Lex V1 and V2 code hooks: the intent closed as Failed with a message
//     for the user ("Sorry, I can't help with that request.").
//   - CloudFormation custom resources: a FAILED response PUT to the
//     event's ResponseURL (cfn.go), so that the stack does not wait an
//     hour; the error when it cannot be sent.
//   - Every other family (Cognito and the other synchronous triggers,
//     CloudWatch Logs, Kafka, MQ, ...): the *guard.BlockedError
//     (errors.Is guard.ErrBlocked, ErrRejected or ErrFailed). Synchronous
//     callers (Cognito, Lex, Connect, S3 Object Lambda, AppSync resolvers)
//     report it to their caller (a batched AppSync
//     resolver whose finding is not in one call fails every call); asynchronous and stream sources keep the
//     event for retries and on-failure destinations.

// familyAnswer is the answer of a family whose platform takes one in place
// of an error, or nil.
func familyAnswer(st *state, fam family, status int, d *guard.Decision) []byte {
	e := &st.env
	switch fam {
	case famAuthToken, famAuthRequest:
		arn, _ := e.methodArn.Str()
		return denyPolicy(false, arn)
	case famAuthRequestV2:
		arn, _ := e.routeArn.Str()
		return denyPolicy(true, arn)
	case famWebSocket:
		return errorResponse(kindRESTv1, false, status, st.inv.RequestID)
	case famVPCLattice, famVPCLatticeV2:
		return errorResponse(kindALB, false, status, st.inv.RequestID)
	case famAppSyncAuth:
		return []byte(`{"isAuthorized":false}`)
	case famIoTAuth:
		return []byte(`{"isAuthenticated":false,"principalId":"fnguard","disconnectAfterInSeconds":300,"refreshAfterInSeconds":300,"policyDocuments":[]}`)
	case famIoTProvision:
		return []byte(`{"allowProvisioning":false}`)
	case famTransfer:
		// No Role: Transfer Family refuses the login.
		return []byte(`{}`)
	case famClientVPN:
		return []byte(`{"allow":false,"error-msg-on-denied-connection":"Forbidden","posture-compliance-statuses":[],"schema-version":"v1"}`)
	case famS3Batch:
		return s3BatchFailure(st, d)
	case famBedrockAgent:
		return bedrockAnswer(st, status)
	case famLexV1:
		return []byte(`{"dialogAction":{"type":"Close","fulfillmentState":"Failed","message":{"contentType":"PlainText","content":` + lexRefusal + `}}}`)
	case famLexV2:
		return lexV2Close(st)
	}
	return nil
}

// sesStop is the answer of an SES receipt rule invoked synchronously: no
// further action or rule handles the message. (An asynchronous invocation
// ignores the answer, as it would the error.)
func sesStop(*state, guard.Decision) ([]byte, error) {
	return []byte(`{"disposition":"STOP_RULE_SET"}`), nil
}

// lexRefusal is what a Lex bot tells the user whose turn fnguard refused.
const lexRefusal = `"Sorry, I can't help with that request."`

// lexV2Close closes the Lex V2 intent as Failed with lexRefusal, so that
// the bot answers the user rather than reporting a code hook error.
func lexV2Close(st *state) []byte {
	name, _ := st.root.Get("sessionState").Get("intent").Get("name").Str()
	out := make([]byte, 0, 192+len(name))
	out = append(out, `{"sessionState":{"dialogAction":{"type":"Close"},"intent":{"name":`...)
	out = appendJSONString(out, name)
	out = append(out, `,"state":"Failed"}},"messages":[{"contentType":"PlainText","content":`+lexRefusal+`}]}`...)
	return out
}

// denyPolicy is an authorizer answer that denies resource (every method
// and route when the event named none). simple adds "isAuthorized":false
// for HTTP API payload 2.0 authorizers with simple responses.
func denyPolicy(simple bool, resource string) []byte {
	if resource == "" {
		resource = "*"
	}
	out := make([]byte, 0, 192+len(resource))
	out = append(out, '{')
	if simple {
		out = append(out, `"isAuthorized":false,`...)
	}
	// Action and Resource as arrays, as aws-lambda-go's IAMPolicyStatement
	// encodes them (IAM takes a string or an array).
	out = append(out, `"principalId":"fnguard","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":["execute-api:Invoke"],"Effect":"Deny","Resource":[`...)
	out = appendJSONString(out, resource)
	return append(out, `]}]}}`...)
}

// s3BatchFailure reports the job's tasks as permanent failures:
//
//	{"invocationSchemaVersion":"1.0","treatMissingKeysAs":"PermanentFailure",
//	 "invocationId":"...","results":[{"taskId":"...","resultCode":"PermanentFailure","resultString":"..."}]}
func s3BatchFailure(st *state, d *guard.Decision) []byte {
	root := st.root
	ver, _ := root.Get("invocationSchemaVersion").Str()
	if ver == "" {
		ver = "1.0"
	}
	id, _ := root.Get("invocationId").Str()
	reason := "fnguard: " + d.Action.String()
	if d.Reason != "" {
		reason += ": " + d.Reason
	}
	out := make([]byte, 0, 256)
	out = append(out, `{"invocationSchemaVersion":`...)
	out = appendJSONString(out, ver)
	out = append(out, `,"treatMissingKeysAs":"PermanentFailure","invocationId":`...)
	out = appendJSONString(out, id)
	out = append(out, `,"results":[`...)
	for i, t := range root.Get("tasks").Elems() {
		if i > 0 {
			out = append(out, ',')
		}
		tid, _ := t.Get("taskId").Str()
		out = append(out, `{"taskId":`...)
		out = appendJSONString(out, tid)
		out = append(out, `,"resultCode":"PermanentFailure","resultString":`...)
		out = appendJSONString(out, clip(reason, 512))
		out = append(out, '}')
	}
	return append(out, "]}"...)
}

// bedrockAnswer is a Bedrock agent action group response refusing the
// call: the same actionGroup, apiPath (or function) and httpMethod, with
// httpStatusCode 403 (400 for a rejection) and a JSON message.
func bedrockAnswer(st *state, status int) []byte {
	root := st.root
	out := make([]byte, 0, 320)
	out = append(out, `{"messageVersion":"1.0","response":{"actionGroup":`...)
	ag, _ := root.Get("actionGroup").Str()
	out = appendJSONString(out, ag)
	body := `{"message":"` + statusText(status) + `","requestId":` + string(appendJSONString(nil, st.inv.RequestID)) + `}`
	if fn, ok := root.Get("function").Str(); ok && fn != "" {
		// Function-details action groups.
		out = append(out, `,"function":`...)
		out = appendJSONString(out, fn)
		out = append(out, `,"functionResponse":{"responseState":"FAILURE","responseBody":{"TEXT":{"body":`...)
		out = appendJSONString(out, body)
		return append(out, `}}}}}`...)
	}
	p, _ := root.Get("apiPath").Str()
	m, _ := root.Get("httpMethod").Str()
	out = append(out, `,"apiPath":`...)
	out = appendJSONString(out, p)
	out = append(out, `,"httpMethod":`...)
	out = appendJSONString(out, m)
	out = append(out, `,"httpStatusCode":`...)
	out = strconv.AppendInt(out, int64(status), 10)
	out = append(out, `,"responseBody":{"application/json":{"body":`...)
	out = appendJSONString(out, body)
	return append(out, `}}}}`...)
}

// noGuardFamily answers for a nil guard when the family takes an answer in
// place of an error (authorizers deny, WebSocket and VPC Lattice get 503).
func noGuardFamily(e *envelope, root jsontree.Value, reqID string) []byte {
	st := &state{env: *e, root: root}
	st.inv.RequestID = reqID
	d := guard.Decision{Action: guard.ActionFail, Status: 503, Reason: guard.ErrNoGuard.Error()}
	return familyAnswer(st, e.fam, 503, &d)
}
