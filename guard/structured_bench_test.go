package guard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// structuredBodies are the worst-case structured bodies of the
// adversarial report (benchmarks/cmd/report, issue 20), about n bytes
// each: what the XML, GraphQL, nested base64 and gzip decoders cost per
// byte through Inspect.
func structuredBodies(n int) []structuredBody {
	xmlDoc := func() []byte {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><r xmlns:p="urn:x">`)
		for i := 0; b.Len() < n-6; i++ {
			fmt.Fprintf(&b, `<p:item id="%d" kind="a b">text %d &amp; more</p:item>`, i, i)
		}
		b.WriteString("</r>")
		return []byte(b.String())
	}
	xmlAttrs := func() []byte {
		var b strings.Builder
		b.WriteString(`<r>`)
		for i := 0; b.Len() < n-8; i++ {
			if i%200 == 0 {
				if i > 0 {
					b.WriteString("/>")
				}
				b.WriteString("<e")
			}
			fmt.Fprintf(&b, ` a%d="v"`, i)
		}
		b.WriteString("/></r>")
		return []byte(b.String())
	}
	xmlRefs := func() []byte {
		return []byte("<r>" + strings.Repeat("&lt;&#x41;&amp;", (n-8)/15) + "</r>")
	}
	gql := func() []byte {
		var b strings.Builder
		b.WriteString("query Q {")
		for i := 0; b.Len() < n-2; i++ {
			fmt.Fprintf(&b, ` f%d(id: "v%d", tag: "x y") { a b c }`, i, i)
		}
		b.WriteString("}")
		return []byte(b.String())
	}
	b64 := func() []byte {
		inner := base64.StdEncoding.EncodeToString([]byte(`{"name":"red shoes","tags":["a","b"],"qty":2}`))
		var b bytes.Buffer
		b.WriteByte('{')
		for i := 0; b.Len() < n-len(inner)-16; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"f%d":"%s"`, i, inner)
		}
		b.WriteByte('}')
		return b.Bytes()
	}
	// b64diff is b64 with every document different (a counter in it), so
	// that nothing remembered of the document before applies.
	b64diff := func() []byte {
		var b bytes.Buffer
		b.WriteByte('{')
		for i := 0; b.Len() < n-96; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			doc := fmt.Sprintf(`{"name":"red shoes %d","tags":["a","b"],"qty":%d}`, i, i%97)
			fmt.Fprintf(&b, `"f%d":"%s"`, i, base64.StdEncoding.EncodeToString([]byte(doc)))
		}
		b.WriteByte('}')
		return b.Bytes()
	}
	gz := func() []byte {
		var raw bytes.Buffer
		x := uint32(2463534242)
		raw.WriteString(`{"items":[`)
		for raw.Len() < 2*n-16 {
			if raw.Len() > 10 {
				raw.WriteByte(',')
			}
			raw.WriteString(`{"name":"`)
			for range 12 {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				raw.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[x%36])
			}
			raw.WriteString(`"}`)
		}
		raw.WriteString(`]}`)
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		_, _ = zw.Write(raw.Bytes())
		_ = zw.Close()
		return out.Bytes()
	}
	return []structuredBody{
		{"xml_document", "application/xml", "", xmlDoc},
		{"xml_attributes", "application/xml", "", xmlAttrs},
		{"xml_entities", "application/xml", "", xmlRefs},
		{"graphql_query", "application/graphql", "", gql},
		{"base64_json_in_json", "application/json", "", b64},
		{"base64_distinct_json_in_json", "application/json", "", b64diff},
		{"gzip_json", "application/json", "gzip", gz},
	}
}

type structuredBody struct {
	name, ct, enc string
	build         func() []byte
}

// BenchmarkStructuredBodies runs Inspect on each worst-case structured
// body at 16 KB and 1 MB (bytes/s are of the body as sent; for gzip, of
// the compressed body).
func BenchmarkStructuredBodies(b *testing.B) {
	g, err := New(WithoutEnv(), WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{16 << 10, 1 << 20} {
		for _, c := range structuredBodies(n) {
			hs := []Param{{Name: "content-type", Value: c.ct}}
			if c.enc != "" {
				hs = append(hs, Param{Name: "content-encoding", Value: c.enc})
			}
			b.Run(fmt.Sprintf("%s/%dKB", c.name, n>>10), func(b *testing.B) {
				body := c.build()
				inv := &Invocation{Source: SourceHTTP, Method: "POST", Path: "/upload", Headers: hs, ContentType: c.ct, Body: body}
				if d := g.Inspect(context.Background(), inv); d.Action != ActionAllow {
					b.Fatalf("%s: %v", c.name, d)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					g.Inspect(context.Background(), inv)
				}
			})
		}
	}
}
