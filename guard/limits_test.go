package guard

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// ordinaryJSON builds a well-formed JSON document of about n bytes: an array
// of small records, the shape of an export or a batch upload.
func ordinaryJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; b.Len() < n-64; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`,"qty":2,"ok":true,"tag":"a"}`)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// denseJSON is the most elements a body of n bytes can hold: [0,0,0,...].
func denseJSON(n int) []byte {
	b := make([]byte, 0, n)
	b = append(b, '[', '0')
	for len(b) < n-2 {
		b = append(b, ',', '0')
	}
	return append(b, ']')
}

// TestLimitsScaleWithBody: at default settings every well-formed JSON body
// under FNGUARD_MAX_BODY_BYTES is accepted (issue 19 item 8 / issue 20: the
// 100,000-element limit refused ordinary 0.8-3.5 MB bodies), for the default
// body limit and a configured one; explicit element and string limits are
// still honoured.
func TestLimitsScaleWithBody(t *testing.T) {
	const mb = 1000 * 1000
	bodies := map[string][]byte{
		"ordinary 0.8 MB": ordinaryJSON(8 * mb / 10),
		"ordinary 3.5 MB": ordinaryJSON(35 * mb / 10),
		"ordinary 6 MiB":  ordinaryJSON(DefaultMaxBodyBytes - 16),
		"dense 6 MiB":     denseJSON(DefaultMaxBodyBytes),
		"one 5 MB string": []byte(`{"blob":"` + strings.Repeat("x", 5*mb) + `"}`),
		"5 MB of escapes": []byte(`["` + strings.Repeat(`\n`, 5*mb/2) + `"]`),
		"many keys, 2.5 MB": func() []byte {
			b := []byte(`{`)
			for i := 0; len(b) < 25*mb/10; i++ {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `"k`+strconv.Itoa(i)+`":0`...)
			}
			return append(b, '}')
		}(),
	}
	g, _ := newTestGuard(t)
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			if len(body) > DefaultMaxBodyBytes {
				t.Fatalf("test body of %d bytes is over the body limit", len(body))
			}
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
				i.Method, i.ContentType, i.Body = "POST", "application/json", body
			}))
			if d.Action != ActionAllow {
				t.Fatalf("%d-byte body refused at default settings: %+v", len(body), d)
			}
		})
	}
	t.Run("configured body limit", func(t *testing.T) {
		g, _ := newTestGuard(t, WithMaxBodyBytes(12<<20))
		body := denseJSON(12 << 20)
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Method, i.ContentType, i.Body = "POST", "application/json", body }))
		if d.Action != ActionAllow {
			t.Fatalf("12 MiB dense body under a 12 MiB limit refused: %+v", d)
		}
	})
	t.Run("explicit limits honoured", func(t *testing.T) {
		body := bodies["ordinary 0.8 MB"]
		g, _ := newTestGuard(t, WithMaxElements(1000))
		if d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Method, i.ContentType, i.Body = "POST", "application/json", body })); d.Status != 413 {
			t.Fatalf("WithMaxElements(1000): %+v, want 413", d)
		}
		t.Setenv("FNGUARD_MAX_STRING_BYTES", "1MiB")
		g, err := New(WithLogger(zap.NewNop()))
		if err != nil {
			t.Fatal(err)
		}
		if d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
			i.Method, i.ContentType, i.Body = "POST", "application/json", bodies["one 5 MB string"]
		})); d.Status != 413 {
			t.Fatalf("FNGUARD_MAX_STRING_BYTES=1MiB: %+v, want 413", d)
		}
	})
}
