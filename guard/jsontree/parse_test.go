package jsontree

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/bits"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseValidAgreesWithStdlib(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"null", `null`},
		{"true", `true`},
		{"false", ` false `},
		{"zero", `0`},
		{"negative", `-12`},
		{"fraction", `3.25`},
		{"exponent", `-1.5e+10`},
		{"exponent upper", `1E-7`},
		{"empty string", `""`},
		{"plain string", `"hello"`},
		{"simple escapes", `"\"\\\/\b\f\n\r\t"`},
		{"unicode escapes", `"caf\u00e9 \u20ac \ud83d\ude00"`},
		{"lone high surrogate", `"a\ud800b"`},
		{"lone low surrogate", `"\udc00"`},
		{"high surrogate then escape", `"\ud800\u0041"`},
		{"two high surrogates", `"\ud800\ud800\udc00"`},
		{"high surrogate at end", `"\ud83d"`},
		{"raw utf8", `"Zoë 日本 😀"`},
		{"raw U+FFFD", "\"\uFFFD\""},
		{"empty array", `[]`},
		{"empty object", `{}`},
		{"empty with ws", "[ \t\r\n]"},
		{"nested", `{"a":[1,{"b":[[],{}]},"x"],"c":{"d":null}}`},
		{"whitespace everywhere", " { \"a\" : [ 1 , 2 ] , \"b\" : { } } \n"},
		{"long number", strings.Repeat("9", 10000)},
		{"long fraction", "0." + strings.Repeat("1", 5000) + "e" + strings.Repeat("5", 100)},
		{"escaped key", `{"\u0061b":1,"a\nb":2}`},
		{"empty key", `{"":1}`},
		{"long string", `"` + strings.Repeat("abcdefgh", 1<<15) + `"`},
		{"long escaped string", `"` + strings.Repeat(`ab\n\u00e9`, 1<<12) + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			want, err := stdDecode(src)
			if err != nil {
				t.Fatalf("bad test: encoding/json rejects: %v", err)
			}
			d, err := Parse(src, Limits{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := toAny(d.Root()); !reflect.DeepEqual(got, want) {
				t.Fatalf("Parse tree = %#v, encoding/json = %#v", got, want)
			}
			if got, want := d.Root().Raw(), bytes.TrimSpace(src); !bytes.Equal(got, want) {
				t.Fatalf("Root().Raw() = %q, want %q", got, want)
			}
			recs, err := walkRecords(src, Limits{})
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if want := treeRecords(d.Root()); !reflect.DeepEqual(recs, want) {
				t.Fatalf("Walk visits\n %+v\nwant (from tree)\n %+v", recs, want)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		offset  int64
		path    string
		msgPart string
	}{
		{"empty", ``, 0, "", "unexpected end of JSON input"},
		{"only whitespace", " \n\t", 3, "", "unexpected end of JSON input"},
		{"BOM", "\xEF\xBB\xBF{}", 0, "", "byte order mark"},
		{"trailing data", `{} x`, 3, "", "invalid character 'x' after top-level value"},
		{"two values", `1 2`, 2, "", "after top-level value"},
		{"leading zero", `01`, 1, "", "invalid character '1' after top-level value"},
		{"bad char", `{"items":[1,2,x]}`, 14, ".items[2]", "invalid character 'x' looking for beginning of value"},
		{"missing colon", `{"items":[{"a" 2}]}`, 15, ".items[0].a", "invalid character '2' after object key"},
		{"missing comma in object", `{"a":1 "b":2}`, 7, ".a", "after object key:value pair"},
		{"missing comma in array", `[1 2]`, 3, "[0]", "after array element"},
		{"trailing comma array", `[1,]`, 3, "[1]", "looking for beginning of value"},
		{"trailing comma object", `{"a":1,}`, 7, "", "looking for beginning of object key string"},
		{"unquoted key", `{"o":{a:1}}`, 6, ".o", "looking for beginning of object key string"},
		{"single quotes", `['x']`, 1, "[0]", `invalid character '\''`},
		{"truncated object", `{"a":`, 5, ".a", "unexpected end of JSON input"},
		{"truncated array", `[1,`, 3, "[1]", "unexpected end of JSON input"},
		{"truncated string", `"abc`, 4, "", "unexpected end of JSON input"},
		{"truncated escape", `"\`, 2, "", "unexpected end of JSON input"},
		{"truncated unicode", `"\u12`, 5, "", "unexpected end of JSON input"},
		{"truncated literal", `[tru`, 4, "[0]", "unexpected end of JSON input"},
		{"bad literal", `nul1`, 3, "", "in literal null (expecting 'l')"},
		{"bad escape", `"\x"`, 2, "", "invalid character 'x' in string escape code"},
		{"bad unicode hex", `"\u12g4"`, 5, "", `in \u hexadecimal character escape`},
		{"control char", "\"a\nb\"", 2, "", `invalid character '\x0a' in string literal`},
		{"NUL in string", "\"a\x00\"", 2, "", "in string literal"},
		{"invalid UTF-8 in string", "[\"ok\",\"a\xffb\"]", 8, "[1]", "invalid UTF-8 in string"},
		{"UTF-8 surrogate in string", "\"\xed\xa0\x80\"", 1, "", "invalid UTF-8 in string"},
		{"overlong UTF-8", "\"\xc0\xaf\"", 1, "", "invalid UTF-8 in string"},
		{"truncated UTF-8", "\"\xe2\x82\"", 1, "", "invalid UTF-8 in string"},
		{"invalid UTF-8 outside string", "[\xff]", 1, "[0]", `invalid character '\xff' looking for beginning of value`},
		{"minus alone", `-`, 1, "", "unexpected end of JSON input"},
		{"minus letter", `-a`, 1, "", "in numeric literal"},
		{"plus sign", `+1`, 0, "", "looking for beginning of value"},
		{"dot without digits", `1.`, 2, "", "unexpected end of JSON input"},
		{"dot then bracket", `[1.]`, 3, "[0]", "after decimal point in numeric literal"},
		{"leading dot", `.5`, 0, "", "looking for beginning of value"},
		{"exponent without digits", `1e+`, 3, "", "unexpected end of JSON input"},
		{"exponent letter", `[1ex]`, 3, "[0]", "in exponent of numeric literal"},
		{"hex number", `0x10`, 1, "", "after top-level value"},
		{"NaN", `NaN`, 0, "", "looking for beginning of value"},
		{"close without open", `]`, 0, "", "looking for beginning of value"},
		{"mismatched close", `[1}`, 2, "[0]", "after array element"},
		{"comment", `{} // c`, 3, "", "after top-level value"},
		{"key after weird key", `{"a b":{"c.d":[0,{"e":1,}]}}`, 24, `["a b"]["c.d"][1]`, "looking for beginning of object key string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			// encoding/json accepts invalid UTF-8 inside strings (replacing
			// it with U+FFFD); RFC 8259 and this package do not.
			stdAccepts := strings.Contains(tt.name, "UTF-8") && !strings.Contains(tt.name, "outside")
			if json.Valid(src) != stdAccepts {
				t.Fatalf("bad test: json.Valid(%q) = %v", tt.src, !stdAccepts)
			}
			_, perr := Parse(src, Limits{})
			werr := Walk(src, Limits{}, func(*Path, string, bool) error { return nil })
			for name, err := range map[string]error{"Parse": perr, "Walk": werr} {
				if err == nil {
					t.Fatalf("%s: no error", name)
				}
				checkErr(t, err)
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("%s: %v is not a *SyntaxError", name, err)
				}
				if se.Offset != tt.offset || se.Path != tt.path || !strings.Contains(se.Msg, tt.msgPart) {
					t.Errorf("%s: got offset %d path %q msg %q; want offset %d path %q msg containing %q",
						name, se.Offset, se.Path, se.Msg, tt.offset, tt.path, tt.msgPart)
				}
			}
			if perr.Error() != werr.Error() {
				t.Errorf("Parse and Walk disagree: %q vs %q", perr, werr)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse([]byte(`{"items":[0,1,{"a" x}]}`), Limits{})
	want := `jsontree: invalid character 'x' after object key at offset 19 (path .items[2].a)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
	_, err = Parse(nil, Limits{})
	if want := `jsontree: unexpected end of JSON input at offset 0 (top level)`; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestLimits(t *testing.T) {
	nest := func(open string, n int) string { return strings.Repeat(open, n) }
	tests := []struct {
		name   string
		src    string
		lim    Limits
		limit  string
		max    int
		path   string
		offset int64
		key    string
	}{
		{"depth default", nest("[", 65), Limits{}, LimitDepth, DefaultMaxDepth, strings.Repeat("[0]", 64), 64, ""},
		{"depth custom", `{"a":{"b":[{}]}}`, Limits{MaxDepth: 3}, LimitDepth, 3, ".a.b[0]", 11, ""},
		{"depth empty container counts", `[[[]]]`, Limits{MaxDepth: 2}, LimitDepth, 2, "[0][0]", 2, ""},
		{"string bytes value", `{"a":"12345"}`, Limits{MaxStringBytes: 4}, LimitStringBytes, 4, ".a", 5, ""},
		{"string bytes key", `{"long":1}`, Limits{MaxStringBytes: 3}, LimitStringBytes, 3, "", 1, ""},
		{"string bytes after unescape", `["\u00e9\u00e9\u00e9"]`, Limits{MaxStringBytes: 5}, LimitStringBytes, 5, "[0]", 1, ""},
		{"elements", `[1,2,3]`, Limits{MaxElements: 3}, LimitElements, 3, "[2]", 5, ""},
		{"elements count keys", `{"a":1,"b":2}`, Limits{MaxElements: 4}, LimitElements, 4, ".b", 11, ""},
		{"duplicate key", `{"user":{"id":1,"id":2}}`, Limits{}, LimitDuplicateKey, 1, ".user.id", 16, "id"},
		{"duplicate key escaped", `{"a":1,"\u0061":2}`, Limits{}, LimitDuplicateKey, 1, ".a", 7, "a"},
		{"duplicate key in big object", bigObject(100, `"k7"`), Limits{}, LimitDuplicateKey, 1, ".k7", int64(len(bigObject(100, ""))), "k7"},
		{"duplicate key weird", `{"a b":1,"a b":2}`, Limits{}, LimitDuplicateKey, 1, `["a b"]`, 9, "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			_, perr := Parse(src, tt.lim)
			werr := Walk(src, tt.lim, func(*Path, string, bool) error { return nil })
			for name, err := range map[string]error{"Parse": perr, "Walk": werr} {
				if err == nil {
					t.Fatalf("%s: no error", name)
				}
				checkErr(t, err)
				var le *LimitError
				if !errors.As(err, &le) {
					t.Fatalf("%s: %v is not a *LimitError", name, err)
				}
				want := LimitError{Limit: tt.limit, Max: tt.max, Path: tt.path, Offset: tt.offset, Key: tt.key}
				if *le != want {
					t.Errorf("%s: got %+v\nwant %+v", name, *le, want)
				}
				if !strings.Contains(err.Error(), tt.limit) {
					t.Errorf("%s: message %q does not name the limit", name, err)
				}
			}
		})
	}
}

// bigObject returns {"k0":0,...,"k<n-1>":n-1 followed by extra (a key, which
// gets the value 0) and a closing brace.
func bigObject(n int, extra string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + itoa(i) + `":` + itoa(i))
	}
	if extra != "" {
		b.WriteString("," + extra + ":0")
	}
	b.WriteByte('}')
	return b.String()
}

func itoa(i int) string { return string(AppendIndex(nil, i)[1 : len(AppendIndex(nil, i))-1]) }

func TestLimitErrorMessages(t *testing.T) {
	tests := []struct {
		name string
		src  string
		lim  Limits
		want string
	}{
		{"depth", `{"a":{"b":[[]]}}`, Limits{MaxDepth: 3}, `jsontree: depth limit exceeded (max 3) at offset 11 (path .a.b[0])`},
		{"elements", `[1,2]`, Limits{MaxElements: 2}, `jsontree: elements limit exceeded (max 2) at offset 3 (path [1])`},
		{"string", `"abc"`, Limits{MaxStringBytes: 2}, `jsontree: string bytes limit exceeded (max 2) at offset 0 (top level)`},
		{"duplicate", `{"x":{"id":1,"id":2}}`, Limits{}, `jsontree: duplicate key "id" at offset 13 (path .x.id)`},
		{"long duplicate key shortened", `{"` + strings.Repeat("k", 100) + `":1,"` + strings.Repeat("k", 100) + `":2}`, Limits{},
			`jsontree: duplicate key "` + strings.Repeat("k", 64) + `…" at offset 106 (path ["` + strings.Repeat("k", 64) + `…"])`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), tt.lim)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
}

func TestLimitBoundaries(t *testing.T) {
	tests := []struct {
		name string
		src  string
		lim  Limits
	}{
		{"depth exactly default", strings.Repeat("[", 64) + strings.Repeat("]", 64), Limits{}},
		{"depth exactly custom", `{"a":[{}]}`, Limits{MaxDepth: 3}},
		{"string exactly", `{"abcd":"1234"}`, Limits{MaxStringBytes: 4}},
		{"escaped string exactly", `"\u00e9\u00e9"`, Limits{MaxStringBytes: 4}},
		{"elements exactly", `{"a":[1,2]}`, Limits{MaxElements: 5}},
		{"duplicates allowed", `{"a":1,"a":2}`, Limits{AllowDuplicateKeys: true}},
		{"same key in sibling objects", `[{"a":1},{"a":2}]`, Limits{}},
		{"same key nested", `{"a":{"a":{"a":1}},"b":{"a":2}}`, Limits{}},
		{"big objects nested", `{"x":` + bigObject(50, "") + `,"y":` + bigObject(50, "") + `,"k0":` + bigObject(40, "") + `}`, Limits{}},
		{"unlimited depth", strings.Repeat(`{"a":[`, 1000) + strings.Repeat(`]}`, 1000), Limits{MaxDepth: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.src), tt.lim); err != nil {
				t.Errorf("Parse: %v", err)
			}
			if err := Walk([]byte(tt.src), tt.lim, nil); err != nil {
				t.Errorf("Walk: %v", err)
			}
		})
	}
}

func TestDeepNesting(t *testing.T) {
	const n = 100000
	deep := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	deepObj := []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
	open := []byte(strings.Repeat("[", n))

	for name, src := range map[string][]byte{"arrays": deep, "objects": deepObj, "unclosed": open} {
		t.Run(name+"/default", func(t *testing.T) {
			_, err := Parse(src, Limits{})
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != LimitDepth || le.Offset != 64*int64(bytes.IndexByte(src[1:], src[0])+1) {
				t.Fatalf("Parse: %v, want depth limit at the 65th container", err)
			}
			if err := Walk(src, Limits{}, nil); !errors.As(err, &le) || le.Limit != LimitDepth {
				t.Fatalf("Walk: %v", err)
			}
		})
	}
	t.Run("arrays/unlimited", func(t *testing.T) {
		d, err := Parse(deep, Limits{MaxDepth: -1})
		if err != nil {
			t.Fatal(err)
		}
		v := d.Root()
		for range n - 1 {
			v = v.At(0)
		}
		if v.Kind() != Array || v.Len() != 0 || string(v.Raw()) != "[]" {
			t.Fatalf("innermost = %v %q", v.Kind(), v.Raw())
		}
		if err := Walk(deep, Limits{MaxDepth: -1}, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("objects/unlimited", func(t *testing.T) {
		d, err := Parse(deepObj, Limits{MaxDepth: -1})
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, n)
		for i := range keys {
			keys[i] = "a"
		}
		if got, ok := d.Root().Path(keys...).Int64(); !ok || got != 1 {
			t.Fatalf("innermost = %v, %v", got, ok)
		}
		depth := 0
		err = Walk(deepObj, Limits{MaxDepth: -1}, func(p *Path, s string, key bool) error {
			depth = max(depth, p.Depth())
			return nil
		})
		if err != nil || depth != n {
			t.Fatalf("Walk: %v, max depth %d", err, depth)
		}
	})
	t.Run("unclosed/unlimited", func(t *testing.T) {
		_, err := Parse(open, Limits{MaxDepth: -1})
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != n {
			t.Fatalf("Parse: %v", err)
		}
	})
}

func TestLongStrings(t *testing.T) {
	plain := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 50000) // ~2.2 MB
	escaped := strings.Repeat(`line\n\"q\" \u00e9\ud83d\ude00 `, 100000)
	for _, body := range []string{plain, escaped, strings.Repeat("日本語テキスト", 100000)} {
		src := []byte(`{"k":"` + body + `"}`)
		want, err := stdDecode(src)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(src, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(toAny(d.Root()), want) {
			t.Fatal("long string differs from encoding/json")
		}
		var got string
		if err := Walk(src, Limits{}, func(p *Path, s string, key bool) error {
			if !key {
				got = s
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got != want.(map[string]any)["k"] {
			t.Fatal("Walk long string differs from encoding/json")
		}
	}
}

func TestSurrogatesLikeStdlib(t *testing.T) {
	for _, s := range []string{`"\ud800"`, `"\udfff"`, `"\ud800x"`, `"\ud800\n"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\uDBFF\uDFFF"`, `"\u0000"`} {
		t.Run(s, func(t *testing.T) {
			var want string
			if err := json.Unmarshal([]byte(s), &want); err != nil {
				t.Fatal(err)
			}
			d, err := Parse([]byte(s), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Root().StrOr("<none>"); got != want || !utf8.ValidString(got) {
				t.Fatalf("got %q, encoding/json %q", got, want)
			}
		})
	}
}

func TestErrorSentinels(t *testing.T) {
	var err error = &SyntaxError{Offset: 3, Msg: "x"}
	if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrLimit) {
		t.Fatal("SyntaxError sentinel mismatch")
	}
	err = &LimitError{Limit: LimitDepth, Max: 1}
	if !errors.Is(err, ErrLimit) || errors.Is(err, ErrSyntax) {
		t.Fatal("LimitError sentinel mismatch")
	}
	// Wrapped errors still match.
	_, perr := Parse([]byte(`[`), Limits{})
	wrapped := errors.Join(errors.New("event"), perr)
	var se *SyntaxError
	if !errors.Is(wrapped, ErrSyntax) || !errors.As(wrapped, &se) {
		t.Fatalf("wrapped %v does not match", wrapped)
	}
}

func TestUnlimitedMaxInError(t *testing.T) {
	// Depth errors are only possible with a finite maximum; the limit fields
	// must always carry the configured maximum.
	_, err := Parse([]byte(`[[1]]`), Limits{MaxDepth: 1})
	var le *LimitError
	if !errors.As(err, &le) || le.Max != 1 {
		t.Fatalf("got %v", err)
	}
}

// escapedBigObject returns an object with n keys written with escapes
// ("\u006b0" for "k0"), each holding a small object with escaped keys, and,
// if dup >= 0, a final repetition of key dup written without escapes.
func escapedBigObject(n, dup int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"\u006b` + itoa(i) + `":{"\u0069nner\n":"v` + itoa(i) + `","x":[1]}`)
	}
	if dup >= 0 {
		b.WriteString(`,"k` + itoa(dup) + `":0`)
	}
	b.WriteByte('}')
	return b.String()
}

func TestEscapedKeysInBigObjects(t *testing.T) {
	for _, n := range []int{5, smallObject, smallObject + 1, 300} {
		t.Run(itoa(n), func(t *testing.T) {
			ok := []byte(escapedBigObject(n, -1))
			d, err := Parse(ok, Limits{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want, err := stdDecode(ok)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(toAny(d.Root()), want) {
				t.Fatal("tree differs from encoding/json")
			}
			recs, err := walkRecords(ok, Limits{})
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if !reflect.DeepEqual(recs, treeRecords(d.Root())) {
				t.Fatal("Walk differs from tree")
			}
			// The last string value, retained beyond its callback.
			last := recs[len(recs)-2]
			if wantPath := `.k` + itoa(n-1) + `["inner\n"]`; last.Path != wantPath || last.ParentKey != "inner\n" || last.S != "v"+itoa(n-1) {
				t.Fatalf("last value visit %+v, want path %s", last, wantPath)
			}

			dup := []byte(escapedBigObject(n, n/2))
			for name, err := range map[string]error{
				"Parse": func() error { _, err := Parse(dup, Limits{}); return err }(),
				"Walk":  Walk(dup, Limits{}, nil),
			} {
				var le *LimitError
				if !errors.As(err, &le) || le.Limit != LimitDuplicateKey || le.Key != "k"+itoa(n/2) || le.Path != ".k"+itoa(n/2) {
					t.Fatalf("%s: %v, want duplicate k%d", name, err, n/2)
				}
			}
		})
	}
}

// TestScanStringLong: scanString's passes for long strings (plainLen up to
// the first byte that is not plain, after two plain words) agree with
// encoding/json (and utf8.ValidString) on strings with one byte that needs attention at every
// position, and report escapes.
func TestScanStringLong(t *testing.T) {
	specials := []string{"\x01", "\x1f", "\x7f", "\\n", "\\\"", "\\u00e9", "\\x", "é", "\xff", "\xc3", "€", "\t"}
	for n := 0; n <= 120; n++ {
		for pos := 0; pos <= n; pos++ {
			for _, sp := range specials {
				lit := `"` + strings.Repeat("a", pos) + sp + strings.Repeat("b", n-pos) + `"`
				src := []byte(lit + `,"x"`)
				end, esc, err := scanString(src, 0)
				valid := json.Valid([]byte(lit)) && utf8.ValidString(lit) // jsontree refuses invalid UTF-8
				if (err == nil) != valid {
					t.Fatalf("%q: err %v, encoding/json valid %v", lit, err, valid)
				}
				if err == nil && (end != len(lit) || esc != strings.Contains(sp, `\`)) {
					t.Fatalf("%q: end %d esc %v, want %d %v", lit, end, esc, len(lit), strings.Contains(sp, `\`))
				}
			}
		}
	}
}

// TestSkipPlain: skipPlain stops at the first byte that is a quote, a
// backslash, a control or a non-ASCII byte (two words a round: the first
// flagged byte of either word is exact), whatever bytes follow it, or where
// fewer than eight bytes remain.
func TestSkipPlain(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\' }
	bytesOf := []byte{'a', ' ', '~', 0x7f, '"', '\\', 0x00, 0x1f, 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x80, 0xa0, 0xc3, 0xff}
	x := uint64(1)
	for n := 0; n <= 40; n++ {
		for round := 0; round < 300; round++ {
			b := make([]byte, n)
			for i := range b {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				if x%4 == 0 {
					b[i] = bytesOf[x/4%uint64(len(bytesOf))]
				} else {
					b[i] = 'a' + byte(x%26)
				}
			}
			for from := 0; from <= n; from++ {
				got := skipPlain(b, from)
				want := from
				for want < n && !special(b[want]) {
					want++
				}
				// stop at the first special byte, or anywhere in the
				// last seven bytes before it when there is none
				if got > want || got < want && (got+8 <= n || got < from) {
					t.Fatalf("skipPlain(%q, %d) = %d, first special at %d", b, from, got, want)
				}
			}
		}
	}
}

// TestScanStringEscaped: after an escape, scanString reads words (skipPlain):
// a byte that needs attention at every position, after runs of plain
// bytes, is found as encoding/json finds it.
func TestScanStringEscaped(t *testing.T) {
	specials := []string{"\x01", "\x7f", "\\n", "\\\"", "\\u00e9", "\\x", "é", "\xff", "\xa0", "\t", `"`}
	for n := 0; n <= 40; n++ {
		for pos := 0; pos <= n; pos++ {
			for _, sp := range specials {
				lit := `"\n` + strings.Repeat("a", pos) + sp + strings.Repeat("b", n-pos) + `"`
				src := []byte(lit + `,"x"`)
				end, esc, err := scanString(src, 0)
				if sp == `"` {
					if err != nil || end != len(`"\n`)+pos+1 {
						t.Fatalf("%q: end %d err %v, want %d", lit, end, err, len(`"\n`)+pos+1)
					}
					continue
				}
				valid := json.Valid([]byte(lit)) && utf8.ValidString(lit)
				if (err == nil) != valid {
					t.Fatalf("%q: err %v, encoding/json valid %v", lit, err, valid)
				}
				if err == nil && (end != len(lit) || !esc) {
					t.Fatalf("%q: end %d esc %v, want %d true", lit, end, esc, len(lit))
				}
			}
		}
	}
}

// TestScanStringEscapedRuns: after an escape, runs of plain bytes of every
// length between bytes that need attention (non-ASCII, escapes, a control
// byte), many in a row, are read as encoding/json reads them: the long-run
// pass (the next backslash and quote found once, the printable prefix
// skipped) stops at each of them.
func TestScanStringEscapedRuns(t *testing.T) {
	specials := []string{"é", "\\n", "\\\"", "€", "\\u00e9", "\x01", "\xff", "\\x"}
	for l := 0; l <= 40; l++ {
		for _, sp := range specials {
			for _, tail := range []string{"", "\\t", "x"} {
				lit := `"\n` + strings.Repeat(strings.Repeat("a", l)+"é", 3) + strings.Repeat(strings.Repeat("b", l)+sp, 5) + tail + `"`
				src := []byte(lit + `,"x"`)
				end, esc, err := scanString(src, 0)
				valid := json.Valid([]byte(lit)) && utf8.ValidString(lit)
				if (err == nil) != valid {
					t.Fatalf("%q: err %v, encoding/json valid %v", lit, err, valid)
				}
				if err == nil && (end != len(lit) || !esc) {
					t.Fatalf("%q: end %d esc %v, want %d true", lit, end, esc, len(lit))
				}
			}
		}
	}
}

// TestParseEscapedStrings: Parse, which unescapes a string as it validates
// it (scanTree, unescapeFrom), decodes strings with escapes, long runs,
// non-ASCII and surrogates after plain prefixes of every length as
// encoding/json does, and refuses invalid ones with Walk's error (which
// validates with scanString); many such strings in one document grow the
// buffer of unescaped strings without disturbing the earlier ones.
func TestParseEscapedStrings(t *testing.T) {
	pieces := []string{`\"`, `\\`, `\/`, `\b`, `\n`, `\t`, `\u00e9`, `\u20ac`, `\ud83d\ude00`, `\ud800`, `\udc00x`,
		`\ud800\u0041`, `\ud800\u12`, `\u0000`, "é", "€", "\xf0\x9f\x98\x80", "ab", "cdefghijk",
		"the quick brown fox jumps over the lazy dog, again and again and again"}
	bad := []string{`\x`, `\u12`, `\u12g4`, "\x01", "\xff", "\xed\xa0\x80", `\`}
	x := uint64(11)
	next := func() uint64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	var doc []byte
	var want []any
	doc = append(doc, '[')
	for round := 0; round < 4000; round++ {
		var lit []byte
		lit = append(lit, strings.Repeat("p", round%56)...) // plain prefix
		for k := next() % 9; k > 0; k-- {
			lit = append(lit, pieces[next()%uint64(len(pieces))]...)
		}
		if round%7 == 3 {
			// a bad byte or escape somewhere
			at := int(next() % uint64(len(lit)+1))
			lit = append(lit[:at:at], append([]byte(bad[next()%uint64(len(bad))]), lit[at:]...)...)
		}
		src := []byte(`["x",` + `"` + string(lit) + `",1]`)
		std, stdErr := stdDecode(src)
		valid := stdErr == nil && utf8.Valid(src)
		d, err := Parse(src, Limits{})
		werr := Walk(src, Limits{}, func(*Path, string, bool) error { return nil })
		if (err == nil) != valid || (werr == nil) != valid {
			t.Fatalf("%q: Parse %v, Walk %v, encoding/json %v", src, err, werr, stdErr)
		}
		if err != nil {
			if err.Error() != werr.Error() {
				t.Fatalf("%q: Parse error %q, Walk error %q", src, err, werr)
			}
			continue
		}
		if got := toAny(d.Root()); !reflect.DeepEqual(got, std) {
			t.Fatalf("%q: Parse %#v, encoding/json %#v", src, got, std)
		}
		doc = append(doc, src[5:len(src)-3]...)
		doc = append(doc, ',')
		want = append(want, std.([]any)[1])
	}
	doc[len(doc)-1] = ']'
	d, err := Parse(doc, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, v := range d.Root().Elems() {
		if s, _ := v.Str(); s != want[i] {
			t.Fatalf("string %d of the document: %q, want %q", i, s, want[i])
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("%d strings, want %d", i, len(want))
	}
}

// TestEscapedRun: escapedRun steps over plain bytes and one-letter escapes
// only, and stops at a byte that needs attention other than such an escape,
// where two plain words start, or where fewer than nine bytes remain.
func TestEscapedRun(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\' }
	pieces := []string{`\"`, `\\`, `\/`, `\n`, `\t`, `\u00e9`, `\x`, `"`, "\x01", "\x7f", "é", "\xff", "a", "bc", "defgh", "ijklmnopqrs", "tuvwxyzABCDEFGHIJ"}
	x := uint64(3)
	for round := 0; round < 20000; round++ {
		var b []byte
		for size := round % 64; len(b) < size; {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b = append(b, pieces[x%uint64(len(pieces))]...)
		}
		for j := 0; j <= len(b); j++ {
			got := escapedRun(b, j)
			k := j
			for k < got {
				if k+1 < len(b) && b[k] == '\\' && unescByte[b[k+1]] != 0 {
					k += 2
				} else if !special(b[k]) {
					k++
				} else {
					break
				}
			}
			if k != got {
				t.Fatalf("escapedRun(%q, %d) = %d, over a byte that needs attention at %d", b, j, got, k)
			}
			if got+9 > len(b) {
				continue
			}
			plain16 := got+16 <= len(b)
			for _, c := range b[got:min(got+16, len(b))] {
				plain16 = plain16 && !special(c)
			}
			escape := b[got] == '\\' && unescByte[b[got+1]] != 0
			if plain16 == (special(b[got]) && !escape) || escape {
				t.Fatalf("escapedRun(%q, %d) = %d, where %q follows", b, j, got, b[got:])
			}
		}
	}
}

// TestAppendUnescapedDense: appendUnescaped, which copies a word at a time
// up to the next backslash, decodes strings with escapes at every distance
// from each other and from the ends as encoding/json does, after a prefix
// already in dst.
func TestAppendUnescapedDense(t *testing.T) {
	escapes := []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u20ac`, `\ud83d\ude00`, `\ud800`, `\udc00x`, `\u0000`}
	x := uint64(7)
	for n := 0; n < 3000; n++ {
		var lit []byte
		for k := int(x % 5); k >= 0; k-- {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			lit = append(lit, strings.Repeat("ab", int(x%11))...)
			if x%3 == 0 {
				lit = append(lit, "é"...)
			}
			lit = append(lit, escapes[x/7%uint64(len(escapes))]...)
		}
		lit = append(lit, strings.Repeat("z", int(x%9))...)
		var want string
		if err := json.Unmarshal([]byte(`"`+string(lit)+`"`), &want); err != nil {
			t.Fatal(err)
		}
		got := appendUnescaped([]byte("pre"), lit)
		if string(got) != "pre"+want {
			t.Fatalf("%q: got %q, want %q", lit, got[3:], want)
		}
	}
}

// TestSpecialMask: the lowest flag of specialMask is the first byte of the
// word that is a quote, a backslash, a control or a non-ASCII byte, and no
// flag means none is, for every pair of bytes at every offset in a word of
// plain bytes (a flag above the first special byte may be a borrow).
func TestSpecialMask(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\' }
	for off := 0; off < 8; off++ {
		for pair := 0; pair < 1<<16; pair++ {
			b := []byte("abcdefghij")[:8]
			b[off] = byte(pair)
			if off+1 < 8 {
				b[off+1] = byte(pair >> 8)
			}
			want := 8
			for k, c := range b {
				if special(c) {
					want = k
					break
				}
			}
			got := bits.TrailingZeros64(specialMask(binary.LittleEndian.Uint64(b))) >> 3
			if got != want {
				t.Fatalf("specialMask(%q): lowest flag at %d, first special byte at %d", b, got, want)
			}
		}
	}
}

// TestPlainEnd: plainEnd finds the end of a string of printable ASCII that
// closes within nine bytes of its opening quote, as scanString does, and
// leaves every other string (longer, with a special byte before its end,
// too near the end of the input) to scanString (-1).
func TestPlainEnd(t *testing.T) {
	fill := []byte{'a', '"', '\\', 0x01, 0x7f, 0x80, 0xc3, 0xa9, ' ', 'z'}
	x := uint64(3)
	for n := 0; n < 20000; n++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		src := make([]byte, 1+x%14)
		src[0] = '"'
		for i := 1; i < len(src); i++ {
			src[i] = fill[(x>>(3*i))%uint64(len(fill))]
		}
		end := plainEnd(src, 0)
		if end < 0 {
			continue
		}
		want, esc, err := scanString(src, 0)
		if err != nil || esc || want != end || end > 10 {
			t.Fatalf("plainEnd(%q) = %d; scanString: %d %v %v", src, end, want, esc, err)
		}
		if plainLen(src[1:end-1]) != end-2 {
			t.Fatalf("plainEnd(%q) = %d over a byte that is not plain", src, end)
		}
	}
	for n := 0; n <= 8; n++ {
		src := []byte(`"` + strings.Repeat("k", n) + `"` + strings.Repeat(" ", 8-n) + "x")
		if got := plainEnd(src, 0); got != n+2 {
			t.Errorf("plainEnd(%q) = %d, want %d", src, got, n+2)
		}
		if got := plainEnd(src[:n+2], 0); got != -1 && n+2 < 10 {
			t.Errorf("plainEnd(%q) = %d at the end of the input, want -1", src[:n+2], got)
		}
	}
}

// TestPlainEnd16: plainEnd16 finds the end of a string of printable ASCII
// that closes within 17 bytes of its opening quote, as scanString does,
// and leaves every other string to scanString (-1); it finds every such
// string of 8 to 16 bytes not too near the end of the input.
func TestPlainEnd16(t *testing.T) {
	fill := []byte{'a', 'a', 'a', 'a', '"', '\\', 0x01, 0x7f, 0x80, 0xc3, 0xa9, ' ', 'z'}
	x := uint64(5)
	for n := 0; n < 50000; n++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		src := make([]byte, 1+x%24)
		src[0] = '"'
		for i := 1; i < len(src); i++ {
			src[i] = fill[(x>>(2*i%60)+uint64(i))%uint64(len(fill))]
		}
		end := plainEnd16(src, 0)
		if end < 0 {
			continue
		}
		want, esc, err := scanString(src, 0)
		if err != nil || esc || want != end || end > 18 {
			t.Fatalf("plainEnd16(%q) = %d; scanString: %d %v %v", src, end, want, esc, err)
		}
		if plainLen(src[1:end-1]) != end-2 {
			t.Fatalf("plainEnd16(%q) = %d over a byte that is not plain", src, end)
		}
	}
	for n := 0; n <= 16; n++ {
		src := []byte(`"` + strings.Repeat("k", n) + `"` + strings.Repeat(" ", 16-n) + "x")
		if got, want := plainEnd16(src, 0), n+2; got != want && n >= 8 {
			t.Errorf("plainEnd16(%q) = %d, want %d", src, got, want)
		} else if got >= 0 && got != want {
			t.Errorf("plainEnd16(%q) = %d, want %d or -1", src, got, want)
		}
		if got := plainEnd16(src[:n+2], 0); got != -1 && n+2 < 18 {
			t.Errorf("plainEnd16(%q) = %d at the end of the input, want -1", src[:n+2], got)
		}
	}
}

// TestPlainLen: plainLen (and plainLenGo, which it is without AVX2) stops
// at the first byte that is a quote, a backslash, a control or a non-ASCII
// byte, at every position of every length up to 200 (plainBlocks' rounds
// of two blocks, its last block, the words and bytes after them), with
// plain or special bytes after it, and reads a run of plain bytes whole.
func TestPlainLen(t *testing.T) {
	plain := []byte{'~', ' ', 'a', 'Z', 0x7f, '#', ']', '0'}
	specials := []byte{'"', '\\', 0x00, 0x1f, 0x80, 0x9f, 0xa0, 0xc3, 0xff}
	check := func(b []byte, want int) {
		t.Helper()
		if got := plainLen(b); got != want {
			t.Fatalf("plainLen(%q) = %d, want %d", b, got, want)
		}
		if got := plainLenGo(b); got != want {
			t.Fatalf("plainLenGo(%q) = %d, want %d", b, got, want)
		}
		if useAVX2 && len(b) >= 32 {
			got := plainBlocks(&b[0], len(b))
			if got > want || got < want && (got%32 != 0 || got+32 <= len(b)) {
				t.Fatalf("plainBlocks(%q) = %d, first byte that is not plain at %d", b, got, want)
			}
		}
	}
	for n := 0; n <= 200; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = plain[i%len(plain)]
		}
		check(b, n)
		for pos := 0; pos < n; pos++ {
			for _, c := range specials {
				bad := append([]byte(nil), b...)
				bad[pos] = c
				check(bad, pos)
				if pos+1 < n {
					bad[n-1] = specials[(pos+int(c))%len(specials)]
					check(bad, pos)
				}
			}
		}
	}
}

// TestUnescapeBlocks: unescapeBlocks (AVX2) writes exactly what
// encoding/json decodes the bytes it read to, and stops only at a byte that
// needs attention other than a one-letter escape, at a backslash that is
// the last byte it may read, or where fewer than 32 bytes remain; on
// strings of plain runs (long ones: its rounds of 64 bytes), escapes and
// other bytes of every length up to 300.
func TestUnescapeBlocks(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2: unescapeFrom reads words (unescapeRun)")
	}
	pieces := []string{`\"`, `\\`, `\/`, `\n`, `\t`, `\b`, `\u00e9`, `\x`, `"`, "\x01", "\x7f", "é", "\xff", "a", "bc", "defgh",
		"ijklmnopqrs", strings.Repeat("tuvwxyz ABC", 4), strings.Repeat("a long run of prose, ", 7)}
	x := uint64(7)
	for round := 0; round < 30000; round++ {
		var b []byte
		for size := round % 301; len(b) < size; {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b = append(b, pieces[x%uint64(len(pieces))]...)
		}
		if len(b) < 32 {
			continue
		}
		dst := make([]byte, len(b))
		r, w := unescapeBlocks(&dst[0], &b[0], len(b))
		if w > r || r > len(b) {
			t.Fatalf("%q: r %d, w %d", b, r, w)
		}
		var want string
		if err := json.Unmarshal([]byte(`"`+string(b[:r])+`"`), &want); err != nil || string(dst[:w]) != want {
			t.Fatalf("%q: read %d, wrote %q, encoding/json: %q (%v)", b, r, dst[:w], want, err)
		}
		if r+32 <= len(b) {
			c := b[r]
			if c >= 0x20 && c < 0x80 && c != '"' && c != '\\' {
				t.Fatalf("%q: stopped at %d, a plain byte", b, r)
			}
			if c == '\\' && r+1 < len(b) && unescByte[b[r+1]] != 0 {
				t.Fatalf("%q: stopped at %d, a one-letter escape", b, r)
			}
		}
	}
}
