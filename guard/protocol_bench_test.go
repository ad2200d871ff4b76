package guard_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// BenchmarkProtocolChecks: what the protocol checks add to inspecting a
// typical API request (a dozen headers, a path, two query parameters, a
// small JSON body): "on" is the default, "off" is protocol=off, which
// skips them. Compare the two within one run (ratios, allocations).
func BenchmarkProtocolChecks(b *testing.B) {
	body := []byte(`{"customer":"c-1042","items":[{"sku":"A-100","qty":2},{"sku":"B-7","qty":1}],"note":"leave at the door"}`)
	inv := guard.Invocation{
		Source: guard.SourceHTTP, Method: "POST", Proto: "HTTP/1.1", Path: "/v1/orders/1042/items", RawQuery: "expand=items&page=2",
		Query: []guard.Param{{Name: "expand", Value: "items"}, {Name: "page", Value: "2"}},
		Headers: []guard.Param{
			{Name: "accept", Value: "application/json"}, {Name: "accept-encoding", Value: "gzip, br"},
			{Name: "authorization", Value: "Bearer " + strings.Repeat("x", 40)}, {Name: "content-length", Value: "104"},
			{Name: "content-type", Value: "application/json; charset=utf-8"}, {Name: "host", Value: "api.example.com"},
			{Name: "if-none-match", Value: `"abc"`}, {Name: "range", Value: "bytes=0-99"},
			{Name: "traceparent", Value: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
			{Name: "user-agent", Value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"},
			{Name: "x-forwarded-for", Value: "203.0.113.9"}, {Name: "x-request-id", Value: "7f3a2c"},
		},
		ContentType: "application/json; charset=utf-8", Body: body,
	}
	for _, c := range []struct {
		name string
		mode guard.Mode
	}{{"on", guard.Block}, {"off", guard.Off}} {
		g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithCategoryMode(guard.Protocol, c.mode))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				inv := inv
				if d := g.Inspect(ctx, &inv); !d.Allowed() {
					b.Fatalf("refused: %+v", d.Findings)
				}
			}
		})
	}
}
