package sqlguard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/sqlguard"
)

// event1KB is an API Gateway-style invocation of about 1 KB: query
// parameters, headers and a JSON order.
func event1KB() *guard.Invocation {
	var b strings.Builder
	b.WriteString(`{"order":{"id":"6f1c2a1e-8d4b-4c41-9a0e-1b2c3d4e5f60","customer":{"name":"Ann O'Neil","email":"ann@example.com","phone":"+1 555 0100"},"items":[`)
	for i := 0; i < 6; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"sku":"SKU-%04d","name":"Desk lamp model %d","qty":%d,"note":"gift wrap, please"}`, 1000+i, i, i+1)
	}
	b.WriteString(`],"shipping":{"street":"12 Main St","city":"Springfield","zip":"12345","country":"US"},"coupon":"SPRING-24"}}`)
	return &guard.Invocation{
		Source: guard.SourceAPIGatewayHTTP, Method: "POST", Path: "/orders/42",
		Query:      []guard.Param{{Name: "sort", Value: "created_at"}, {Name: "limit", Value: "20"}, {Name: "q", Value: "desk lamp"}},
		PathParams: []guard.Param{{Name: "id", Value: "42"}},
		Headers: []guard.Param{{Name: "user-agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"},
			{Name: "authorization", Value: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"}, {Name: "x-forwarded-for", Value: "203.0.113.7"}},
		ContentType: "application/json", Body: []byte(b.String()),
	}
}

const typicalSelect = "SELECT id, name, price, created_at FROM items WHERE owner_id = $1 AND status = 'active' ORDER BY created_at DESC LIMIT 20"

// BenchmarkCheckSelect: the check of one typical SELECT against the inputs
// of a 1 KB event (inputs already collected by an earlier check of the
// invocation).
func BenchmarkCheckSelect(b *testing.B) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	inv := event1KB()
	b.Logf("event: %d bytes of body", len(inv.Body))
	ctx, end := guard.NewContext(context.Background(), g, inv)
	defer end()
	if err := sqlguard.Check(ctx, sqlguard.PostgreSQL, typicalSelect); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := sqlguard.Check(ctx, sqlguard.PostgreSQL, typicalSelect); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckSelectFirst: attaching the invocation and its first
// check, which collects the inputs (once per invocation).
func BenchmarkCheckSelectFirst(b *testing.B) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	inv := event1KB()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, end := guard.NewContext(context.Background(), g, inv)
		if err := sqlguard.Check(ctx, sqlguard.PostgreSQL, typicalSelect); err != nil {
			b.Fatal(err)
		}
		end()
	}
}

// BenchmarkCheckNoInvocation: a call whose ctx carries no invocation.
func BenchmarkCheckNoInvocation(b *testing.B) {
	ctx := context.WithValue(context.Background(), struct{ k int }{1}, "x")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := sqlguard.Check(ctx, sqlguard.PostgreSQL, typicalSelect); err != nil {
			b.Fatal(err)
		}
	}
}
