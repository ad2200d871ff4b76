package jsontree

import (
	"encoding/json"
	"os"
	"strconv"
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

func BenchmarkWalk(b *testing.B) {
	cases := []struct {
		name string
		src  []byte
	}{
		{"apigw_v1", readTestdata(b, "apigw_v1.json")},
		{"body_1KB", genBody(1<<10, false)},
		{"body_256KB", genBody(256<<10, true)},
		{"body_6MB", genBody(6<<20, true)},
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
