package guard

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

// jwtOf makes an unsigned token (sig "" is alg none's empty signature).
func jwtOf(header, claims, sig string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + sig
}

func TestCredentialsJudged(t *testing.T) {
	g := Must(New())
	const hs = `{"alg":"HS256","typ":"JWT"}`
	const sig = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	cognito := jwtOf(`{"kid":"abcdefghijklmnopqrsexample=","alg":"RS256"}`,
		`{"sub":"aaaaaaaa-bbbb-cccc-dddd-example","cognito:groups":["admin"],"email_verified":true,"iss":"https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example","cognito:username":"janedoe","given_name":"Jane","family_name":"O'Brien","aud":"xxxxxxxxxxxxexample","event_id":"a5b1c3d2-example","token_use":"id","auth_time":1500009400,"exp":1500013000,"iat":1500009400,"email":"janedoe@example.com","name":"Jane O'Brien, Ph.D. <jane@example.com>"}`, sig)
	auth0 := jwtOf(hs, `{"iss":"https://example.auth0.com/","sub":"auth0|123","aud":["https://api.example.com","https://example.auth0.com/userinfo"],"scope":"openid profile email read:orders","azp":"abc","permissions":["read:orders","write:orders"]}`, sig)
	benign := []struct{ name, v string }{
		{"Cognito id token", "Bearer " + cognito},
		{"Auth0 access token", "Bearer " + auth0},
		{"token alone", auth0},
		{"alg none, empty signature", jwtOf(`{"alg":"none"}`, `{"sub":"42"}`, "")},
		{"not a token: eyJ text", "eyJ is how base64 of a JSON object starts"},
		{"opaque bearer token", "Bearer 2YotnFZFEjr1zCsicMWpAA"},
		{"four segments", "Bearer " + auth0 + ".x"},
		{"Basic: a password is not judged", "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:p@ss' or 1=1--"))},
		{"Basic: an e-mail address", "Basic " + base64.StdEncoding.EncodeToString([]byte("jane.doe@example.com:s3cret"))},
		{"Basic: O'Brien", "basic " + base64.StdEncoding.EncodeToString([]byte("O'Brien:x"))},
		{"text starting Basic", "Basic plan includes 5 seats"},
	}
	for _, tc := range benign {
		t.Run("benign "+tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{{Name: "authorization", Value: tc.v}} }))
			if d.Action != ActionAllow {
				t.Fatalf("benign token refused: %+v", d)
			}
		})
	}
	attacks := []struct {
		name, v, at string
		cat         Category
	}{
		{"SQL in a claim", "Bearer " + jwtOf(hs, `{"sub":"1","name":"' or 1=1--"}`, sig), "headers.authorization<jwt>", SQLi},
		{"script in a claim, alg none", jwtOf(`{"alg":"none"}`, `{"user":{"bio":"<script>alert(1)</script>"}}`, ""), "headers.authorization<jwt>", XSS},
		{"kid traversal", "Bearer " + jwtOf(`{"alg":"HS256","kid":"../../../../../../etc/passwd"}`, `{"sub":"1"}`, sig), "headers.authorization<jwt-header>", PathTraversal},
		{"short token, alg none", jwtOf(`{"alg":"none"}`, `{"a":"1 or 1=1--"}`, ""), "headers.authorization<jwt>", SQLi},
		{"Basic user-id", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin' or '1'='1:x")), "headers.authorization<basic-user>", SQLi},
		{"Basic user-id, LDAP", "Basic " + base64.StdEncoding.EncodeToString([]byte("*)(uid=*))(|(uid=*:pw")), "headers.authorization<basic-user>", LDAPi},
		{"jku to the metadata service", "bearer " + jwtOf(`{"alg":"RS256","jku":"http://169.254.169.254/latest/meta-data/iam/security-credentials/"}`, `{"sub":"1"}`, sig), "headers.authorization<jwt-header>", SSRF},
	}
	for _, tc := range attacks {
		t.Run("attack "+tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{{Name: "authorization", Value: tc.v}} }))
			if d.Action != ActionBlock {
				t.Fatalf("attack in a token not blocked: %+v", d)
			}
			var f *Finding
			for k := range d.Findings {
				if d.Findings[k].Category == tc.cat && strings.HasPrefix(d.Findings[k].Location, tc.at) {
					f = &d.Findings[k]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding at %s: %+v", tc.cat, tc.at, d.Findings)
			}
			if strings.Contains(f.Excerpt, tc.v[len(tc.v)-12:]) || strings.Contains(f.DecodedExcerpt, sig) || strings.Contains(f.DecodedExcerpt, ":x") || strings.Contains(f.DecodedExcerpt, ":pw") {
				t.Fatalf("the token reached the excerpt: %+v", f)
			}
		})
	}
	t.Run("a token in a cookie and a body field", func(t *testing.T) {
		tok := jwtOf(hs, `{"sub":"1","role":"admin'--"}`, sig)
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
			i.Cookies = []Param{{Name: "id_token", Value: tok}}
		}))
		if d.Action != ActionBlock {
			t.Fatalf("cookie: %+v", d)
		}
		d = g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/login", ContentType: "application/json",
			Body: []byte(`{"id_token":"` + tok + `"}`)})
		if d.Action != ActionBlock {
			t.Fatalf("body: %+v", d)
		}
	})
}

func FuzzJWTSegments(f *testing.F) {
	f.Add("Bearer " + jwtOf(`{"alg":"none"}`, `{"sub":"42"}`, ""))
	f.Add(jwtOf(`{"alg":"HS256"}`, `{"a":1}`, "sig"))
	f.Add("eyJhbGciOiJub25lIn0.eyJ.")
	f.Add("bearer eyJ....")
	f.Fuzz(func(t *testing.T, v string) {
		if !jwtMaybe(v) {
			return
		}
		hdr, pay, ok := jwtSegments(v)
		if rh, rp, rok := jwtSegmentsRef(v); rh != hdr || rp != pay || rok != ok {
			t.Fatalf("jwtSegments(%q) = %q, %q, %v; the byte loop's %q, %q, %v", v, hdr, pay, ok, rh, rp, rok)
		}
		if !ok {
			return
		}
		for _, s := range []string{hdr, pay} {
			if len(s) < 4 || !strings.HasPrefix(s, "eyJ") || !strings.Contains(v, s) {
				t.Fatalf("segment %q of %q", s, v)
			}
			for i := 0; i < len(s); i++ {
				if !b64urlChar(s[i]) {
					t.Fatalf("segment %q of %q has %q", s, v, s[i])
				}
			}
		}
	})
}

// jwtSegmentsRef is jwtSegments as a loop over every byte (FuzzJWTSegments
// compares them).
func jwtSegmentsRef(v string) (hdr, pay string, ok bool) {
	if v[0] != 'e' {
		v = strings.TrimLeft(v[7:], " ")
	}
	v = strings.TrimRight(v, " \t")
	var seg [3]string
	n, start := 0, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && b64urlChar(v[i]) {
			continue
		}
		if i < len(v) && v[i] != '.' || n == 3 {
			return "", "", false
		}
		seg[n] = v[start:i]
		n++
		start = i + 1
	}
	if n != 3 || len(seg[0]) < 4 || len(seg[1]) < 4 || !strings.HasPrefix(seg[0], "eyJ") || !strings.HasPrefix(seg[1], "eyJ") {
		return "", "", false
	}
	return seg[0], seg[1], true
}

// TestB64urlAll checks b64urlAll against b64urlChar on every byte at
// every place of strings up to 20 bytes.
func TestB64urlAll(t *testing.T) {
	for n := 0; n <= 20; n++ {
		base := strings.Repeat("aZ09-_", 4)[:n]
		if !b64urlAll(base) {
			t.Fatalf("b64urlAll(%q) = false", base)
		}
		for i := 0; i < n; i++ {
			for c := 0; c < 256; c++ {
				s := base[:i] + string([]byte{byte(c)}) + base[i+1:]
				if got, want := b64urlAll(s), b64urlChar(byte(c)); got != want {
					t.Fatalf("b64urlAll(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
}
