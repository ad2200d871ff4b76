package guard

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const (
	testSecretKey    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
	testDBPassword   = "correct horse battery"
	testSessionToken = "IQoJb3JpZ2luX2VjEOT//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleTokenValue+with/slashes=="
)

// leakEncodings are the ways a response can carry a credential without its
// plain text: hex, base64 (standard and URL alphabets) at each of the three
// byte alignments inside a longer encoded blob, URL encoding, and JSON
// escaping of every character.
func leakEncodings(secret string) map[string]string {
	out := map[string]string{
		"hex lower":         hex.EncodeToString([]byte("x" + secret + "y")),
		"hex upper":         strings.ToUpper(hex.EncodeToString([]byte(secret))),
		"url query":         url.QueryEscape("k=" + secret + "&z"),
		"url every byte":    percentAll(secret),
		"url every byte lc": strings.ToLower(percentAll(secret)),
		"json \\u escapes":  jsonUnicodeAll(secret),
	}
	for align := 0; align < 3; align++ {
		blob := append(bytes.Repeat([]byte{0xA5}, align), []byte(secret+"tail")...)
		out[fmt.Sprintf("base64 std align %d", align)] = base64.StdEncoding.EncodeToString(blob)
		out[fmt.Sprintf("base64 url align %d", align)] = base64.RawURLEncoding.EncodeToString(append([]byte("{\"k\":\""), blob...)[len("{\"k\":\"")-align:])
	}
	return out
}

func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func jsonUnicodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\u%04x`, s[i])
	}
	return b.String()
}

// TestResponseScanEncodedCredentials: FNGUARD_RESPONSE_SCAN=block catches
// the function's own credentials however the response encodes them, and
// scrub leaves no encoded copy behind (issue 19, item 7).
func TestResponseScanEncodedCredentials(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecretKey)
	t.Setenv("AWS_SESSION_TOKEN", testSessionToken)
	t.Setenv("DB_PASSWORD", testDBPassword)
	block, _ := newTestGuard(t, WithResponseScan(ResponseScanBlock))
	scrub, _ := newTestGuard(t, WithResponseScan(ResponseScanScrub))
	for _, secret := range []string{testSecretKey, testSessionToken, testDBPassword} {
		for name, enc := range leakEncodings(secret) {
			t.Run(secret[:8]+"/"+name, func(t *testing.T) {
				body := []byte(`{"status":"ok","debug":"` + enc + `"}`)
				if _, ok := block.ScanResponse(context.Background(), nil, body); ok {
					t.Fatalf("block mode let through %s: %s", name, body)
				}
				out, ok := scrub.ScanResponse(context.Background(), nil, body)
				if !ok {
					t.Fatal("scrub mode refused the response")
				}
				for _, form := range leakEncodings(secret) {
					if len(form) > 24 && strings.Contains(string(out), form[8:len(form)-8]) {
						t.Fatalf("scrubbed response still carries an encoded credential: %s", out)
					}
				}
			})
		}
	}
}

// TestResponseScanEncodedBenign: hex, URL, JSON and base64 encodings of data
// that is not a credential pass, and so do look-alikes that share a prefix
// with the credential.
func TestResponseScanEncodedBenign(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecretKey)
	t.Setenv("DB_PASSWORD", testDBPassword)
	g, _ := newTestGuard(t, WithResponseScan(ResponseScanBlock))
	benign := map[string]string{}
	for _, other := range []string{"a perfectly ordinary value", testDBPassword[:12] + " staple", "correct horse"} {
		for name, enc := range leakEncodings(other) {
			benign[other+"/"+name] = enc
		}
	}
	benign["sha256 list"] = strings.Repeat("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,", 200)
	for name, enc := range benign {
		t.Run(name, func(t *testing.T) {
			body := []byte(`{"data":"` + enc + `"}`)
			if out, ok := g.ScanResponse(context.Background(), nil, body); !ok || !bytes.Equal(out, body) {
				t.Fatalf("benign %s refused or changed", name)
			}
		})
	}
}

// BenchmarkScanResponse measures the response scan of a 256 KB JSON body
// without a leak, with the AWS credentials of a Lambda environment set (the
// encoded forms add one substring search each).
func BenchmarkScanResponse(b *testing.B) {
	b.Setenv("AWS_SECRET_ACCESS_KEY", testSecretKey)
	b.Setenv("AWS_SESSION_TOKEN", testSessionToken)
	b.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	g, _ := newTestGuard(b, WithResponseScan(ResponseScanBlock))
	body := ordinaryJSON(256 << 10)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := g.ScanResponse(context.Background(), nil, body); !ok {
			b.Fatal("clean body refused")
		}
	}
}

// FuzzLeakForms: for any credential and any response, the scrubbed response
// holds no encoded form of the credential, the spans found lie inside the
// response, and nothing panics.
func FuzzLeakForms(f *testing.F) {
	f.Add(testSecretKey, []byte(`{"k":"`+hex.EncodeToString([]byte(testSecretKey))+`"}`))
	f.Add(testDBPassword, []byte(base64.StdEncoding.EncodeToString([]byte("xy"+testDBPassword))))
	f.Add("0123456789", []byte(percentAll("0123456789")+jsonUnicodeAll("0123456789")))
	f.Fuzz(func(t *testing.T, secret string, body []byte) {
		lf := newLeakForms([]string{secret})
		s := string(body)
		spans := lf.find(s)
		for _, sp := range spans {
			if sp.start < 0 || sp.end > len(s) || sp.start >= sp.end {
				t.Fatalf("span %v outside a %d-byte response", sp, len(s))
			}
		}
		out := s
		if len(spans) > 0 {
			out = maskSpans(s, spans)
		}
		if lf == nil {
			return
		}
		for _, form := range lf.forms {
			if strings.Contains(out, form) {
				t.Fatalf("scrubbed response %q still holds the form %q", out, form)
			}
		}
	})
}
