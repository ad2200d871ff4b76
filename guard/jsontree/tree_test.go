package jsontree

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestValueAccessors(t *testing.T) {
	src := []byte(`{"s":"x\ty","n":-12,"f":2.5e3,"big":123456789012345678901234567890,"t":true,"F":false,"z":null,` +
		`"a":[1,"two",[3],{"four":4}],"o":{"Content-Type":"text/html","k":{"deep":"v"}},"e":{},"ea":[],"":"empty key"}`)
	d, err := Parse(src, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r := d.Root()
	tests := []struct {
		name   string
		v      Value
		kind   Kind
		raw    string
		length int
	}{
		{"root", r, Object, string(src), 12},
		{"string", r.Get("s"), String, `"x\ty"`, 0},
		{"int", r.Get("n"), Number, `-12`, 0},
		{"float", r.Get("f"), Number, `2.5e3`, 0},
		{"true", r.Get("t"), Bool, `true`, 0},
		{"false", r.Get("F"), Bool, `false`, 0},
		{"null", r.Get("z"), Null, `null`, 0},
		{"array", r.Get("a"), Array, `[1,"two",[3],{"four":4}]`, 4},
		{"array elem", r.Get("a").At(1), String, `"two"`, 0},
		{"nested array", r.Get("a").At(2), Array, `[3]`, 1},
		{"object in array", r.Get("a").At(3).Get("four"), Number, `4`, 0},
		{"object", r.Get("o"), Object, `{"Content-Type":"text/html","k":{"deep":"v"}}`, 2},
		{"path", r.Path("o", "k", "deep"), String, `"v"`, 0},
		{"path none", r.Path(), Object, string(src), 12},
		{"empty object", r.Get("e"), Object, `{}`, 0},
		{"empty array", r.Get("ea"), Array, `[]`, 0},
		{"empty key", r.Get(""), String, `"empty key"`, 0},
		{"fold", r.Get("o").GetFold("content-TYPE"), String, `"text/html"`, 0},
		{"missing key", r.Get("nope"), Invalid, "", 0},
		{"case-sensitive Get", r.Get("o").Get("content-type"), Invalid, "", 0},
		{"missing path", r.Path("o", "x", "y"), Invalid, "", 0},
		{"Get on array", r.Get("a").Get("0"), Invalid, "", 0},
		{"Get on string", r.Get("s").Get("x"), Invalid, "", 0},
		{"At out of range", r.Get("a").At(4), Invalid, "", 0},
		{"At negative", r.Get("a").At(-1), Invalid, "", 0},
		{"At on object", r.At(0), Invalid, "", 0},
		{"zero Value", Value{}, Invalid, "", 0},
		{"nil Doc root", (*Doc)(nil).Root(), Invalid, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Kind(); got != tt.kind {
				t.Errorf("Kind = %v, want %v", got, tt.kind)
			}
			if got := tt.v.Exists(); got != (tt.kind != Invalid) {
				t.Errorf("Exists = %v", got)
			}
			if got := string(tt.v.Raw()); got != tt.raw {
				t.Errorf("Raw = %q, want %q", got, tt.raw)
			}
			if got := tt.v.Len(); got != tt.length {
				t.Errorf("Len = %d, want %d", got, tt.length)
			}
			if tt.kind == Invalid && tt.v.Offset() != -1 {
				t.Errorf("Offset of missing value = %d", tt.v.Offset())
			}
			if tt.kind != Invalid && string(src[tt.v.Offset():tt.v.Offset()+int64(len(tt.raw))]) != tt.raw {
				t.Errorf("Offset %d does not point at the value", tt.v.Offset())
			}
			if _, ok := tt.v.Str(); ok != (tt.kind == String) {
				t.Errorf("Str ok = %v", ok)
			}
			if _, ok := tt.v.Bool(); ok != (tt.kind == Bool) {
				t.Errorf("Bool ok = %v", ok)
			}
			if _, ok := tt.v.Float64(); ok != (tt.kind == Number) {
				t.Errorf("Float64 ok = %v", ok)
			}
		})
	}

	if s, ok := r.Get("s").Str(); !ok || s != "x\ty" {
		t.Errorf("Str = %q, %v", s, ok)
	}
	if got := r.Get("n").StrOr("def"); got != "def" {
		t.Errorf("StrOr on number = %q", got)
	}
	if got := r.Get("s").StrOr("def"); got != "x\ty" {
		t.Errorf("StrOr on string = %q", got)
	}
	if n, ok := r.Get("n").Int64(); !ok || n != -12 {
		t.Errorf("Int64 = %d, %v", n, ok)
	}
	if _, ok := r.Get("f").Int64(); ok {
		t.Error("Int64 accepted 2.5e3")
	}
	if _, ok := r.Get("big").Int64(); ok {
		t.Error("Int64 accepted an out-of-range integer")
	}
	if f, ok := r.Get("f").Float64(); !ok || f != 2500 {
		t.Errorf("Float64 = %v, %v", f, ok)
	}
	if b, ok := r.Get("t").Bool(); !ok || !b {
		t.Errorf("Bool(true) = %v, %v", b, ok)
	}
	if b, ok := r.Get("F").Bool(); !ok || b {
		t.Errorf("Bool(false) = %v, %v", b, ok)
	}
	// Raw never lets an append write into the source.
	raw := r.Get("n").Raw()
	_ = append(raw, '!')
	if src[len(`{"s":"x\ty","n":-12`)] != ',' {
		t.Error("append to Raw() modified the source")
	}
}

func TestIterators(t *testing.T) {
	d, err := Parse([]byte(`{"b":1,"a":[true,null,"x",{}],"c\u0021":{"d":2}}`), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var kinds []Kind
	for k, v := range d.Root().Members() {
		keys = append(keys, k)
		kinds = append(kinds, v.Kind())
	}
	if want := []string{"b", "a", "c!"}; !slices.Equal(keys, want) {
		t.Errorf("Members keys = %q, want %q", keys, want)
	}
	if want := []Kind{Number, Array, Object}; !slices.Equal(kinds, want) {
		t.Errorf("Members kinds = %v, want %v", kinds, want)
	}
	var idx []int
	kinds = kinds[:0]
	for i, v := range d.Root().Get("a").Elems() {
		idx = append(idx, i)
		kinds = append(kinds, v.Kind())
	}
	if !slices.Equal(idx, []int{0, 1, 2, 3}) || !slices.Equal(kinds, []Kind{Bool, Null, String, Object}) {
		t.Errorf("Elems = %v %v", idx, kinds)
	}
	// Early break.
	n := 0
	for range d.Root().Members() {
		n++
		break
	}
	for range d.Root().Get("a").Elems() {
		n++
		break
	}
	if n != 2 {
		t.Errorf("break did not stop iteration: %d", n)
	}
	// Wrong kinds iterate nothing.
	for range d.Root().Elems() {
		t.Error("Elems on object yielded")
	}
	for range d.Root().Get("a").Members() {
		t.Error("Members on array yielded")
	}
	for range (Value{}).Members() {
		t.Error("Members on missing value yielded")
	}
}

func TestDuplicatesAllowedFirstWins(t *testing.T) {
	src := []byte(`{"role":"user","Role":"x","role":"admin"}`)
	if _, err := Parse(src, Limits{}); err == nil {
		t.Fatal("duplicate accepted by default")
	}
	d, err := Parse(src, Limits{AllowDuplicateKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Root().Get("role").StrOr(""); got != "user" {
		t.Errorf("Get = %q, want first occurrence", got)
	}
	if got := d.Root().GetFold("ROLE").StrOr(""); got != "user" {
		t.Errorf("GetFold = %q, want first occurrence", got)
	}
	if d.Root().Len() != 3 {
		t.Errorf("Len = %d", d.Root().Len())
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{Invalid, "invalid"}, {Null, "null"}, {Bool, "bool"}, {Number, "number"},
		{String, "string"}, {Array, "array"}, {Object, "object"}, {Kind(42), "Kind(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.k.String(); got != tt.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestEvents(t *testing.T) {
	t.Run("apigw_v1", func(t *testing.T) {
		src := readTestdata(t, "apigw_v1.json")
		d, err := Parse(src, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		r := d.Root()
		checks := map[string]string{
			"method":   r.Get("httpMethod").StrOr(""),
			"ip":       r.Path("requestContext", "identity", "sourceIp").StrOr(""),
			"ctype":    r.Get("headers").GetFold("content-type").StrOr(""),
			"id":       r.Path("pathParameters", "id").StrOr(""),
			"body":     r.Get("body").StrOr(""),
			"mvh":      r.Path("multiValueHeaders", "X-Forwarded-For").At(0).StrOr(""),
			"stageVar": r.Get("stageVariables").Kind().String(),
		}
		want := map[string]string{
			"method": "POST", "ip": "203.0.113.7", "ctype": "application/json", "id": "42",
			"body": `{"item":"book","qty":2,"note":"gift wrap, please \u2013 thanks"}`,
			"mvh":  "203.0.113.7, 198.51.100.23", "stageVar": "null",
		}
		if !reflect.DeepEqual(checks, want) {
			t.Errorf("got  %q\nwant %q", checks, want)
		}
		if b, ok := r.Get("isBase64Encoded").Bool(); !ok || b {
			t.Errorf("isBase64Encoded = %v, %v", b, ok)
		}
		// The body is itself JSON: parse it from the decoded string.
		inner, err := Parse([]byte(checks["body"]), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got := inner.Root().Get("note").StrOr(""); got != "gift wrap, please – thanks" {
			t.Errorf("inner note = %q", got)
		}
	})
	t.Run("apigw_v2", func(t *testing.T) {
		d, err := Parse(readTestdata(t, "apigw_v2.json"), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		r := d.Root()
		if got := r.Path("requestContext", "http", "method").StrOr(""); got != "POST" {
			t.Errorf("method = %q", got)
		}
		if n, ok := r.Path("requestContext", "timeEpoch").Int64(); !ok || n != 1709987696000 {
			t.Errorf("timeEpoch = %d, %v", n, ok)
		}
		if r.Get("cookies").Len() != 2 || r.Get("pathParameters").Len() != 0 {
			t.Errorf("cookies %d pathParameters %d", r.Get("cookies").Len(), r.Get("pathParameters").Len())
		}
	})
	t.Run("sqs", func(t *testing.T) {
		d, err := Parse(readTestdata(t, "sqs.json"), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		recs := d.Root().Get("Records")
		if recs.Len() != 2 {
			t.Fatalf("Records.Len = %d", recs.Len())
		}
		if got := recs.At(1).Get("body").StrOr(""); got != "plain text with a tab\tand unicode é€😀" {
			t.Errorf("body = %q", got)
		}
		if got := recs.At(0).Path("messageAttributes", "tenant", "stringValue").StrOr(""); got != "acme" {
			t.Errorf("tenant = %q", got)
		}
	})
	for _, name := range []string{"apigw_v1.json", "apigw_v2.json", "sqs.json"} {
		t.Run("stdlib/"+name, func(t *testing.T) {
			src := readTestdata(t, name)
			want, err := stdDecode(src)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Parse(src, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(toAny(d.Root()), want) {
				t.Error("tree differs from encoding/json")
			}
			recs, err := walkRecords(src, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(recs, treeRecords(d.Root())) {
				t.Error("Walk differs from tree")
			}
		})
	}
}

func TestParseIntoReuses(t *testing.T) {
	docs := []string{
		`{"a":"x\u00e9y","b":[1,2,{"c":"\"q\""}]}`,
		`[1,2,3]`,
		`{"a":`, // error: the Doc is left empty
		`{"big":"` + strings.Repeat(`\n`, 300) + `","k\u0041":true}`,
		`"s"`,
	}
	var d Doc
	for _, src := range docs {
		t.Run(src[:min(len(src), 12)], func(t *testing.T) {
			want, werr := Parse([]byte(src), Limits{})
			err := ParseInto(&d, []byte(src), Limits{})
			if (err == nil) != (werr == nil) {
				t.Fatalf("ParseInto error %v, Parse error %v", err, werr)
			}
			if err != nil {
				if d.Root().Exists() {
					t.Fatalf("Root after error = %v, want Invalid", d.Root().Kind())
				}
				return
			}
			if got, w := toAny(d.Root()), toAny(want.Root()); !reflect.DeepEqual(got, w) {
				t.Fatalf("ParseInto = %#v, want %#v", got, w)
			}
		})
	}
	d.Reset()
	if d.Root().Exists() {
		t.Fatal("Root after Reset exists")
	}
	src := []byte(`{"headers":{"a":"b\tc"},"body":"{\"x\":1}"}`)
	if err := ParseInto(&d, src, Limits{}); err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		return // the race detector makes sync.Pool drop the pooled parser at random
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := ParseInto(&d, src, Limits{}); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("ParseInto into a warm Doc: %v allocations, want 0", n)
	}
	// a long string with an escape every few bytes at the end of the
	// document (an API Gateway body holding JSON, the last member): the
	// buffer it was unescaped into holds it again, though it is shorter
	// than the escaped string
	big := []byte(`{"headers":{"a":"b"},"body":"` + strings.Repeat(`{\"sku\":\"A-1\",\"qty\":2},`, 8<<10) + `"}`)
	if err := ParseInto(&d, big, Limits{}); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() {
		if err := ParseInto(&d, big, Limits{}); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("ParseInto of a %d-byte escaped string into a warm Doc: %v allocations, want 0", len(big), n)
	}
	want, err := Parse(big, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, w := toAny(d.Root()), toAny(want.Root()); !reflect.DeepEqual(got, w) {
		t.Fatal("ParseInto of the escaped string into a warm Doc differs from Parse")
	}
}

// TestReleaseReuses: a large Doc that Release gave back lends its memory to
// the next ParseInto of a large document (a fresh Doc, as a pooled adapter
// state has after dropping one), which still parses exactly what Parse
// does whatever the previous document held (longer, shorter, other
// escapes); and Release leaves its Doc empty. (What it saves is measured
// by BenchmarkParseInto/envelope_256KB_released: sync.Pool keeps no
// promise a test could count on.)
func TestReleaseReuses(t *testing.T) {
	docs := [][]byte{
		envelopeOf(t, proseBody(300<<10)),
		envelopeOf(t, proseBody(100<<10)),
		[]byte(`{"k":"` + strings.Repeat(`\"x\u00e9\\`, 40<<10) + `","n":[1,2,{"a":"\n"}]}`),
		envelopeOf(t, proseBody(200<<10)),
	}
	for round := range 2 {
		for i, src := range docs {
			want, err := Parse(src, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var d Doc
			if err := ParseInto(&d, src, Limits{}); err != nil {
				t.Fatalf("round %d, doc %d: %v", round, i, err)
			}
			if got, w := toAny(d.Root()), toAny(want.Root()); !reflect.DeepEqual(got, w) {
				t.Fatalf("round %d, doc %d: ParseInto after a Release differs from Parse", round, i)
			}
			d.Release()
			if d.Root().Exists() || d.nodes != nil || d.buf != nil {
				t.Fatalf("round %d, doc %d: Release left a document or its memory", round, i)
			}
		}
	}
}
