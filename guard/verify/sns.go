package verify

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SNSMessage holds the fields of an Amazon SNS message that its signature
// covers, plus the signature itself. The JSON tags are the names of HTTP(S)
// deliveries; encoding/json matches them case-insensitively, so the Lambda
// spelling ("SigningCertUrl") decodes too.
type SNSMessage struct {
	Type             string `json:"Type"`             // "Notification", "SubscriptionConfirmation" or "UnsubscribeConfirmation"
	MessageID        string `json:"MessageId"`        // MessageId
	TopicARN         string `json:"TopicArn"`         // TopicArn
	Subject          string `json:"Subject"`          // optional; "" means absent (SNS refuses empty subjects)
	Message          string `json:"Message"`          // the payload
	Timestamp        string `json:"Timestamp"`        // as sent, e.g. "2024-01-02T03:04:05.678Z"
	SignatureVersion string `json:"SignatureVersion"` // "1" (SHA1withRSA) or "2" (SHA256withRSA)
	Signature        string `json:"Signature"`        // base64 of the RSA PKCS #1 v1.5 signature
	SigningCertURL   string `json:"SigningCertURL"`   // SigningCertURL (HTTP) / SigningCertUrl (Lambda)
	Token            string `json:"Token"`            // confirmations only
	SubscribeURL     string `json:"SubscribeURL"`     // confirmations only
}

// SNS message types.
const (
	SNSNotification             = "Notification"
	SNSSubscriptionConfirmation = "SubscriptionConfirmation"
	SNSUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// Limits and cache lifetimes of SNSVerifier.
const (
	// MaxCertBytes caps the size of a signing certificate fetched by the
	// default fetcher.
	MaxCertBytes = 64 << 10
	// FetchTimeout bounds one fetch by the default fetcher.
	FetchTimeout = 5 * time.Second
	// FailureTTL is how long a failed fetch or an unusable certificate is
	// remembered for its URL: a burst of messages naming a bad URL costs one
	// fetch, and a transient network failure heals quickly.
	FailureTTL = 10 * time.Second
	// MaxCachedCerts bounds the certificate cache. SNS uses one certificate
	// per region at a time; when the cache is full, failures are evicted
	// first, then the oldest entry.
	MaxCachedCerts = 64
	// minRSABits is the smallest accepted signing key.
	minRSABits = 2048
	// maxSignatureLen caps the base64 Signature (an 8192-bit RSA signature
	// is 1368 characters).
	maxSignatureLen = 2048
)

// SNSVerifier verifies Amazon SNS message signatures, per
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html.
// Signing certificates are fetched from their SigningCertURL, after that URL
// has been checked to be an Amazon SNS certificate URL, and cached per URL.
// It is safe for concurrent use; concurrent verifications that need the same
// certificate share one fetch.
type SNSVerifier struct {
	fetch func(url string) ([]byte, error)
	now   func() time.Time

	mu    sync.Mutex
	certs map[string]*certEntry
}

// certEntry is a cached certificate, or a cached failure. Its fields are
// written once, before ready is closed.
type certEntry struct {
	ready chan struct{}
	added time.Time

	key       *rsa.PublicKey
	notBefore time.Time
	notAfter  time.Time
	err       error // *SignatureError
	retryAt   time.Time
}

func (e *certEntry) done() bool {
	select {
	case <-e.ready:
		return true
	default:
		return false
	}
}

// NewSNSVerifier returns a verifier that retrieves signing certificates
// (PEM) with fetch. A nil fetch means the default: an HTTPS GET with a
// FetchTimeout timeout, at most MaxCertBytes, following redirects only to
// other SNS certificate URLs, through http.DefaultTransport (so an egress
// policy installed there applies and must allow sns.<region>.amazonaws.com).
//
// Whatever the fetcher, the SigningCertURL of a message is checked before
// any fetch: scheme https, host exactly sns.<region>.amazonaws.com or
// sns.<region>.amazonaws.com.cn, no user info, no port but 443, no query or
// fragment, path ending in ".pem". Other URLs are refused (ErrCertURL), so a
// forged message cannot make the function fetch arbitrary URLs (SSRF). The
// fetcher receives the URL in canonical form: "https://" + host + path.
func NewSNSVerifier(fetch func(url string) ([]byte, error)) *SNSVerifier {
	if fetch == nil {
		fetch = defaultFetch
	}
	return &SNSVerifier{fetch: fetch, now: time.Now, certs: make(map[string]*certEntry)}
}

// Verify checks the signature of m. It builds the canonical string to sign
// (for a Notification: Message, MessageId, Subject when present, Timestamp,
// TopicArn, Type; for a SubscriptionConfirmation or UnsubscribeConfirmation:
// Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type, each
// as "Name\nvalue\n"), decodes the base64 Signature and verifies it with the
// RSA key of the signing certificate: SHA1withRSA for SignatureVersion "1",
// SHA256withRSA for "2". The certificate must be RSA, at least 2048 bits,
// and within its validity period.
//
// Every error is a *SignatureError (errors.Is(err, ErrSignature)); a refused
// certificate URL also matches ErrCertURL, a failed fetch ErrCertFetch, an
// unusable certificate ErrCert. Verify does not judge the Timestamp's age:
// SNS redelivers old messages with their original signature.
func (v *SNSVerifier) Verify(m *SNSMessage) error {
	if m == nil {
		return sigErr(SchemeSNS, "no message")
	}
	var hash crypto.Hash
	switch m.SignatureVersion {
	case "1":
		hash = crypto.SHA1
	case "2":
		hash = crypto.SHA256
	case "":
		return sigErr(SchemeSNS, "missing field SignatureVersion")
	default:
		return sigErr(SchemeSNS, "unsupported SignatureVersion "+quoteShort(m.SignatureVersion)+" (want 1 or 2)")
	}
	payload, reason := stringToSign(m)
	if reason != "" {
		return sigErr(SchemeSNS, reason)
	}
	if m.Signature == "" {
		return sigErr(SchemeSNS, "missing field Signature")
	}
	if len(m.Signature) > maxSignatureLen {
		return sigErr(SchemeSNS, "field Signature is longer than "+strconv.Itoa(maxSignatureLen)+" characters")
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil {
		return sigErr(SchemeSNS, "field Signature is not valid base64")
	}
	if m.SigningCertURL == "" {
		return sigErr(SchemeSNS, "missing field SigningCertURL")
	}
	certURL, err := CheckSigningCertURL(m.SigningCertURL)
	if err != nil {
		return &SignatureError{Scheme: SchemeSNS, Reason: err.Error(), Err: ErrCertURL}
	}
	e := v.cert(certURL)
	if e.err != nil {
		return e.err
	}
	if now := v.now(); now.Before(e.notBefore) || now.After(e.notAfter) {
		return &SignatureError{Scheme: SchemeSNS, Err: ErrCert,
			Reason: "signing certificate " + certURL + " is not valid now (valid " +
				e.notBefore.UTC().Format(time.RFC3339) + " to " + e.notAfter.UTC().Format(time.RFC3339) + ")"}
	}
	var digest []byte
	if hash == crypto.SHA1 {
		d := sha1.Sum(payload)
		digest = d[:]
	} else {
		d := sha256.Sum256(payload)
		digest = d[:]
	}
	if err := rsa.VerifyPKCS1v15(e.key, hash, digest, sig); err != nil {
		return sigErr(SchemeSNS, "signature mismatch")
	}
	return nil
}

// stringToSign returns the canonical string that SNS signs for m, or the
// reason it cannot be built.
func stringToSign(m *SNSMessage) ([]byte, string) {
	type field struct{ name, value string }
	var fields [7]field
	var n int
	switch m.Type {
	case SNSNotification:
		fields[0] = field{"Message", m.Message}
		fields[1] = field{"MessageId", m.MessageID}
		n = 2
		if m.Subject != "" {
			fields[n] = field{"Subject", m.Subject}
			n++
		}
		fields[n] = field{"Timestamp", m.Timestamp}
		fields[n+1] = field{"TopicArn", m.TopicARN}
		fields[n+2] = field{"Type", m.Type}
		n += 3
	case SNSSubscriptionConfirmation, SNSUnsubscribeConfirmation:
		fields = [7]field{
			{"Message", m.Message},
			{"MessageId", m.MessageID},
			{"SubscribeURL", m.SubscribeURL},
			{"Timestamp", m.Timestamp},
			{"Token", m.Token},
			{"TopicArn", m.TopicARN},
			{"Type", m.Type},
		}
		n = 7
	case "":
		return nil, "missing field Type"
	default:
		return nil, "unsupported Type " + quoteShort(m.Type) + " (want Notification, SubscriptionConfirmation or UnsubscribeConfirmation)"
	}
	size := 0
	for _, f := range fields[:n] {
		if f.value == "" && f.name != "Message" {
			return nil, "missing field " + f.name
		}
		size += len(f.name) + len(f.value) + 2
	}
	buf := make([]byte, 0, size)
	for _, f := range fields[:n] {
		buf = append(buf, f.name...)
		buf = append(buf, '\n')
		buf = append(buf, f.value...)
		buf = append(buf, '\n')
	}
	return buf, ""
}

// quoteShort quotes an attacker-controlled value for an error message,
// truncated to 32 bytes.
func quoteShort(s string) string {
	if len(s) > 32 {
		s = s[:32] + "..."
	}
	return strconv.Quote(s)
}

// CheckSigningCertURL checks that raw is an Amazon SNS signing certificate
// URL and returns it in canonical form ("https://" + host + path). The
// rules: scheme https; host exactly sns.<region>.amazonaws.com or
// sns.<region>.amazonaws.com.cn, lower case, where region is lower-case
// letters, digits and inner hyphens; no user info; no port other than 443;
// no query or fragment; a path ending in ".pem". The error says which rule
// failed.
func CheckSigningCertURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("SigningCertURL is not a URL")
	}
	switch {
	case u.Scheme != "https":
		return "", errors.New("SigningCertURL scheme must be https")
	case u.Opaque != "":
		return "", errors.New("SigningCertURL must be an absolute https URL")
	case u.User != nil:
		return "", errors.New("SigningCertURL must not contain user info")
	case u.RawQuery != "" || u.ForceQuery:
		return "", errors.New("SigningCertURL must not have a query")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", errors.New("SigningCertURL must not have a fragment")
	}
	if p := u.Port(); p != "" && p != "443" {
		return "", errors.New("SigningCertURL port must be 443")
	}
	host := u.Hostname()
	if !snsHost(host) {
		return "", errors.New("SigningCertURL host must be sns.<region>.amazonaws.com or sns.<region>.amazonaws.com.cn, not " + quoteShort(host))
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, ".pem") || len(path) < len("/x.pem") {
		return "", errors.New("SigningCertURL path must end in .pem")
	}
	return "https://" + host + path, nil
}

// snsHost reports whether host is sns.<region>.amazonaws.com(.cn).
func snsHost(host string) bool {
	rest, ok := strings.CutPrefix(host, "sns.")
	if !ok {
		return false
	}
	region, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok {
		region, ok = strings.CutSuffix(rest, ".amazonaws.com.cn")
		if !ok {
			return false
		}
	}
	if len(region) < 3 || len(region) > 32 || region[0] == '-' || region[len(region)-1] == '-' {
		return false
	}
	for i := 0; i < len(region); i++ {
		c := region[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// cert returns the cache entry for a checked URL, fetching it if needed.
// The returned entry is complete (ready closed).
func (v *SNSVerifier) cert(certURL string) *certEntry {
	now := v.now()
	v.mu.Lock()
	e := v.certs[certURL]
	if e != nil && e.done() && e.err != nil && !now.Before(e.retryAt) {
		delete(v.certs, certURL)
		e = nil
	}
	owner := e == nil
	if owner {
		if len(v.certs) >= MaxCachedCerts {
			v.evictLocked()
		}
		e = &certEntry{ready: make(chan struct{}), added: now}
		v.certs[certURL] = e
	}
	v.mu.Unlock()
	if owner {
		e.load(v.fetch, certURL)
		if e.err != nil {
			e.retryAt = v.now().Add(FailureTTL)
		}
		close(e.ready)
	} else {
		<-e.ready
	}
	return e
}

// evictLocked removes one entry: a completed failure if any, else the
// oldest entry.
func (v *SNSVerifier) evictLocked() {
	var oldestURL string
	var oldest *certEntry
	for u, e := range v.certs {
		if e.done() && e.err != nil {
			delete(v.certs, u)
			return
		}
		if oldest == nil || e.added.Before(oldest.added) {
			oldestURL, oldest = u, e
		}
	}
	if oldest != nil {
		delete(v.certs, oldestURL)
	}
}

// load fetches and parses the certificate, filling e.key or e.err. A panic
// in the fetcher becomes an error, so waiters are never stranded.
func (e *certEntry) load(fetch func(string) ([]byte, error), certURL string) {
	defer func() {
		if r := recover(); r != nil {
			e.key = nil
			e.err = &SignatureError{Scheme: SchemeSNS, Err: ErrCertFetch,
				Reason: fmt.Sprintf("cannot fetch signing certificate %s: fetcher panicked: %v", certURL, r)}
		}
	}()
	data, err := fetch(certURL)
	if err != nil {
		e.err = &SignatureError{Scheme: SchemeSNS, Err: errors.Join(ErrCertFetch, err),
			Reason: "cannot fetch signing certificate " + certURL + ": " + err.Error()}
		return
	}
	cert, reason := parseCert(data)
	if reason != "" {
		e.err = &SignatureError{Scheme: SchemeSNS, Err: ErrCert,
			Reason: "signing certificate " + certURL + ": " + reason}
		return
	}
	e.key = cert.PublicKey.(*rsa.PublicKey)
	e.notBefore, e.notAfter = cert.NotBefore, cert.NotAfter
}

// parseCert parses the first CERTIFICATE block of a PEM document and checks
// that it carries an RSA key of at least minRSABits.
func parseCert(data []byte) (*x509.Certificate, string) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, "no PEM CERTIFICATE block"
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, "not an X.509 certificate: " + err.Error()
		}
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Sprintf("public key is %T, want RSA", cert.PublicKey)
		}
		if bits := pub.N.BitLen(); bits < minRSABits {
			return nil, fmt.Sprintf("RSA key of %d bits, want at least %d", bits, minRSABits)
		}
		return cert, ""
	}
}

// certClient is the default fetcher's client.
var certClient = &http.Client{
	Timeout: FetchTimeout,
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		if _, err := CheckSigningCertURL(req.URL.String()); err != nil {
			return fmt.Errorf("redirect refused: %w", err)
		}
		return nil
	},
}

// defaultFetch GETs a certificate over HTTPS, at most MaxCertBytes.
func defaultFetch(certURL string) ([]byte, error) {
	resp, err := certClient.Get(certURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP status %d", certURL, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", certURL, err)
	}
	if len(data) > MaxCertBytes {
		return nil, fmt.Errorf("GET %s: certificate larger than %d bytes", certURL, MaxCertBytes)
	}
	return data, nil
}
