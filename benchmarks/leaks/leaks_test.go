package leaks

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// Channels searched for secrets.
const (
	chStdout   = "stdout"
	chStderr   = "stderr"
	chSpanEvt  = "span_event"
	chSpanAttr = "span_attr"
	chMetric   = "metric_attr"
	chError    = "returned_error"
	chResponse = "response"
)

var channels = []string{chStdout, chStderr, chSpanEvt, chSpanAttr, chMetric, chError, chResponse}

// attacks, one per case variant.
// Each case variant also puts the secret at a different distance from the
// attack, so that it is whole in some excerpts and straddles the 64-byte
// excerpt limit in others.
var cases = []struct {
	name string
	fn   func(string) string
	pad  string
}{
	{"upper", strings.ToUpper, ""},
	{"lower", strings.ToLower, "see the order notes for the team "},
	{"mixed", mixedCase, "see the order notes for the delivery team, "},
}

func mixedCase(s string) string {
	b := []rune(s)
	for i, r := range b {
		if i%2 == 0 {
			b[i] = unicode.ToUpper(r)
		} else {
			b[i] = unicode.ToLower(r)
		}
	}
	return string(b)
}

var encodings = []string{"raw", "url", "json", "html", "fullwidth", "nested", "base64"}

// encode writes s as sent in the given encoding: "url" percent-escapes it,
// "json" writes every letter and digit as a \u escape (which fnguard's
// detectors decode as JavaScript escapes, and which a JSON body parser
// decodes before anything sees it), "html" as a numeric character
// reference, "fullwidth" writes every printable ASCII byte but the space
// as its full-width form, "nested" sends s as a JSON document in the
// string and "base64" as base64 text. The log line shows the text as sent
// and the decoded text that matched: both are searched.
func encode(s, enc string) string {
	switch enc {
	case "html":
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				fmt.Fprintf(&b, "&#%d;", c)
			} else {
				b.WriteByte(c)
			}
		}
		return b.String()
	case "fullwidth":
		var b strings.Builder
		for _, r := range s {
			if r > ' ' && r < 0x7f {
				r += 0xFF01 - '!'
			}
			b.WriteRune(r)
		}
		return b.String()
	case "nested":
		return `{"note":` + jsonStr(s) + `}`
	case "base64":
		return base64.StdEncoding.EncodeToString([]byte(s))
	case "url":
		return url.QueryEscape(s)
	case "json":
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
		return b.String()
	}
	return s
}

// payload builds "<attack> <plant>" in a case variant: the attack and the
// words around the secret change case, the secret itself only when it is
// one of the function's own credentials (which must be masked in any case).
func payload(k kind, caseFn func(string) string, pad string) (text, secret string) {
	const hole = "\x00"
	text = caseFn("' OR 1=1 -- " + pad + strings.Replace(k.plant, k.secret, hole, 1))
	secret = k.secret
	if k.env != "" {
		secret = caseFn(secret)
	}
	return strings.Replace(text, hole, secret, 1), secret
}

// capture redirects a file descriptor variable (os.Stdout, os.Stderr) to a
// temporary file and returns a function reading what was written since
// the previous call.
type capture struct {
	f   *os.File
	off int64
}

func (c *capture) next() string {
	b, err := os.ReadFile(c.f.Name())
	if err != nil {
		panic(err)
	}
	out := string(b[c.off:])
	c.off = int64(len(b))
	return out
}

// views returns s lower-cased, and lower-cased after undoing the escapes a
// reader could undo (percent-escapes, \uXXXX and \\uXXXX, JSON's \/ and \n).
func views(s string) []string {
	low := strings.ToLower(s)
	un := low
	un = strings.ReplaceAll(un, `\\u`, `\u`)
	var b strings.Builder
	for i := 0; i < len(un); i++ {
		if un[i] == '\\' && i+5 < len(un) && un[i+1] == 'u' {
			if v, err := strconv.ParseUint(un[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(v))
				i += 5
				continue
			}
		}
		if un[i] == '%' && i+2 < len(un) {
			if v, err := strconv.ParseUint(un[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		if un[i] == '\\' && i+1 < len(un) && (un[i+1] == '/' || un[i+1] == '"') {
			continue
		}
		if un[i] == '\\' && i+1 < len(un) && un[i+1] == 'n' {
			b.WriteByte('\n')
			i++
			continue
		}
		if un[i] == '+' {
			b.WriteByte(' ') // a query-escaped space
			continue
		}
		b.WriteByte(un[i])
	}
	out := []string{low, strings.ToLower(b.String()), strings.ToLower(detect.Decode(s)), strings.ToLower(detect.Decode(b.String()))}
	// Base64 runs, decoded at each alignment (an excerpt may cut one).
	for _, run := range b64Run.FindAllString(s, -1) {
		run = strings.TrimRight(run, "=")
		for off := 0; off < 4 && off < len(run); off++ {
			r := run[off:]
			r = r[:len(r)/4*4]
			if d, err := base64.RawStdEncoding.DecodeString(r); err == nil {
				out = append(out, strings.ToLower(string(d)))
			}
		}
	}
	return out
}

var b64Run = regexp.MustCompile(`[A-Za-z0-9+/]{16,}={0,2}`)

// leakWindow is the length of the pieces of a secret looked for: any run of
// this many consecutive characters of a secret is a leak (a prefix left by
// a cut, a suffix, the middle of a lower-cased key).
const leakWindow = 8

// leaks counts the windows of secret found in out (0 or more).
func leaked(out, secret string) bool {
	if out == "" {
		return false
	}
	sec := strings.ToLower(secret)
	vs := views(out)
	// Pieces of the secret between separators a log line may rewrite.
	for _, piece := range strings.FieldsFunc(sec, func(r rune) bool { return r == '\n' || r == ' ' }) {
		if len(piece) < leakWindow {
			continue
		}
		for i := 0; i+leakWindow <= len(piece); i++ {
			w := piece[i : i+leakWindow]
			for _, v := range vs {
				if strings.Contains(v, w) {
					return true
				}
			}
		}
	}
	return false
}

// tally counts leaks: kinds that leaked and occurrences, per channel.
type tally struct {
	kinds map[string]map[string]bool // channel -> kind -> leaked
	occ   map[string]int             // channel -> invocations that leaked
	ex    map[string]string          // channel -> one example
	runs  int
}

func newTally() *tally {
	return &tally{kinds: map[string]map[string]bool{}, occ: map[string]int{}, ex: map[string]string{}}
}

func (t *tally) check(ch, kindName, where, out, secret string) {
	if !leaked(out, secret) {
		return
	}
	if t.kinds[ch] == nil {
		t.kinds[ch] = map[string]bool{}
	}
	t.kinds[ch][kindName] = true
	t.occ[ch]++
	if _, ok := t.ex[ch]; !ok {
		t.ex[ch] = fmt.Sprintf("%s via %s: %.400s", kindName, where, out)
	}
}

func (t *tally) total() int {
	n := 0
	for _, v := range t.occ {
		n += v
	}
	return n
}

func (t *tally) report() string {
	var b strings.Builder
	all := map[string]bool{}
	for _, ch := range channels {
		for k := range t.kinds[ch] {
			all[k] = true
		}
		names := make([]string, 0, len(t.kinds[ch]))
		for k := range t.kinds[ch] {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "  %-15s %2d kinds leaked, %4d occurrences %v\n", ch, len(t.kinds[ch]), t.occ[ch], names)
	}
	fmt.Fprintf(&b, "  all channels: %d kinds leaked, %d occurrences over %d invocations\n", len(all), t.total(), t.runs)
	for _, ch := range channels {
		if e, ok := t.ex[ch]; ok {
			fmt.Fprintf(&b, "  example %s: %s\n", ch, e)
		}
	}
	return b.String()
}

// spanText renders the events and attributes of the spans ended since from.
func spanText(sr *tracetest.SpanRecorder, from int) (evs, attrs string, n int) {
	spans := sr.Ended()
	var eb, ab strings.Builder
	for _, s := range spans[from:] {
		for _, kv := range s.Attributes() {
			fmt.Fprintf(&ab, "%s=%s\n", kv.Key, kv.Value.String())
		}
		for _, e := range s.Events() {
			eb.WriteString(e.Name + "\n")
			for _, kv := range e.Attributes {
				fmt.Fprintf(&eb, "%s=%s\n", kv.Key, kv.Value.String())
			}
		}
		ab.WriteString(s.Status().Description)
	}
	return eb.String(), ab.String(), len(spans)
}

func metricText(t *testing.T, r *sdkmetric.ManualReader) string {
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					for _, kv := range p.Attributes.ToSlice() {
						fmt.Fprintf(&b, "%s %s=%s\n", m.Name, kv.Key, kv.Value.String())
					}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					for _, kv := range p.Attributes.ToSlice() {
						fmt.Fprintf(&b, "%s %s=%s\n", m.Name, kv.Key, kv.Value.String())
					}
				}
			}
		}
	}
	return b.String()
}

// rig is everything one mode needs: the guard, the adapters and the sinks.
type rig struct {
	mode    guard.Mode
	sr      *tracetest.SpanRecorder
	tp      *sdktrace.TracerProvider
	reader  *sdkmetric.ManualReader
	rest    lambda.Handler
	sqs     lambda.Handler
	sns     lambda.Handler
	srv     *httptest.Server
	spanOff int
}

func newRig(t *testing.T, mode guard.Mode) *rig {
	r := &rig{mode: mode, sr: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.sr))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	g, err := guard.New(guard.WithoutEnv(), guard.WithMode(mode), guard.WithLogRate(-1, 0),
		guard.WithTracerProvider(r.tp), guard.WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}
	r.rest = guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok"}, nil
	}))
	r.sqs = guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		return events.SQSEventResponse{}, nil
	}))
	r.sns = guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.SNSEvent) error {
		return nil
	}))
	inner := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		_, _ = w.Write([]byte("ok"))
	}))
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, span := r.tp.Tracer("leaks").Start(req.Context(), "http")
		inner.ServeHTTP(w, req.WithContext(ctx))
		span.End()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// result is what one invocation wrote, per channel.
type result map[string]string

// lambdaInvoke runs one Lambda invocation inside a span.
func (r *rig) lambdaInvoke(h lambda.Handler, payload []byte, reqID string) result {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID: reqID, InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders"})
	ctx, span := r.tp.Tracer("leaks").Start(ctx, "invoke")
	out, err := h.Invoke(ctx, payload)
	span.End()
	res := result{chResponse: string(out)}
	if err != nil {
		res[chError] = err.Error() + " | " + fmt.Sprintf("%+v", err)
	}
	return res
}

func (r *rig) httpDo(t *testing.T, req *http.Request) result {
	before := len(r.sr.Ended())
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		return result{chError: err.Error()}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The span ends after the handler returns; wait for it (bounded).
	for i := 0; i < 200 && len(r.sr.Ended()) == before; i++ {
		time.Sleep(time.Millisecond)
	}
	return result{chResponse: resp.Status + " " + string(body)}
}

// tchar reports whether s can be an HTTP header name.
func tchar(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

func jsonStr(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestSeededSecrets plants every kind of secret next to an attack, in every
// placement, case and encoding, through the real adapters in block and
// monitor mode, and searches every channel for any 8-character piece of
// it. The counts are logged; the test fails on any leak.
func TestSeededSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("seeded-secrets sweep: not in -short")
	}
	kinds, env := secretKinds()
	t.Setenv("AWS_ACCESS_KEY_ID", env.accessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", env.secretKey)
	t.Setenv("AWS_SESSION_TOKEN", env.sessionToken)
	t.Setenv("DB_PASSWORD", env.dbPassword)

	dir := t.TempDir()
	outF, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errF, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outF, errF
	defer func() { os.Stdout, os.Stderr = oldOut, oldErr }()
	stdout, stderr := &capture{f: outF}, &capture{f: errF}

	rigs := []*rig{newRig(t, guard.Block), newRig(t, guard.Monitor)}
	if raceEnabled {
		// The race detector makes the sweep about ten times slower: block
		// mode only, and each kind in one case variant (in turn), so every
		// kind, encoding, placement and channel is still searched.
		rigs = rigs[:1]
	}
	tl := newTally()
	n := 0
	for _, r := range rigs {
		for ki, k := range kinds {
			for ci, cs := range cases {
				if raceEnabled && ci != ki%len(cases) {
					continue
				}
				text, secret := payload(k, cs.fn, cs.pad)
				nameSecret := secret
				for _, enc := range encodings {
					e := encode(text, enc)
					where := func(p string) string { return fmt.Sprintf("%s/%s/%s/%s", r.mode, cs.name, enc, p) }
					run := func(p string, res result) {
						n++
						res[chStdout] = stdout.next()
						res[chStderr] = stderr.next()
						evs, attrs, total := spanText(r.sr, r.spanOff)
						r.spanOff = total
						res[chSpanEvt], res[chSpanAttr] = evs, attrs
						for _, ch := range channels {
							tl.check(ch, k.name, where(p), res[ch], secret)
						}
					}
					reqID := "req-" + strconv.Itoa(n)
					// The decoded encodings (entities, full-width, JSON or
					// base64 in a string) go through one placement of each
					// kind (a query or header value, a body value, a key,
					// a record body) to keep the sweep's time in bounds.
					all := enc == "raw" || enc == "url" || enc == "json"

					// guardlambda, API Gateway REST: query, header value,
					// header name, JSON body value, JSON key.
					restEv := func(q, hname, hval, body string) []byte {
						ev := map[string]any{
							"resource": "/orders", "path": "/orders", "httpMethod": "POST",
							"headers":                         map[string]string{"content-type": "application/json", hname: hval},
							"multiValueHeaders":               map[string][]string{"content-type": {"application/json"}, hname: {hval}},
							"queryStringParameters":           map[string]string{"q": q},
							"multiValueQueryStringParameters": map[string][]string{"q": {q}},
							"requestContext":                  map[string]any{"requestId": reqID, "stage": "prod", "identity": map[string]any{"sourceIp": "203.0.113.9"}},
							"body":                            body, "isBase64Encoded": false,
						}
						b, _ := json.Marshal(ev)
						return b
					}
					run("lambda.rest.query", r.lambdaInvoke(r.rest, restEv(e, "x-note", "hi", `{}`), reqID))
					if all {
						run("lambda.rest.header_value", r.lambdaInvoke(r.rest, restEv("x", "x-note", e, `{}`), reqID))
					}
					if all {
						run("lambda.rest.body_value", r.lambdaInvoke(r.rest, restEv("x", "x-note", "hi", `{"comment":`+jsonBodyString(text, enc)+`}`), reqID))
					}
					if k.name2 && all {
						run("lambda.rest.header_name", r.lambdaInvoke(r.rest, restEv("x", nameSecret, "' OR 1=1 --", `{}`), reqID))
					}
					// A key is judged as sent: base64 in a key is not decoded,
					// so a base64-encoded secret as a key is not looked for.
					if k.name2 && enc != "base64" {
						run("lambda.rest.json_key", r.lambdaInvoke(r.rest, restEv("x", "x-note", "hi", `{`+jsonBodyString(nameSecret, enc)+`:"' OR 1=1 --"}`), reqID))
					}

					// guardlambda, SQS batch and SNS: the attack in a
					// record body.
					sqsEv := func(body string) []byte {
						b, _ := json.Marshal(map[string]any{"Records": []map[string]any{
							{"messageId": "0c8e2d4a-1111-4b2e-9a55-6f1d3e2c7b01", "receiptHandle": "AQEB", "body": `{"ok":1}`,
								"attributes": map[string]string{}, "messageAttributes": map[string]any{}, "md5OfBody": "x",
								"eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders", "awsRegion": "eu-west-1"},
							{"messageId": "7a1b9c3d-2222-4f6e-8d77-0e9f8a7b6c02", "receiptHandle": "AQEB", "body": body,
								"attributes": map[string]string{}, "messageAttributes": map[string]any{}, "md5OfBody": "x",
								"eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders", "awsRegion": "eu-west-1"},
						}})
						return b
					}
					if all {
						run("lambda.sqs.body_text", r.lambdaInvoke(r.sqs, sqsEv(e), reqID))
					}
					run("lambda.sqs.body_json", r.lambdaInvoke(r.sqs, sqsEv(`{"comment":`+jsonBodyString(text, enc)+`}`), reqID))
					snsEv := func(msg string) []byte {
						b, _ := json.Marshal(map[string]any{"Records": []map[string]any{{
							"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": "arn:aws:sns:eu-west-1:123456789012:orders:1",
							"Sns": map[string]any{"Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
								"TopicArn": "arn:aws:sns:eu-west-1:123456789012:orders", "Subject": "order", "Message": msg,
								"Timestamp": "2026-12-06T14:00:00.000Z", "SignatureVersion": "1", "Signature": "x", "SigningCertUrl": "https://sns.eu-west-1.amazonaws.com/x.pem",
								"UnsubscribeUrl": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe", "MessageAttributes": map[string]any{}},
						}}})
						return b
					}
					if all {
						run("lambda.sns.message", r.lambdaInvoke(r.sns, snsEv(e), reqID))
					}
					if k.name2 && all {
						run("lambda.sns.json_key", r.lambdaInvoke(r.sns, snsEv(`{`+jsonBodyString(nameSecret, enc)+`:"' OR 1=1 --"}`), reqID))
					}

					// guardhttp behind net/http on 127.0.0.1.
					base := r.srv.URL + "/orders"
					var req *http.Request
					if all {
						req, _ = http.NewRequest("GET", base+"?q="+url.QueryEscape(e), nil)
						run("http.query", r.httpDo(t, req))
					}
					if !strings.ContainsAny(e, "\r\n") && all {
						req, _ = http.NewRequest("GET", base, nil)
						req.Header.Set("X-Note", e)
						run("http.header_value", r.httpDo(t, req))
					}
					req, _ = http.NewRequest("POST", base, strings.NewReader(`{"comment":`+jsonBodyString(text, enc)+`}`))
					req.Header.Set("Content-Type", "application/json")
					run("http.body_value", r.httpDo(t, req))
					if k.name2 && all {
						if tchar(nameSecret) {
							req, _ = http.NewRequest("GET", base, nil)
							req.Header[nameSecret] = []string{"' OR 1=1 --"}
							run("http.header_name", r.httpDo(t, req))
						}
						req, _ = http.NewRequest("POST", base, strings.NewReader(`{`+jsonBodyString(nameSecret, enc)+`:"' OR 1=1 --"}`))
						req.Header.Set("Content-Type", "application/json")
						run("http.json_key", r.httpDo(t, req))
					}
				}
			}
		}
		// Metric attributes: read once per mode, every kind searched.
		mt := metricText(t, r.reader)
		for _, k := range kinds {
			for _, cs := range cases {
				_, secret := payload(k, cs.fn, cs.pad)
				tl.check(chMetric, k.name, string(rune('0'+r.mode)), mt, secret)
			}
		}
	}
	tl.runs = n
	os.Stdout, os.Stderr = oldOut, oldErr
	t.Logf("seeded secrets: %d kinds, %d invocations\n%s", len(kinds), n, tl.report())
	if tl.total() > 0 {
		t.Errorf("secrets leaked: %d occurrences", tl.total())
	}
}

// jsonBodyString writes s as a JSON string literal inside a body: for the
// "json" encoding every letter and digit is a \u escape in the body itself
// (the parsed value is s); for the others the value is s as encoded.
func jsonBodyString(s, enc string) string {
	if enc == "json" {
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range s {
			if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteString(strings.Trim(jsonStr(string(r)), `"`))
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	return jsonStr(encode(s, enc))
}
