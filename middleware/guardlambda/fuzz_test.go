package guardlambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// FuzzWrapHandler feeds arbitrary payloads through the wrapper: it must
// never panic, and every invocation must either reach the handler or end in
// a well-formed refusal (an HTTP response with the decision's status, a
// *guard.BlockedError, or a batch response naming the poisoned records).
func FuzzWrapHandler(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "null", "[]", "{}", `{"Records":[]}`, `{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`,
		`{"httpMethod":"GET","requestContext":{},"body":"aGk=","isBase64Encoded":true}`,
		`{"version":"2.0","requestContext":{"http":{}},"rawQueryString":"a=%zz&b=%41+c"}`,
		`{"detail-type":"a","source":"b","detail":"c"}`, `{"a":"b","a":"c"}`} {
		f.Add([]byte(s))
	}
	// One real event of each family (testdata/real).
	for _, rel := range []string{
		"aws-lambda-go/events/apigw-custom-auth-request.json", "aws-lambda-go/events/apigw-custom-auth-request-type-request.json",
		"aws-lambda-go/events/apigw-v2-custom-authorizer-v2-request.json", "aws-lambda-go/events/apigw-websocket-request-send-message.json",
		"powertools-python/appSyncDirectResolver.json", "powertools-python/appSyncBatchEvent.json", "powertools-python/appSyncAuthorizerEvent.json",
		"powertools-python/vpcLatticeEvent.json", "powertools-python/vpcLatticeV2Event.json", "aws-lambda-go/events/cognito-event-userpools-presignup.json",
		"aws-lambda-go/events/kafka-event.json", "aws-lambda-go/events/activemq-event.json", "aws-lambda-go/events/rabbitmq-event.json",
		"aws-lambda-go/events/kinesis-firehose-event.json", "aws-lambda-go/events/cloudwatch-logs-event.json",
		"aws-lambda-go/events/s3-batch-job-event-request-2.0.json", "aws-lambda-go/events/s3-object-lambda-event-get-object-iam.json",
		"aws-lambda-go/cfn/cloudformation-event.json", "powertools-python/secretsManagerEvent.json", "powertools-python/bedrockAgentPostEvent.json",
		"aws-lambda-go/events/lex-event.json", "aws-lambda-go/events/connect-event.json", "aws-lambda-go/events/iot-custom-auth-request.json",
		"aws-lambda-go/events/iot-preprovision-hook-request.json", "aws-lambda-go/events/config-event.json", "aws-lambda-go/events/ses-lambda-event.json",
		"aws-lambda-go/events/code-commit-event.json",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "real", rel))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Members of the wrong type for aws-lambda-go's structs.
	for _, s := range typedMutationSeeds {
		f.Add([]byte(s))
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogRate(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	var called bool
	var handed []byte
	next := handlerFunc(func(_ context.Context, p []byte) ([]byte, error) {
		called, handed = true, p
		return []byte(`{"statusCode":200,"body":"ok"}`), nil
	})
	w := WrapHandler(g, next)
	f.Fuzz(func(t *testing.T, payload []byte) {
		called, handed = false, nil
		in := append([]byte(nil), payload...)
		// The mapping refuses a recognised event as malformed exactly when
		// aws-lambda-go cannot decode it into the source's struct.
		checkDecodes(t, g, payload)
		out, err := w.Invoke(context.Background(), payload)
		if string(in) != string(payload) {
			t.Fatal("the wrapper modified the payload")
		}
		if called {
			if err != nil {
				t.Fatalf("handler ran but err %v", err)
			}
			// What the handler gets is always one valid JSON document.
			if _, perr := jsontree.Parse(handed, jsontree.Limits{MaxDepth: -1, AllowDuplicateKeys: true}); perr != nil && string(handed) != string(payload) {
				t.Fatalf("handler got invalid JSON %q: %v", handed, perr)
			}
			// ... and it decodes into the struct of its source.
			if doc, perr := jsontree.Parse(handed, envelopeLimits); perr == nil {
				var e envelope
				if k := recognize(doc.Root(), &e); k != kindUnknown && e.fam == famNone && shapeOf(k) != nil {
					if derr := decodeAs(k, handed); derr != nil {
						t.Fatalf("handler got a %s event that does not decode: %v", k.source(), derr)
					}
				}
			}
			return
		}
		if err != nil {
			var be *guard.BlockedError
			if !errors.As(err, &be) || be.Decision.Allowed() {
				t.Fatalf("refusal is not a *guard.BlockedError: %v (%T)", err, err)
			}
			return
		}
		// Not called, no error: an HTTP refusal, a batch of poisoned
		// records, or a family's own refusal (answers.go).
		doc, perr := jsontree.Parse(out, jsontree.Limits{MaxDepth: -1})
		if perr != nil {
			t.Fatalf("response %q is not JSON: %v", out, perr)
		}
		root := doc.Root()
		if isFamilyRefusal(root) {
			return
		}
		if code, ok := root.Get("statusCode").Int64(); ok {
			if code < 400 || code > 599 {
				t.Fatalf("refusal status %d", code)
			}
			return
		}
		if root.Get("batchItemFailures").Len() == 0 {
			t.Fatalf("handler skipped without a refusal: %s", out)
		}
	})
}

// heldIDs is a failure set of records held back from the handler, in an
// unordered batch.
type heldIDs []string

func (h heldIDs) Held() int          { return len(h) }
func (heldIDs) Ordered() bool        { return false }
func (heldIDs) HandlerFailed(string) {}
func (h heldIDs) Failures() []string { return h }

// isFamilyRefusal reports whether root is one of the refusals of answers.go.
func isFamilyRefusal(root jsontree.Value) bool {
	if st, _ := root.Path("policyDocument", "Statement").At(0).Get("Effect").Str(); st == "Deny" {
		return true
	}
	if root.Kind() == jsontree.Object && root.Len() == 0 {
		return true // Transfer Family: no Role
	}
	for _, k := range []string{"isAuthorized", "isAuthenticated", "allowProvisioning", "allow"} {
		if b, ok := root.Get(k).Bool(); ok && !b {
			return true
		}
	}
	if code, ok := root.Path("response", "httpStatusCode").Int64(); ok && code >= 400 {
		return true
	}
	if rc, _ := root.Get("results").At(0).Get("resultCode").Str(); rc == "PermanentFailure" {
		return true
	}
	if r, _ := root.Get("records").At(0).Get("result").Str(); r == "ProcessingFailed" {
		return true
	}
	return false
}

type handlerFunc func(context.Context, []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, p []byte) ([]byte, error) { return f(ctx, p) }

// FuzzMergeFailures: whatever the handler answers, the merged response
// never panics, and when it is valid JSON it names every poisoned record.
func FuzzMergeFailures(f *testing.F) {
	for _, s := range []string{"", "null", "{}", `{"batchItemFailures":[]}`, `{"batchItemFailures":[{"itemIdentifier":"a"}],"x":1}`,
		`{"batchItemFailures":null}`, `{"batchItemFailures":"x"}`, `"str"`, `[1]`, `{`, ` { "k" : [ ] } `} {
		f.Add([]byte(s), "id-\"1\"")
	}
	log := zap.NewNop()
	f.Fuzz(func(t *testing.T, resp []byte, id string) {
		out, err := mergeFailures(log, resp, heldIDs{id, "second"})
		if err != nil {
			if !errors.Is(err, ErrBatchResponse) || out != nil {
				t.Fatalf("err %v (out %q)", err, out)
			}
			if _, perr := jsontree.Parse(bytes.TrimSpace(resp), batchResponseLimits); perr == nil {
				t.Fatalf("valid response %q refused: %v", resp, err)
			}
			return
		}
		doc, err := jsontree.Parse(out, batchResponseLimits)
		if err != nil {
			t.Fatalf("invalid merged response %q from %q: %v", out, resp, err)
		}
		n := 0
		for _, e := range doc.Root().Get("batchItemFailures").Elems() {
			if s, _ := e.Get("itemIdentifier").Str(); s == "second" {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("merged response %q lost a poisoned record (handler said %q)", out, resp)
		}
	})
}

// FuzzHTTPEvent builds well-formed API Gateway events (v1 and v2) around
// fuzzed client-controlled strings, so that the fuzzer spends its time on
// the mapping rather than on JSON syntax. The handler must either get the
// event byte for byte or not run at all, and a refusal is an HTTP response.
func FuzzHTTPEvent(f *testing.F) {
	f.Add("x-test", "value", "q", "blue shoes", "session=1; theme=dark", `{"a":"b"}`, false, false, uint8(0))
	f.Add("User-Agent", "${jndi:ldap://x/a}", "id", "' OR 1=1--", "a=<script>", "aGVsbG8=", true, true, uint8(0))
	f.Add("", "", "", "", ";;=", "%%%", true, false, uint8(0))
	f.Add("X-Forwarded-For", "1.2.3.4, ::1", "a%20b", "c+d%zz", "=", "", false, true, uint8(0))
	for i, m := range httpTypeMutations {
		f.Add("x-test", "value", "q", "blue shoes", "a=b", "{}", false, !m.v1, uint8(i+1))
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogRate(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	var handed []byte
	w := WrapHandler(g, handlerFunc(func(_ context.Context, p []byte) ([]byte, error) {
		handed = p
		return []byte(`{"statusCode":200}`), nil
	}))
	f.Fuzz(func(t *testing.T, hName, hValue, qName, qValue, cookie, body string, b64, v2 bool, mutation uint8) {
		var ev map[string]any
		if v2 {
			ev = map[string]any{
				"version": "2.0", "routeKey": "$default", "rawPath": "/" + qName, "rawQueryString": qName + "=" + qValue,
				"cookies": []string{cookie}, "headers": map[string]string{hName: hValue},
				"queryStringParameters": map[string]string{qName: qValue},
				"requestContext": map[string]any{"http": map[string]any{"method": "POST", "sourceIp": hValue},
					"domainName": "x.execute-api.eu-west-1.amazonaws.com", "timeEpoch": 1710270238000},
				"body": body, "isBase64Encoded": b64,
			}
		} else {
			ev = map[string]any{
				"httpMethod": "POST", "path": "/" + qName, "resource": "/{proxy+}",
				"headers":               map[string]string{hName: hValue, "Cookie": cookie},
				"multiValueHeaders":     map[string][]string{hName: {hValue, hValue}, "Cookie": {cookie}},
				"queryStringParameters": map[string]string{qName: qValue}, "multiValueQueryStringParameters": map[string][]string{qName: {qValue}},
				"pathParameters": map[string]string{"proxy": qValue},
				"requestContext": map[string]any{"identity": map[string]string{"sourceIp": hValue}, "authorizer": map[string]string{"principalId": cookie},
					"requestTimeEpoch": 1710270238000},
				"body": body, "isBase64Encoded": b64,
			}
		}
		// A member of the wrong type for the event's aws-lambda-go struct.
		var mut *httpTypeMutation
		if mutation > 0 {
			mut = &httpTypeMutations[int(mutation-1)%len(httpTypeMutations)]
			if v2 && !mut.v2 || !v2 && !mut.v1 {
				t.Skip() // a member this version's struct does not have
			}
			m := ev
			for _, k := range mut.path[:len(mut.path)-1] {
				m = m[k].(map[string]any)
			}
			m[mut.path[len(mut.path)-1]] = mut.value
		}
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Skip()
		}
		handed = nil
		out, err := w.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("HTTP event answered with an error: %v", err)
		}
		if handed != nil {
			if mut != nil {
				t.Fatalf("%s = %s: handler ran on an event aws-lambda-go cannot decode", strings.Join(mut.path, "."), mut.value)
			}
			if string(handed) != string(payload) {
				t.Fatalf("handler got a modified event")
			}
			return
		}
		doc, perr := jsontree.Parse(out, jsontree.Limits{})
		if perr != nil {
			t.Fatalf("refusal %q: %v", out, perr)
		}
		code, _ := doc.Root().Get("statusCode").Int64()
		if code < 400 || code > 599 || mut != nil && code != 400 {
			t.Fatalf("refusal status %d: %s", code, out)
		}
	})
}

// httpTypeMutation puts a value of the wrong type at path in the events
// FuzzHTTPEvent builds; v1 and v2 tell which payload versions' structs have
// that member (the other one ignores it).
type httpTypeMutation struct {
	path   []string
	value  json.RawMessage
	v1, v2 bool
}

var httpTypeMutations = []httpTypeMutation{
	{[]string{"headers"}, json.RawMessage(`[]`), true, true},
	{[]string{"isBase64Encoded"}, json.RawMessage(`"yes"`), true, true},
	{[]string{"requestContext", "requestTimeEpoch"}, json.RawMessage(strings.Repeat("9", 10000)), true, false},
	{[]string{"requestContext", "timeEpoch"}, json.RawMessage(`1.5`), false, true},
	{[]string{"body"}, json.RawMessage(`{"a":1}`), true, true},
	{[]string{"queryStringParameters"}, json.RawMessage(`{"q":["a"]}`), true, true},
	{[]string{"requestContext"}, json.RawMessage(`5`), true, true},
	{[]string{"httpMethod"}, json.RawMessage(`5`), true, false},
	{[]string{"version"}, json.RawMessage(`2`), false, true},
	{[]string{"httpMethod"}, json.RawMessage(`{}`), true, false},
	{[]string{"cookies"}, json.RawMessage(`{}`), false, true},
	{[]string{"requestContext", "authorizer"}, json.RawMessage(`{"n":1e999}`), true, false},
	{[]string{"multiValueHeaders"}, json.RawMessage(`{"a":"b"}`), true, false},
	{[]string{"requestContext", "http", "method"}, json.RawMessage(`true`), false, true},
	{[]string{"pathParameters"}, json.RawMessage(`[1]`), true, true},
	{[]string{"BODY"}, json.RawMessage(`"uninspected"`), true, true},
}

// typedMutationSeeds are whole events with members of the wrong type.
var typedMutationSeeds = []string{
	`{"httpMethod":5,"requestContext":{}}`,
	`{"httpMethod":{},"requestContext":{"requestId":"r"}}`,
	`{"httpMethod":"GET","requestContext":{"requestTimeEpoch":` + strings.Repeat("7", 10000) + `}}`,
	`{"httpMethod":"GET","requestContext":{},"headers":[]}`,
	`{"httpMethod":"GET","requestContext":{},"body":"x","isBase64Encoded":"yes"}`,
	`{"httpMethod":"GET","requestContext":{"elb":5}}`,
	`{"version":2,"requestContext":{"http":{}},"rawPath":"/"}`,
	`{"version":"2.0","requestContext":{"http":{},"timeEpoch":1.5,"domainName":"a.lambda-url.eu-west-1.on.aws"}}`,
	`{"httpMethod":"GET","requestContext":{},"Body":"x"}`,
	`{"Records":[{"eventSource":"aws:sqs","body":"x","messageAttributes":{"a":{"stringValue":5,"binaryValue":[256]}}}]}`,
	`{"Records":[{"EventSource":"aws:sns","Sns":{"Timestamp":"yesterday","MessageAttributes":[]}}]}`,
	`{"Records":[{"eventSource":"aws:s3","eventTime":0,"s3":{"object":{"size":"1"}}}]}`,
	`{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"NewImage":{"a":{"BS":[1]},"b":{"S":"x","N":"1"}}}}]}`,
	`{"Records":[{"eventSource":"aws:kinesis","kinesis":{"approximateArrivalTimestamp":"x","data":[1,2]}}]}`,
	`{"Records":[{"eventSource":"aws:sqs"},{"eventSource":5}]}`,
	`{"detail-type":"a","source":"b","detail":{},"account":123,"time":"now"}`,
}

// checkDecodes runs the mapping alone: for a recognised event it must
// refuse the event as malformed exactly when aws-lambda-go cannot decode it
// into the struct of its source, save for the adapter's deliberate refusals
// and members whose names differ from a field's only in case.
func checkDecodes(t *testing.T, g *guard.Guard, payload []byte) {
	t.Helper()
	k, rej := verdict(t, g, payload)
	if k == kindUnknown {
		return
	}
	derr := decodeAs(k, payload)
	switch {
	case rej == nil && derr != nil:
		t.Fatalf("%s event passed the mapping but does not decode: %v", k.source(), derr)
	case rej != nil && derr == nil && !deliberate(rej) && !strings.Contains(rej.reason, "only in letter case"):
		t.Fatalf("%s event refused (%s) but decodes", k.source(), rej.reason)
	}
}

// FuzzTypeMutations replaces one value of a recognised fixture with an
// arbitrary JSON value: the mapping must refuse the result exactly when
// aws-lambda-go cannot decode it (see TestTypeChecksMatchDecoding).
func FuzzTypeMutations(f *testing.F) {
	var fixtures [][]byte
	var spans [][][2]int
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		doc, err := jsontree.Parse(b, envelopeLimits)
		if err != nil || recognize(doc.Root(), new(envelope)) == kindUnknown {
			continue
		}
		fixtures = append(fixtures, b)
		spans = append(spans, valueSpans(doc.Root(), nil))
	}
	for i, m := range typeMutations {
		if len(m) < 100 {
			f.Add(uint8(i), uint16(i*7), []byte(m))
		}
	}
	f.Add(uint8(0), uint16(3), []byte(`{"n":123456789012345678901234567890e300}`))
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogRate(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fi uint8, vi uint16, repl []byte) {
		if _, err := jsontree.Parse(repl, jsontree.Limits{MaxDepth: -1}); err != nil {
			t.Skip()
		}
		i := int(fi) % len(fixtures)
		src, sp := fixtures[i], spans[i][int(vi)%len(spans[i])]
		p := make([]byte, 0, len(src)+len(repl))
		p = append(append(append(p, src[:sp[0]]...), repl...), src[sp[1]:]...)
		checkDecodes(t, g, p)
	})
}
