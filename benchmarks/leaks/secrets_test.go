package leaks

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// kind is one kind of secret, planted in text as plant (which contains
// secret, the part that must never be written anywhere).
type kind struct {
	name   string
	plant  string // text carrying the secret, e.g. "password=<secret>"
	secret string // what must not leak, in any case or encoding
	env    string // the environment variable holding it (the function's own credentials), "" for none
	name2  bool   // usable as a header name and a JSON key (a single token)
}

const (
	alnum    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperNum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	digits   = "0123456789"
	b64chars = alnum + "+/"
	urlsafe  = alnum + "-_"
)

// gen makes deterministic random strings.
type gen struct{ r *rand.Rand }

func (g gen) str(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// card returns a Luhn-valid card number of n digits starting with prefix.
func (g gen) card(prefix string, n int) string {
	d := prefix + g.str(digits, n-len(prefix)-1)
	for c := byte('0'); c <= '9'; c++ {
		if luhn(d + string(c)) {
			return d + string(c)
		}
	}
	panic("unreachable")
}

func luhn(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		v := int(s[i] - '0')
		if double {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// env holds the function's own credentials, set in the environment before
// the guards are built.
type envSecrets struct {
	accessKeyID, secretKey, sessionToken, dbPassword string
}

func secretKinds() ([]kind, envSecrets) {
	g := gen{rand.New(rand.NewPCG(14, 2026))}
	tok := func(name, secret string) kind { return kind{name: name, plant: secret, secret: secret, name2: true} }
	jwtPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"` + g.str(alnum, 12) + `","role":"admin","iat":1733400000}`))
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + jwtPayload + "." + g.str(urlsafe, 43)
	pemBody := g.str(b64chars, 64) + "\n" + g.str(b64chars, 64) + "\n" + g.str(b64chars, 24) + "=="
	pw := g.str(alnum, 6) + "!" + g.str(alnum, 7)
	basic := base64.StdEncoding.EncodeToString([]byte("admin:" + g.str(alnum, 14)))
	bearer := g.str(alnum, 10) + "." + g.str(urlsafe, 14)
	cookie := g.str(alnum, 26)
	apiKey := g.str("0123456789abcdef", 32)
	mc := g.card("5", 16)
	e := envSecrets{
		accessKeyID:  "ASIA" + g.str(upperNum, 16),
		secretKey:    g.str(alnum, 18) + "/" + g.str(alnum, 11) + "+" + g.str(alnum, 9),
		sessionToken: "IQoJb3JpZ2luX2Vj" + g.str(b64chars, 180) + "==",
		dbPassword:   "tangerine-Marmot-51-" + g.str(alnum, 6),
	}
	ks := []kind{
		tok("aws_access_key_id", "AKIA"+g.str(upperNum, 16)),
		tok("aws_temporary_key_id", "ASIA"+g.str(upperNum, 16)),
		tok("aws_secret_key_shape", g.str(alnum, 20)+"/"+g.str(alnum, 10)+"+"+g.str(alnum, 8)),
		tok("google_api_key", "AIza"+g.str(urlsafe, 35)),
		tok("github_ghp", "ghp_"+g.str(alnum, 36)),
		tok("github_gho", "gho_"+g.str(alnum, 36)),
		tok("github_pat", "github_pat_"+g.str(alnum, 22)+"_"+g.str(alnum, 59)),
		tok("slack_xoxb", "xoxb-"+g.str(digits, 12)+"-"+g.str(digits, 13)+"-"+g.str(alnum, 24)),
		tok("slack_xoxp", "xoxp-"+g.str(digits, 12)+"-"+g.str(digits, 12)+"-"+g.str(digits, 13)+"-"+g.str("0123456789abcdef", 32)),
		tok("stripe_sk_live", "sk_live_"+g.str(alnum, 24)),
		tok("stripe_rk_live", "rk_live_"+g.str(alnum, 24)),
		tok("openai_key", "sk-proj-"+g.str(urlsafe, 48)),
		tok("npm_token", "npm_"+g.str(alnum, 36)),
		tok("gitlab_pat", "glpat-"+g.str(urlsafe, 20)),
		tok("jwt", jwt),
		tok("card_visa", g.card("4", 16)),
		tok("card_amex", g.card("37", 15)),
		{name: "card_grouped", plant: mc[:4] + " " + mc[4:8] + " " + mc[8:12] + " " + mc[12:], secret: mc[:4] + " " + mc[4:8] + " " + mc[8:12] + " " + mc[12:]},
		{name: "pem_private_key", plant: "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody + "\n-----END RSA PRIVATE KEY-----", secret: pemBody},
		{name: "password_by_key", plant: "password=" + pw, secret: pw},
		{name: "api_key_by_key", plant: `"api_key": "` + apiKey + `"`, secret: apiKey},
		{name: "bearer_token", plant: "Authorization: Bearer " + bearer, secret: bearer},
		{name: "basic_auth", plant: "Authorization: Basic " + basic, secret: basic},
		{name: "session_cookie", plant: "Cookie: sessionid=" + cookie, secret: cookie},
		{name: "url_password", plant: "postgres://app:" + pw + "x9@db.internal:5432/orders", secret: pw + "x9"},
		{name: "env_aws_access_key_id", plant: e.accessKeyID, secret: e.accessKeyID, env: "AWS_ACCESS_KEY_ID", name2: true},
		{name: "env_aws_secret_access_key", plant: e.secretKey, secret: e.secretKey, env: "AWS_SECRET_ACCESS_KEY", name2: true},
		{name: "env_aws_session_token", plant: e.sessionToken, secret: e.sessionToken, env: "AWS_SESSION_TOKEN", name2: true},
		{name: "env_db_password", plant: e.dbPassword, secret: e.dbPassword, env: "DB_PASSWORD", name2: true},
	}
	for i := range ks {
		if !strings.Contains(ks[i].plant, ks[i].secret) {
			panic(fmt.Sprintf("kind %s: plant does not carry its secret", ks[i].name))
		}
	}
	return ks, e
}
