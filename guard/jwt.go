package guard

import "strings"

// JSON Web Tokens (RFC 7519) in the JWS compact serialisation (RFC 7515
// §7.1): BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
// The header and the claims are JSON objects a client writes: fnguard does
// not verify the signature (the function or its authorizer does, after
// fnguard), so what they hold is judged as any nested JSON document is,
// at "<jwt>" (the claims) and "<jwt-header>" (kid, jku, x5u: the header
// members that name a key file or a URL are the classic injections into
// the code that finds the key).

// minJWT is the length of the shortest token judged: a header of
// {"alg":"none"} (eyJhbGciOiJub25lIn0) and a non-empty payload.
const minJWT = 24

// jwtMaybe reports a string that may be a token by its first bytes: the
// token alone, or after the "Bearer " scheme of an Authorization header
// (RFC 6750). A JSON object's base64url starts "eyJ" ('{"'), and a token
// has a '.' (jwtSegments needs two): base64 of a JSON document ("eyJ..."
// alone) is none, and costs a vectorised search, not jwtSegments' pass.
func jwtMaybe(v string) bool {
	if len(v) < minJWT {
		return false
	}
	if v[0] == 'e' {
		return v[1] == 'y' && v[2] == 'J' && strings.IndexByte(v, '.') > 0
	}
	return (v[0] == 'B' || v[0] == 'b') && len(v) >= minJWT+7 && strings.EqualFold(v[:7], "bearer ") && v[7:10] == "eyJ" && strings.IndexByte(v, '.') > 0
}

// jwtSegments returns the header and payload segments of the token v is
// (alone or after "Bearer "): three segments of the base64url alphabet
// joined by '.', the first two of at least four characters starting "eyJ",
// the third (the signature) possibly empty (alg "none"), nothing after but
// blanks. Encrypted tokens (JWE, five segments) are not read.
func jwtSegments(v string) (hdr, pay string, ok bool) {
	if v[0] != 'e' {
		v = strings.TrimLeft(v[7:], " ")
	}
	v = strings.TrimRight(v, " \t")
	// the two dots found vectorised, the segments' bytes read eight at a
	// time (a Cognito token has a kilobyte of them)
	i := strings.IndexByte(v, '.')
	if i < 0 {
		return "", "", false
	}
	j := strings.IndexByte(v[i+1:], '.')
	if j < 0 {
		return "", "", false
	}
	j += i + 1
	hdr, pay = v[:i], v[i+1:j]
	if len(hdr) < 4 || len(pay) < 4 || !strings.HasPrefix(hdr, "eyJ") || !strings.HasPrefix(pay, "eyJ") ||
		!b64urlAll(hdr) || !b64urlAll(pay) || !b64urlAll(v[j+1:]) {
		return "", "", false
	}
	return hdr, pay, true
}

// b64urlAll reports a string of the base64url alphabet (RFC 4648 §5), no
// '.' (TestB64urlAll).
func b64urlAll(s string) bool {
	var c uint8
	for len(s) >= 8 {
		c |= notB64url[s[0]] | notB64url[s[1]] | notB64url[s[2]] | notB64url[s[3]] | notB64url[s[4]] | notB64url[s[5]] | notB64url[s[6]] | notB64url[s[7]]
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		c |= notB64url[s[i]]
	}
	return c == 0
}

// notB64url is 1 for the bytes outside the base64url alphabet.
var notB64url = func() (t [256]uint8) {
	for c := range t {
		if !b64urlChar(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// b64urlChar reports a byte of the base64url alphabet (RFC 4648 §5).
func b64urlChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// jwtText judges the header and the claims of the token v is, each where
// it decodes to a JSON document, and reports whether it was one. The
// caller checked jwtMaybe and s.nest < maxNest.
func (s *scanner) jwtText(v string, loc func([]byte) []byte) bool {
	hdr, pay, ok := jwtSegments(v)
	if !ok {
		return false
	}
	sc := b64Bufs.Get().(*b64Scratch)
	defer sc.release()
	judged := false
	for _, part := range [2]struct{ seg, at string }{{pay, "<jwt>"}, {hdr, "<jwt-header>"}} {
		dec, _, ok := appendB64(sc.dec[:0], part.seg)
		sc.dec = dec
		if !ok || !looksJSON(dec) {
			continue
		}
		sc.loc = s.appendRelLoc(sc.loc[:0], loc, part.at)
		prev := s.enterSent(v)
		s.nest++
		if s.walkValidJSON(bytesToString(sc.loc), dec) {
			judged = true
		}
		s.nest--
		s.sent = prev
	}
	return judged
}

// credLead is the first test of credMaybe, asked in judgeString's paths
// before the call: long enough, and starting as a token ('e' of "eyJ") or
// a scheme ('b' of "Bearer", "Basic") does.
func credLead(v string) bool {
	return len(v) >= minJWT && (v[0] == 'e' || v[0]|0x20 == 'b')
}

// credMaybe reports a string judgeString reads as a credential (jwtText,
// basicUser) by its first bytes.
func credMaybe(v string) bool { return jwtMaybe(v) || basicMaybe(v) }

// basicMaybe reports an Authorization value of the Basic scheme (RFC
// 7617): "Basic " and base64 of user-id ':' password.
func basicMaybe(v string) bool {
	return len(v) >= len("Basic ")+8 && strings.EqualFold(v[:6], "basic ")
}

// basicUser judges the user-id of a Basic credential (the part a function
// looks up, as it does a login form's user name; the password is not
// judged: any character is valid in one, and it is compared, never used
// as data) at "<basic-user>", and reports whether v was one.
func (s *scanner) basicUser(v string, loc func([]byte) []byte) bool {
	cred := strings.Trim(v[6:], " ")
	if len(cred) < 8 || !looksBase64(cred) {
		return false
	}
	sc := b64Bufs.Get().(*b64Scratch)
	defer sc.release()
	dec, _, ok := appendB64(sc.dec[:0], cred)
	sc.dec = dec
	if !ok || !printableText(dec) {
		return false
	}
	k := strings.IndexByte(bytesToString(dec), ':')
	if k <= 0 {
		return false
	}
	sc.loc = s.appendRelLoc(sc.loc[:0], loc, "<basic-user>")
	prev := s.enterSent(v)
	s.nest++
	s.str(bytesToString(dec[:k]), inValue, bytesToString(sc.loc), "", false)
	s.nest--
	s.sent = prev
	return true
}
