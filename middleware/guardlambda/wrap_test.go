package guardlambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func newGuard(t testing.TB, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	base := []guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0)}
	g, err := guard.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("guard.New: %v", err)
	}
	return g, logs
}

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func invokeCtx(reqID string) context.Context {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: reqID})
	//lint:ignore SA1029 aws-lambda-go's own key is this string
	return context.WithValue(ctx, "x-amzn-trace-id", "Root=1-65a1b2c3-0123456789abcdef01234567")
}

// errorBody is the body of fnguard's refusals.
type errorBody struct {
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

func decodeBody(t *testing.T, body string) errorBody {
	t.Helper()
	var eb errorBody
	if err := json.Unmarshal([]byte(body), &eb); err != nil {
		t.Fatalf("refusal body %q: %v", body, err)
	}
	return eb
}

func TestWrapRESTv1(t *testing.T) {
	tests := []struct {
		fixture string
		status  int
		message string
	}{
		{"apigw_v1_benign.json", 200, ""},
		{"apigw_v1_1kb.json", 200, ""},
		{"apigw_v1_sqli_query.json", 403, "Forbidden"},
		{"apigw_v1_xss_body.json", 403, "Forbidden"},
		{"apigw_v1_b64_jndi_body.json", 403, "Forbidden"},
		{"apigw_v1_traversal_path.json", 403, "Forbidden"},
		{"apigw_v1_cmdi_multiheader.json", 403, "Forbidden"},
		{"apigw_v1_sqli_cookie.json", 403, "Forbidden"},
		{"apigw_v1_single_differs.json", 403, "Forbidden"},
		{"apigw_v1_bad_base64.json", 400, "Bad Request"},
	}
	g, _ := newGuard(t)
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var called atomic.Int32
			h := guardlambda.Wrap(g, func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				called.Add(1)
				return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok:" + req.PathParameters["id"]}, nil
			})
			out, err := h.Invoke(invokeCtx("req-v1"), load(t, tt.fixture))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("response %s: %v", out, err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.status, out)
			}
			if tt.status == 200 {
				if called.Load() != 1 || resp.Body != "ok:1234" {
					t.Fatalf("handler called %d times, body %q", called.Load(), resp.Body)
				}
				return
			}
			if called.Load() != 0 {
				t.Fatal("handler called for a refused event")
			}
			if ct := resp.Headers["Content-Type"]; ct != "application/json" || resp.IsBase64Encoded {
				t.Errorf("headers %v, base64 %v", resp.Headers, resp.IsBase64Encoded)
			}
			if eb := decodeBody(t, resp.Body); eb.Message != tt.message || eb.RequestID != "req-v1" {
				t.Errorf("body %+v", eb)
			}
		})
	}
}

func TestWrapHTTPv2AndFunctionURL(t *testing.T) {
	g, _ := newGuard(t)
	v2 := func(called *atomic.Int32) lambda.Handler {
		return guardlambda.Wrap(g, func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			called.Add(1)
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: req.RawPath}, nil
		})
	}
	url := func(called *atomic.Int32) lambda.Handler {
		return guardlambda.Wrap(g, func(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
			called.Add(1)
			return events.LambdaFunctionURLResponse{StatusCode: 200, Body: req.RawPath}, nil
		})
	}
	tests := []struct {
		fixture string
		handler func(*atomic.Int32) lambda.Handler
		status  int
	}{
		{"apigw_v2_benign.json", v2, 200},
		{"apigw_v2_sqli_rawquery.json", v2, 403},
		{"apigw_v2_xss_cookie.json", v2, 403},
		{"apigw_v2_ssrf_body.json", v2, 403},
		{"function_url_benign.json", url, 200},
		{"function_url_traversal.json", url, 403},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var called atomic.Int32
			out, err := tt.handler(&called).Invoke(invokeCtx("req-v2"), load(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			var resp events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || (called.Load() == 1) != (tt.status == 200) {
				t.Fatalf("status %d (want %d), handler called %d times: %s", resp.StatusCode, tt.status, called.Load(), out)
			}
			if tt.status == 403 {
				if eb := decodeBody(t, resp.Body); eb.Message != "Forbidden" || eb.RequestID != "req-v2" || resp.Headers["Content-Type"] != "application/json" {
					t.Errorf("refusal %s", out)
				}
			}
		})
	}
}

func TestWrapALB(t *testing.T) {
	tests := []struct {
		fixture string
		status  int
		multi   bool
	}{
		{"alb_multi_benign.json", 200, true},
		{"alb_multi_sqli_encoded_query.json", 403, true},
		{"alb_jndi_useragent.json", 403, false},
	}
	g, _ := newGuard(t)
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var got events.ALBTargetGroupRequest
			h := guardlambda.Wrap(g, func(ctx context.Context, req events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
				got = req
				return events.ALBTargetGroupResponse{StatusCode: 200, StatusDescription: "200 OK", Body: "hi"}, nil
			})
			out, err := h.Invoke(invokeCtx("req-alb"), load(t, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			var resp events.ALBTargetGroupResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, out)
			}
			if tt.status == 200 {
				if got.Path != "/search" {
					t.Errorf("handler got %+v", got)
				}
				return
			}
			if got.HTTPMethod != "" {
				t.Fatal("handler called")
			}
			if resp.StatusDescription != "403 Forbidden" {
				t.Errorf("statusDescription %q", resp.StatusDescription)
			}
			ct := resp.Headers["Content-Type"]
			if tt.multi {
				ct = strings.Join(resp.MultiValueHeaders["Content-Type"], ",")
				if resp.Headers != nil {
					t.Errorf("multi-value ALB answered with headers: %s", out)
				}
			}
			if ct != "application/json" {
				t.Errorf("content type %q: %s", ct, out)
			}
			if eb := decodeBody(t, resp.Body); eb.Message != "Forbidden" || eb.RequestID != "req-alb" {
				t.Errorf("body %+v", eb)
			}
		})
	}
}

// sqsHandler records the message ids it is given and reports the ids in
// fail as its own batch item failures.
func sqsHandler(seen *[]string, fail ...string) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, r := range ev.Records {
			*seen = append(*seen, r.MessageId)
			if slices.Contains(fail, r.MessageId) {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
			}
		}
		return resp, nil
	}
}

func failures(t *testing.T, out []byte) []string {
	t.Helper()
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	ids := []string{}
	for _, f := range resp.BatchItemFailures {
		ids = append(ids, f.ItemIdentifier)
	}
	return ids
}

func TestWrapSQSPartialBatch(t *testing.T) {
	g, _ := newGuard(t)
	var seen []string
	h := guardlambda.Wrap(g, sqsHandler(&seen, "msg-0"))
	out, err := h.Invoke(invokeCtx("req-sqs"), load(t, "sqs_batch_poisoned.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"msg-0", "msg-1", "msg-2"}; !slices.Equal(seen, want) {
		t.Errorf("handler saw %q, want %q", seen, want)
	}
	if got, want := failures(t, out), []string{"msg-0", "msg-9"}; !slices.Equal(got, want) {
		t.Errorf("batchItemFailures %q, want %q (%s)", got, want, out)
	}
}

func TestWrapSQSCleanRecordsByteForByte(t *testing.T) {
	g, _ := newGuard(t)
	payload := load(t, "sqs_batch_poisoned.json")
	var got []byte
	h := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		got = append([]byte(nil), p...)
		return []byte(`{"batchItemFailures":[],"processed":3}`), nil
	}))
	out, err := h.Invoke(invokeCtx("req-raw"), payload)
	if err != nil {
		t.Fatal(err)
	}
	// Every clean record reaches the handler exactly as it was sent.
	var in, filtered struct{ Records []json.RawMessage }
	if err := json.Unmarshal(payload, &in); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &filtered); err != nil {
		t.Fatalf("filtered payload %s: %v", got, err)
	}
	want := [][]byte{in.Records[0], in.Records[1], in.Records[3]}
	if len(filtered.Records) != len(want) {
		t.Fatalf("%d records reached the handler", len(filtered.Records))
	}
	for i := range want {
		if string(filtered.Records[i]) != string(want[i]) {
			t.Errorf("record %d changed:\n%s\nwant\n%s", i, filtered.Records[i], want[i])
		}
	}
	if string(out) != `{"batchItemFailures":[{"itemIdentifier":"msg-9"}],"processed":3}` {
		t.Errorf("response %s", out)
	}
}

type lambdaHandlerFunc func(context.Context, []byte) ([]byte, error)

func (f lambdaHandlerFunc) Invoke(ctx context.Context, p []byte) ([]byte, error) { return f(ctx, p) }

func TestWrapSQSAllPoisonedSkipsHandler(t *testing.T) {
	g, _ := newGuard(t)
	var seen []string
	out, err := guardlambda.Wrap(g, sqsHandler(&seen)).Invoke(invokeCtx("req"), load(t, "sqs_all_poisoned.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 {
		t.Errorf("handler saw %q", seen)
	}
	if got := failures(t, out); !slices.Equal(got, []string{"msg-0", "msg-1"}) {
		t.Errorf("failures %q", got)
	}
}

func TestWrapSQSCleanBatchUntouched(t *testing.T) {
	g, _ := newGuard(t)
	var seen []string
	inner := lambda.NewHandler(sqsHandler(&seen, "msg-4"))
	payload := load(t, "sqs_batch_clean.json")
	want, err := inner.Invoke(invokeCtx("req"), payload)
	if err != nil {
		t.Fatal(err)
	}
	seen = nil
	out, err := guardlambda.WrapHandler(g, inner).Invoke(invokeCtx("req"), payload)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(want) || len(seen) != 10 {
		t.Errorf("response %s (want %s), %d records seen", out, want, len(seen))
	}
}

func TestWrapSQSHandlerErrorRetriesBatch(t *testing.T) {
	g, _ := newGuard(t)
	boom := errors.New("database down")
	h := guardlambda.Wrap(g, func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		return events.SQSEventResponse{}, boom
	})
	if _, err := h.Invoke(invokeCtx("req"), load(t, "sqs_batch_poisoned.json")); !errors.Is(err, boom) {
		t.Fatalf("err %v, want the handler's", err)
	}
}

// TestWrapStreamsPartialBatch: a poisoned stream record fails with the later
// records of its shard (Lambda resumes the shard from the first failed
// sequence number: handing them to the handler would process them twice
// and out of order), unless FNGUARD_STREAM_ORDER=unordered.
func TestWrapStreamsPartialBatch(t *testing.T) {
	for _, tc := range []struct {
		order                  guard.StreamOrder
		dynamoSeen, dynamoFail []string
		kinesisSeen            []string
		kinesisFail            []string // suffixes
	}{
		{guard.StreamOrderStrict, []string{"111000000000"}, []string{"111000000001", "111000000002", "111000000003"},
			[]string{`{"page": "/home"}`}, []string{"3333331", "3333332"}},
		{guard.StreamOrderUnordered, []string{"111000000000", "111000000003"}, []string{"111000000001", "111000000002"},
			[]string{`{"page": "/home"}`, "plain text click"}, []string{"3333331"}},
	} {
		g, _ := newGuard(t, guard.WithStreamOrder(tc.order))
		t.Run(tc.order.String()+"/dynamodb", func(t *testing.T) {
			var seen []string
			h := guardlambda.Wrap(g, func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
				for _, r := range ev.Records {
					seen = append(seen, r.Change.SequenceNumber)
				}
				return events.DynamoDBEventResponse{}, nil
			})
			out, err := h.Invoke(invokeCtx("req"), load(t, "dynamodb_batch.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(seen, tc.dynamoSeen) {
				t.Errorf("handler saw %q, want %q", seen, tc.dynamoSeen)
			}
			if got := failures(t, out); !slices.Equal(got, tc.dynamoFail) {
				t.Errorf("failures %q, want %q (%s)", got, tc.dynamoFail, out)
			}
		})
		t.Run(tc.order.String()+"/kinesis", func(t *testing.T) {
			var seen []string
			h := guardlambda.Wrap(g, func(ctx context.Context, ev events.KinesisEvent) (events.KinesisEventResponse, error) {
				for _, r := range ev.Records {
					seen = append(seen, string(r.Kinesis.Data))
				}
				return events.KinesisEventResponse{}, nil
			})
			out, err := h.Invoke(invokeCtx("req"), load(t, "kinesis_batch.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(seen, tc.kinesisSeen) {
				t.Errorf("handler saw %q, want %q", seen, tc.kinesisSeen)
			}
			got := failures(t, out)
			ok := len(got) == len(tc.kinesisFail)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasSuffix(got[i], tc.kinesisFail[i])
			}
			if !ok {
				t.Errorf("failures %q, want ids ending %q (%s)", got, tc.kinesisFail, out)
			}
		})
	}
}

func TestWrapAsyncSourcesReturnTypedErrors(t *testing.T) {
	tests := []struct {
		fixture string
		is      error
	}{
		{"sns_ssrf_message.json", guard.ErrBlocked},
		{"s3_cmdi_key.json", guard.ErrBlocked},
		{"s3_bad_key_encoding.json", guard.ErrRejected},
		{"eventbridge_jndi_detail.json", guard.ErrBlocked},
		{"unknown_cmdi.json", guard.ErrBlocked},
		{"sns_benign.json", nil},
		{"s3_benign.json", nil},
		{"eventbridge_benign.json", nil},
		{"unknown_benign.json", nil},
	}
	g, _ := newGuard(t)
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			called := false
			h := guardlambda.Wrap(g, func(ctx context.Context, ev json.RawMessage) (string, error) {
				called = true
				return "done", nil
			})
			out, err := h.Invoke(invokeCtx("req-async"), load(t, tt.fixture))
			if tt.is == nil {
				if err != nil || !called || string(out) != `"done"` {
					t.Fatalf("out %s, err %v, called %v", out, err, called)
				}
				return
			}
			if called || out != nil {
				t.Fatalf("handler called %v, out %s", called, out)
			}
			var be *guard.BlockedError
			if !errors.As(err, &be) || !errors.Is(err, tt.is) {
				t.Fatalf("err %v (%T), want a *guard.BlockedError matching %v", err, err, tt.is)
			}
			if len(be.Decision.Findings) == 0 {
				t.Errorf("decision without findings: %+v", be.Decision)
			}
		})
	}
}

func TestWrapTypedSNSAndEventBridge(t *testing.T) {
	g, _ := newGuard(t)
	var msg string
	out, err := guardlambda.Wrap(g, func(ctx context.Context, ev events.SNSEvent) (struct{}, error) {
		msg = ev.Records[0].SNS.Message
		return struct{}{}, nil
	}).Invoke(invokeCtx("r"), load(t, "sns_benign.json"))
	if err != nil || msg != `{"order": 7, "status": "paid"}` || string(out) != "{}" {
		t.Fatalf("sns: out %s err %v msg %q", out, err, msg)
	}
	var detail string
	_, err = guardlambda.Wrap(g, func(ctx context.Context, ev events.EventBridgeEvent) (*struct{}, error) {
		detail = string(ev.Detail)
		return nil, nil
	}).Invoke(invokeCtx("r"), load(t, "eventbridge_benign.json"))
	if err != nil || !strings.Contains(detail, "Zoë") {
		t.Fatalf("eventbridge: err %v detail %q", err, detail)
	}
}

func TestWrapNotJSON(t *testing.T) {
	g, logs := newGuard(t)
	for _, payload := range []string{"", "not json", `{"a":1`, `{"a":1}{"b":2}`, "\xff", `{"body":"a","body":"b"}`} {
		t.Run(payload, func(t *testing.T) {
			called := false
			h := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(context.Context, []byte) ([]byte, error) {
				called = true
				return nil, nil
			}))
			_, err := h.Invoke(invokeCtx("req-bad"), []byte(payload))
			var be *guard.BlockedError
			if called || !errors.As(err, &be) || !errors.Is(err, guard.ErrRejected) || be.Decision.Status != 400 {
				t.Fatalf("called %v err %v", called, err)
			}
			if f := be.Decision.Findings; len(f) != 1 || f[0].Location != "event" || !strings.HasPrefix(f[0].Rule, "validation.") {
				t.Errorf("findings %+v", f)
			}
		})
	}
	if logs.Len() == 0 {
		t.Error("rejections were not logged")
	}
}

func TestWrapMonitorModeCallsHandler(t *testing.T) {
	g, logs := newGuard(t, guard.WithMode(guard.Monitor))
	for _, name := range []string{"apigw_v1_sqli_query.json", "apigw_v1_bad_base64.json", "alb_jndi_useragent.json", "sqs_batch_poisoned.json",
		"sns_ssrf_message.json", "s3_cmdi_key.json", "dynamodb_batch.json", "eventbridge_jndi_detail.json", "unknown_cmdi.json"} {
		t.Run(name, func(t *testing.T) {
			payload := load(t, name)
			var got []byte
			h := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
				got = p
				return []byte(`{"statusCode":200,"body":"handled"}`), nil
			}))
			before := logs.Len()
			out, err := h.Invoke(invokeCtx("req-mon"), payload)
			if err != nil || string(out) != `{"statusCode":200,"body":"handled"}` {
				t.Fatalf("out %s err %v", out, err)
			}
			if string(got) != string(payload) {
				t.Error("handler did not get the original payload")
			}
			if logs.Len() == before {
				t.Error("monitored findings were not logged")
			}
		})
	}
	if _, err := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(context.Context, []byte) ([]byte, error) { return nil, nil })).
		Invoke(invokeCtx("r"), []byte("not json")); err != nil {
		t.Errorf("monitor mode refused a non-JSON payload: %v", err)
	}
}

func TestWrapModeOff(t *testing.T) {
	g, _ := newGuard(t, guard.WithMode(guard.Off))
	called := false
	out, err := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(context.Context, []byte) ([]byte, error) {
		called = true
		return []byte("1"), nil
	})).Invoke(invokeCtx("r"), load(t, "apigw_v1_sqli_query.json"))
	if err != nil || !called || string(out) != "1" {
		t.Fatalf("off mode: out %s err %v called %v", out, err, called)
	}
}

func TestWrapNilGuard(t *testing.T) {
	// What happens when guard.New's error is ignored.
	g, err := guard.New(guard.WithoutEnv(), guard.WithMaxBodyBytes(-1))
	var ce *guard.ConfigError
	if g != nil || !errors.As(err, &ce) || ce.Var != "WithMaxBodyBytes" {
		t.Fatalf("guard.New = %v, %v; want a *guard.ConfigError naming WithMaxBodyBytes", g, err)
	}
	called := false
	h := guardlambda.Wrap(g, func(ctx context.Context, ev json.RawMessage) (string, error) {
		called = true
		return "unprotected", nil
	})
	tests := []struct {
		fixture string
		status  int
	}{
		{"apigw_v1_benign.json", 503},
		{"apigw_v2_benign.json", 503},
		{"function_url_benign.json", 503},
		{"alb_multi_benign.json", 503},
		{"sqs_batch_clean.json", 0},
		{"sns_benign.json", 0},
		{"unknown_benign.json", 0},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			out, err := h.Invoke(invokeCtx("req-nil"), load(t, tt.fixture))
			if called {
				t.Fatal("handler ran without a guard")
			}
			if tt.status == 0 {
				if !errors.Is(err, guard.ErrNoGuard) || out != nil {
					t.Fatalf("out %s err %v, want guard.ErrNoGuard", out, err)
				}
				return
			}
			var resp struct {
				StatusCode        int                 `json:"statusCode"`
				Body              string              `json:"body"`
				MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			}
			if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 503 {
				t.Fatalf("out %s err %v", out, err)
			}
			if eb := decodeBody(t, resp.Body); eb.Message != "Service Unavailable" || eb.RequestID != "req-nil" {
				t.Errorf("body %+v", eb)
			}
		})
	}
	if _, err := h.Invoke(invokeCtx("r"), []byte("garbage")); !errors.Is(err, guard.ErrNoGuard) {
		t.Errorf("garbage with nil guard: %v", err)
	}
}

func TestWrapNilHandler(t *testing.T) {
	g, _ := newGuard(t)
	if _, err := guardlambda.WrapHandler(g, nil).Invoke(invokeCtx("r"), load(t, "unknown_benign.json")); !errors.Is(err, guardlambda.ErrNilHandler) {
		t.Fatalf("err %v", err)
	}
}

func TestWrapResponseScan(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	handler := func(body string, b64 bool) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: body, IsBase64Encoded: b64}, nil
		}
	}
	leak := `{"debug":"key=` + secret + `"}`
	t.Run("block", func(t *testing.T) {
		g, _ := newGuard(t, guard.WithResponseScan(guard.ResponseScanBlock))
		out, err := guardlambda.Wrap(g, handler(leak, false)).Invoke(invokeCtx("req-leak"), load(t, "apigw_v1_benign.json"))
		var resp events.APIGatewayProxyResponse
		if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 500 || strings.Contains(string(out), secret) {
			t.Fatalf("out %s err %v", out, err)
		}
		if eb := decodeBody(t, resp.Body); eb.Message != "Internal Server Error" || eb.RequestID != "req-leak" {
			t.Errorf("body %+v", eb)
		}
		// A clean response passes unchanged, and so do what responses
		// legitimately carry: a binary image, a login token.
		img := make([]byte, 48<<10)
		for i := range img {
			img[i] = byte(i*2654435761>>13 ^ i>>5)
		}
		for _, ok := range []struct {
			body string
			b64  bool
		}{
			{`{"ok":true}`, false},
			{b64enc(string(img)), true},
			{`{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMiLCJleHAiOjE3OTk5OTk5OTl9.Zm5ndWFyZC10ZXN0LXNpZ25hdHVyZS12YWx1ZQ","token_type":"Bearer"}`, false},
		} {
			out, err = guardlambda.Wrap(g, handler(ok.body, ok.b64)).Invoke(invokeCtx("r"), load(t, "apigw_v1_benign.json"))
			if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 200 || resp.Body != ok.body {
				t.Fatalf("legitimate response refused or changed: %.300s %v", out, err)
			}
		}
	})
	t.Run("scrub", func(t *testing.T) {
		g, _ := newGuard(t, guard.WithResponseScan(guard.ResponseScanScrub))
		for _, b64 := range []bool{false, true} {
			body := leak
			if b64 {
				body = b64enc(leak)
			}
			out, err := guardlambda.Wrap(g, handler(body, b64)).Invoke(invokeCtx("r"), load(t, "apigw_v1_benign.json"))
			var resp events.APIGatewayProxyResponse
			if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 200 {
				t.Fatalf("out %s err %v", out, err)
			}
			got := resp.Body
			if b64 {
				got = b64dec(t, got)
			}
			if strings.Contains(got, secret) || !strings.Contains(got, "[REDACTED]") || resp.IsBase64Encoded != b64 {
				t.Errorf("base64 %v: scrubbed body %q", b64, got)
			}
		}
	})
}

func b64enc(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func b64dec(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64 %q: %v", s, err)
	}
	return string(b)
}

// TestWrapLogsBlocks: a block is logged with where and what was found and
// with the invocation's context (request id, trace id, client IP, source).
func TestWrapLogsBlocks(t *testing.T) {
	tests := []struct {
		fixture string
		want    map[string]string
	}{
		{"apigw_v1_sqli_query.json", map[string]string{
			"fnguard.action": "block", "fnguard.source": "aws:apigateway:rest", "fnguard.category": "sqli", "fnguard.location": "query.q",
			"function_request_id": "req-log", "xray_trace_id": "1-65a1b2c3-0123456789abcdef01234567", "client_ip": "198.51.100.23",
			"apigateway.request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"}},
		{"eventbridge_jndi_detail.json", map[string]string{
			"fnguard.action": "block", "fnguard.source": "aws:eventbridge", "fnguard.category": "jndi",
			"fnguard.location": "records[0].detail.customer.name", "aws.account_id": "123456789012", "aws.region": "eu-west-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			g, logs := newGuard(t)
			_, _ = guardlambda.WrapHandler(g, lambdaHandlerFunc(func(context.Context, []byte) ([]byte, error) {
				t.Error("handler called")
				return nil, nil
			})).Invoke(invokeCtx("req-log"), load(t, tt.fixture))
			entries := logs.All()
			if len(entries) != 1 {
				t.Fatalf("%d log lines, want 1", len(entries))
			}
			got := entries[0].ContextMap()
			for k, v := range tt.want {
				if s, _ := got[k].(string); s != v {
					t.Errorf("%s = %v, want %q", k, got[k], v)
				}
			}
		})
	}
}

// TestWrapEventBridgeAccountAllowlist: "account:<id>" entries of
// FNGUARD_ALLOW_EVENT_SOURCES are matched against the EventBridge event's
// account, through the real handler path.
func TestWrapEventBridgeAccountAllowlist(t *testing.T) {
	g, _ := newGuard(t, guard.WithAllowEventSources("com.example.*", "account:123456789012"))
	tests := []struct {
		fixture string
		allowed bool
	}{
		{"eventbridge_benign.json", true},           // account 123456789012
		{"eventbridge_foreign_account.json", false}, // account 999988887777
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var got string
			h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.EventBridgeEvent) (string, error) {
				got = ev.AccountID
				return "ok", nil
			}))
			out, err := h.Invoke(invokeCtx("req-eb-account"), load(t, tt.fixture))
			if tt.allowed {
				if err != nil || got != "123456789012" || string(out) != `"ok"` {
					t.Fatalf("out %s, err %v, handler saw account %q", out, err, got)
				}
				return
			}
			if got != "" || out != nil {
				t.Fatalf("handler ran (account %q), out %s", got, out)
			}
			var be *guard.BlockedError
			if !errors.As(err, &be) || !errors.Is(err, guard.ErrBlocked) {
				t.Fatalf("err %v (%T), want a *guard.BlockedError matching guard.ErrBlocked", err, err)
			}
			i := slices.IndexFunc(be.Decision.Findings, func(f guard.Finding) bool { return f.Rule == "allowlist.account" })
			if i < 0 {
				t.Fatalf("findings %+v, want allowlist.account", be.Decision.Findings)
			}
			if f := be.Decision.Findings[i]; f.Location != "records[0].account" || f.Category != guard.Allowlist ||
				!strings.Contains(f.Excerpt, "999988887777") {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

// TestWrapRefusedEnvelopeAnswersHTTP: an HTTP event refused at the parse for
// a duplicate key or nesting deeper than encoding/json decodes still gets a
// 400 in its platform's response type (an invocation error would be a 502
// from API Gateway); other sources get the *guard.BlockedError.
func TestWrapRefusedEnvelopeAnswersHTTP(t *testing.T) {
	g, _ := newGuard(t)
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	tests := []struct {
		name, payload string
		http          bool
		rule          string
	}{
		{"REST duplicate key", `{"httpMethod":"GET","requestContext":{},"body":"a","body":"<script>"}`, true, "validation.json_duplicate_key"},
		{"ALB too deep", `{"httpMethod":"GET","requestContext":{"elb":{}},"multiValueHeaders":{},"x":` + deep + `}`, true, "validation.json_depth"},
		{"v2 too deep", `{"version":"2.0","requestContext":{"http":{}},"x":` + deep + `}`, true, "validation.json_depth"},
		{"SQS duplicate key", `{"Records":[{"eventSource":"aws:sqs","body":"a","body":"b"}]}`, false, "validation.json_duplicate_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			h := guardlambda.WrapHandler(g, lambdaHandlerFunc(func(context.Context, []byte) ([]byte, error) {
				called = true
				return nil, nil
			}))
			out, err := h.Invoke(invokeCtx("req-envelope"), []byte(tt.payload))
			if called {
				t.Fatal("handler ran")
			}
			if !tt.http {
				var be *guard.BlockedError
				if !errors.As(err, &be) || !errors.Is(err, guard.ErrRejected) || be.Decision.Findings[0].Rule != tt.rule {
					t.Fatalf("err %v", err)
				}
				return
			}
			var resp struct {
				StatusCode        int                 `json:"statusCode"`
				Body              string              `json:"body"`
				MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			}
			if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != 400 || decodeBody(t, resp.Body).RequestID != "req-envelope" {
				t.Fatalf("out %.300s, err %v", out, err)
			}
			if strings.HasPrefix(tt.name, "ALB") && resp.MultiValueHeaders == nil {
				t.Errorf("ALB answer without multiValueHeaders: %s", out)
			}
		})
	}
}

// TestWrapBatchLogNamesRecordID: a block line for a batch names the
// poisoned record by its own id (the SQS messageId), so the message can be
// found in the dead-letter queue, not only by its index.
func TestWrapBatchLogNamesRecordID(t *testing.T) {
	g, logs := newGuard(t)
	var seen []string
	h := guardlambda.Wrap(g, sqsHandler(&seen))
	if _, err := h.Invoke(invokeCtx("req-sqs-id"), load(t, "sqs_batch_poisoned.json")); err != nil {
		t.Fatal(err)
	}
	entries := logs.All()
	if len(entries) == 0 {
		t.Fatal("no log line for a poisoned batch")
	}
	m := entries[len(entries)-1].ContextMap()
	if m["fnguard.record_id"] != "msg-9" {
		t.Errorf("fnguard.record_id = %v, want msg-9 (line %v)", m["fnguard.record_id"], m)
	}
}
