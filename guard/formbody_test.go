package guard

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func formFields(body string) (fields [][2]string) {
	it := formIter{rest: body}
	for {
		k, v, ok := it.next()
		if !ok {
			return fields
		}
		fields = append(fields, [2]string{k, v})
	}
}

func TestFormIter(t *testing.T) {
	cases := []struct {
		name, body string
		want       [][2]string
	}{
		{"plain", "a=1&b=2", [][2]string{{"a", "1"}, {"b", "2"}}},
		{"empty fields skipped", "&&a=1&&", [][2]string{{"a", "1"}}},
		{"no value", "a&b=", [][2]string{{"a", ""}, {"b", ""}}},
		{"first '=' splits", "a=b=c", [][2]string{{"a", "b=c"}}},
		{"escaped name and value", "a+b%21=c%20d+e", [][2]string{{"a b!", "c d e"}}},
		{"'+' only in the value", "k=1+1", [][2]string{{"k", "1 1"}}},
		{"'%' after '=' of the value only", "k%3D=v", [][2]string{{"k=", "v"}}},
		{"malformed escape kept as sent", "q=%zz<script>", [][2]string{{"q", "%zz<script>"}}},
		{"empty name", "=v", [][2]string{{"", "v"}}},
		{"empty body", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := formFields(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("formIter(%q) = %q, want %q", tc.body, got, tc.want)
			}
			checkFormAgainstParseQuery(t, tc.body)
		})
	}
	form := strings.Repeat("name=value&", 50)
	if n := testing.AllocsPerRun(50, func() { formFields2(form) }); n != 0 {
		t.Errorf("splitting an unescaped form: %.0f allocations", n)
	}
}

// formFields2 splits a form without keeping the fields.
func formFields2(body string) int {
	it, n := formIter{rest: body}, 0
	for {
		if _, _, ok := it.next(); !ok {
			return n
		}
		n++
	}
}

// checkFormAgainstParseQuery: on a form url.ParseQuery accepts, formIter
// gives the same names and values in the same order.
func checkFormAgainstParseQuery(t *testing.T, body string) {
	t.Helper()
	want, err := url.ParseQuery(body)
	if err != nil {
		return
	}
	got := url.Values{}
	for _, f := range formFields(body) {
		got[f[0]] = append(got[f[0]], f[1])
	}
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("form %q: formIter %q, url.ParseQuery %q", body, got, want)
	}
}

func FuzzFormIter(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "a+b%21=c%20d+e&&x", "q=%zz&=v&k", "a=b=c&a=d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkFormAgainstParseQuery(t, body) })
}

// checkSemiScan: for each field's rest of body, as form asks it,
// semiScan.near && semiFirst is semiFirst.
func checkSemiScan(t *testing.T, body string) {
	t.Helper()
	it := formIter{rest: body}
	q := semiScan{left: math.MaxInt}
	for {
		if _, _, ok := it.next(); !ok {
			return
		}
		want := semiFirst(it.rest)
		if got := q.near(it.rest) && want; got != want {
			t.Fatalf("body %q, rest %q: near && semiFirst = %v, semiFirst = %v", body, it.rest, got, want)
		}
	}
}

func TestSemiScan(t *testing.T) {
	long := strings.Repeat("x", 39)
	for _, body := range []string{
		"", "a=b", "a=b&c;d=e", "a=&#x3c;&#x73;", "a=b&;", ";&;&;", "a=b&&&c;=d",
		"a=b&" + long + ";=1", "a=b&" + long + "x;=1", "a=b&" + long + long + ";&z;=1",
		"a=b;c&d=e;f&g;h=i", "&#x3c;&#x73;cript&#x3e;=1&b=2",
	} {
		t.Run(body, func(t *testing.T) { checkSemiScan(t, body) })
	}
}

func FuzzSemiScan(f *testing.F) {
	for _, s := range []string{"a=b&c;d=e", "a=&#x3c;&#x73;", "x=1&&;&y;=2&lt;=3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkSemiScan(t, body) })
}

// TestOddNameByte: oddNameByte marks the bytes oddName's comparisons did.
func TestOddNameByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := b <= ' ' || b == '\'' || b == '"' || b == '(' || b == ')' || b == '<' || b == '>' || b == 0x7f
		if oddNameByte[c] != want || oddName("ab"+string([]byte{b})) != want {
			t.Errorf("byte %#x: oddNameByte %v, want %v", c, oddNameByte[c], want)
		}
	}
}

// TestStringMemo: a string judged clean is not judged again when it comes
// back, and nothing that was found or would be found is lost: attacks
// between repeated clean strings, a match excluded at one location and not
// at the next, a clean string and an attack of the same length decoded
// into the same buffer (JSON escapes), the same string as a key and as a
// value, and a deny pattern.
func TestStringMemo(t *testing.T) {
	ctx := context.Background()
	xss := "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
	t.Run("attacks between repeated fields", func(t *testing.T) {
		g, _ := newTestGuard(t)
		body := strings.Repeat("a=b&", 20) + "q=" + xss + "&" + strings.Repeat("a=b&", 20) + "r=" + xss
		d := g.Inspect(ctx, bodyInv("application/x-www-form-urlencoded", []byte(body)))
		if findingAt(d, "body.q", XSS) == nil || findingAt(d, "body.r", XSS) == nil {
			t.Fatalf("want XSS at body.q and body.r: %+v", d.Findings)
		}
	})
	t.Run("excluded at one location only", func(t *testing.T) {
		g, _ := newTestGuard(t, WithExclusion("body.a", XSS))
		d := g.Inspect(ctx, bodyInv("application/x-www-form-urlencoded", []byte("a="+xss+"&b="+xss)))
		if findingAt(d, "body.a", XSS) != nil || findingAt(d, "body.b", XSS) == nil {
			t.Fatalf("want XSS at body.b only: %+v", d.Findings)
		}
	})
	t.Run("same length, same decode buffer", func(t *testing.T) {
		g, _ := newTestGuard(t)
		body := `["hello\u0020world","' OR 1=1 --","\u0027 OR 1=1 --"]`
		d := g.Inspect(ctx, bodyInv("application/json", []byte(body)))
		if findingAt(d, "body[1]", SQLi) == nil || findingAt(d, "body[2]", SQLi) == nil {
			t.Fatalf("want SQLi at body[1] and body[2]: %+v", d.Findings)
		}
		body = `["hello\u0020world","\u0027 OR 1=1 --"]`
		if d := g.Inspect(ctx, bodyInv("application/json", []byte(body))); findingAt(d, "body[1]", SQLi) == nil {
			t.Fatalf("want SQLi at body[1]: %+v", d.Findings)
		}
	})
	t.Run("key and value", func(t *testing.T) {
		g, _ := newTestGuard(t)
		d := g.Inspect(ctx, bodyInv("application/x-www-form-urlencoded", []byte("x=__proto__&__proto__=x")))
		if findingAt(d, "body.__proto__", ProtoPollution) == nil {
			t.Fatalf("want prototype pollution at the key: %+v", d.Findings)
		}
	})
	t.Run("deny pattern", func(t *testing.T) {
		g, _ := newTestGuard(t, WithDenyPattern("no-foo", "foo"))
		d := g.Inspect(ctx, bodyInv("application/x-www-form-urlencoded", []byte("a=foo&b=foo")))
		if findingAt(d, "body.a", Custom) == nil || findingAt(d, "body.b", Custom) == nil {
			t.Fatalf("want the deny pattern at body.a and body.b: %+v", d.Findings)
		}
	})
	t.Run("JSON memo gone cold", func(t *testing.T) {
		// past memoCold distinct keys and values the visitor puts few
		// strings in its memo: what it then holds, or not, changes
		// nothing, and a repeated value hits again
		g, _ := newTestGuard(t)
		var b strings.Builder
		b.WriteString("{")
		for i := range 3 * memoCold {
			fmt.Fprintf(&b, `"k%d":"v%d 1",`, i, i)
		}
		for i := range 3 * memoCold {
			fmt.Fprintf(&b, `"r%d":"same",`, i)
			if i%5 == 3 {
				fmt.Fprintf(&b, `"x%d":"' OR 1=1 --","y%d":"v3 1",`, i, i)
			}
		}
		b.WriteString(`"z":"' OR 1=1 --"}`)
		d := g.Inspect(ctx, bodyInv("application/json", []byte(b.String())))
		for i := range 3 * memoCold {
			if i%5 == 3 && findingAt(d, fmt.Sprintf("body.x%d", i), SQLi) == nil {
				t.Fatalf("want SQLi at body.x%d: %+v", i, d.Findings)
			}
		}
		if findingAt(d, "body.z", SQLi) == nil || len(d.Findings) != 3*memoCold/5+1 {
			t.Fatalf("want SQLi at body.z and the x fields only: %+v", d.Findings)
		}
	})
	t.Run("invalid UTF-8 every time", func(t *testing.T) {
		g, _ := newTestGuard(t)
		d := g.Inspect(ctx, bodyInv("application/x-www-form-urlencoded", []byte("a=%FF&b=%FF")))
		n := 0
		for _, f := range d.Findings {
			if f.Rule == "validation.invalid_utf8" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("want two invalid UTF-8 findings: %+v", d.Findings)
		}
	})
}

// TestFormBodyAllocs: a clean form or multipart body of many fields named
// alike allocates nothing per field.
func TestFormBodyAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	g, _ := newTestGuard(t)
	ctx := context.Background()
	for _, tc := range []struct{ ct, body string }{
		{"application/x-www-form-urlencoded", strings.Repeat("a=b&", 2000)},
		{"multipart/form-data; boundary=XyZ", string(manyParts(64 << 10))},
	} {
		inv := bodyInv(tc.ct, []byte(tc.body))
		n := testing.AllocsPerRun(10, func() {
			if d := g.Inspect(ctx, inv); d.Action != ActionAllow {
				t.Fatal(d)
			}
		})
		if n > 8 {
			t.Errorf("%s: %.0f allocations for %d bytes", tc.ct, n, len(tc.body))
		}
	}
}

// TestStringMemoPastFindingsBound: past the findings bound a record's
// strings are judged by a narrower detector; what it finds nothing in is
// not remembered as clean for the next record, judged in full.
func TestStringMemoPastFindingsBound(t *testing.T) {
	g, _ := newTestGuard(t)
	xss := `<script>alert(1)</script>`
	first := `["` + strings.Repeat(`' OR 1=1--","`, 80) + xss + `"]`
	inv := &Invocation{Source: SourceSQS, Records: []Record{
		{ID: "a", Body: []byte(first), ContentType: "application/json"},
		{ID: "b", Body: []byte(`["` + xss + `"]`), ContentType: "application/json"},
	}}
	d := g.Inspect(context.Background(), inv)
	if findingAt(d, "records[1].body[0]", XSS) == nil {
		t.Fatalf("want XSS in the second record: %d findings, none there", len(d.Findings))
	}
}

func TestFormUnescape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a+b", "a b"},
		{"%3Cscript%3e", "<script>"},
		{"%zz", "%zz"},
		{"a%2", "a%2"},
		{"%", "%"},
		{"%25%2B+", "%+ "},
		{"%FF", "\xff"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := formUnescape(tc.in); got != tc.want {
				t.Fatalf("formUnescape(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkFormUnescape(t, tc.in)
		})
	}
}

// checkFormUnescape: formUnescape is url.QueryUnescape, or its input when
// that fails.
func checkFormUnescape(t *testing.T, s string) {
	t.Helper()
	want, err := url.QueryUnescape(s)
	if err != nil {
		want = s
	}
	if got := formUnescape(s); got != want {
		t.Fatalf("formUnescape(%q) = %q, url.QueryUnescape %q (%v)", s, got, want, err)
	}
}

func FuzzFormUnescape(f *testing.F) {
	for _, s := range []string{"a+b%20c", "%zz%", "%e2%82%ac", "100%"} {
		f.Add(s)
	}
	f.Fuzz(checkFormUnescape)
}
