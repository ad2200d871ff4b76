package verify

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func benchBody() []byte {
	return []byte(`{"action":"opened","number":42,"pull_request":{"title":"` + strings.Repeat("x", 900) + `"}}`)
}

func BenchmarkGitHub(b *testing.B) {
	secret := []byte("bench-secret")
	body := benchBody()
	header := "sha256=" + macHex(secret, string(body))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := GitHub(secret, body, header); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStripe(b *testing.B) {
	secret := []byte("whsec_bench")
	body := benchBody()
	now := time.Unix(1_700_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	header := "t=" + ts + ",v1=" + macHex(secret, ts+"."+string(body)) + ",v0=0000"
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := Stripe(secret, body, header, 0, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenericBase64(b *testing.B) {
	secret := []byte("bench-secret")
	body := benchBody()
	header := "sha256=" + strings.TrimRight(b64Std.EncodeToString(mac(secret, string(body))), "=")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := Generic(secret, body, header); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStripeMalformed(b *testing.B) {
	secret := []byte("whsec_bench")
	body := benchBody()
	header := strings.Repeat("v0=abc,", 50)
	now := time.Unix(1_700_000_000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if err := Stripe(secret, body, header, 0, now); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkSNSVerifyCached measures a verification with the certificate
// already cached (the steady state).
func BenchmarkSNSVerifyCached(b *testing.B) {
	for _, name := range []string{"sns-notification-v1.json", "sns-lambda-record-v2.json"} {
		b.Run(name, func(b *testing.B) {
			certPEM := readFile(b, "sns-cert.pem")
			v := NewSNSVerifier(func(string) ([]byte, error) { return certPEM, nil })
			m := loadSNS(b, name)
			if err := v.Verify(m); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := v.Verify(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
