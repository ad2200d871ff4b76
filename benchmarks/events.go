package benchmarks

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// The events are generated in code, deterministically: the same sizes and
// bytes on every run and every machine. They are marshalled from
// aws-lambda-go's own event types, so they have exactly the shape Lambda
// delivers (API Gateway sends both single- and multi-value maps, etc.).

// words is benign vocabulary for generated prose: no SQL keywords, no markup,
// nothing a detector should react to.
var words = strings.Fields(`blue cotton shirt with pocket size large soft fabric delivery tomorrow
gift wrap please thanks order box red green small cup coffee mug paper notebook pen lamp desk
chair garden hose kettle warm winter jacket zip wool scarf leave at the door ring twice
fragile glass handle with care birthday present for my sister two spare buttons included`)

// prng is a tiny deterministic generator (xorshift), so generated text is
// stable across Go versions (math/rand's streams are not guaranteed).
type prng uint64

func (p *prng) next() uint64 {
	x := uint64(*p)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*p = prng(x)
	return x
}

// prose appends about n bytes of benign words separated by spaces.
func prose(dst []byte, p *prng, n int) []byte {
	start := len(dst)
	for len(dst)-start < n {
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		dst = append(dst, words[p.next()%uint64(len(words))]...)
	}
	return dst
}

// OrderBody returns a JSON order document of about n bytes (never more than
// n when n ≥ 1 KB): a customer, an address and items whose notes are benign
// prose. Items are ~600 bytes and hold 9 JSON values, so even a 6 MB body
// stays well inside fnguard's default element (100 000) and string (1 MB)
// limits — it is the shape of a large but ordinary request.
func OrderBody(n int) []byte {
	p := prng(0x9e3779b97f4a7c15)
	b := make([]byte, 0, n+64)
	b = append(b, `{"customer":{"name":"Siobhan O'Brien","email":"siobhan.obrien+orders@example.com"},`...)
	b = append(b, `"shipTo":{"street":"12 Harbour Road","city":"Cork","postcode":"T12 X7Y2","country":"IE"},"items":[`...)
	const closing = `],"currency":"EUR"}`
	noteLen := 560
	if n < 4096 {
		noteLen = 40
	}
	for i := 0; ; i++ {
		item := make([]byte, 0, noteLen+96)
		if i > 0 {
			item = append(item, ',')
		}
		item = append(item, `{"sku":"A-`...)
		item = strconv.AppendInt(item, int64(10000+i), 10)
		item = append(item, `","qty":`...)
		item = strconv.AppendInt(item, int64(1+i%4), 10)
		item = append(item, `,"note":"`...)
		item = prose(item, &p, noteLen)
		item = append(item, `"}`...)
		if i > 0 && len(b)+len(item)+len(closing) > n {
			break
		}
		b = append(b, item...)
	}
	return append(b, closing...)
}

// NestedBody returns a JSON document nested depth levels deep (a category
// tree), within fnguard's default maximum depth of 64.
func NestedBody(depth int) []byte {
	var b strings.Builder
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, `{"name":"level %d","children":`, i)
	}
	b.WriteString(`{"name":"leaf","children":null}`)
	b.WriteString(strings.Repeat("}", depth-1))
	return []byte(b.String())
}

var typicalHeaders = [][2]string{
	{"Accept", "application/json"},
	{"Content-Type", "application/json"},
	{"Host", "abc123.execute-api.eu-west-1.amazonaws.com"},
	{"User-Agent", "Mozilla/5.0 Firefox/128.0"},
	{"X-Forwarded-For", "198.51.100.23"},
	{"X-Forwarded-Proto", "https"},
}

func headerMaps() (map[string]string, map[string][]string) {
	h := make(map[string]string, len(typicalHeaders))
	mh := make(map[string][]string, len(typicalHeaders))
	for _, kv := range typicalHeaders {
		h[kv[0]] = kv[1]
		mh[kv[0]] = []string{kv[1]}
	}
	return h, mh
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("benchmarks: marshalling a generated event: " + err.Error()) // only fixed Go values are marshalled
	}
	return b
}

// RESTRequest is what APIGatewayV1 needs to build an API Gateway REST
// (payload format 1.0) event.
type RESTRequest struct {
	Method string
	Path   string // resource path; "/orders/{id}" is used when empty
	Query  map[string]string
	Body   []byte
	// ContentType overrides application/json; "-" drops the header.
	ContentType string
	// Authorization, when set, is sent as the Authorization header.
	Authorization string
}

// APIGatewayV1 returns an API Gateway REST API proxy event for r, with the
// headers, identity and request context API Gateway sends.
func APIGatewayV1(r RESTRequest) []byte {
	h, mh := headerMaps()
	switch r.ContentType {
	case "":
	case "-":
		delete(h, "Content-Type")
		delete(mh, "Content-Type")
	default:
		h["Content-Type"] = r.ContentType
		mh["Content-Type"] = []string{r.ContentType}
	}
	if r.Authorization != "" {
		h["Authorization"] = r.Authorization
		mh["Authorization"] = []string{r.Authorization}
	}
	method := r.Method
	if method == "" {
		method = "POST"
	}
	resource, path, params := "/orders/{id}", "/orders/1234", map[string]string{"id": "1234"}
	if r.Path != "" {
		resource, path, params = r.Path, r.Path, nil
	}
	var q map[string]string
	var mq map[string][]string
	if len(r.Query) > 0 {
		q = make(map[string]string, len(r.Query))
		mq = make(map[string][]string, len(r.Query))
		for k, v := range r.Query {
			q[k] = v
			mq[k] = []string{v}
		}
	}
	return mustJSON(events.APIGatewayProxyRequest{
		Resource:                        resource,
		Path:                            path,
		HTTPMethod:                      method,
		Headers:                         h,
		MultiValueHeaders:               mh,
		QueryStringParameters:           q,
		MultiValueQueryStringParameters: mq,
		PathParameters:                  params,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:    "123456789012",
			ResourceID:   "r3s0ur",
			Stage:        "prod",
			RequestID:    "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			Identity:     events.APIGatewayRequestIdentity{SourceIP: "198.51.100.23", UserAgent: h["User-Agent"]},
			ResourcePath: resource,
			HTTPMethod:   method,
			APIID:        "abc123",
			Protocol:     "HTTP/1.1",
			DomainName:   "abc123.execute-api.eu-west-1.amazonaws.com",
		},
		Body: string(r.Body),
	})
}

// SmallOrder is the JSON body of the typical 1 KB events.
const SmallOrder = `{"customer":{"name":"Siobhan O'Brien"},"items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1,"note":"gift wrap"}]}`

// TypicalRESTEvent is the "typical 1 KB" API Gateway REST event: a POST of a
// small JSON order with nine headers, one query parameter and a path
// parameter. query, when non-empty, replaces the value of "expand".
func TypicalRESTEvent(expand string) []byte {
	if expand == "" {
		expand = "items"
	}
	return APIGatewayV1(RESTRequest{Query: map[string]string{"expand": expand}, Body: []byte(SmallOrder)})
}

// CognitoJWT returns a Cognito-like access token (RS256, the claims a
// user pool puts in one, a 256-byte signature of deterministic bytes): a
// JSON Web Token of about 1.1 KB, as every authenticated request carries
// one (the claims and the signature are made in code, never taken from a
// real token).
func CognitoJWT() string {
	enc := base64.RawURLEncoding
	hdr := `{"kid":"Xq0dH3vVOv8mE8d5n7c0lYfJkR2sT9uW4xZ6aB1cD3E=","alg":"RS256"}`
	claims := `{"sub":"7d8e4a2b-1c3f-4e5d-9a6b-0c1d2e3f4a5b","cognito:groups":["customers","beta"],` +
		`"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI","version":2,` +
		`"client_id":"3n4o5p6q7r8s9t0u1v2w3x4y5z","origin_jti":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",` +
		`"event_id":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","token_use":"access",` +
		`"scope":"aws.cognito.signin.user.admin phone openid profile email","auth_time":1733616000,` +
		`"exp":1733619600,"iat":1733616000,"jti":"b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e","username":"siobhan.obrien"}`
	p := prng(0x2545f4914f6cdd1d)
	sig := make([]byte, 256)
	for i := 0; i < len(sig); i += 8 {
		x := p.next()
		for k := 0; k < 8; k++ {
			sig[i+k] = byte(x >> (8 * k))
		}
	}
	return enc.EncodeToString([]byte(hdr)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}

// JWTRESTEvent is TypicalRESTEvent with "Authorization: Bearer" and
// CognitoJWT's token, as a client of a Cognito-secured REST API sends it.
func JWTRESTEvent() []byte {
	return APIGatewayV1(RESTRequest{Query: map[string]string{"expand": "items"}, Body: []byte(SmallOrder),
		Authorization: "Bearer " + CognitoJWT()})
}

// HTTPAPIEvent returns an API Gateway HTTP API (payload format 2.0) event
// carrying SmallOrder.
func HTTPAPIEvent() []byte {
	h, _ := headerMaps()
	h2 := make(map[string]string, len(h))
	for k, v := range h {
		h2[strings.ToLower(k)] = v
	}
	return mustJSON(events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              "POST /orders/{id}",
		RawPath:               "/orders/1234",
		RawQueryString:        "expand=items&page=2",
		Cookies:               []string{"session=3f1c0a9e5b7d", "theme=dark"},
		Headers:               h2,
		QueryStringParameters: map[string]string{"expand": "items", "page": "2"},
		PathParameters:        map[string]string{"id": "1234"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     "POST /orders/{id}",
			AccountID:    "123456789012",
			Stage:        "$default",
			RequestID:    "JKJaXmPLvHcESHA=",
			APIID:        "abc123",
			DomainName:   "abc123.execute-api.eu-west-1.amazonaws.com",
			DomainPrefix: "abc123",
			Time:         "23/Nov/2026:01:02:03 +0000",
			TimeEpoch:    1795395723000,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "POST", Path: "/orders/1234", Protocol: "HTTP/1.1",
				SourceIP: "198.51.100.23", UserAgent: h["User-Agent"],
			},
		},
		Body: SmallOrder,
	})
}

// FunctionURLEvent returns a Lambda function URL event (payload format 2.0)
// carrying SmallOrder, with the request context a function URL sends.
func FunctionURLEvent() []byte {
	h, _ := headerMaps()
	h2 := make(map[string]string, len(h))
	for k, v := range h {
		h2[strings.ToLower(k)] = v
	}
	h2["host"] = "q7k3x2y5z4abcdefgh.lambda-url.eu-west-1.on.aws"
	return mustJSON(events.LambdaFunctionURLRequest{
		Version:               "2.0",
		RawPath:               "/orders/1234",
		RawQueryString:        "expand=items&page=2",
		Cookies:               []string{"session=3f1c0a9e5b7d", "theme=dark"},
		Headers:               h2,
		QueryStringParameters: map[string]string{"expand": "items", "page": "2"},
		RequestContext: events.LambdaFunctionURLRequestContext{
			AccountID:    "anonymous",
			RequestID:    "5b3f4c7e-1a2b-4c3d-9e8f-0a1b2c3d4e5f",
			APIID:        "q7k3x2y5z4abcdefgh",
			DomainName:   "q7k3x2y5z4abcdefgh.lambda-url.eu-west-1.on.aws",
			DomainPrefix: "q7k3x2y5z4abcdefgh",
			Time:         "23/Nov/2026:01:02:03 +0000",
			TimeEpoch:    1795395723000,
			HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
				Method: "POST", Path: "/orders/1234", Protocol: "HTTP/1.1",
				SourceIP: "198.51.100.23", UserAgent: h["User-Agent"],
			},
		},
		Body: SmallOrder,
	})
}

// ALBEvent returns an Application Load Balancer target-group event (single
// value headers) carrying SmallOrder.
func ALBEvent() []byte {
	h, _ := headerMaps()
	h2 := make(map[string]string, len(h))
	for k, v := range h {
		h2[strings.ToLower(k)] = v
	}
	return mustJSON(events.ALBTargetGroupRequest{
		HTTPMethod:            "POST",
		Path:                  "/orders/1234",
		QueryStringParameters: map[string]string{"expand": "items"},
		Headers:               h2,
		RequestContext: events.ALBTargetGroupRequestContext{ELB: events.ELBContext{
			TargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/73e2d6bc24d8a067",
		}},
		Body: SmallOrder,
	})
}

// SQSBatch returns an SQS event of n messages, each a small JSON order.
func SQSBatch(n int) []byte {
	recs := make([]events.SQSMessage, n)
	for i := range recs {
		id := fmt.Sprintf("059f36b4-87a3-44ab-83d2-%012d", 661+i)
		recs[i] = events.SQSMessage{
			MessageId:     id,
			ReceiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a" + strconv.Itoa(i),
			Body:          string(OrderBody(300)),
			Attributes: map[string]string{
				"ApproximateReceiveCount":          "1",
				"SentTimestamp":                    "1795395723000",
				"SenderId":                         "AIDAIENQZJOLO23YVJ4VO",
				"ApproximateFirstReceiveTimestamp": "1795395723004",
			},
			MessageAttributes: map[string]events.SQSMessageAttribute{
				"kind": {DataType: "String", StringValue: ptr("order.created")},
			},
			Md5OfBody:      "e4e68fb7bd0e697a0ae8f1bb342846b3",
			EventSource:    "aws:sqs",
			EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
			AWSRegion:      "eu-west-1",
		}
	}
	return mustJSON(events.SQSEvent{Records: recs})
}

func ptr[T any](v T) *T { return &v }

// CloudWatchLogsBatch returns a CloudWatch Logs subscription event
// ({"awslogs":{"data":"<base64 of gzip>"}}) of n log events: application
// log lines of about 120 bytes, one in four a JSON document, as a Lambda
// function's logs look.
func CloudWatchLogsBatch(n int) []byte {
	p := prng(0x2545f4914f6cdd1d)
	type logEvent struct {
		ID        string `json:"id"`
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	}
	evs := make([]logEvent, n)
	for i := range evs {
		var msg []byte
		if i%4 == 3 {
			msg = append(msg, `{"level":"info","msg":"order shipped","note":"`...)
			msg = prose(msg, &p, 60)
			msg = append(msg, `","items":3}`...)
		} else {
			msg = append(msg, "2026-12-06T14:00:00.000Z\tINFO\t"...)
			msg = prose(msg, &p, 90)
		}
		evs[i] = logEvent{ID: fmt.Sprintf("3726591874502814%05d", i), Timestamp: 1765029600000 + int64(i), Message: string(msg)}
	}
	doc := mustJSON(map[string]any{
		"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "/aws/lambda/orders",
		"logStream": "2026/12/06/[$LATEST]0123456789abcdef", "subscriptionFilters": []string{"errors-to-siem"},
		"logEvents": evs,
	})
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(doc)
	zw.Close()
	return mustJSON(map[string]any{"awslogs": map[string]string{"data": base64.StdEncoding.EncodeToString(z.Bytes())}})
}
