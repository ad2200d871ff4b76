package verify

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

var fuzzSecret = []byte("whsec_fuzz")

// FuzzStripeHeader: Stripe never panics, every error is a *SignatureError,
// and a nil error means the header really carries the MAC of "<t>.<body>"
// with t within tolerance.
func FuzzStripeHeader(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := `{"a":1}`
	good := hex.EncodeToString(mac(fuzzSecret, ts+"."+body))
	for _, h := range []string{
		"t=" + ts + ",v1=" + good,
		"v1=" + good + ",t=" + ts,
		"t=" + ts + ",v1=" + good + ",v0=" + good,
		"t=" + ts + ",v1=" + good[:63],
		"t=" + ts + ",,v1=" + good,
		"t=,v1=",
		"t=1,t=2",
		"=,=,=",
		"t=999999999999999999,v1=" + good,
		strings.Repeat("v1="+good+",", 20) + "t=" + ts,
		"",
	} {
		f.Add(h, []byte(body))
	}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Stripe(fuzzSecret, body, header, 0, now)
		if err != nil {
			var se *SignatureError
			if !errors.As(err, &se) || se.Reason == "" || !errors.Is(err, ErrSignature) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		var h stripeHeader
		if reason := h.parse(header); reason != "" {
			t.Fatalf("accepted but parse says %q", reason)
		}
		want := mac(fuzzSecret, h.ts+"."+string(body))
		found := false
		for i := 0; i < h.n; i++ {
			found = found || hmac.Equal(h.v1[i][:], want)
		}
		if !found {
			t.Fatalf("accepted header %q without a matching v1", header)
		}
		if d := now.Sub(time.Unix(h.t, 0)); d > DefaultTolerance || d < -DefaultTolerance {
			t.Fatalf("accepted timestamp %d outside tolerance", h.t)
		}
	})
}

// FuzzGeneric: Generic never panics, and a nil error means the header is one
// of the accepted spellings of the body's MAC.
func FuzzGeneric(f *testing.F) {
	body := "payload"
	sum := mac(fuzzSecret, body)
	for _, h := range []string{
		hex.EncodeToString(sum),
		"sha256=" + hex.EncodeToString(sum),
		"SHA256=" + strings.ToUpper(hex.EncodeToString(sum)),
		base64.StdEncoding.EncodeToString(sum),
		base64.RawURLEncoding.EncodeToString(sum),
		"sha256=" + base64.URLEncoding.EncodeToString(sum),
		strings.Repeat("=", 44),
		strings.Repeat("A", 43),
		"sha256=",
		"",
	} {
		f.Add(h, []byte(body))
	}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Generic(fuzzSecret, body, header)
		if err != nil {
			if !errors.Is(err, ErrSignature) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		sum := mac(fuzzSecret, string(body))
		v := strings.TrimSpace(header)
		if len(v) >= 7 && strings.EqualFold(v[:7], "sha256=") {
			v = v[7:]
		}
		for _, s := range []string{
			base64.StdEncoding.EncodeToString(sum), base64.RawStdEncoding.EncodeToString(sum),
			base64.URLEncoding.EncodeToString(sum), base64.RawURLEncoding.EncodeToString(sum),
		} {
			if v == s {
				return
			}
		}
		if strings.EqualFold(v, hex.EncodeToString(sum)) {
			return
		}
		t.Fatalf("accepted %q, which is no spelling of the MAC", header)
	})
}

// FuzzGitHub: GitHub never panics and accepts only "sha256=<hex MAC>".
func FuzzGitHub(f *testing.F) {
	sum := hex.EncodeToString(mac(fuzzSecret, "x"))
	for _, h := range []string{"sha256=" + sum, "sha1=" + sum[:40], "sha256=", sum, ""} {
		f.Add(h, []byte("x"))
	}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := GitHub(fuzzSecret, body, header)
		if err != nil {
			if !errors.Is(err, ErrSignature) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		if !strings.EqualFold(strings.TrimSpace(header), "sha256="+hex.EncodeToString(mac(fuzzSecret, string(body)))) {
			t.Fatalf("accepted %q", header)
		}
	})
}

// FuzzCheckSigningCertURL: never panics; whatever is accepted is an https
// URL on an SNS host, and its canonical form is accepted unchanged.
func FuzzCheckSigningCertURL(f *testing.F) {
	for _, u := range []string{
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
		"https://sns.cn-north-1.amazonaws.com.cn:443/a.pem",
		"https://sns.us-east-1.amazonaws.com.evil.com/a.pem",
		"https://a@sns.us-east-1.amazonaws.com/a.pem",
		"https://sns.us-east-1.amazonaws.com/a.pem?x#y",
		"http://[::1]:80/a.pem",
		"https:opaque.pem",
		"",
	} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := CheckSigningCertURL(raw)
		if err != nil {
			return
		}
		rest, ok := strings.CutPrefix(c, "https://sns.")
		if !ok {
			t.Fatalf("accepted %q as %q", raw, c)
		}
		host, _, _ := strings.Cut(rest, "/")
		if !strings.HasSuffix(host, ".amazonaws.com") && !strings.HasSuffix(host, ".amazonaws.com.cn") {
			t.Fatalf("accepted %q with host %q", raw, host)
		}
		if strings.ContainsAny(host, "@:[]%") || !strings.HasSuffix(c, ".pem") {
			t.Fatalf("accepted %q as %q", raw, c)
		}
		if c2, err := CheckSigningCertURL(c); err != nil || c2 != c {
			t.Fatalf("canonical %q not stable: %q, %v", c, c2, err)
		}
	})
}

// FuzzSNSVerify: Verify never panics on arbitrary field values, never
// fetches a refused URL, and never accepts a message the fixture key did not
// sign (any accepted message must equal a fixture in its signed fields).
func FuzzSNSVerify(f *testing.F) {
	certPEM := readFile(f, "sns-cert.pem")
	var fixtures []*SNSMessage
	for _, name := range snsFixtures {
		m := loadSNS(f, name)
		fixtures = append(fixtures, m)
		f.Add(m.Type, m.MessageID, m.Subject, m.Message, m.Timestamp, m.SignatureVersion, m.Signature, m.SigningCertURL, m.Token)
	}
	f.Fuzz(func(t *testing.T, typ, id, subject, message, ts, version, sig, certURL, token string) {
		v := NewSNSVerifier(func(u string) ([]byte, error) {
			if _, err := CheckSigningCertURL(u); err != nil {
				t.Fatalf("fetched refused URL %q", u)
			}
			return certPEM, nil
		})
		m := &SNSMessage{Type: typ, MessageID: id, TopicARN: fixtures[0].TopicARN, Subject: subject, Message: message,
			Timestamp: ts, SignatureVersion: version, Signature: sig, SigningCertURL: certURL, Token: token,
			SubscribeURL: fixtures[2].SubscribeURL}
		err := v.Verify(m)
		if err != nil {
			if !errors.Is(err, ErrSignature) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		got, _ := stringToSign(m)
		for _, fx := range fixtures {
			want, _ := stringToSign(fx)
			if string(got) == string(want) {
				return
			}
		}
		t.Fatalf("accepted a message no fixture signed: %+v", m)
	})
}
