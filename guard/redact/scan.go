package redact

import (
	"strings"
)

// Byte classes.
const (
	cUpper   uint16 = 1 << iota // A-Z
	cLower                      // a-z
	cDigit                      // 0-9
	cB64Sym                     // + /
	cWord                       // A-Z a-z 0-9 _ -   (token and base64url characters)
	cTok68                      // A-Z a-z 0-9 - . _ ~ + /   (RFC 7235 token68)
	cKey                        // A-Z a-z 0-9 _ - . $ @     (unquoted key characters)
	cValEnd                     // ends an unquoted value
	cSpecial                    // = : > -   (may start a key/value pair, a URL or a PEM block)

	cAlnum = cUpper | cLower | cDigit
	cB64   = cAlnum | cB64Sym
)

var class = func() (t [256]uint16) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= cUpper | cWord | cTok68 | cKey
		t[c+'a'-'A'] |= cLower | cWord | cTok68 | cKey
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= cDigit | cWord | cTok68 | cKey
	}
	t['+'] |= cB64Sym | cTok68
	t['/'] |= cB64Sym | cTok68
	t['_'] |= cWord | cTok68 | cKey
	t['-'] |= cWord | cTok68 | cKey | cSpecial
	t['.'] |= cTok68 | cKey
	t['~'] |= cTok68
	t['$'] |= cKey
	t['@'] |= cKey
	for _, c := range " \t\r\n\f\v&;,\"'}])<>" {
		t[c] |= cValEnd
	}
	t['='] |= cSpecial
	t[':'] |= cSpecial
	t['>'] |= cSpecial
	return t
}()

const (
	maxKeyLen      = 64  // longest key looked at before a separator
	maxURLLookhead = 256 // how far past a URL authority an '@' is looked for
	maxPEMHeader   = 64  // longest "-----BEGIN ... PRIVATE KEY-----" label
)

type span struct{ start, end int }

// scanner holds the string being scanned. Its detectors each look at one
// position and return the span to mask (empty when there is none) and where
// scanning resumes; collectBefore appends the spans to a caller-provided slice so
// that nothing escapes to the heap.
type scanner struct {
	r     *Redactor
	s     string
	fold  bool // recognise secrets whose letters were case-folded (see StringFold)
	creds bool // high-confidence credentials only (see Credentials)
}

// none is the empty span.
var none = span{}

func add(spans []span, sp span) []span {
	if sp.end > sp.start {
		spans = append(spans, sp)
	}
	return spans
}

// collectBefore appends to spans the byte ranges of s to mask, in one
// left-to-right pass plus one search per configured literal secret
// (limit len(s): all of them). A caller that reads only the spans starting
// before limit (an excerpt ending there) passes it: the pass stops at the first
// position at or after limit where no run of base64 characters is open and
// every span found so far has ended before it. What it returns, once
// merged, is what the whole pass (limit len(s)) returns merged, less spans that start at or
// after where it stopped, none of which touches one it returns: a span is
// found at or after the position where the pass finds it (a run where it
// began, a token where the pass stands, a key's value after its
// separator), and the literal secrets are searched up to the same point
// (the pass resumes when one of them ends past it).
//
// It also returns where it stopped: every span starting before that is
// in what it returns (len(s) when it read all of s).
func (sc scanner) collectBefore(spans []span, limit int) ([]span, int) {
	var at passState
	return sc.collectFrom(spans, limit, &at)
}

// passState is where collectBefore's pass stopped, to resume it
// (collectFrom): the position of the next byte, the class of the byte
// before as the pass reads it, the end of the spans found so far (all
// taken into account) and the literal secrets' searches. No run of base64
// characters is open where the pass stops.
type passState struct {
	i      int
	prev   uint16
	maxEnd int
	lits   litSearch
}

// collectFrom is collectBefore resumed where a pass stopped (at; the zero
// passState is the start), with the spans it returned, merged or not: it
// appends what the pass from the start with this limit would find more,
// and leaves in at where it stopped again. Resumed, the pass reads what it
// would read from the start, from the same state: where a pass stops
// only decides whether it goes on, and the literal secrets starting before
// a stop are appended at it (once, in any order: the spans are merged).
func (sc scanner) collectFrom(spans []span, limit int, at *passState) ([]span, int) {
	s := sc.s
	n := len(s)
	runStart := -1 // start of the current run of base64 characters
	prev := at.prev
	maxEnd := at.maxEnd // the end of the spans found so far
	i := at.i
	for i < n {
		// The bytes that call nothing, in a loop of their own (most of
		// a text: a word's letters after its first, blanks, quotes and
		// punctuation): what the byte-by-byte pass below does with them,
		// without its calls' saving of registers. It leaves at the first
		// byte that may call (a word's first letter or digit, a
		// special, '%', a long run of base64 characters ended, the
		// limit reached outside a run), which the pass below reads.
		for i < n {
			cl := class[s[i]]
			if cl&cSpecial != 0 || cl&cAlnum != 0 && prev&cWord == 0 || s[i] == '%' {
				break
			}
			if runStart < 0 {
				if i >= limit {
					break
				}
				if cl&cB64 != 0 {
					runStart = i
				}
			} else if cl&cB64 == 0 {
				if i-runStart >= minLongToken {
					break
				}
				runStart = -1
			}
			prev = cl
			i++
		}
		if i >= n {
			break
		}
		if i >= limit && runStart < 0 {
			for k := len(spans) - 1; k >= 0 && k >= at.lits.counted; k-- {
				maxEnd = max(maxEnd, spans[k].end)
			}
			at.lits.counted = len(spans)
			if maxEnd < i {
				spans = sc.literalsBefore(spans, &at.lits, i)
				for k := len(spans) - 1; k >= at.lits.counted; k-- {
					maxEnd = max(maxEnd, spans[k].end)
				}
				at.lits.counted = len(spans)
				if maxEnd < i {
					at.i, at.prev, at.maxEnd = i, prev, maxEnd
					return spans, i
				}
			}
			limit = maxEnd + 1
		}
		cl := class[s[i]]
		if sc.fold && s[i] == '%' && i+2 < n && isHexByte(s[i+1]) && isHexByte(s[i+2]) {
			// A percent-escape continues a run in folded text: an
			// escaped '/' or '+' does not split a secret.
			if runStart < 0 {
				runStart = i
			}
			i += 3
			prev = cB64
			continue
		}
		if cl&cB64 != 0 {
			if runStart < 0 {
				runStart = i
			}
		} else if runStart >= 0 {
			if i-runStart >= minLongToken {
				spans = add(spans, sc.run(s[runStart:i], runStart))
			}
			runStart = -1
		}
		// Tokens recognised by their first characters.
		if cl&cAlnum != 0 && prev&cWord == 0 {
			if sp := sc.wordStart(i); sp.end > sp.start {
				spans = append(spans, sp)
				runStart = -1
				i = sp.end
				prev = class[s[i-1]]
				continue
			}
		}
		if cl&cSpecial != 0 {
			sp, next := sc.special(i)
			spans = add(spans, sp)
			if next > i+1 {
				runStart = -1
				i = next - 1
				cl = class[s[i]]
			}
		}
		prev = cl
		i++
	}
	if runStart >= 0 && n-runStart >= minLongToken {
		spans = add(spans, sc.run(s[runStart:], runStart))
	}
	at.i = n
	return sc.literalsBefore(spans, &at.lits, n+1), n
}

// minLongToken is the shortest base64 run b64Run looks at.
const minLongToken = 32

// b64Run masks a run of base64 characters that looks like a random secret:
//
//   - exactly 40 characters with at least five upper- and five lower-case
//     letters and a digit or '+'/'/': the shape of an AWS secret access key;
//   - 32 characters or more, with a stretch of 24 or more between slashes (so
//     not a path), and the letter mix of random base64: at least a fifth
//     upper case, a fifth lower case and a digit, or at least three of each
//     case and two digits.
//
// Hex digests, camelCase identifiers, words and paths are left alone; about
// 0.5% of random 32-character tokens (those without digits) and far fewer
// longer ones escape these rules.
func b64Run(run string, at int) span {
	up, lo, dg := 0, 0, 0
	seg, longest := 0, 0
	for j := 0; j < len(run); j++ {
		c := run[j]
		switch {
		case isUpper(c):
			up++
		case isLower(c):
			lo++
		case isDigit(c):
			dg++
		}
		if c == '/' {
			seg = 0
		} else {
			seg++
			longest = max(longest, seg)
		}
	}
	n := len(run)
	if n == 40 && up >= 5 && lo >= 5 && up+lo < n {
		return span{at, at + n}
	}
	if longest >= 24 && ((5*up >= n && 5*lo >= n && dg >= 1) || (up >= 3 && lo >= 3 && dg >= 2)) {
		return span{at, at + n}
	}
	return none
}

// b64RunFolded is b64Run for text whose letters may have been case-folded
// (a lower-cased excerpt or header name), where the mix of cases is gone:
// 32 characters or more, not a path, with at least eight letters and four
// digits. Long lower-case hex ids are masked too: in a name or an excerpt
// they carry nothing a reader needs.
func b64RunFolded(run string, at int) span {
	if sp := b64Run(run, at); sp != none {
		return sp
	}
	letters, dg, seg, longest, n := 0, 0, 0, 0, 0
	for j := 0; j < len(run); j++ {
		c := run[j]
		n++
		if c == '%' && j+2 < len(run) && isHexByte(run[j+1]) && isHexByte(run[j+2]) {
			if run[j+1] == '2' && run[j+2]|0x20 == 'f' { // an escaped '/'
				c = '/'
			} else {
				c = '+'
			}
			j += 2
		}
		switch {
		case isUpper(c) || isLower(c):
			letters++
		case isDigit(c):
			dg++
		}
		if c == '/' {
			seg = 0
		} else {
			seg++
			longest = max(longest, seg)
		}
	}
	if longest >= 24 && letters >= 8 && dg >= 4 {
		return span{at, at + len(run)}
	}
	// An AWS secret access key, lower-cased: 40 base64 characters mixing
	// letters with digits or symbols.
	if n == 40 && letters >= 10 && letters < 40 {
		return span{at, at + len(run)}
	}
	return none
}

func isHexByte(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

func (sc scanner) run(run string, at int) span {
	if sc.creds {
		return none
	}
	if sc.fold {
		return b64RunFolded(run, at)
	}
	return b64Run(run, at)
}

// wordStart tries the detectors keyed by the first character of a word. It
// returns the span to mask; scanning resumes at its end.
func (sc scanner) wordStart(i int) span {
	c := sc.s[i]
	if sc.fold && isUpper(c) {
		c += 'a' - 'A'
	}
	switch c {
	case '2', '3', '4', '5', '6':
		return sc.card(i)
	case 'a':
		if !sc.fold {
			return none
		}
		if sp := sc.awsKeyID(i); sp != none {
			return sp
		}
		return sc.prefixToken(i)
	case 'A':
		if sp := sc.awsKeyID(i); sp != none {
			return sp
		}
		return sc.prefixToken(i)
	case 'e':
		if sc.creds {
			return none
		}
		return sc.jwt(i)
	case 'b', 'B', 't', 'T', 'N':
		if sc.creds {
			return none
		}
		return sc.authScheme(i)
	case 'n':
		if sp := sc.authScheme(i); sp != none && !sc.creds {
			return sp
		}
		return sc.prefixToken(i)
	case 'g', 'x', 's', 'r':
		return sc.prefixToken(i)
	}
	return none
}

// card masks 13 to 19 digits, optionally grouped by single spaces or dashes,
// that pass the Luhn check and start with a major industry identifier used
// by payment cards (2 to 6). Digit groups glued to letters, to other digit
// groups or to a decimal point are not cards.
func (sc scanner) card(i int) span {
	s := sc.s
	if i >= 2 && (s[i-1] == ' ' || s[i-1] == '.') && isDigit(s[i-2]) {
		return none
	}
	var digits [19]byte
	nd, k := 0, i
	for k < len(s) {
		c := s[k]
		if isDigit(c) {
			if nd == len(digits) {
				return none
			}
			digits[nd] = c - '0'
			nd++
			k++
			continue
		}
		if (c == ' ' || c == '-') && k+1 < len(s) && isDigit(s[k+1]) && isDigit(s[k-1]) {
			k++
			continue
		}
		break
	}
	if nd < 13 {
		return none
	}
	if k < len(s) && (class[s[k]]&cWord != 0 || (s[k] == '.' && k+1 < len(s) && isDigit(s[k+1]))) {
		return none
	}
	if !luhn(digits[:nd]) {
		return none
	}
	return span{i, k}
}

func luhn(d []byte) bool {
	sum := 0
	double := false
	for j := len(d) - 1; j >= 0; j-- {
		v := int(d[j])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// awsKeyID masks AWS access key ids: AKIA (long-term), ASIA (temporary),
// ABIA and ACCA followed by 16 upper-case letters or digits.
func (sc scanner) awsKeyID(i int) span {
	s := sc.s
	if len(s)-i < 20 {
		return none
	}
	switch p := s[i : i+4]; {
	case p == "AKIA", p == "ASIA", p == "ABIA", p == "ACCA":
	case sc.fold && (strings.EqualFold(p, "akia") || strings.EqualFold(p, "asia") || strings.EqualFold(p, "abia") || strings.EqualFold(p, "acca")):
	default:
		return none
	}
	for k := i + 4; k < i+20; k++ {
		if !isUpper(s[k]) && !isDigit(s[k]) && !(sc.fold && isLower(s[k])) {
			return none
		}
	}
	if i+20 < len(s) && isAlnumByte(s[i+20]) {
		return none
	}
	return span{i, i + 20}
}

type tokenPrefix struct {
	p   string
	min int // least number of token characters after the prefix
}

// tokenPrefixes are vendor token formats recognisable by their prefix,
// indexed by first byte (an array, not a map: no code runs at init).
var tokenPrefixes = [128][]tokenPrefix{
	'g': {{"ghp_", 30}, {"gho_", 30}, {"ghu_", 30}, {"ghs_", 30}, {"ghr_", 30}, {"github_pat_", 40}, // GitHub
		{"glpat-", 20}}, // GitLab
	'x': {{"xoxb-", 20}, {"xoxp-", 20}, {"xoxa-", 20}, {"xoxr-", 20}, {"xoxs-", 20}, {"xoxe-", 20}}, // Slack
	's': {{"sk_live_", 16}, {"sk_test_", 16}, // Stripe
		{"sk-", 32}}, // OpenAI, Anthropic
	'r': {{"rk_live_", 16}, {"rk_test_", 16}}, // Stripe restricted keys
	'n': {{"npm_", 30}},                       // npm
	'A': {{"AIza", 35}},                       // Google API keys
}

func (sc scanner) prefixToken(i int) span {
	s := sc.s
	if i+1 >= len(s) {
		return none
	}
	var list []tokenPrefix
	c, c1 := s[i], s[i+1]
	if sc.fold {
		c, c1 = lowerByte(c), lowerByte(c1)
		if c == 'a' && c1 == 'i' {
			c, c1 = 'A', 'I'
		}
	}
	switch {
	case c == 'g' && (c1 == 'h' || c1 == 'i' || c1 == 'l'),
		c == 'x' && c1 == 'o',
		c == 's' && (c1 == 'k'),
		c == 'r' && c1 == 'k',
		c == 'n' && c1 == 'p',
		c == 'A' && c1 == 'I':
		list = tokenPrefixes[c]
	default:
		return none
	}
	for _, tp := range list {
		if !strings.HasPrefix(s[i:], tp.p) && !(sc.fold && hasFold(s[i:], tp.p)) {
			continue
		}
		k := i + len(tp.p)
		for k < len(s) && class[s[k]]&cWord != 0 {
			k++
		}
		if k-i-len(tp.p) < tp.min {
			return none
		}
		return span{i, k}
	}
	return none
}

// jwt masks JSON Web Tokens (JWS and JWE compact serialisations): a
// base64url header starting with "eyJ" ({"), then one to four more
// dot-separated base64url segments.
func (sc scanner) jwt(i int) span {
	s := sc.s
	if !strings.HasPrefix(s[i:], "eyJ") && !(sc.fold && hasFold(s[i:], "eyJ")) {
		return none
	}
	k, segs := i, 0
	for {
		st := k
		for k < len(s) && class[s[k]]&cWord != 0 {
			k++
		}
		segs++
		if (segs == 1 && k-st < 10) || (segs == 2 && k-st < 2) {
			return none
		}
		if k < len(s) && s[k] == '.' && segs < 5 {
			k++
			continue
		}
		break
	}
	return span{i, k}
}

var authSchemes = [...]string{"bearer", "basic", "token", "negotiate", "ntlm"}

// authScheme masks the credential after an HTTP authentication scheme:
// "Bearer abc.def" becomes "Bearer [REDACTED]". The credential must look
// like one (8+ characters with a digit, a symbol or an inner capital), so
// that prose such as "basic authentication" is left alone.
func (sc scanner) authScheme(i int) span {
	s := sc.s
	k := schemeEnd(s, i)
	if k == i {
		return none
	}
	e := tok68End(s, k)
	if !looksLikeCredential(s[k:e]) {
		return none
	}
	return span{k, e}
}

// schemeEnd returns the index after "<scheme> " at i, or i.
func schemeEnd(s string, i int) int {
	if i >= len(s) {
		return i
	}
	c := s[i] | 0x20 // (a scheme's first letter, in either case, is only itself)
	if i+1 >= len(s) {
		return i
	}
	c1 := s[i+1] | 0x20 // (and so is its second: hasFold of an ASCII word is ASCII case)
	for _, w := range authSchemes {
		if w[0] != c || w[1] != c1 || !hasFold(s[i:], w) {
			continue
		}
		k := i + len(w)
		if k >= len(s) || (s[k] != ' ' && s[k] != '\t') {
			return i
		}
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		return k
	}
	return i
}

func tok68End(s string, k int) int {
	for k < len(s) && class[s[k]]&cTok68 != 0 {
		k++
	}
	for k < len(s) && s[k] == '=' {
		k++
	}
	return k
}

func looksLikeCredential(t string) bool {
	t = strings.TrimRight(t, "=")
	if len(t) < 8 {
		return false
	}
	for j := 0; j < len(t); j++ {
		c := t[j]
		if isDigit(c) || (j > 0 && isUpper(c)) || (class[c]&cTok68 != 0 && !isAlnumByte(c)) {
			return true
		}
	}
	return false
}

// special handles '-', ':', '=' and '>'. It returns the span to mask and
// where scanning resumes.
func (sc scanner) special(i int) (span, int) {
	s := sc.s
	switch s[i] {
	case '-':
		return sc.pem(i)
	case ':':
		if strings.HasPrefix(s[i:], "://") {
			return sc.urlCreds(i)
		}
	}
	if sc.creds {
		return none, i + 1
	}
	return sc.keyValue(i)
}

// pem masks the body of a PEM private key block, keeping the BEGIN and END
// lines readable. A block cut short (a truncated excerpt) is masked to the
// end of the string.
func (sc scanner) pem(i int) (span, int) {
	s := sc.s
	const begin = "-----BEGIN "
	if !strings.HasPrefix(s[i:], begin) {
		return none, i + 1
	}
	h := i + len(begin)
	lim := min(len(s), h+maxPEMHeader)
	e := strings.Index(s[h:lim], "-----")
	if e < 0 || !strings.Contains(s[h:h+e], "PRIVATE KEY") {
		return none, i + 1
	}
	body := h + e + len("-----")
	end := strings.Index(s[body:], "-----END")
	if end < 0 {
		end = len(s)
	} else {
		end += body
	}
	return span{body, end}, end
}

// urlCreds masks the password of scheme://user:password@host. i is at "://".
func (sc scanner) urlCreds(i int) (span, int) {
	s := sc.s
	a := i + 3
	k := a
	at := -1
	for k < len(s) && !urlAuthorityEnd(s[k]) {
		if s[k] == '@' {
			at = k
		}
		k++
	}
	if at >= 0 {
		if c := strings.IndexByte(s[a:at], ':'); c >= 0 {
			return span{a + c + 1, at}, at
		}
		return none, at
	}
	// No '@' before the first '/', '?' or '#': host[:port] unless the "port"
	// is not a number, in which case the password itself probably holds a
	// raw '/', '?' or '#': look a little further for the '@'.
	if a >= len(s) || s[a] == '[' {
		return none, a
	}
	c := strings.IndexByte(s[a:k], ':')
	if c < 0 || allDigits(s[a+c+1:k]) {
		return none, a
	}
	lim := min(len(s), k+maxURLLookhead)
	for m := k; m < lim; m++ {
		switch s[m] {
		case '@':
			return span{a + c + 1, m}, m
		case ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '`':
			return none, a
		}
	}
	return none, a
}

func urlAuthorityEnd(c byte) bool {
	switch c {
	case '/', '?', '#', ' ', '\t', '\r', '\n', '"', '\'', '<', '>', '\\', '`':
		return true
	}
	return false
}

func allDigits(s string) bool {
	for j := 0; j < len(s); j++ {
		if !isDigit(s[j]) {
			return false
		}
	}
	return true
}

// keyValue masks the value after a secret key: key=value, key: value,
// "key":"value", 'key': 'value', \"key\":\"value\" (JSON inside a JSON
// string) and <key>value</key>. i is at '=', ':' or '>'.
func (sc scanner) keyValue(i int) (span, int) {
	s := sc.s
	sep := s[i]
	ks, ke, ok := keyBefore(s, i, sep)
	if !ok || !sc.r.IsSecretKey(s[ks:ke]) {
		return none, i + 1
	}
	return sc.value(i+1, sep, s[ks:ke])
}

func keyBefore(s string, i int, sep byte) (int, int, bool) {
	if sep == '>' {
		k := i
		for k > 0 && i-k < maxKeyLen && class[s[k-1]]&cKey != 0 {
			k--
		}
		if k == i || k == 0 || s[k-1] != '<' {
			return 0, 0, false
		}
		return k, i, true
	}
	j := i
	for j > 0 && i-j < 16 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	if j == 0 {
		return 0, 0, false
	}
	if q := s[j-1]; q == '"' || q == '\'' {
		end := j - 1
		if end > 0 && s[end-1] == '\\' {
			end-- // \"key\"
		}
		k := end
		for k > 0 && end-k < maxKeyLen && s[k-1] != q && s[k-1] != '\n' {
			k--
		}
		if k == 0 || s[k-1] != q || k == end {
			return 0, 0, false
		}
		return k, end, true
	}
	k := j
	for k > 0 && j-k < maxKeyLen && class[s[k-1]]&cKey != 0 {
		k--
	}
	return k, j, k < j
}

// value finds the value of a secret key starting at p (just after sep).
func (sc scanner) value(p int, sep byte, key string) (span, int) {
	s := sc.s
	n := len(s)
	if sep == '=' && p < n && (s[p] == '=' || s[p] == '>') {
		p++ // == and =>
	}
	if sep == '>' {
		end := n
		if e := strings.IndexByte(s[p:], '<'); e >= 0 {
			end = p + e
		}
		return span{p, end}, max(end, p)
	}
	for p < n && (s[p] == ' ' || s[p] == '\t') {
		p++
	}
	if p >= n {
		return none, n
	}
	switch c := s[p]; {
	case c == '\\' && p+1 < n && s[p+1] == '"':
		st := p + 2
		e := strings.Index(s[st:], `\"`)
		if e < 0 {
			return span{st, n}, n
		}
		return span{st, st + e}, st + e + 2
	case c == '"':
		k := p + 1
		for k < n && s[k] != '"' {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		k = min(k, n)
		return span{p + 1, k}, min(k+1, n)
	case c == '\'':
		k := n
		if e := strings.IndexByte(s[p+1:], '\''); e >= 0 {
			k = p + 1 + e
		}
		return span{p + 1, k}, min(k+1, n)
	case c == '{' || c == '[':
		end := balanced(s, p)
		return span{p, end}, end
	}
	if containsFold(key, "cookie") {
		// A cookie header carries several name=value pairs: mask the line.
		k := p
		for k < n && s[k] != '\r' && s[k] != '\n' && s[k] != '"' {
			k++
		}
		return span{p, k}, k
	}
	if containsFold(key, "auth") {
		p = schemeEnd(s, p) // keep the scheme of "Authorization: Bearer xyz" readable
	}
	if strings.HasPrefix(s[p:], Mask) {
		return none, p + len(Mask) // already masked
	}
	k := p
	for k < n && class[s[k]]&cValEnd == 0 {
		k++
	}
	return span{p, k}, k
}

// containsFold reports whether s contains the lower-case ASCII word w,
// ignoring ASCII case, without allocating.
func containsFold(s, w string) bool {
	for j := 0; j+len(w) <= len(s); j++ {
		if hasFold(s[j:], w) {
			return true
		}
	}
	return false
}

// balanced returns the end of the JSON-ish object or array starting at p, or
// len(s) when it is not closed.
func balanced(s string, p int) int {
	depth := 0
	for k := p; k < len(s); k++ {
		switch s[k] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return k + 1
			}
		case '"':
			k++
			for k < len(s) && s[k] != '"' {
				if s[k] == '\\' {
					k++
				}
				k++
			}
		}
	}
	return len(s)
}

// litSearch is how far collectBefore's searches for the literal secrets
// have gone: off[k] is where the search for the k-th one resumes (past
// the occurrences appended), next[k] the start of an occurrence found but
// not appended yet (-1: none looked for; len(s)+1: no more).
type litSearch struct {
	off, next []int
	counted   int // spans whose ends collectBefore has taken into account
}

// literalsBefore appends the occurrences of the configured secrets, in any
// letter case, that start before limit and were not appended yet: a
// credential that was upper- or lower-cased on the way (an excerpt, a
// header name) is still that credential. With limit past the end of s it
// appends every occurrence.
func (sc scanner) literalsBefore(spans []span, ls *litSearch, limit int) []span {
	s := sc.s
	if len(sc.r.secrets) == 0 {
		return spans
	}
	if ls.off == nil && limit > len(s) {
		// every occurrence, none appended yet
		return literalSpans(spans, s, sc.r.secrets)
	}
	if ls.off == nil {
		ls.off = make([]int, len(sc.r.secrets))
		ls.next = make([]int, len(sc.r.secrets))
		for k := range ls.next {
			ls.next[k] = -1
		}
	}
	for k, v := range sc.r.secrets {
		for {
			if ls.next[k] < 0 {
				off, end := ls.off[k], limit+len(v)-1
				if end >= len(s) {
					ls.next[k] = len(s) + 1 // none (left)
					if off < len(s) {
						if j := indexFold(s[off:], v); j >= 0 {
							ls.next[k] = off + j
						}
					}
				} else {
					// searched only as far as an occurrence starting
					// before limit reaches: none there, the next
					// search resumes at limit
					j := -1
					if off < end {
						j = indexFold(s[off:end], v)
					}
					if j < 0 {
						ls.off[k] = max(off, limit)
						break
					}
					ls.next[k] = off + j
				}
			}
			j := ls.next[k]
			if j >= limit || j > len(s) {
				break
			}
			spans = append(spans, span{j, j + len(v)})
			ls.off[k], ls.next[k] = j+len(v), -1
		}
	}
	return spans
}

func lowerByte(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

// indexFold is strings.Index ignoring ASCII letter case.
func indexFold(s, v string) int {
	if len(v) == 0 {
		return 0
	}
	lo := lowerByte(v[0])
	up := lo
	if isLower(lo) {
		up = lo - ('a' - 'A')
	}
	// nextLo and nextUp are the next positions (absolute, -1: none) of
	// each case of the first byte, each found once per occurrence: looking
	// for the rarer case again from every candidate of the other would
	// rescan the rest of s each time (quadratic when it is absent).
	nextLo, nextUp := -2, -2
	for off := 0; off+len(v) <= len(s); {
		if nextLo != -1 && nextLo < off {
			if nextLo = strings.IndexByte(s[off:], lo); nextLo >= 0 {
				nextLo += off
			}
		}
		if up == lo {
			nextUp = -1
		} else if nextUp != -1 && nextUp < off {
			if nextUp = strings.IndexByte(s[off:], up); nextUp >= 0 {
				nextUp += off
			}
		}
		j := nextLo
		if nextUp >= 0 && (j < 0 || nextUp < j) {
			j = nextUp
		}
		if j < 0 || j+len(v) > len(s) {
			return -1
		}
		if strings.EqualFold(s[j:j+len(v)], v) {
			return j
		}
		off = j + 1
	}
	return -1
}
