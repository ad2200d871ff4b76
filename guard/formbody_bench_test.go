package guard

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// manyParts is a multipart body of about n bytes of small form-data parts
// (the adversarial report's "multipart, many parts").
func manyParts(n int) []byte {
	const part = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nvalue\r\n"
	return []byte(strings.Repeat(part, max(1, (n-9)/len(part))) + "--XyZ--\r\n")
}

func benchBody(b *testing.B, ct string, body []byte) {
	g, _ := newTestGuard(b)
	inv := bodyInv(ct, body)
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if d := g.Inspect(ctx, inv); d.Action != ActionAllow {
			b.Fatal(d)
		}
	}
}

// BenchmarkFormBody: form and multipart bodies of many tiny fields or
// parts, the adversarial report's worst case for both parsers.
func BenchmarkFormBody(b *testing.B) {
	b.Run("form_tiny_fields_64KB", func(b *testing.B) {
		benchBody(b, "application/x-www-form-urlencoded", []byte(strings.Repeat("a=b&", 16<<10)))
	})
	b.Run("form_distinct_names_64KB", func(b *testing.B) {
		var sb strings.Builder
		for i := 0; sb.Len() < 64<<10; i++ {
			fmt.Fprintf(&sb, "%x=b&", i)
		}
		benchBody(b, "application/x-www-form-urlencoded", []byte(sb.String()))
	})
	b.Run("multipart_distinct_names_64KB", func(b *testing.B) {
		var sb strings.Builder
		for i := 0; sb.Len() < 64<<10; i++ {
			fmt.Fprintf(&sb, "--XyZ\r\nContent-Disposition: form-data; name=\"%x\"\r\n\r\nv%x\r\n", i, i)
		}
		sb.WriteString("--XyZ--\r\n")
		benchBody(b, "multipart/form-data; boundary=XyZ", []byte(sb.String()))
	})
	b.Run("form_escaped_64KB", func(b *testing.B) {
		benchBody(b, "application/x-www-form-urlencoded", []byte(strings.Repeat("na+me=a%20b+c&", 64<<10/14)))
	})
	b.Run("multipart_many_parts_64KB", func(b *testing.B) {
		benchBody(b, "multipart/form-data; boundary=XyZ", manyParts(64<<10))
	})
}
