package guardlambda

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// eventTypes is the aws-lambda-go struct each recognised source decodes
// into, as shape.go transcribes it.
var eventTypes = map[kind]reflect.Type{
	kindRESTv1:      reflect.TypeFor[events.APIGatewayProxyRequest](),
	kindHTTPv2:      reflect.TypeFor[events.APIGatewayV2HTTPRequest](),
	kindFunctionURL: reflect.TypeFor[events.LambdaFunctionURLRequest](),
	kindALB:         reflect.TypeFor[events.ALBTargetGroupRequest](),
	kindSQS:         reflect.TypeFor[events.SQSEvent](),
	kindSNS:         reflect.TypeFor[events.SNSEvent](),
	kindS3:          reflect.TypeFor[events.S3Event](),
	kindDynamoDB:    reflect.TypeFor[events.DynamoDBEvent](),
	kindKinesis:     reflect.TypeFor[events.KinesisEvent](),
	kindEventBridge: reflect.TypeFor[events.EventBridgeEvent](),
}

// decodeAs decodes payload into the struct of source k, as aws-lambda-go
// does for a typed handler; a panic (DynamoDBAttributeValue's BS with a
// non-string element) is a failure too.
func decodeAs(k kind, payload []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return json.Unmarshal(payload, reflect.New(eventTypes[k]).Interface())
}

// jtypeOf classifies a Go field type the way shape.go does.
func jtypeOf(t reflect.Type) (jtype, reflect.Type) {
	switch t {
	case reflect.TypeFor[time.Time]():
		return tTime, nil
	case reflect.TypeFor[events.SecondsEpochTime]():
		return tEpoch, nil
	case reflect.TypeFor[json.RawMessage]():
		return tRaw, nil
	case reflect.TypeFor[[]byte]():
		return tBytes, nil
	case reflect.TypeFor[[][]byte]():
		return tBytesList, nil
	case reflect.TypeFor[map[string]string]():
		return tStrMap, nil
	case reflect.TypeFor[map[string][]string]():
		return tStrsMap, nil
	case reflect.TypeFor[[]string]():
		return tStrs, nil
	case reflect.TypeFor[map[string]any]():
		return tAnyMap, nil
	case reflect.TypeFor[map[string]events.DynamoDBAttributeValue]():
		return tDynamoMap, nil
	}
	switch t.Kind() {
	case reflect.String:
		return tString, nil
	case reflect.Int64:
		return tInt64, nil
	case reflect.Bool:
		return tBool, nil
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.String {
			return tString, nil
		}
		return jtypeOf(t.Elem())
	case reflect.Struct:
		return tStruct, t
	case reflect.Map:
		if t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.Struct {
			return tStructMap, t.Elem()
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return tStructs, t.Elem()
		}
	}
	return 0, nil
}

// TestShapesMatchEvents compares every shape with its aws-lambda-go struct
// by reflection: the same JSON names, the same types, nothing missing.
func TestShapesMatchEvents(t *testing.T) {
	var compare func(t *testing.T, path string, s *shape, rt reflect.Type)
	compare = func(t *testing.T, path string, s *shape, rt reflect.Type) {
		if want := rt.String(); s.goType != want {
			t.Errorf("%s: shape of %s, want %s", path, s.goType, want)
		}
		var names []string
		for i := range rt.NumField() {
			f := rt.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			names = append(names, name)
			m, exact := s.lookup(name)
			if m == nil || !exact {
				t.Errorf("%s.%s (%s %s): missing from shape %s", path, name, f.Name, f.Type, s.goType)
				continue
			}
			jt, sub := jtypeOf(f.Type)
			if jt == 0 {
				t.Errorf("%s.%s: field type %s has no jtype", path, name, f.Type)
				continue
			}
			if m.t != jt {
				t.Errorf("%s.%s: shape says jtype %d, the field is %s (jtype %d)", path, name, m.t, f.Type, jt)
				continue
			}
			if sub != nil {
				if m.sub == nil {
					t.Errorf("%s.%s: no sub-shape for %s", path, name, sub)
					continue
				}
				compare(t, path+"."+name, m.sub, sub)
			}
		}
		for _, m := range s.members {
			if !slices.Contains(names, m.name) {
				t.Errorf("%s: shape member %q is not a field of %s", path, m.name, rt)
			}
			for _, o := range s.members {
				if o.name != m.name && strings.EqualFold(o.name, m.name) {
					t.Errorf("%s: members %q and %q differ only in case", path, m.name, o.name)
				}
			}
		}
	}
	for k, rt := range eventTypes {
		t.Run(rt.String(), func(t *testing.T) { compare(t, rt.Name(), shapeOf(k), rt) })
	}
}

// verdict runs the adapter's mapping and tells whether it refused the event
// as malformed, and as which source it recognised it.
func verdict(t testing.TB, g *guard.Guard, payload []byte) (kind, *rejection) {
	doc, err := jsontree.Parse(payload, envelopeLimits)
	if err != nil {
		return kindUnknown, payloadRejection(err)
	}
	st := new(state)
	st.root = doc.Root()
	st.kind = recognize(st.root, &st.env)
	rej := anyRejection(st, st.mapEvent(lambdaCtx("req-shape"), g, payload))
	if st.env.fam != famNone || shapeOf(st.kind) == nil {
		// Families (and SES, CodeCommit records) are mapped without the
		// type checks of the core kinds' structs (see families.go).
		return kindUnknown, rej
	}
	return st.kind, rej
}

// anyRejection is the whole-event rejection of a mapping, or else the first
// rejection of one of its records (which fails that record alone), spelled
// as the adapter spells it.
func anyRejection(st *state, rej *rejection) *rejection {
	if rej != nil {
		return rej
	}
	for i := range st.inv.Records {
		if r := st.inv.Records[i].Rejection; r != nil {
			loc := r.Location
			if loc != "" && loc[0] != '[' {
				loc = "." + loc
			}
			return &rejection{status: r.Status, rule: r.Rule, loc: recLoc(i, loc), reason: r.Reason}
		}
	}
	return nil
}

// deliberate reports whether a rejection is one the adapter makes on
// purpose although aws-lambda-go decodes the event: the body of an HTTP
// event must be decoded to be inspected, and DynamoDB nesting is bounded
// where binary values are looked for.
func deliberate(rej *rejection) bool {
	return rej.rule == "validation.invalid_base64" && rej.loc == "body" || rej.rule == "validation.dynamodb_depth"
}

// typeMutations are JSON values put in place of every value of every
// fixture: one of each JSON type, numbers at the edges of int64, float64
// and uint8, the strings the []byte and time.Time fields parse, and the
// shapes DynamoDB attribute values take.
var typeMutations = []string{
	`"x"`, `""`, `5`, `-1`, `0`, `-0`, `1.5`, `1e3`, `1e400`, `1e-400`, strings.Repeat("7", 10000),
	`9223372036854775807`, `9223372036854775808`, `-9223372036854775809`, `255`, `256`,
	`true`, `false`, `null`, `{}`, `[]`, `["a"]`, `[1]`, `[null]`, `[[]]`, `[{}]`, `[0,255]`, `[256]`, `["aGk="]`,
	`{"a":"b"}`, `{"a":1}`, `{"a":1e400}`, `{"a":null}`, `{"a":["b"]}`, `{"a":"b","c":[null]}`, `{"a":[1]}`, `{"a":{}}`,
	`{"a":{"stringValue":5}}`, `"2024-03-12T19:03:58Z"`, `"2024-03-12 19:03:58"`, `"aGk="`, `"!!"`, `"%zz"`,
	`{"S":"x"}`, `{"N":1}`, `{"BS":[1]}`, `{"BS":["aGk="]}`, `{"L":[{"S":"x"},{}]}`, `{"M":{"a":{"NULL":true}}}`,
	`{"a":{"S":"x"}}`, `{"a":{"SS":["x",null]}}`, `{"a":{"Q":"x"}}`, `{"a":{"NULL":1e400}}`, `{"a":{"M":{"b":{"L":[null]}}}}`,
}

// valueSpans lists the source extent of every value below the root.
func valueSpans(v jsontree.Value, out [][2]int) [][2]int {
	add := func(e jsontree.Value) {
		start := int(e.Offset())
		out = append(out, [2]int{start, start + len(e.Raw())})
		out = valueSpans(e, out)
	}
	for _, e := range v.Members() {
		add(e)
	}
	for _, e := range v.Elems() {
		add(e)
	}
	return out
}

// TestTypeChecksMatchDecoding is a differential test: for every fixture of a
// recognised source and every type mutation of every value in it, the
// adapter refuses the event as malformed if and only if encoding/json
// cannot decode it into the aws-lambda-go struct of the source the adapter
// recognises (or panics doing so), except for the adapter's deliberate
// refusals (see deliberate). Mutations that make the event unrecognisable
// must leave it to be inspected whole, unrefused.
func TestTypeChecksMatchDecoding(t *testing.T) {
	g, _ := testGuard(t)
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	step := 1
	if testing.Short() || raceEnabled {
		step = 7 // a deterministic sample, to keep -race runs short
	}
	n := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsontree.Parse(src, envelopeLimits)
		if err != nil {
			continue // the invalid-JSON fixtures
		}
		if recognize(doc.Root(), new(envelope)) == kindUnknown {
			continue
		}
		t.Run(filepath.Base(name), func(t *testing.T) {
			check := func(what string, payload []byte) {
				k, rej := verdict(t, g, payload)
				if k == kindUnknown {
					if rej != nil {
						t.Errorf("%s: unrecognised event refused: %s", what, rej.reason)
					}
					return
				}
				derr := decodeAs(k, payload)
				switch {
				case rej != nil && derr == nil && !deliberate(rej):
					t.Errorf("%s: refused (%s) but %s decodes it", what, rej.reason, eventTypes[k])
				case rej == nil && derr != nil:
					t.Errorf("%s: passed but %s does not decode it: %v", what, eventTypes[k], derr)
				}
			}
			check("fixture", src)
			for i, sp := range valueSpans(doc.Root(), nil) {
				for j, m := range typeMutations {
					if (i*len(typeMutations)+j)%step != 0 {
						continue
					}
					p := make([]byte, 0, len(src)+len(m))
					p = append(append(append(p, src[:sp[0]]...), m...), src[sp[1]:]...)
					check(fmt.Sprintf("%.60s -> %.40s", src[sp[0]:sp[1]], m), p)
					n++
				}
			}
		})
	}
	t.Logf("%d mutated events", n)
}

// TestTypeRejections: a member of the wrong type is refused with a 400 that
// names it, as encoding/json would fail on it.
func TestTypeRejections(t *testing.T) {
	rest := func(members string) string {
		return `{"httpMethod":"GET","path":"/","requestContext":{"requestId":"r","requestTimeEpoch":1},` + members + `}`
	}
	digits := strings.Repeat("7", 10000)
	tests := []struct {
		name    string
		payload string
		kind    kind
		reason  string
	}{
		{"httpMethod a number", `{"httpMethod":5,"requestContext":{}}`, kindRESTv1, "httpMethod: want a string, got 5"},
		{"httpMethod an object", `{"httpMethod":{},"requestContext":{}}`, kindRESTv1, "httpMethod: want a string, got an object"},
		{"requestTimeEpoch with 10000 digits", `{"httpMethod":"GET","requestContext":{"requestTimeEpoch":` + digits + `}}`, kindRESTv1,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got a 10000-digit number"},
		{"requestTimeEpoch a fraction", `{"httpMethod":"GET","requestContext":{"requestTimeEpoch":1.5}}`, kindRESTv1,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got 1.5"},
		{"requestTimeEpoch past int64", `{"httpMethod":"GET","requestContext":{"requestTimeEpoch":9223372036854775808}}`, kindRESTv1,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got 9223372036854775808"},
		{"requestTimeEpoch a string", `{"httpMethod":"GET","requestContext":{"requestTimeEpoch":"1"}}`, kindRESTv1,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got a string"},
		{"headers an array", rest(`"headers":[]`), kindRESTv1, "headers: want an object of strings, got an array"},
		{"isBase64Encoded a string", rest(`"isBase64Encoded":"yes"`), kindRESTv1, "isBase64Encoded: want a boolean, got a string"},
		{"isBase64Encoded without a body", rest(`"isBase64Encoded":1`), kindRESTv1, "isBase64Encoded: want a boolean, got 1"},
		{"multi-value header a string", rest(`"multiValueHeaders":{"X-A":"b"}`), kindRESTv1, `multiValueHeaders["X-A"]: want an array of strings, got a string`},
		{"stage variable a number", rest(`"stageVariables":{"env":1}`), kindRESTv1, "stageVariables.env: want a string, got 1"},
		{"requestContext a number", `{"httpMethod":"GET","requestContext":5}`, kindRESTv1, "requestContext: want an object, got 5"},
		{"identity sourceIp an array", `{"httpMethod":"GET","requestContext":{"identity":{"sourceIp":[]}}}`, kindRESTv1,
			"requestContext.identity.sourceIp: want a string, got an array"},
		{"authorizer number past float64", `{"httpMethod":"GET","requestContext":{"authorizer":{"claims":{"n":1e999}}}}`, kindRESTv1,
			"requestContext.authorizer: want numbers that fit float64, got 1e999"},
		{"authorizer an array", `{"httpMethod":"GET","requestContext":{"authorizer":[]}}`, kindRESTv1, "requestContext.authorizer: want an object, got an array"},
		{"v2 timeEpoch", `{"version":"2.0","requestContext":{"http":{},"timeEpoch":true}}`, kindHTTPv2, "requestContext.timeEpoch: want an integer that fits int64, got a boolean"},
		{"v2 version a number", `{"version":2,"requestContext":{"http":{}}}`, kindHTTPv2, "version: want a string, got 2"},
		{"v2 requestContext a string", `{"version":"2.0","requestContext":"x"}`, kindHTTPv2, "requestContext: want an object, got a string"},
		{"v2 http a number", `{"version":"2.0","requestContext":{"http":5}}`, kindHTTPv2, "requestContext.http: want an object, got 5"},
		{"v2 jwt claim a number", `{"version":"2.0","requestContext":{"http":{},"authorizer":{"jwt":{"claims":{"exp":1}}}}}`, kindHTTPv2,
			"requestContext.authorizer.jwt.claims.exp: want a string, got 1"},
		{"v2 cookies an object", `{"version":"2.0","requestContext":{"http":{}},"cookies":{}}`, kindHTTPv2, "cookies: want an array of strings, got an object"},
		{"function URL domainName", `{"version":"2.0","requestContext":{"http":{},"domainName":"a.lambda-url.eu-west-1.on.aws","timeEpoch":-1.0}}`, kindFunctionURL,
			"requestContext.timeEpoch: want an integer that fits int64, got -1.0"},
		{"ALB elb a number", `{"httpMethod":"GET","requestContext":{"elb":5}}`, kindALB, "requestContext.elb: want an object, got 5"},
		{"ALB targetGroupArn", `{"httpMethod":"GET","requestContext":{"elb":{"targetGroupArn":{}}}}`, kindALB, "requestContext.elb.targetGroupArn: want a string, got an object"},
		{"SQS attribute stringValue", `{"Records":[{"eventSource":"aws:sqs","messageAttributes":{"a":{"stringValue":5}}}]}`, kindSQS,
			"Records[0].messageAttributes.a.stringValue: want a string, got 5"},
		{"SQS binaryValue byte out of range", `{"Records":[{"eventSource":"aws:sqs","messageAttributes":{"a":{"binaryValue":[1,256]}}}]}`, kindSQS,
			"Records[0].messageAttributes.a.binaryValue[1]: want an integer from 0 to 255, got 256"},
		{"SQS record a number", `{"Records":[{"eventSource":"aws:sqs"},7]}`, kindSQS, "Records[1]: want an object, got 7"},
		{"SQS eventSource a number", `{"Records":[{"eventSource":"aws:sqs"},{"eventSource":5}]}`, kindSQS, "Records[1].eventSource: want a string, got 5"},
		{"SNS Timestamp not RFC 3339", `{"Records":[{"EventSource":"aws:sns","Sns":{"Timestamp":"yesterday"}}]}`, kindSNS,
			`Records[0].Sns.Timestamp: want an RFC 3339 time string such as 2006-01-02T15:04:05Z, got "yesterday"`},
		{"SNS MessageAttributes an array", `{"Records":[{"EventSource":"aws:sns","Sns":{"MessageAttributes":[]}}]}`, kindSNS,
			"Records[0].Sns.MessageAttributes: want an object, got an array"},
		{"S3 object size a string", `{"Records":[{"eventSource":"aws:s3","s3":{"object":{"key":"k","size":"12"}}}]}`, kindS3,
			"Records[0].s3.object.size: want an integer that fits int64, got a string"},
		{"S3 eventTime a number", `{"Records":[{"eventSource":"aws:s3","eventTime":0}]}`, kindS3, "Records[0].eventTime: want an RFC 3339 time string, got 0"},
		{"DynamoDB BS element a number", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"NewImage":{"x":{"BS":[1]}}}}]}`, kindDynamoDB,
			"Records[0].dynamodb.NewImage.x.BS[0]: want a string, got 1"},
		{"DynamoDB two type keys", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"Keys":{"id":{"S":"a","N":"1"}}}}]}`, kindDynamoDB,
			"Records[0].dynamodb.Keys.id: want a DynamoDB attribute value with exactly one type key, got 2 members"},
		{"DynamoDB unknown type", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"Keys":{"id":{"M":{"a":{"X":"1"}}}}}}]}`, kindDynamoDB,
			"Records[0].dynamodb.Keys.id.M.a.X: want a DynamoDB type key (B, BOOL, BS, L, M, N, NS, NULL, S or SS)"},
		{"DynamoDB null attribute value", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"Keys":{"id":null}}}]}`, kindDynamoDB,
			"Records[0].dynamodb.Keys.id: want a DynamoDB attribute value (an object with one type key), got null"},
		{"DynamoDB SizeBytes", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"SizeBytes":1e2}}]}`, kindDynamoDB,
			"Records[0].dynamodb.SizeBytes: want an integer that fits int64, got 1e2"},
		{"Kinesis arrival time a string", `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"approximateArrivalTimestamp":"now"}}]}`, kindKinesis,
			"Records[0].kinesis.approximateArrivalTimestamp: want a number of seconds that fits float64, got a string"},
		{"Kinesis data an object", `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"data":{}}}]}`, kindKinesis,
			"Records[0].kinesis.data: want a base64 string, got an object"},
		{"EventBridge account a number", `{"detail-type":"a","source":"b","detail":{},"account":123456789012}`, kindEventBridge,
			"account: want a string, got 123456789012"},
		{"EventBridge detail-type a number", `{"detail-type":5,"source":"b","detail":{}}`, kindEventBridge, "detail-type: want a string, got 5"},
		{"EventBridge time", `{"detail-type":"a","source":"b","detail":{},"time":"2024-03-12"}`, kindEventBridge,
			`time: want an RFC 3339 time string such as 2006-01-02T15:04:05Z, got "2024-03-12"`},
	}
	g, _ := testGuard(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, rej := verdict(t, g, []byte(tt.payload))
			if k != tt.kind {
				t.Fatalf("recognised as %s, want %s", k.source(), tt.kind.source())
			}
			if rej == nil {
				t.Fatal("not refused")
			}
			if rej.status != 400 || rej.rule != "validation.event_shape" || rej.reason != tt.reason || !strings.HasPrefix(tt.reason, rej.loc+": ") {
				t.Errorf("rejection %d %s at %s: %q\nwant 400 validation.event_shape: %q", rej.status, rej.rule, rej.loc, rej.reason, tt.reason)
			}
			if decodeAs(k, []byte(tt.payload)) == nil {
				t.Errorf("%s decodes it: the check is stricter than aws-lambda-go", eventTypes[k])
			}
		})
	}
}

// TestCaseVariantMembers: encoding/json decodes a member whose name differs
// from a field's only in case (bytes.EqualFold) into that field, which
// fnguard reads under its exact name only: such members are refused.
func TestCaseVariantMembers(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		loc     string
	}{
		{"Body", `{"httpMethod":"GET","requestContext":{},"body":"ok","BODY":"<script>alert(1)</script>"}`, "BODY"},
		{"lone variant", `{"httpMethod":"GET","requestContext":{},"Body":"<script>alert(1)</script>"}`, "Body"},
		{"nested", `{"version":"2.0","requestContext":{"http":{"sourceIp":"192.0.2.1","SourceIP":"10.0.0.1"}}}`, "requestContext.http.SourceIP"},
		{"records", `{"Records":[{"eventSource":"aws:sqs","body":"ok"}],"records":[{"eventSource":"aws:sqs","body":"' or 1=1--"}]}`, "records"},
		{"Kelvin sign", "{\"Records\":[{\"eventSource\":\"aws:kinesis\",\"\u212Ainesis\":{\"data\":\"eA==\"}}]}", "Records[0][\"\u212Ainesis\"]"},
		{"long s", "{\"detail-type\":\"a\",\"source\":\"b\",\"detail\":{},\"\u017Fource\":\"c\"}", "[\"\u017Fource\"]"},
	}
	g, _ := testGuard(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, rej := verdict(t, g, []byte(tt.payload))
			if decodeAs(k, []byte(tt.payload)) != nil {
				t.Fatalf("%s does not decode it: the case is moot", eventTypes[k])
			}
			if rej == nil || rej.rule != "validation.event_shape" || rej.loc != tt.loc || !strings.Contains(rej.reason, "only in letter case") {
				t.Fatalf("rejection %+v, want validation.event_shape at %s", rej, tt.loc)
			}
		})
	}
	// SNS deliveries over HTTP spell SigningCertURL, which the adapter
	// reads as well.
	_, rej := verdict(t, g, []byte(`{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"m","SigningCertURL":"https://sns.eu-west-1.amazonaws.com/a.pem"}}]}`))
	if rej != nil {
		t.Fatalf("SigningCertURL refused: %+v", rej)
	}
}

// TestNestingDepth: encoding/json refuses more than 10000 levels of
// nesting anywhere in the payload; so does the adapter, with a 400.
func TestNestingDepth(t *testing.T) {
	g, _ := testGuard(t)
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, tt := range []struct {
		depth  int
		refuse bool
	}{{maxJSONDepth - 1, false}, {maxJSONDepth, true}} {
		// The object around the member is one level.
		payload := []byte(`{"httpMethod":"GET","requestContext":{},"extra":` + nest(tt.depth) + `}`)
		_, rej := verdict(t, g, payload)
		derr := decodeAs(kindRESTv1, payload)
		if (rej != nil) != tt.refuse || (derr != nil) != tt.refuse {
			t.Fatalf("depth %d: rejection %v, decode error %v; want both %v", tt.depth+1, rej, derr, tt.refuse)
		}
		if tt.refuse && (rej.rule != "validation.json_depth" || rej.status != 400) {
			t.Errorf("rejection %+v", rej)
		}
	}
}

// TestNumberFastPaths: fitsInt64 and fitsFloat64 agree with strconv, which
// encoding/json uses, at the edges of their fast paths.
func TestNumberFastPaths(t *testing.T) {
	nums := []string{"0", "-0", "1", "-1", "1.5", "1e3", "-1E-3", "999999999999999999", "-99999999999999999",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "12345678901234567.0",
		"1.7976931348623157e308", "1.7976931348623159e308", "1e308", "1e309", "1e-400", "-1e400", "0.000001e310",
		"1" + strings.Repeat("0", 307), "1" + strings.Repeat("0", 308), "1" + strings.Repeat("0", 308) + ".5",
		"17976931348623157" + strings.Repeat("0", 292), "2" + strings.Repeat("0", 308), "-2" + strings.Repeat("0", 308) + ".0",
		"0." + strings.Repeat("0", 400) + "1", strings.Repeat("7", 10000)}
	for _, n := range nums {
		doc, err := jsontree.Parse([]byte(n), jsontree.Limits{})
		if err != nil {
			t.Fatalf("%.40s: %v", n, err)
		}
		_, ierr := strconv.ParseInt(n, 10, 64)
		_, ferr := strconv.ParseFloat(n, 64)
		if got := fitsInt64(doc.Root()); got != (ierr == nil) {
			t.Errorf("fitsInt64(%.40s) = %v, strconv says %v", n, got, ierr)
		}
		if got := fitsFloat64([]byte(n)); got != (ferr == nil) {
			t.Errorf("fitsFloat64(%.40s) = %v, strconv says %v", n, got, ferr)
		}
	}
}

// TestParseShape: the spec syntax (alternative spellings, nested and
// element shapes) and its refusals, which panic since specs are constants.
func TestParseShape(t *testing.T) {
	s := parseShape(`x.T { a b:int64 c/C d:structs x.U { e:time } f:structmap x.V { } }`)
	if s.goType != "x.T" || len(s.members) != 5 {
		t.Fatalf("parsed %+v", s)
	}
	want := []struct {
		name, alt string
		t         jtype
	}{{"a", "", tString}, {"b", "", tInt64}, {"c", "C", tString}, {"d", "", tStructs}, {"f", "", tStructMap}}
	for i, w := range want {
		m := s.members[i]
		if m.name != w.name || m.alt != w.alt || m.t != w.t {
			t.Errorf("member %d = %+v, want %+v", i, m, w)
		}
		if m2, exact := s.lookup(w.name); m2 != &s.members[i] || !exact {
			t.Errorf("lookup(%q) = %v, %v", w.name, m2, exact)
		}
	}
	if u := s.members[3].sub; u == nil || u.goType != "x.U" || len(u.members) != 1 || u.members[0].t != tTime {
		t.Errorf("element shape of d: %+v", u)
	}
	if v := s.members[4].sub; v == nil || v.goType != "x.V" || len(v.members) != 0 {
		t.Errorf("element shape of f: %+v", v)
	}
	for _, bad := range []string{``, `x.T`, `x.T a }`, `x.T { a`, `x.T { a:nope }`, `x.T { } extra`, `x.T { a:struct }`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("parseShape(%q) did not panic", bad)
				}
			}()
			parseShape(bad)
		}()
	}
	for k, spec := range shapeSpecs {
		if spec != "" && shapeOf(kind(k)) == nil {
			t.Errorf("kind %d: no shape", k)
		}
	}
}
