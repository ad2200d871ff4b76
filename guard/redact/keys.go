package redact

import (
	"strings"
)

// The word lists below are sorted arrays searched with inSorted rather
// than maps: a map is built by code at package init, in every cold start,
// while a constant array is part of the binary (TestWordListsSorted keeps
// them sorted).

// exactWords mark a secret key when the key contains them as a whole word.
var exactWords = [...]string{
	"accesskey", "apikey", "auth", "authorization", "bearer", "clientsecret", "connectionstring",
	"cookie", "cookies", "credential", "credentials", "creds", "cvc", "cvv", "cvv2", "dsn", "jwt",
	"otp", "pass", "passcode", "passphrase", "passwd", "password", "pin", "privatekey", "pw", "pwd",
	"secret", "secretkey", "secrets", "sessid", "session", "sessionid", "sid", "sig", "signature",
	"ssn", "token", "totp",
}

func isExactWord(w []byte) bool { return inSorted(exactWords[:], w) }

// inSorted reports whether w is in the sorted list.
func inSorted[T ~string | ~[]byte](list []string, w T) bool {
	i, j := 0, len(list)
	for i < j {
		h := int(uint(i+j) >> 1)
		if list[h] < string(w) { // string(w) does not allocate in a comparison
			i = h + 1
		} else {
			j = h
		}
	}
	return i < len(list) && list[i] == string(w)
}

// strongWords mark a secret key wherever they appear inside a word.
var strongWords = [...]string{
	"password", "passwd", "passphrase", "privatekey", "secret", "sessionid", "sessid",
	"signature", "token", "apikey", "accesskey", "authorization", "credential", "cookie", "bearer",
}

// trigrams has a bit set for the first three letters of every word of the
// built-in rules (the first two for two-letter words such as "pw", stored
// with 'z'+1 as third letter). A key with no such run of consecutive letters
// cannot match, which lets IsSecretKey reject most keys in a few
// nanoseconds.
var trigrams = func() (t [(27*27*27)/64 + 1]uint64) {
	mark := func(w string) {
		c := 26
		if len(w) > 2 {
			c = int(w[2] - 'a')
		}
		i := (int(w[0]-'a')*27+int(w[1]-'a'))*27 + c
		t[i/64] |= 1 << (i % 64)
	}
	for _, w := range exactWords {
		mark(w)
	}
	for _, w := range strongWords {
		mark(w)
	}
	for _, p := range wordPairs {
		mark(p[0])
	}
	mark("key")
	return t
}()

func hasTrigram(a, b, c int) bool {
	i := (a*27+b)*27 + c
	return trigrams[i/64]&(1<<(i%64)) != 0
}

// mayBeSecret is the trigram pre-filter of the built-in rules.
func mayBeSecret(key string) bool {
	p1, p2 := -1, -1 // the two previous letters, 0 = 'a'
	for i := 0; i < len(key); i++ {
		c := key[i] | 0x20
		if c < 'a' || c > 'z' { // (x|0x20) is a lower-case letter only for ASCII letters
			if p1 >= 0 && p2 >= 0 && hasTrigram(p2, p1, 26) {
				return true
			}
			p1, p2 = -1, -1
			continue
		}
		l := int(c - 'a')
		if p1 >= 0 && p2 >= 0 && hasTrigram(p2, p1, l) {
			return true
		}
		p2, p1 = p1, l
	}
	return p1 >= 0 && p2 >= 0 && hasTrigram(p2, p1, 26)
}

// hasStrongWord reports whether a (lowercased) word contains a word that
// marks a secret key wherever it appears ("newpassword", "refreshtoken",
// "JSESSIONID"), benign words such as "secretary" and "tokenizer" excepted.
func hasStrongWord(w []byte) bool {
	if len(w) < 6 { // shorter words are covered by isExactWord
		return false
	}
	word := string(w) // does not escape: no allocation for short words
	for j := 0; j+5 <= len(word); j++ {
		rest := word[j:]
		var found bool
		switch rest[0] {
		case 'p':
			found = hasAnyPrefix(rest, "password", "passwd", "passphrase", "privatekey")
		case 's':
			found = hasAnyPrefix(rest, "secret", "sessionid", "sessid", "signature")
			if found && strings.HasPrefix(rest, "secretar") {
				found = false
			}
		case 't':
			found = strings.HasPrefix(rest, "token") && !strings.HasPrefix(rest, "tokeniz") && !strings.HasPrefix(rest, "tokenis")
		case 'a':
			found = hasAnyPrefix(rest, "apikey", "accesskey", "authorization")
		case 'c':
			found = hasAnyPrefix(rest, "credential", "cookie")
		case 'b':
			found = strings.HasPrefix(rest, "bearer")
		}
		if found {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// keyQualifiers make "<qualifier> key" a secret key (sorted).
var keyQualifiers = [...]string{
	"access", "account", "aes", "api", "auth", "client", "consumer", "encryption", "gpg", "hmac",
	"license", "master", "pgp", "private", "recovery", "secret", "service", "session", "shared",
	"signing", "ssh", "storage", "subscription", "webhook",
}

// wordPairs are secret as two consecutive words.
var wordPairs = [...][2]string{
	{"card", "number"}, {"card", "num"}, {"card", "no"}, {"credit", "card"},
	{"connection", "string"}, {"security", "code"},
}

const maxKeyWords = 32

// IsSecretKey reports whether values stored under key must be masked
// wholesale. See the package documentation for the rules. A nil Redactor
// uses the built-in patterns only.
func (r *Redactor) IsSecretKey(key string) bool {
	if len(key) == 0 {
		return false
	}
	if (r == nil || len(r.keyPats) == 0) && !mayBeSecret(key) {
		return false
	}
	var stack [128]byte
	var low []byte
	if len(key) <= len(stack) {
		low = stack[:len(key)]
	} else {
		low = make([]byte, len(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	if mayBeSecret(key) && builtinSecretKey(key, low) {
		return true
	}
	if r == nil {
		return false
	}
	for _, p := range r.keyPats {
		if p.glob {
			if globMatch(p.pat, low) {
				return true
			}
		} else if strings.Contains(string(low), p.pat) { // string(low) does not allocate here
			return true
		}
	}
	return false
}

// builtinSecretKey applies the built-in word rules. low is key lowercased.
func builtinSecretKey(key string, low []byte) bool {
	var words [maxKeyWords][2]int
	n := splitWords(key, words[:])
	for w := 0; w < n; w++ {
		word := low[words[w][0]:words[w][1]]
		if isExactWord(word) || hasStrongWord(word) {
			return true
		}
		if w+1 < n {
			next := low[words[w+1][0]:words[w+1][1]]
			if string(next) == "key" && inSorted(keyQualifiers[:], word) {
				return true
			}
			for _, p := range wordPairs {
				if string(word) == p[0] && string(next) == p[1] {
					return true
				}
			}
		}
	}
	return false
}

// splitWords splits key into alphanumeric words at punctuation and camelCase
// boundaries and stores their byte ranges in out; it returns how many it
// stored (at most len(out); later words are ignored).
func splitWords(key string, out [][2]int) int {
	n := 0
	start := -1
	for i := 0; i <= len(key); i++ {
		var c byte
		if i < len(key) {
			c = key[i]
		}
		alnum := i < len(key) && isAlnumByte(c)
		if start >= 0 && (!alnum || camelBoundary(key, i)) {
			if n == len(out) {
				return n
			}
			out[n] = [2]int{start, i}
			n++
			start = -1
		}
		if alnum && start < 0 {
			start = i
		}
	}
	return n
}

// camelBoundary reports whether a new word starts at key[i] (an alphanumeric
// byte) because of letter case: "userPassword" at 'P', "APIKey" at 'K'.
func camelBoundary(key string, i int) bool {
	if i == 0 || !isUpper(key[i]) {
		return false
	}
	prev := key[i-1]
	if isLower(prev) || isDigit(prev) {
		return true
	}
	return isUpper(prev) && i+1 < len(key) && isLower(key[i+1])
}

func isUpper(c byte) bool      { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool      { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isAlnumByte(c byte) bool  { return isUpper(c) || isLower(c) || isDigit(c) }
func hasFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// globMatch matches a lowercase glob ('*' any run, '?' one byte) against the
// whole of s in O(len(pat)*len(s)) worst case without allocating.
func globMatch(pat string, s []byte) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && (pat[p] == '?' || pat[p] == s[i]):
			p++
			i++
		case p < len(pat) && pat[p] == '*':
			starP, starI = p, i
			p++
		case starP >= 0:
			starI++
			p, i = starP+1, starI
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
