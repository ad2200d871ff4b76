package guardlambda

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// oddShapes exercises the plan's corners: named types, pointers, nested
// slices and maps, interface values, numbers of every width, a []byte
// (always encoding/json's), a custom unmarshaler and the ",string" option.
type oddShapes struct {
	Name   string            `json:"name"`
	Alias  myString          `json:"alias"`
	Untag  string            // matched by its Go name
	Skip   string            `json:"-"`
	N8     int8              `json:"n8"`
	U16    uint16            `json:"u16"`
	F32    float32           `json:"f32"`
	F64    float64           `json:"f64"`
	B      bool              `json:"b"`
	P      *string           `json:"p"`
	PS     *oddInner         `json:"ps"`
	L      []string          `json:"l"`
	LL     [][]int           `json:"ll"`
	M      map[string]string `json:"m"`
	MM     map[string][]string
	MS     map[string]oddInner `json:"ms"`
	A      any                 `json:"a"`
	AM     map[string]any      `json:"am"`
	Raw    []byte              `json:"raw"`
	Custom oddCustom           `json:"custom"`
	Quoted int                 `json:"quoted,string"`
	//lint:ignore SA5008 an invalid tag name on purpose: encoding/json then uses the Go name
	BadTag string `json:"bad\\tag"`
	//lint:ignore U1000 an unexported field, which encoding/json skips
	private string
}

type oddInner struct {
	X string `json:"x"`
	Y []oddInner
}

type myString string

type oddCustom struct{ v string }

func (c *oddCustom) UnmarshalJSON(b []byte) error { c.v = "custom:" + string(b); return nil }

// typedTargets decodes payload both ways for every target type: what the
// tree decoder gives (when it takes the event) must be what json.Unmarshal
// gives, and it must never take an event json.Unmarshal refuses.
func checkTypedDecode(t *testing.T, payload []byte) {
	doc, err := jsontree.Parse(payload, envelopeLimits)
	if err != nil {
		return // the adapter refuses it before any handler runs
	}
	checkOne[events.APIGatewayProxyRequest](t, payload, doc.Root())
	checkOne[events.APIGatewayV2HTTPRequest](t, payload, doc.Root())
	checkOne[events.ALBTargetGroupRequest](t, payload, doc.Root())
	checkOne[events.LambdaFunctionURLRequest](t, payload, doc.Root())
	checkOne[events.SQSEvent](t, payload, doc.Root())
	checkOne[events.SNSEvent](t, payload, doc.Root())
	checkOne[events.S3Event](t, payload, doc.Root())
	checkOne[events.KinesisEvent](t, payload, doc.Root())
	checkOne[events.DynamoDBEvent](t, payload, doc.Root())
	checkOne[events.CloudWatchEvent](t, payload, doc.Root())
	checkOne[map[string]any](t, payload, doc.Root())
	checkOne[any](t, payload, doc.Root())
	checkOne[*oddShapes](t, payload, doc.Root())
	checkOne[oddShapes](t, payload, doc.Root())
}

func checkOne[T any](t *testing.T, payload []byte, root jsontree.Value) {
	t.Helper()
	var want T
	werr := json.Unmarshal(payload, &want)
	var got T
	ok := decodeTree(planFor(reflect.TypeFor[T]()), payload, root, &got)
	if !ok {
		if !reflect.DeepEqual(got, *new(T)) {
			t.Fatalf("%T: a refused tree decode left %+v, want the zero value", got, got)
		}
		return
	}
	if werr != nil {
		t.Fatalf("%T: tree decode took %q, which json.Unmarshal refuses: %v", got, clip(string(payload), 300), werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%T: tree decode of %q\n got %+v\nwant %+v", got, clip(string(payload), 300), got, want)
	}
}

var typedSeeds = []string{
	`{"name":"a\"b","alias":"x","Untag":"u","Skip":"s","n8":-128,"u16":65535,"f32":1.5,"f64":-2e-3,"b":true,"p":"pp","ps":{"x":"1","Y":[{"x":"2"}]},` +
		`"l":["a",null,"\u00e9"],"ll":[[1,2],[],null],"m":{"k":"v","n":null},"MM":{"h":["1","2"]},"ms":{"a":{"x":"y"}},` +
		`"a":{"z":[1,"s",true,null,{"q":1e3}]},"am":{"k":null},"unknown":{"deep":[1]}}`,
	`{"n8":128}`, `{"n8":1.0}`, `{"u16":-1}`, `{"f32":1e40}`, `{"a":1e400}`, `{"name":5}`, `{"l":"x"}`, `{"NAME":"fold"}`, `{"nAme":"x","name":"y"}`,
	`{"raw":"aGk="}`, `{"raw":null}`, `{"custom":"c"}`, `{"custom":null}`, `{"quoted":"5"}`, `{"p":null,"ps":null,"l":null,"m":null}`,
	`{"ſkip":"long s folds to s"}`, `{"BadTag":"by Go name"}`, `{"bad\\tag":"invalid tag"}`, `{"K":"kelvin"}`, `[1,2]`, `"str"`, `null`, `{"ps":[]}`, `{"ms":{"a":null}}`, `{"MM":{"h":null,"i":[null]}}`,
	`{"Records":[{"eventSource":"aws:sqs","body":"{\"a\":1}","attributes":{"SentTimestamp":"1"},"messageAttributes":{"k":{"stringValue":"v","dataType":"String"}}}]}`,
	`{"Records":[{"messageAttributes":{"k":{"binaryValue":"aGk=","dataType":"Binary"}}}]}`,
	`{"requestContext":{"authorizer":{"claims":{"sub":"x"},"n":3,"l":[true]}},"headers":{"A":"b"},"multiValueHeaders":{"A":["b","c"]}}`,
	`{"requestContext":{"requestTimeEpoch":1.5}}`, `{"requestContext":{"timeEpoch":99999999999999999999}}`,
}

func TestTypedDecodeMatchesEncodingJSON(t *testing.T) {
	for _, s := range typedSeeds {
		t.Run(clip(s, 40), func(t *testing.T) { checkTypedDecode(t, []byte(s)) })
	}
	for _, ev := range realEvents(t) {
		t.Run(ev.rel, func(t *testing.T) {
			b, err := os.ReadFile(ev.path)
			if err != nil {
				t.Fatal(err)
			}
			checkTypedDecode(t, b)
		})
	}
}

func FuzzTypedDecode(f *testing.F) {
	for _, s := range typedSeeds {
		f.Add([]byte(s))
	}
	for _, name := range []string{"apigw_v1_1kb.json", "alb_multi_benign.json", "apigw_v1_benign.json"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, payload []byte) { checkTypedDecode(t, payload) })
}

// TestWrapDecodesOnce: through Wrap, a clean event reaches the typed
// handler decoded from the adapter's tree, equal to what encoding/json
// gives, and an attack in a client-controlled field is still refused.
func TestWrapDecodesOnce(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	payload, err := os.ReadFile("testdata/apigw_v1_1kb.json")
	if err != nil {
		t.Fatal(err)
	}
	var want events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &want); err != nil {
		t.Fatal(err)
	}
	var got events.APIGatewayProxyRequest
	h := Wrap(g, func(ctx context.Context, e events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got = e
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	})
	if _, err := h.Invoke(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("handler got %+v\nwant %+v", got, want)
	}
	// The strings are the handler's: changing the payload afterwards
	// (the runtime reuses its buffer) does not change them.
	saved := got.Path
	for i := range payload {
		payload[i] = 'x'
	}
	if got.Path != saved || got.Path != want.Path {
		t.Fatalf("handler's Path changed with the payload buffer: %q", got.Path)
	}
}

// TestTypedDecodeTakesAWSEvents: the tree decoder takes the events AWS
// sends (it is not silently always falling back to encoding/json).
func TestTypedDecodeTakesAWSEvents(t *testing.T) {
	for _, c := range []struct {
		file string
		take func([]byte, jsontree.Value) bool
	}{
		{"testdata/apigw_v1_1kb.json", takes[events.APIGatewayProxyRequest]},
		{"testdata/alb_multi_benign.json", takes[events.ALBTargetGroupRequest]},
		{"testdata/real/powertools-python/sqsDlqTriggerEvent.json", takes[events.SQSEvent]},
		{"testdata/real/powertools-python/apiGatewayProxyV2Event.json", takes[events.APIGatewayV2HTTPRequest]},
		{"testdata/real/powertools-python/lambdaFunctionUrlEventWithHeaders.json", takes[events.LambdaFunctionURLRequest]},
	} {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsontree.Parse(b, envelopeLimits)
			if err != nil {
				t.Fatal(err)
			}
			if !c.take(b, doc.Root()) {
				t.Fatal("the tree decoder fell back to encoding/json")
			}
		})
	}
}

func takes[T any](payload []byte, root jsontree.Value) bool {
	var v T
	return decodeTree(planFor(reflect.TypeFor[T]()), payload, root, &v)
}

// TestIsValidTagMatchesRule checks the ASCII fast path of isValidTag
// against encoding/json's rule (a letter, a digit or one of its punctuation
// marks, rune by rune) over every ASCII byte and some non-ASCII runes.
func TestIsValidTagMatchesRule(t *testing.T) {
	rule := func(s string) bool {
		if s == "" {
			return false
		}
		for _, c := range s {
			switch {
			case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
			case !unicode.IsLetter(c) && !unicode.IsDigit(c):
				return false
			}
		}
		return true
	}
	var names []string
	for c := 0; c < 0x80; c++ {
		names = append(names, string(rune(c)), "a"+string(rune(c))+"b")
	}
	names = append(names, "", "héllo", "名前", "a\u00a0b", "x\u212a", "a\u2028", "é!", "\xff", "ab\xffc", "über-name")
	for _, n := range names {
		if got, want := isValidTag(n), rule(n); got != want {
			t.Errorf("isValidTag(%q) = %v, want %v", n, got, want)
		}
	}
}

// TestPlanFoldingFieldsUnsupported: fields whose names fold together (also
// through the Kelvin sign, whose UTF-8 is longer than the k it folds to)
// leave the struct to encoding/json.
func TestPlanFoldingFieldsUnsupported(t *testing.T) {
	type kelvin struct {
		A string `json:"k"`
		B string `json:"\u212a"`
	}
	type ascii struct {
		A string `json:"name"`
		B string `json:"NAME"`
	}
	type distinct struct {
		A string `json:"name"`
		B string `json:"names"`
		C string `json:"string,string"`
	}
	if p := planFor(reflect.TypeFor[kelvin]()); p != nil {
		t.Errorf("plan of %T = %v, want nil (fields fold together)", kelvin{}, p.kind)
	}
	if p := planFor(reflect.TypeFor[ascii]()); p != nil {
		t.Errorf("plan of %T = %v, want nil (fields fold together)", ascii{}, p.kind)
	}
	if p := planFor(reflect.TypeFor[distinct]()); p != nil {
		t.Errorf("plan of %T = %v, want nil (the ,string option)", distinct{}, p.kind)
	}
	type plainNames struct {
		A string `json:"name"`
		B string `json:"names,omitempty"`
	}
	if p := planFor(reflect.TypeFor[plainNames]()); p == nil || len(p.fields) != 2 {
		t.Errorf("plan of %T: want a struct plan of 2 fields, got %+v", plainNames{}, p)
	}
}

// TestJSONTagMatchesLookup: jsonTag's shortcut gives what
// reflect.StructTag.Lookup("json") gives, for the usual tags and for the
// ones it leaves to Lookup (escapes, control bytes, non-ASCII, other keys
// first, no closing quote).
func TestJSONTagMatchesLookup(t *testing.T) {
	for _, tag := range []reflect.StructTag{
		``, `json:"id"`, `json:"id,omitempty"`, `json:"-"`, `json:"-,"`, `json:""`, `json:",string"`,
		`json:"a b"`, `json:"id" xml:"x"`, `xml:"x" json:"id"`, ` json:"id"`, `json:"id`, `json:`, `json:"`,
		`json:"i\"d"`, `json:"i\\d"`, `json:"i\x01d"`, "json:\"i\nd\"", "json:\"i\td\"", `json:"ключ"`, "json:\"\xff\"",
		`jsonx:"id"`, `js:"id"`, `JSON:"id"`, `json:"id"json:"other"`, `json:'id'`,
	} {
		gotV, gotOK := jsonTag(tag)
		wantV, wantOK := tag.Lookup("json")
		if gotV != wantV || gotOK != wantOK {
			t.Errorf("jsonTag(%q) = %q, %v; Lookup gives %q, %v", tag, gotV, gotOK, wantV, wantOK)
		}
	}
}
