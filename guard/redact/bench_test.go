package redact

import (
	"strconv"
	"strings"
	"testing"
)

// cleanExcerpt is a 200-byte request fragment with nothing to redact but
// plenty of key=value pairs, URLs and an attack.
const cleanExcerpt = `GET /api/v1/search?q=' OR 1=1--&page=2&sort=name HTTP/1.1 Host: shop.example.com ` +
	`User-Agent: Mozilla/5.0 (X11) Referer: https://shop.example.com:8443/cart?id=42 <script>alert(1)</script> ok; lang=en-GB`

const dirtyExcerpt = `POST /login?user=bob&password=hunter2 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc123 ` +
	`card=4111 1111 1111 1111 key=AKIAIOSFODNN7EXAMPLE`

func BenchmarkString(b *testing.B) {
	r, err := New(Config{Secrets: []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEJr//////////wEaDOpaqueToken"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, in string }{
		{"clean200", cleanExcerpt[:200]},
		{"dirty", dirtyExcerpt},
		{"clean4KiB", strings.Repeat(cleanExcerpt[:200], 20)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				_ = r.String(bc.in)
			}
		})
	}
}

func BenchmarkIsSecretKey(b *testing.B) {
	r, err := New(Config{ExtraKeys: []string{"x-*-hash", "customer_ref"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, key := range []string{"user_name", "X-Api-Key", "AWS_SECRET_ACCESS_KEY"} {
		b.Run(key, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = r.IsSecretKey(key)
			}
		})
	}
}

// BenchmarkStringPathological measures String on inputs crafted to make a
// naive scanner quadratic; ns/op per byte (MB/s) must stay flat from 16 KiB
// to 1 MiB.
func BenchmarkStringPathological(b *testing.B) {
	r, err := New(pathologicalSecrets)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{16 << 10, 1 << 20} {
		for name, in := range pathologicalInputs(n) {
			b.Run(name+"/"+strconv.Itoa(n>>10)+"KiB", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					_ = r.String(in)
				}
			})
		}
	}
}
