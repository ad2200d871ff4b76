package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mac is the test's own HMAC-SHA256, independent of computeMAC.
func mac(secret []byte, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

func macHex(secret []byte, payload string) string { return hex.EncodeToString(mac(secret, payload)) }

// checkErr asserts that err is nil when wantReason is "", and otherwise a
// *SignatureError of scheme whose Reason contains wantReason, and that the
// message leaks neither the secret nor the expected MAC.
func checkErr(t *testing.T, err error, scheme, wantReason string, secret []byte, expected string) {
	t.Helper()
	if wantReason == "" {
		if err != nil {
			t.Fatalf("want nil, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want error containing %q, got nil", wantReason)
	}
	if !errors.Is(err, ErrSignature) {
		t.Errorf("errors.Is(%v, ErrSignature) = false", err)
	}
	var se *SignatureError
	if !errors.As(err, &se) {
		t.Fatalf("want *SignatureError, got %T", err)
	}
	if se.Scheme != scheme {
		t.Errorf("Scheme = %q, want %q", se.Scheme, scheme)
	}
	if !strings.Contains(se.Reason, wantReason) {
		t.Errorf("Reason = %q, want it to contain %q", se.Reason, wantReason)
	}
	msg := err.Error()
	if len(secret) > 0 && strings.Contains(msg, string(secret)) {
		t.Errorf("error %q contains the secret", msg)
	}
	if expected != "" && strings.Contains(strings.ToLower(msg), strings.ToLower(expected)) {
		t.Errorf("error %q contains the expected MAC", msg)
	}
}

func TestGitHub(t *testing.T) {
	secret := []byte("It's a Secret to Everybody")
	body := []byte("Hello, World!")
	good := macHex(secret, string(body))
	tests := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		reason string // "" = valid
	}{
		{"valid", secret, body, "sha256=" + good, ""},
		{"valid upper-case hex", secret, body, "sha256=" + strings.ToUpper(good), ""},
		{"valid with surrounding spaces", secret, body, "  sha256=" + good + " ", ""},
		{"valid empty body", secret, nil, "sha256=" + macHex(secret, ""), ""},
		{"wrong secret", []byte("another secret"), body, "sha256=" + good, "signature mismatch"},
		{"tampered body", secret, []byte("Hello, World?"), "sha256=" + good, "signature mismatch"},
		{"missing header", secret, body, "", "missing header X-Hub-Signature-256"},
		{"no prefix", secret, body, good, "malformed header"},
		{"sha1 header", secret, body, "sha1=" + good[:40], "sha1 signatures are not accepted"},
		{"prefix upper case", secret, body, "SHA256=" + good, "malformed header"},
		{"short hex", secret, body, "sha256=" + good[:62], "malformed header"},
		{"long hex", secret, body, "sha256=" + good + "00", "malformed header"},
		{"non-hex digit", secret, body, "sha256=" + good[:63] + "g", "malformed header"},
		{"empty signature", secret, body, "sha256=", "malformed header"},
		{"no secret", nil, body, "sha256=" + good, "no secret configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := GitHub(tt.secret, tt.body, tt.header)
			checkErr(t, err, SchemeGitHub, tt.reason, tt.secret, good)
		})
	}
}

// TestGitHubDocumentedVector is the example from GitHub's documentation
// ("Validating webhook deliveries").
func TestGitHubDocumentedVector(t *testing.T) {
	err := GitHub([]byte("It's a Secret to Everybody"), []byte("Hello, World!"),
		"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
	if err != nil {
		t.Fatal(err)
	}
}

func stripeHeaderFor(secret []byte, ts int64, body string) string {
	t := strconv.FormatInt(ts, 10)
	return "t=" + t + ",v1=" + macHex(secret, t+"."+body)
}

func TestStripe(t *testing.T) {
	secret := []byte("whsec_test_secret")
	body := `{"id":"evt_1","type":"payment_intent.succeeded"}`
	now := time.Unix(1_700_000_000, 0)
	ts := now.Add(-30 * time.Second).Unix()
	tsStr := strconv.FormatInt(ts, 10)
	good := macHex(secret, tsStr+"."+body)
	other := macHex([]byte("whsec_old"), tsStr+"."+body)
	stale := now.Add(-(7*time.Minute + 12*time.Second)).Unix()
	future := now.Add(10 * time.Minute).Unix()
	many := "t=" + tsStr + strings.Repeat(",v1="+other, 16) + ",v1=" + good

	tests := []struct {
		name      string
		secret    []byte
		body      string
		header    string
		tolerance time.Duration
		reason    string
	}{
		{"valid", secret, body, "t=" + tsStr + ",v1=" + good, 0, ""},
		{"valid with v0 and unknown schemes", secret, body, "t=" + tsStr + ",v1=" + good + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,v9=xyz", 0, ""},
		{"valid v1 before t", secret, body, "v1=" + good + ",t=" + tsStr, 0, ""},
		{"valid spaces after commas", secret, body, "t=" + tsStr + ", v1=" + good, 0, ""},
		{"multiple v1, second matches", secret, body, "t=" + tsStr + ",v1=" + other + ",v1=" + good, 0, ""},
		{"multiple v1, first matches", secret, body, "t=" + tsStr + ",v1=" + good + ",v1=" + other, 0, ""},
		{"multiple v1, one malformed, one matches", secret, body, "t=" + tsStr + ",v1=zz,v1=" + good, 0, ""},
		{"multiple v1, none matches", secret, body, "t=" + tsStr + ",v1=" + other + ",v1=" + other, 0, "signature mismatch"},
		{"wrong secret", []byte("whsec_wrong"), body, "t=" + tsStr + ",v1=" + good, 0, "signature mismatch"},
		{"tampered body", secret, body + " ", "t=" + tsStr + ",v1=" + good, 0, "signature mismatch"},
		{"tampered timestamp", secret, body, "t=" + strconv.FormatInt(ts+1, 10) + ",v1=" + good, 0, "signature mismatch"},
		{"MAC of body without timestamp", secret, body, "t=" + tsStr + ",v1=" + macHex(secret, body), 0, "signature mismatch"},
		{"stale timestamp", secret, body, stripeHeaderFor(secret, stale, body), 0, "timestamp outside tolerance (age 7m12s > 5m0s)"},
		{"future timestamp", secret, body, stripeHeaderFor(secret, future, body), 0, "timestamp outside tolerance (10m0s in the future > 5m0s)"},
		{"stale but within custom tolerance", secret, body, stripeHeaderFor(secret, stale, body), 10 * time.Minute, ""},
		{"within tolerance but custom tolerance smaller", secret, body, "t=" + tsStr + ",v1=" + good, 10 * time.Second, "timestamp outside tolerance (age 30s > 10s)"},
		{"negative tolerance", secret, body, "t=" + tsStr + ",v1=" + good, -time.Second, "negative tolerance -1s"},
		{"missing header", secret, body, "", 0, "missing header Stripe-Signature"},
		{"blank header", secret, body, "   ", 0, "missing header Stripe-Signature"},
		{"missing t", secret, body, "v1=" + good, 0, "malformed header: missing timestamp t="},
		{"duplicate t", secret, body, "t=" + tsStr + ",t=" + tsStr + ",v1=" + good, 0, "malformed header: duplicate t"},
		{"t not a number", secret, body, "t=abc,v1=" + good, 0, "malformed header: t is not a unix timestamp"},
		{"t negative", secret, body, "t=-5,v1=" + good, 0, "malformed header: t is not a unix timestamp"},
		{"t empty", secret, body, "t=,v1=" + good, 0, "malformed header: t is not a unix timestamp"},
		{"t too long", secret, body, "t=1234567890123456789,v1=" + good, 0, "malformed header: t is not a unix timestamp"},
		{"only v0", secret, body, "t=" + tsStr + ",v0=" + good, 0, "no v1 signature in header"},
		{"v1 not hex", secret, body, "t=" + tsStr + ",v1=" + strings.Repeat("x", 64), 0, "malformed header: v1 is not 64 hex digits"},
		{"v1 short", secret, body, "t=" + tsStr + ",v1=" + good[:10], 0, "malformed header: v1 is not 64 hex digits"},
		{"element without =", secret, body, "t=" + tsStr + ",v1", 0, "malformed header"},
		{"empty element", secret, body, "t=" + tsStr + ",,v1=" + good, 0, "malformed header"},
		{"empty key", secret, body, "t=" + tsStr + ",=x,v1=" + good, 0, "malformed header"},
		{"too many v1", secret, body, many, 0, "malformed header: more than 16 v1 signatures"},
		{"no secret", nil, body, "t=" + tsStr + ",v1=" + good, 0, "no secret configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Stripe(tt.secret, []byte(tt.body), tt.header, tt.tolerance, now)
			checkErr(t, err, SchemeStripe, tt.reason, tt.secret, good)
		})
	}
}

func TestStripeZeroNowIsCurrentTime(t *testing.T) {
	secret := []byte("whsec_now")
	body := "{}"
	if err := Stripe(secret, []byte(body), stripeHeaderFor(secret, time.Now().Unix(), body), 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Unix()
	err := Stripe(secret, []byte(body), stripeHeaderFor(secret, old, body), 0, time.Time{})
	checkErr(t, err, SchemeStripe, "timestamp outside tolerance", secret, "")
}

func TestStripeToleranceBoundary(t *testing.T) {
	secret := []byte("whsec_b")
	now := time.Unix(1_700_000_000, 0)
	for _, tt := range []struct {
		name   string
		offset time.Duration
		ok     bool
	}{
		{"exactly tolerance old", -5 * time.Minute, true},
		{"exactly tolerance ahead", 5 * time.Minute, true},
		{"one second too old", -5*time.Minute - time.Second, false},
		{"one second too far ahead", 5*time.Minute + time.Second, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Stripe(secret, nil, stripeHeaderFor(secret, now.Add(tt.offset).Unix(), ""), 0, now)
			if (err == nil) != tt.ok {
				t.Fatalf("ok = %v, want %v (err %v)", err == nil, tt.ok, err)
			}
		})
	}
}

// bodyWithBase64Specials returns a body whose MAC's base64 spelling differs
// between the standard and URL alphabets, so both decoders are exercised.
func bodyWithBase64Specials(t *testing.T, secret []byte) string {
	t.Helper()
	for i := 0; i < 1000; i++ {
		b := "payload-" + strconv.Itoa(i)
		s := base64.StdEncoding.EncodeToString(mac(secret, b))
		if strings.ContainsAny(s, "+/") {
			return b
		}
	}
	t.Fatal("no body with + or / in its MAC")
	return ""
}

func TestGeneric(t *testing.T) {
	secret := []byte("generic-secret")
	body := bodyWithBase64Specials(t, secret)
	sum := mac(secret, body)
	h := hex.EncodeToString(sum)
	std := base64.StdEncoding.EncodeToString(sum)
	rawStd := base64.RawStdEncoding.EncodeToString(sum)
	urlEnc := base64.URLEncoding.EncodeToString(sum)
	rawURL := base64.RawURLEncoding.EncodeToString(sum)
	otherSum := mac(secret, body+"x")
	tests := []struct {
		name   string
		secret []byte
		body   string
		header string
		reason string
	}{
		{"hex", secret, body, h, ""},
		{"hex upper", secret, body, strings.ToUpper(h), ""},
		{"sha256= hex", secret, body, "sha256=" + h, ""},
		{"SHA256= hex", secret, body, "SHA256=" + h, ""},
		{"base64 std", secret, body, std, ""},
		{"base64 std raw", secret, body, rawStd, ""},
		{"base64 url", secret, body, urlEnc, ""},
		{"base64 url raw", secret, body, rawURL, ""},
		{"sha256= base64", secret, body, "sha256=" + std, ""},
		{"wrong secret", []byte("other"), body, h, "signature mismatch"},
		{"tampered body", secret, body + "!", h, "signature mismatch"},
		{"other MAC base64", secret, body, base64.StdEncoding.EncodeToString(otherSum), "signature mismatch"},
		{"missing", secret, body, "", "missing signature header"},
		{"short hex", secret, body, h[:60], "malformed header"},
		{"hex with junk", secret, body, h[:63] + "z", "malformed header"},
		{"base64 of 31 bytes", secret, body, base64.StdEncoding.EncodeToString(sum[:31]), "malformed header"},
		{"base64 mixed alphabets", secret, body, mixAlphabets(std), "malformed header"},
		{"base64 bad padding bits", secret, body, badPaddingBits(rawStd), "malformed header"},
		{"sha1 prefix", secret, body, "sha1=" + h, "malformed header"},
		{"no secret", nil, body, h, "no secret configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Generic(tt.secret, []byte(tt.body), tt.header)
			checkErr(t, err, SchemeGeneric, tt.reason, tt.secret, h)
		})
	}
}

// mixAlphabets puts a URL-alphabet character into a standard-alphabet
// string that has '+' or '/', making it valid in neither alphabet.
func mixAlphabets(std string) string {
	b := []byte(std)
	swapped := false
	for i, c := range b {
		if c == '+' || c == '/' {
			if !swapped {
				swapped = true
				continue // keep the first special from the standard alphabet
			}
		}
		if swapped && i < len(b)-1 && c != '=' {
			b[i] = '-'
			break
		}
	}
	return string(b)
}

// badPaddingBits flips the unused low bits of the last character of an
// unpadded base64 string of 32 bytes (43 characters carry 258 bits).
func badPaddingBits(raw string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	last := strings.IndexByte(alphabet, raw[len(raw)-1])
	return raw[:len(raw)-1] + string(alphabet[last^1])
}
