package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// Signature schemes, as reported in SignatureError.Scheme.
const (
	SchemeGitHub  = "github"
	SchemeStripe  = "stripe"
	SchemeGeneric = "generic"
	SchemeSNS     = "sns"
)

// Header names of the webhook schemes (canonical form, for messages and for
// callers looking the header up).
const (
	HeaderGitHub = "X-Hub-Signature-256"
	HeaderStripe = "Stripe-Signature"
)

// DefaultTolerance is the largest accepted age of a Stripe signature
// timestamp when Stripe is given a zero tolerance.
const DefaultTolerance = 5 * time.Minute

// maxStripeV1 caps the number of v1 signatures accepted in one
// Stripe-Signature header. Stripe sends one, or two while a secret is rolled.
const maxStripeV1 = 16

const macSize = sha256.Size

// GitHub verifies a GitHub webhook: headerValue is the X-Hub-Signature-256
// header, "sha256=" followed by the hex HMAC-SHA256 of body keyed with the
// webhook secret. The comparison is constant-time.
func GitHub(secret, body []byte, headerValue string) error {
	if len(secret) == 0 {
		return sigErr(SchemeGitHub, "no secret configured")
	}
	v := strings.TrimSpace(headerValue)
	if v == "" {
		return sigErr(SchemeGitHub, "missing header "+HeaderGitHub)
	}
	hexSig, ok := strings.CutPrefix(v, "sha256=")
	if !ok {
		if strings.HasPrefix(v, "sha1=") {
			return sigErr(SchemeGitHub, "malformed header: sha1 signatures are not accepted, want sha256=<64 hex digits>")
		}
		return sigErr(SchemeGitHub, "malformed header: want sha256=<64 hex digits>")
	}
	var got [macSize]byte
	if !decodeHex(got[:], hexSig) {
		return sigErr(SchemeGitHub, "malformed header: want sha256=<64 hex digits>")
	}
	var want [macSize]byte
	computeMAC(want[:0], secret, "", body)
	if !hmac.Equal(got[:], want[:]) {
		return sigErr(SchemeGitHub, "signature mismatch")
	}
	return nil
}

// Stripe verifies a Stripe webhook. headerValue is the Stripe-Signature
// header, "t=<unix seconds>,v1=<hex>[,v1=<hex>...]" possibly with other
// schemes (v0=...) that are ignored. The signed payload is "<t>.<body>",
// keyed with the endpoint secret exactly as Stripe shows it ("whsec_...").
// Any matching v1 signature passes (Stripe sends two while a secret is being
// rolled). The timestamp must be within tolerance of now in either direction,
// which bounds replays; a zero tolerance means DefaultTolerance, a zero now
// means time.Now(). The signature is checked before the timestamp, so a
// "timestamp outside tolerance" error means an authentic but stale (or
// clock-skewed) request.
func Stripe(secret, body []byte, headerValue string, tolerance time.Duration, now time.Time) error {
	if len(secret) == 0 {
		return sigErr(SchemeStripe, "no secret configured")
	}
	if tolerance < 0 {
		return sigErr(SchemeStripe, "negative tolerance "+tolerance.String())
	}
	if tolerance == 0 {
		tolerance = DefaultTolerance
	}
	if now.IsZero() {
		now = time.Now()
	}
	var h stripeHeader
	if reason := h.parse(headerValue); reason != "" {
		return sigErr(SchemeStripe, reason)
	}
	var want [macSize]byte
	computeMAC(want[:0], secret, h.ts, body)
	matched := 0
	for i := 0; i < h.n; i++ {
		// Compare with every signature, without an early exit.
		if hmac.Equal(h.v1[i][:], want[:]) {
			matched++
		}
	}
	if matched == 0 {
		return sigErr(SchemeStripe, "signature mismatch")
	}
	age := now.Sub(time.Unix(h.t, 0))
	if age > tolerance || age < -tolerance {
		if tolerance >= time.Second {
			age = age.Truncate(time.Second)
		}
		if age < 0 {
			return sigErr(SchemeStripe, "timestamp outside tolerance ("+(-age).String()+" in the future > "+tolerance.String()+")")
		}
		return sigErr(SchemeStripe, "timestamp outside tolerance (age "+age.String()+" > "+tolerance.String()+")")
	}
	return nil
}

// stripeHeader is a parsed Stripe-Signature header.
type stripeHeader struct {
	ts string // the timestamp as sent: it is part of the signed payload
	t  int64
	n  int // number of v1 signatures
	v1 [maxStripeV1][macSize]byte
}

// parse fills h from the header value and returns "" or the reason it is
// malformed.
func (h *stripeHeader) parse(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return "missing header " + HeaderStripe
	}
	haveT, badV1 := false, 0
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		key, val, ok := strings.Cut(part, "=")
		if !ok || key == "" {
			return "malformed header: want t=<unix seconds>,v1=<hex>"
		}
		switch key {
		case "t":
			if haveT {
				return "malformed header: duplicate t"
			}
			t, ok := parseUnix(val)
			if !ok {
				return "malformed header: t is not a unix timestamp"
			}
			h.ts, h.t, haveT = val, t, true
		case "v1":
			if h.n == maxStripeV1 {
				return "malformed header: more than 16 v1 signatures"
			}
			if !decodeHex(h.v1[h.n][:], val) {
				badV1++
				continue
			}
			h.n++
		}
	}
	switch {
	case !haveT:
		return "malformed header: missing timestamp t="
	case h.n == 0 && badV1 > 0:
		return "malformed header: v1 is not 64 hex digits"
	case h.n == 0:
		return "no v1 signature in header (only scheme v1 is accepted)"
	}
	return ""
}

// parseUnix parses 1 to 18 decimal digits (no sign), which keeps every value
// far from overflow in time arithmetic.
func parseUnix(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var t int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		t = t*10 + int64(c-'0')
	}
	return t, true
}

// Generic verifies a webhook signed with the hex or base64 (standard or URL
// alphabet, padded or not) HMAC-SHA256 of body, optionally prefixed with
// "sha256=" (in any case). The comparison is constant-time.
func Generic(secret, body []byte, headerValue string) error {
	if len(secret) == 0 {
		return sigErr(SchemeGeneric, "no secret configured")
	}
	v := strings.TrimSpace(headerValue)
	if v == "" {
		return sigErr(SchemeGeneric, "missing signature header")
	}
	var got [macSize]byte
	if !decodeGeneric(got[:], v) {
		return sigErr(SchemeGeneric, "malformed header: want [sha256=]<64 hex digits or base64 of 32 bytes>")
	}
	var want [macSize]byte
	computeMAC(want[:0], secret, "", body)
	if !hmac.Equal(got[:], want[:]) {
		return sigErr(SchemeGeneric, "signature mismatch")
	}
	return nil
}

// decodeGeneric decodes a generic signature value into dst (macSize bytes).
func decodeGeneric(dst []byte, v string) bool {
	if len(v) >= 7 && strings.EqualFold(v[:7], "sha256=") {
		v = v[7:]
	}
	switch len(v) {
	case 2 * macSize:
		return decodeHex(dst, v)
	case 44: // padded base64 of 32 bytes
		return decodeBase64(dst, v, b64Std) || decodeBase64(dst, v, b64URL)
	case 43: // unpadded
		return decodeBase64(dst, v, b64RawStd) || decodeBase64(dst, v, b64RawURL)
	}
	return false
}

// Strict encodings: padding bits must be zero, so one MAC has exactly one
// accepted spelling per alphabet.
var (
	b64Std    = base64.StdEncoding.Strict()
	b64URL    = base64.URLEncoding.Strict()
	b64RawStd = base64.RawStdEncoding.Strict()
	b64RawURL = base64.RawURLEncoding.Strict()
)

func decodeBase64(dst []byte, v string, enc *base64.Encoding) bool {
	var buf [48]byte
	if enc.DecodedLen(len(v)) > len(buf) {
		return false
	}
	n, err := enc.Decode(buf[:], []byte(v))
	if err != nil || n != len(dst) {
		return false
	}
	copy(dst, buf[:n])
	return true
}

// decodeHex decodes exactly len(dst)*2 hex digits (either case) into dst.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, ok1 := fromHex(s[2*i])
		lo, ok2 := fromHex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// computeMAC appends HMAC-SHA256(secret, prefix[+"."]+body) to dst: with a
// non-empty prefix the signed payload is "<prefix>.<body>" (Stripe).
func computeMAC(dst, secret []byte, prefix string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	if prefix != "" {
		m.Write([]byte(prefix + "."))
	}
	m.Write(body)
	return m.Sum(dst)
}
