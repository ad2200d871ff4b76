package redact

import (
	"strings"
	"testing"
)

// fuzzSecretAlphabet limits fuzzed secrets to the characters real credentials
// use, so that a secret cannot be spelled by the mask itself.
func plausibleSecret(s string) bool {
	if len(s) < MinSecretLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&(cTok68|cWord) == 0 && s[i] != '=' {
			return false
		}
	}
	return true
}

func FuzzString(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	}
	for _, a := range attackFragments {
		f.Add(a, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==")
	}
	f.Add("x"+strings.Repeat("=", 3)+"password=s3cretvalue123", "s3cretvalue123")
	f.Fuzz(func(t *testing.T, in, secret string) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret}
			in = in + secret + in // make sure the secret is present
		}
		r, err := New(Config{Secrets: secrets, ExtraKeys: []string{"x-*-hash"}})
		if err != nil {
			t.Fatal(err)
		}
		out := r.String(in)
		if again := r.String(out); again != out {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n out2 %q", in, out, again)
		}
		if secrets != nil && strings.Contains(out, secret) {
			t.Fatalf("secret %q survived:\n in  %q\n out %q", secret, in, out)
		}
		// Credentials masks less than String, never more, and never lets
		// a configured secret through either.
		creds := r.Credentials(in)
		if out == in && creds != in {
			t.Fatalf("Credentials masks what String leaves:\n in  %q\n out %q", in, creds)
		}
		if secrets != nil && strings.Contains(creds, secret) {
			t.Fatalf("secret %q survived Credentials:\n in  %q\n out %q", secret, in, creds)
		}
		// A secret stored under a secret key is masked whatever it is.
		if secrets != nil {
			kv := r.String("password=" + secret + "&x=1")
			if strings.Contains(kv, secret) {
				t.Fatalf("password value %q survived: %q", secret, kv)
			}
		}
	})
}
