package jsontree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// genBody returns a deterministic, realistic request body of about size
// bytes: {"customer":{...},"orders":[{...},...]} with short and long strings,
// numbers, booleans, nulls and nested arrays. With escapes, every fourth
// record has a note with JSON escapes.
func genBody(size int, escapes bool) []byte {
	b := []byte(`{"customer":{"id":"c-1029","name":"Ada Lovelace","email":"ada@example.com","vip":true},"orders":[`)
	for i := 0; len(b) < size-150; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(100000+i*7), 10)
		b = append(b, `,"sku":"SKU-`...)
		b = strconv.AppendInt(b, int64(i%977), 10)
		b = append(b, `","qty":`...)
		b = strconv.AppendInt(b, int64(i%5+1), 10)
		b = append(b, `,"price":`...)
		b = strconv.AppendFloat(b, float64(i%1000)/7, 'f', 2, 64)
		b = append(b, `,"gift":`...)
		b = strconv.AppendBool(b, i%3 == 0)
		b = append(b, `,"coupon":null,"tags":["web","promo-spring"],"note":"`...)
		if escapes && i%4 == 0 {
			b = append(b, `Leave at the door, \"back\" entrance \u2013 thanks!\n`...)
		} else {
			b = append(b, `Please deliver between 9am and 5pm on weekdays`...)
		}
		b = append(b, `"}`...)
	}
	return append(b, `]}`...)
}

// proseWords are the words of proseBody's notes.
var proseWords = strings.Fields(`blue cotton shirt with pocket size large soft fabric delivery tomorrow
gift wrap please thanks order box red green small cup coffee mug paper notebook pen lamp desk
chair garden hose kettle warm winter jacket zip wool scarf leave at the door ring twice
fragile glass handle with care birthday present for my sister two spare buttons included`)

// proseBody returns an order document of about size bytes whose items
// carry ~560-byte notes of prose (the engine benchmark's benign body):
// string-heavy JSON, long plain strings between short keys.
func proseBody(size int) []byte {
	b := []byte(`{"customer":{"name":"Siobhan O'Brien","email":"siobhan.obrien+orders@example.com"},"items":[`)
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; len(b) < size-700; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"sku":"A-`...)
		b = strconv.AppendInt(b, int64(10000+i), 10)
		b = append(b, `","qty":`...)
		b = strconv.AppendInt(b, int64(1+i%4), 10)
		b = append(b, `,"note":"`...)
		for start := len(b); len(b)-start < 560; {
			if len(b) > start {
				b = append(b, ' ')
			}
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b = append(b, proseWords[x%uint64(len(proseWords))]...)
		}
		b = append(b, `"}`...)
	}
	return append(b, `],"currency":"EUR"}`...)
}

// envelopeOf returns the API Gateway event of testdata/apigw_v1.json with
// body as its body: one long JSON string with an escape every few bytes
// where body has markup (its quotes), as a Lambda adapter parses it.
func envelopeOf(tb testing.TB, body []byte) []byte {
	var ev map[string]any
	if err := json.Unmarshal(readTestdata(tb, "apigw_v1.json"), &ev); err != nil {
		tb.Fatal(err)
	}
	ev["body"] = string(body)
	out, err := json.Marshal(ev)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// tinyFields returns one object of about size bytes of tiny members
// ("1f":"v"): per-member costs (keys, the duplicate-key check) dominate.
func tinyFields(size int) []byte {
	b := []byte{'{'}
	for i := 0; len(b) < size-16; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(i), 16)
		b = append(b, `":"v"`...)
	}
	return append(b, '}')
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name string
		src  []byte
	}{
		{"apigw_v1", readTestdata(b, "apigw_v1.json")},
		{"apigw_v2", readTestdata(b, "apigw_v2.json")},
		{"sqs", readTestdata(b, "sqs.json")},
		{"body_1KB", genBody(1<<10, false)},
		{"body_256KB", genBody(256<<10, true)},
		{"body_6MB", genBody(6<<20, true)},
		{"envelope_256KB", envelopeOf(b, proseBody(256<<10))},
		{"tiny_fields_64KB", tinyFields(64 << 10)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			for b.Loop() {
				if _, err := Parse(c.src, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseInto parses into one reused Doc, as the Lambda adapters
// parse their events (no allocation once warm).
func BenchmarkParseInto(b *testing.B) {
	cases := []struct {
		name string
		src  []byte
	}{
		{"apigw_v1", readTestdata(b, "apigw_v1.json")},
		{"envelope_256KB", envelopeOf(b, proseBody(256<<10))},
		{"tiny_fields_64KB", tinyFields(64 << 10)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			var d Doc
			for b.Loop() {
				if err := ParseInto(&d, c.src, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// a large event into a fresh Doc, released after it (a pooled adapter
	// state drops a Doc that is not Small: Release lends its memory to the
	// next large one)
	src := envelopeOf(b, proseBody(256<<10))
	b.Run("envelope_256KB_released", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			var d Doc
			if err := ParseInto(&d, src, Limits{}); err != nil {
				b.Fatal(err)
			}
			d.Release()
		}
	})
}

func BenchmarkWalk(b *testing.B) {
	cases := []struct {
		name string
		src  []byte
	}{
		{"apigw_v1", readTestdata(b, "apigw_v1.json")},
		{"body_1KB", genBody(1<<10, false)},
		{"body_256KB", genBody(256<<10, true)},
		{"body_6MB", genBody(6<<20, true)},
		{"prose_256KB", proseBody(256 << 10)},
		{"tiny_fields_64KB", tinyFields(64 << 10)},
		// an escape, then plain runs each ended by a non-ASCII letter
		// and no backslash after: each run is read once
		{"escaped_runs_256KB", []byte(`["\n` + strings.Repeat("aaaaaaaaaaaaaaaaaaé", 256<<10/20) + `"]`)},
		// a CloudWatch Logs batch's document: 100 messages with a tab
		// or a quote each (every one unescaped)
		{"log_messages_100", logMessages(100)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			var total int
			visit := func(p *Path, s string, key bool) error {
				total += len(s)
				return nil
			}
			for b.Loop() {
				if err := Walk(c.src, Limits{}, visit); err != nil {
					b.Fatal(err)
				}
			}
			if total == 0 {
				b.Fatal("nothing visited")
			}
		})
	}
}

// BenchmarkWalkPath measures a visitor that renders every path, as the
// engine does for findings.
func BenchmarkWalkPath(b *testing.B) {
	src := genBody(1<<10, false)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	var buf []byte
	visit := func(p *Path, s string, key bool) error {
		buf = p.AppendTo(buf[:0], "body")
		return nil
	}
	for b.Loop() {
		if err := Walk(src, Limits{}, visit); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlib is the baseline the package replaces.
func BenchmarkStdlib(b *testing.B) {
	for _, name := range []string{"apigw_v1.json", "sqs.json"} {
		src := readTestdata(b, name)
		b.Run("Unmarshal_"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				var v any
				if err := json.Unmarshal(src, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Valid_"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if !json.Valid(src) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	d, err := Parse(readTestdata(b, "apigw_v1.json"), Limits{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d.Root().Path("requestContext", "identity", "sourceIp").StrOr("") == "" {
			b.Fatal("missing")
		}
		if !d.Root().Get("headers").GetFold("content-type").Exists() {
			b.Fatal("missing header")
		}
	}
}

// logMessages is a CloudWatch Logs subscription's decoded document of n
// log events: Lambda log lines (timestamp, level, text, tab-separated),
// one in four a JSON document.
func logMessages(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/lambda/orders","logEvents":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		msg := `2026-12-06T14:00:00.000Z\tINFO\tpaper large sister green buttons scarf pocket glass sister twice the soft`
		if i%4 == 3 {
			msg = `{\"level\":\"info\",\"msg\":\"order shipped\",\"note\":\"warm jacket soft pen garden\",\"items\":3}`
		}
		fmt.Fprintf(&b, `{"id":"37265918745028140%04d","timestamp":%d,"message":"%s"}`, i, 1765029600000+i, msg)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}
