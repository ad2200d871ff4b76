package schema

import (
	"testing"
)

// BenchmarkValidate validates a 1 KB order (5 items, $ref into another file,
// formats and patterns).
func BenchmarkValidate(b *testing.B) {
	s := orderSet(b)
	body := readFile(b, "bodies/order-1k.json")
	if _, err := s.Validate(orderRoute, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := s.Validate(orderRoute, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateInvalid measures a body with several violations, which
// also builds the failure list.
func BenchmarkValidateInvalid(b *testing.B) {
	s := orderSet(b)
	body := []byte(`{"customer":{"email":"x","name":""},"items":[{"sku":"a","qty":0},{"sku":"AAA","qty":1,"extra":1}],"note":5}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := s.Validate(orderRoute, body); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkValidateNoSchema is the cost for routes without a schema.
func BenchmarkValidateNoSchema(b *testing.B) {
	s := orderSet(b)
	body := readFile(b, "bodies/order-1k.json")
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := s.Validate("GET /health", body); ok {
			b.Fatal("ok")
		}
	}
}

// BenchmarkLoadFS measures start-up: compiling the order and user schemas.
func BenchmarkLoadFS(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		orderSet(b)
	}
}
