package verify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/fnguard/fnguard/guard/verify"
)

func ExampleGitHub() {
	secret := []byte("It's a Secret to Everybody")
	header := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

	fmt.Println(verify.GitHub(secret, []byte("Hello, World!"), header))

	err := verify.GitHub(secret, []byte("Hello, World?"), header)
	fmt.Println(err, errors.Is(err, verify.ErrSignature))

	fmt.Println(verify.GitHub(secret, []byte("Hello, World!"), ""))
	// Output:
	// <nil>
	// verify: github signature: signature mismatch true
	// verify: github signature: missing header X-Hub-Signature-256
}

func ExampleStripe() {
	secret := []byte("whsec_example")
	body := []byte(`{"id":"evt_1"}`)
	signedAt := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

	// What Stripe sends: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">.
	t := fmt.Sprint(signedAt.Unix())
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(t + "." + string(body)))
	header := "t=" + t + ",v1=" + hex.EncodeToString(m.Sum(nil))

	fmt.Println(verify.Stripe(secret, body, header, 0, signedAt.Add(time.Minute)))
	// The same request replayed later.
	fmt.Println(verify.Stripe(secret, body, header, 0, signedAt.Add(7*time.Minute+12*time.Second)))
	// Output:
	// <nil>
	// verify: stripe signature: timestamp outside tolerance (age 7m12s > 5m0s)
}

func ExampleSNSVerifier_Verify() {
	// A fetcher that serves the certificate from disk; nil would mean HTTPS.
	fetch := func(url string) ([]byte, error) {
		fmt.Println("fetching", url)
		return os.ReadFile("testdata/sns-cert.pem")
	}
	v := verify.NewSNSVerifier(fetch)

	data, err := os.ReadFile("testdata/sns-lambda-record-v2.json")
	if err != nil {
		panic(err)
	}
	var m verify.SNSMessage
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	fmt.Println(v.Verify(&m))

	m.Message = "tampered"
	fmt.Println(v.Verify(&m))

	m.SigningCertURL = "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem"
	err = v.Verify(&m)
	fmt.Println(errors.Is(err, verify.ErrCertURL))
	// Output:
	// fetching https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem
	// <nil>
	// verify: sns signature: signature mismatch
	// true
}
