package verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const fixtureCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem"

// countingFetcher serves fixed PEM bytes (or an error) and counts calls.
type countingFetcher struct {
	pem   []byte
	err   error
	calls atomic.Int64
	urls  sync.Map // url -> struct{}
	delay time.Duration
}

func (f *countingFetcher) fetch(u string) ([]byte, error) {
	f.calls.Add(1)
	f.urls.Store(u, struct{}{})
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	return f.pem, f.err
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadSNS(t testing.TB, name string) *SNSMessage {
	t.Helper()
	var m SNSMessage
	if err := json.Unmarshal(readFile(t, name), &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &m
}

var snsFixtures = []string{
	"sns-notification-v1.json",
	"sns-lambda-record-v2.json",
	"sns-subscription-confirmation-v2.json",
	"sns-unsubscribe-confirmation-v1.json",
}

// TestSNSFixtures verifies messages signed by OpenSSL (see
// testdata/gen-sns-fixtures.sh), in HTTP and Lambda spellings.
func TestSNSFixtures(t *testing.T) {
	f := &countingFetcher{pem: readFile(t, "sns-cert.pem")}
	v := NewSNSVerifier(f.fetch)
	for _, name := range snsFixtures {
		t.Run(name, func(t *testing.T) {
			m := loadSNS(t, name)
			if m.SigningCertURL != fixtureCertURL {
				t.Fatalf("SigningCertURL = %q (Lambda spelling not decoded?)", m.SigningCertURL)
			}
			if err := v.Verify(m); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("fetcher called %d times for one certificate URL, want 1", n)
	}
	if _, ok := f.urls.Load(fixtureCertURL); !ok {
		t.Errorf("fetcher not called with the canonical URL")
	}
}

func TestSNSTampered(t *testing.T) {
	f := &countingFetcher{pem: readFile(t, "sns-cert.pem")}
	v := NewSNSVerifier(f.fetch)
	notif := func(t *testing.T) *SNSMessage { return loadSNS(t, "sns-notification-v1.json") }
	noSubj := func(t *testing.T) *SNSMessage { return loadSNS(t, "sns-lambda-record-v2.json") }
	confirm := func(t *testing.T) *SNSMessage { return loadSNS(t, "sns-subscription-confirmation-v2.json") }
	tests := []struct {
		name   string
		base   func(*testing.T) *SNSMessage
		mutate func(*SNSMessage)
		reason string
		is     error
	}{
		{"message", notif, func(m *SNSMessage) { m.Message += " " }, "signature mismatch", nil},
		{"subject changed", notif, func(m *SNSMessage) { m.Subject = "Order deleted" }, "signature mismatch", nil},
		{"subject removed", notif, func(m *SNSMessage) { m.Subject = "" }, "signature mismatch", nil},
		{"subject added", noSubj, func(m *SNSMessage) { m.Subject = "x" }, "signature mismatch", nil},
		{"timestamp", notif, func(m *SNSMessage) { m.Timestamp = "2024-05-01T12:00:00.001Z" }, "signature mismatch", nil},
		{"topic", notif, func(m *SNSMessage) { m.TopicARN += "x" }, "signature mismatch", nil},
		{"message id", notif, func(m *SNSMessage) { m.MessageID = "x" + m.MessageID[1:] }, "signature mismatch", nil},
		{"token", confirm, func(m *SNSMessage) { m.Token = "attacker" }, "signature mismatch", nil},
		{"subscribe URL", confirm, func(m *SNSMessage) {
			m.SubscribeURL = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&x=1"
		}, "signature mismatch", nil},
		{"type confirmation to unsubscribe", confirm, func(m *SNSMessage) { m.Type = SNSUnsubscribeConfirmation }, "signature mismatch", nil},
		{"type notification to confirmation", notif, func(m *SNSMessage) { m.Type = SNSSubscriptionConfirmation }, "missing field SubscribeURL", nil},
		{"version 1 to 2", notif, func(m *SNSMessage) { m.SignatureVersion = "2" }, "signature mismatch", nil},
		{"version 2 to 1", noSubj, func(m *SNSMessage) { m.SignatureVersion = "1" }, "signature mismatch", nil},
		{"version 3", notif, func(m *SNSMessage) { m.SignatureVersion = "3" }, `unsupported SignatureVersion "3" (want 1 or 2)`, nil},
		{"version missing", notif, func(m *SNSMessage) { m.SignatureVersion = "" }, "missing field SignatureVersion", nil},
		{"unknown type", notif, func(m *SNSMessage) { m.Type = "Notice" }, `unsupported Type "Notice"`, nil},
		{"type missing", notif, func(m *SNSMessage) { m.Type = "" }, "missing field Type", nil},
		{"message id missing", notif, func(m *SNSMessage) { m.MessageID = "" }, "missing field MessageId", nil},
		{"topic missing", notif, func(m *SNSMessage) { m.TopicARN = "" }, "missing field TopicArn", nil},
		{"timestamp missing", notif, func(m *SNSMessage) { m.Timestamp = "" }, "missing field Timestamp", nil},
		{"token missing", confirm, func(m *SNSMessage) { m.Token = "" }, "missing field Token", nil},
		{"signature missing", notif, func(m *SNSMessage) { m.Signature = "" }, "missing field Signature", nil},
		{"signature not base64", notif, func(m *SNSMessage) { m.Signature = "!!!" + m.Signature[3:] }, "field Signature is not valid base64", nil},
		{"signature too long", notif, func(m *SNSMessage) { m.Signature = strings.Repeat("A", 4096) }, "field Signature is longer than 2048 characters", nil},
		{"signature truncated", notif, func(m *SNSMessage) { m.Signature = m.Signature[:len(m.Signature)-4] }, "signature mismatch", nil},
		{"signature of another message", notif, func(m *SNSMessage) { m.Signature = loadSNS(t, "sns-unsubscribe-confirmation-v1.json").Signature }, "signature mismatch", nil},
		{"cert URL missing", notif, func(m *SNSMessage) { m.SigningCertURL = "" }, "missing field SigningCertURL", nil},
		{"cert URL foreign", notif, func(m *SNSMessage) { m.SigningCertURL = "https://example.com/cert.pem" }, "SigningCertURL host must be", ErrCertURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.base(t)
			tt.mutate(m)
			err := v.Verify(m)
			checkErr(t, err, SchemeSNS, tt.reason, nil, "")
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
	checkErr(t, v.Verify(nil), SchemeSNS, "no message", nil, "")
}

func TestSNSStringToSign(t *testing.T) {
	tests := []struct {
		name string
		m    SNSMessage
		want string
	}{
		{"notification with subject", SNSMessage{Type: "Notification", MessageID: "id", TopicARN: "arn", Subject: "s", Message: "m\nx", Timestamp: "ts", Token: "ignored", SubscribeURL: "ignored"},
			"Message\nm\nx\nMessageId\nid\nSubject\ns\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n"},
		{"notification without subject", SNSMessage{Type: "Notification", MessageID: "id", TopicARN: "arn", Message: "m", Timestamp: "ts"},
			"Message\nm\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n"},
		{"notification with empty message", SNSMessage{Type: "Notification", MessageID: "id", TopicARN: "arn", Timestamp: "ts"},
			"Message\n\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n"},
		{"subscription confirmation", SNSMessage{Type: "SubscriptionConfirmation", MessageID: "id", TopicARN: "arn", Subject: "ignored", Message: "m", Timestamp: "ts", Token: "tok", SubscribeURL: "u"},
			"Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nts\nToken\ntok\nTopicArn\narn\nType\nSubscriptionConfirmation\n"},
		{"unsubscribe confirmation", SNSMessage{Type: "UnsubscribeConfirmation", MessageID: "id", TopicARN: "arn", Message: "m", Timestamp: "ts", Token: "tok", SubscribeURL: "u"},
			"Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nts\nToken\ntok\nTopicArn\narn\nType\nUnsubscribeConfirmation\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := stringToSign(&tt.m)
			if reason != "" {
				t.Fatal(reason)
			}
			if string(got) != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckSigningCertURL(t *testing.T) {
	accepted := []struct{ in, canonical string }{
		{"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"},
		{"https://sns.us-east-1.amazonaws.com:443/a.pem", "https://sns.us-east-1.amazonaws.com/a.pem"},
		{"HTTPS://sns.eu-west-3.amazonaws.com/a.pem", "https://sns.eu-west-3.amazonaws.com/a.pem"},
		{"https://sns.cn-north-1.amazonaws.com.cn/a.pem", "https://sns.cn-north-1.amazonaws.com.cn/a.pem"},
		{"https://sns.us-gov-west-1.amazonaws.com/dir/a.pem", "https://sns.us-gov-west-1.amazonaws.com/dir/a.pem"},
	}
	for _, tt := range accepted {
		t.Run("ok "+tt.in, func(t *testing.T) {
			got, err := CheckSigningCertURL(tt.in)
			if err != nil || got != tt.canonical {
				t.Fatalf("got %q, %v; want %q", got, err, tt.canonical)
			}
		})
	}
	refused := []struct{ in, reason string }{
		{"http://sns.us-east-1.amazonaws.com/a.pem", "scheme must be https"},
		{"file:///etc/ssl/a.pem", "scheme must be https"},
		{"//sns.us-east-1.amazonaws.com/a.pem", "scheme must be https"},
		{"sns.us-east-1.amazonaws.com/a.pem", "scheme must be https"},
		{"https:sns.us-east-1.amazonaws.com/a.pem", "must be an absolute https URL"},
		{"https://sns.us-east-1.amazonaws.com.evil.com/a.pem", "host must be"},
		{"https://sns.us-east-1.amazonaws.com.cn.evil.com/a.pem", "host must be"},
		{"https://evil.com/sns.us-east-1.amazonaws.com/a.pem", "host must be"},
		{"https://evilsns.us-east-1.amazonaws.com/a.pem", "host must be"},
		{"https://x.sns.us-east-1.amazonaws.com/a.pem", "host must be"},
		{"https://sns.amazonaws.com/a.pem", "host must be"},
		{"https://sns..amazonaws.com/a.pem", "host must be"},
		{"https://sns.-us-east-1.amazonaws.com/a.pem", "host must be"},
		{"https://sns.us_east_1.amazonaws.com/a.pem", "host must be"},
		{"https://sns.us.east.amazonaws.com/a.pem", "host must be"},
		{"https://sqs.us-east-1.amazonaws.com/a.pem", "host must be"},
		{"https://SNS.US-EAST-1.AMAZONAWS.COM/a.pem", "host must be"},
		{"https://sns.us-east-1.amazonaws.com./a.pem", "host must be"},
		{"https://169.254.169.254/latest/meta-data/a.pem", "host must be"},
		{"https://[::1]/a.pem", "host must be"},
		{"https://localhost/a.pem", "host must be"},
		{"https://user:pass@sns.us-east-1.amazonaws.com/a.pem", "must not contain user info"},
		{"https://sns.us-east-1.amazonaws.com@evil.com/a.pem", "must not contain user info"},
		{"https://sns.us-east-1.amazonaws.com:8443/a.pem", "port must be 443"},
		{"https://sns.us-east-1.amazonaws.com:80/a.pem", "port must be 443"},
		{"https://sns.us-east-1.amazonaws.com/a.pem?x=1", "must not have a query"},
		{"https://sns.us-east-1.amazonaws.com/a.pem?", "must not have a query"},
		{"https://sns.us-east-1.amazonaws.com/a.pem#x", "must not have a fragment"},
		{"https://sns.us-east-1.amazonaws.com/a.pem#", "must not have a fragment"},
		{"https://sns.us-east-1.amazonaws.com/a.txt", "path must end in .pem"},
		{"https://sns.us-east-1.amazonaws.com/.pem", "path must end in .pem"},
		{"https://sns.us-east-1.amazonaws.com", "path must end in .pem"},
		{"https://sns.us east-1.amazonaws.com/a.pem", "is not a URL"},
		{"https://sns.us-east-1.amazonaws.com%2f.evil.com/a.pem", "is not a URL"},
		{"https://sns.us-east-1.amazonaws.com\\@evil.com/a.pem", "is not a URL"},
		{"", "scheme must be https"},
	}
	for _, tt := range refused {
		t.Run("refused "+tt.in, func(t *testing.T) {
			got, err := CheckSigningCertURL(tt.in)
			if err == nil {
				t.Fatalf("accepted as %q", got)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q, want it to contain %q", err, tt.reason)
			}
		})
	}
}

// TestSNSBadCertURLNotFetched checks that refused URLs never reach the
// fetcher (no SSRF), through Verify.
func TestSNSBadCertURLNotFetched(t *testing.T) {
	f := &countingFetcher{pem: readFile(t, "sns-cert.pem")}
	v := NewSNSVerifier(f.fetch)
	for _, u := range []string{
		"http://sns.us-east-1.amazonaws.com/a.pem",
		"https://sns.us-east-1.amazonaws.com.evil.com/a.pem",
		"https://user@sns.us-east-1.amazonaws.com/a.pem",
		"https://sns.us-east-1.amazonaws.com:444/a.pem",
		"https://169.254.169.254/latest/meta-data/iam/security-credentials/role.pem",
	} {
		t.Run(u, func(t *testing.T) {
			m := loadSNS(t, "sns-notification-v1.json")
			m.SigningCertURL = u
			err := v.Verify(m)
			if !errors.Is(err, ErrCertURL) || !errors.Is(err, ErrSignature) {
				t.Fatalf("want ErrCertURL, got %v", err)
			}
		})
	}
	if n := f.calls.Load(); n != 0 {
		t.Fatalf("fetcher called %d times for refused URLs", n)
	}
	// The default fetcher too: a refused URL fails without any network use.
	m := loadSNS(t, "sns-notification-v1.json")
	m.SigningCertURL = "https://127.0.0.1/a.pem"
	if err := NewSNSVerifier(nil).Verify(m); !errors.Is(err, ErrCertURL) {
		t.Fatalf("default fetcher: want ErrCertURL, got %v", err)
	}
}

func TestSNSCacheConcurrent(t *testing.T) {
	f := &countingFetcher{pem: readFile(t, "sns-cert.pem"), delay: 20 * time.Millisecond}
	v := NewSNSVerifier(f.fetch)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- v.Verify(loadSNS(t, snsFixtures[i%len(snsFixtures)]))
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("fetcher called %d times, want 1", n)
	}
}

func TestSNSFetchFailureCachedBriefly(t *testing.T) {
	boom := errors.New("connection reset")
	f := &countingFetcher{err: boom}
	v := NewSNSVerifier(f.fetch)
	clock := time.Unix(1_800_000_000, 0)
	v.now = func() time.Time { return clock }
	m := loadSNS(t, "sns-notification-v1.json")
	for i := 0; i < 3; i++ {
		err := v.Verify(m)
		if !errors.Is(err, ErrCertFetch) || !errors.Is(err, boom) || !errors.Is(err, ErrSignature) {
			t.Fatalf("want ErrCertFetch wrapping the fetch error, got %v", err)
		}
		if !strings.Contains(err.Error(), "cannot fetch signing certificate "+fixtureCertURL+": connection reset") {
			t.Fatalf("error %q", err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("fetcher called %d times within FailureTTL, want 1", n)
	}
	clock = clock.Add(FailureTTL)
	f.err, f.pem = nil, readFile(t, "sns-cert.pem")
	if err := v.Verify(m); err != nil {
		t.Fatalf("after FailureTTL: %v", err)
	}
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("fetcher called %d times after FailureTTL, want 2", n)
	}
	// Successes stay cached.
	clock = clock.Add(24 * time.Hour)
	if err := v.Verify(m); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("fetcher called %d times for a cached certificate, want 2", n)
	}
}

func TestSNSFetcherPanics(t *testing.T) {
	v := NewSNSVerifier(func(string) ([]byte, error) { panic("boom") })
	err := v.Verify(loadSNS(t, "sns-notification-v1.json"))
	if !errors.Is(err, ErrCertFetch) || !strings.Contains(err.Error(), "fetcher panicked: boom") {
		t.Fatalf("got %v", err)
	}
	// The failure is cached, not a stranded in-flight entry.
	done := make(chan error, 1)
	go func() { done <- v.Verify(loadSNS(t, "sns-notification-v1.json")) }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCertFetch) {
			t.Fatalf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second Verify hung after a fetcher panic")
	}
}

// testKey is a 2048-bit key generated once per test binary.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func selfSigned(t testing.TB, pub, priv any, notBefore, notAfter time.Time) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// signSNS signs m with key for m.SignatureVersion, over a canonical string
// assembled here field by field.
func signSNS(t testing.TB, key *rsa.PrivateKey, m *SNSMessage) {
	t.Helper()
	var s string
	if m.Type == SNSNotification {
		s = "Message\n" + m.Message + "\nMessageId\n" + m.MessageID + "\n"
		if m.Subject != "" {
			s += "Subject\n" + m.Subject + "\n"
		}
		s += "Timestamp\n" + m.Timestamp + "\nTopicArn\n" + m.TopicARN + "\nType\n" + m.Type + "\n"
	} else {
		s = "Message\n" + m.Message + "\nMessageId\n" + m.MessageID + "\nSubscribeURL\n" + m.SubscribeURL +
			"\nTimestamp\n" + m.Timestamp + "\nToken\n" + m.Token + "\nTopicArn\n" + m.TopicARN + "\nType\n" + m.Type + "\n"
	}
	var sig []byte
	var err error
	if m.SignatureVersion == "1" {
		d := sha1.Sum([]byte(s))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, d[:])
	} else {
		d := sha256.Sum256([]byte(s))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
}

func newTestMessage(version string) *SNSMessage {
	return &SNSMessage{
		Type:             SNSNotification,
		MessageID:        "0f4c1a5e-2d0b-4f61-9a55-0c6f4f0e9b11",
		TopicARN:         "arn:aws:sns:eu-west-1:123456789012:events",
		Subject:          "hi",
		Message:          `{"a":1}`,
		Timestamp:        "2025-01-01T00:00:00.000Z",
		SignatureVersion: version,
		SigningCertURL:   "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
	}
}

func TestSNSGeneratedKey(t *testing.T) {
	key := testKey()
	now := time.Now()
	certPEM := selfSigned(t, &key.PublicKey, key, now.Add(-time.Hour), now.Add(time.Hour))
	f := &countingFetcher{pem: certPEM}
	v := NewSNSVerifier(f.fetch)
	for _, version := range []string{"1", "2"} {
		t.Run("version "+version, func(t *testing.T) {
			m := newTestMessage(version)
			signSNS(t, key, m)
			if err := v.Verify(m); err != nil {
				t.Fatal(err)
			}
			other := *m
			other.SignatureVersion = map[string]string{"1": "2", "2": "1"}[version]
			checkErr(t, v.Verify(&other), SchemeSNS, "signature mismatch", nil, "")
		})
	}
}

func TestSNSUnusableCerts(t *testing.T) {
	key := testKey()
	now := time.Now()
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good := selfSigned(t, &key.PublicKey, key, now.Add(-time.Hour), now.Add(time.Hour))
	tests := []struct {
		name   string
		pem    []byte
		reason string
	}{
		{"empty", nil, "no PEM CERTIFICATE block"},
		{"not PEM", []byte("hello"), "no PEM CERTIFICATE block"},
		{"only a key block", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2}}), "no PEM CERTIFICATE block"},
		{"garbage certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), "not an X.509 certificate"},
		{"ECDSA key", selfSigned(t, &ec.PublicKey, ec, now.Add(-time.Hour), now.Add(time.Hour)), "public key is *ecdsa.PublicKey, want RSA"},
		{"1024-bit RSA", selfSigned(t, &weak.PublicKey, weak, now.Add(-time.Hour), now.Add(time.Hour)), "RSA key of 1024 bits, want at least 2048"},
		{"expired", selfSigned(t, &key.PublicKey, key, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), "is not valid now"},
		{"not yet valid", selfSigned(t, &key.PublicKey, key, now.Add(24*time.Hour), now.Add(48*time.Hour)), "is not valid now"},
		{"other block before the certificate", append(pem.EncodeToMemory(&pem.Block{Type: "COMMENT", Bytes: []byte("x")}), good...), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewSNSVerifier((&countingFetcher{pem: tt.pem}).fetch)
			m := newTestMessage("2")
			signSNS(t, key, m)
			err := v.Verify(m)
			checkErr(t, err, SchemeSNS, tt.reason, nil, "")
			if tt.reason != "" && !errors.Is(err, ErrCert) {
				t.Errorf("errors.Is(%v, ErrCert) = false", err)
			}
		})
	}
}

func TestSNSCacheBounded(t *testing.T) {
	f := &countingFetcher{err: errors.New("404")}
	v := NewSNSVerifier(f.fetch)
	m := newTestMessage("2")
	m.Signature = base64.StdEncoding.EncodeToString(make([]byte, 256))
	for i := 0; i < 3*MaxCachedCerts; i++ {
		m.SigningCertURL = fmt.Sprintf("https://sns.us-east-1.amazonaws.com/c%d.pem", i)
		if err := v.Verify(m); !errors.Is(err, ErrCertFetch) {
			t.Fatal(err)
		}
	}
	v.mu.Lock()
	n := len(v.certs)
	v.mu.Unlock()
	if n > MaxCachedCerts {
		t.Fatalf("cache holds %d entries, want <= %d", n, MaxCachedCerts)
	}
	if c := f.calls.Load(); c != 3*MaxCachedCerts {
		t.Fatalf("fetcher called %d times, want %d", c, 3*MaxCachedCerts)
	}
}

// TestDefaultFetch exercises the default fetcher against a local TLS server
// (called directly: Verify would refuse its 127.0.0.1 URL).
func TestDefaultFetch(t *testing.T) {
	certPEM := readFile(t, "sns-cert.pem")
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.pem", func(w http.ResponseWriter, r *http.Request) { w.Write(certPEM) })
	mux.HandleFunc("/missing.pem", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/huge.pem", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, MaxCertBytes+1)) })
	mux.HandleFunc("/exact.pem", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, MaxCertBytes)) })
	mux.HandleFunc("/redirect.pem", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.example/x.pem", http.StatusFound)
	})
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	saved := certClient.Transport
	certClient.Transport = srv.Client().Transport
	defer func() { certClient.Transport = saved }()

	tests := []struct {
		path    string
		wantLen int
		errText string
	}{
		{"/ok.pem", len(certPEM), ""},
		{"/exact.pem", MaxCertBytes, ""},
		{"/missing.pem", 0, "HTTP status 404"},
		{"/huge.pem", 0, "certificate larger than 65536 bytes"},
		{"/redirect.pem", 0, "redirect refused: SigningCertURL host must be"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			b, err := defaultFetch(srv.URL + tt.path)
			if tt.errText == "" {
				if err != nil || len(b) != tt.wantLen {
					t.Fatalf("got %d bytes, %v; want %d bytes", len(b), err, tt.wantLen)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("got %v, want error containing %q", err, tt.errText)
			}
		})
	}
}
