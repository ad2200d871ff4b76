package detect

import (
	"encoding/binary"
	"errors"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Kind says what a scanned string is.
type Kind uint8

const (
	// Value is a value: a JSON string value, a query/header/cookie/path
	// value, a text body.
	Value Kind = iota
	// Key is a name: a JSON object key or a query/form parameter name
	// (e.g. "user[$ne]", "a[__proto__][x]").
	Key
)

// String returns "value" or "key".
func (k Kind) String() string {
	switch k {
	case Value:
		return "value"
	case Key:
		return "key"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Input describes where a scanned string came from.
type Input struct {
	Kind Kind
	// ParentKey is, for Kind==Key, the enclosing object's key ("" at top
	// level), so {"constructor":{"prototype":{}}} is caught at key
	// "prototype" with ParentKey "constructor".
	ParentKey string
	// XML marks s as a whole request body whose content type is XML: DTD
	// and XInclude checks then apply fully. XXE syntax (DOCTYPE/ENTITY
	// declarations) is detected in any string regardless.
	XML bool
}

// Match is one finding.
type Match struct {
	// Rule is a stable rule id such as "sqli.tautology", "cmdi.substitution"
	// or "ssrf.metadata"; user rules report their own ID.
	Rule     string
	Category Category
	// Fragment is the decoded/normalised substring that triggered, at most
	// MaxFragment bytes, cut on a UTF-8 boundary. It is attacker data:
	// redact/escape it before logging.
	Fragment string
}

// MaxFragment is the maximum length in bytes of Match.Fragment.
const MaxFragment = 64

// Rule is a user-supplied deny pattern (RE2 syntax) matched against the
// normalised string (see [Normalize]); it is compiled case-insensitively.
type Rule struct {
	ID       string
	Category Category
	Pattern  string
}

// Config configures New.
type Config struct {
	// Categories lists the enabled categories; nil or empty means all.
	Categories []Category
	// Rules are extra user deny rules, compiled in New. IDs must be unique
	// and a rule's category must be enabled. A built-in match of the same
	// category takes precedence over a user rule (one Match per category).
	Rules []Rule
}

// Detector scans strings for injection attacks. It is immutable and safe
// for concurrent use.
type Detector struct {
	enabled catSet
	rules   []userRule
}

type userRule struct {
	id   string
	cat  catIndex
	find func([]byte) []int // the compiled pattern's FindIndex
}

// maxRulePattern bounds a user pattern's length (RE2 programs grow with it).
const maxRulePattern = 4096

// New validates cfg and returns a Detector. Errors are [*CategoryError]
// (wrapping [ErrUnknownCategory]) or [*RuleError] (wrapping
// [ErrInvalidRule]) and name the offending field.
func New(cfg Config) (*Detector, error) {
	d, err := newDetector(cfg.Categories, "Config.Categories")
	if err != nil {
		return nil, err
	}
	if len(cfg.Rules) > 0 {
		d.rules = make([]userRule, 0, len(cfg.Rules))
	}
	seen := make(map[string]int, len(cfg.Rules))
	for i, r := range cfg.Rules {
		if r.ID == "" {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "ID", Err: errors.New("empty rule id")}
		}
		if j, dup := seen[r.ID]; dup {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "ID", Err: errors.New("duplicate of Config.Rules[" + strconv.Itoa(j) + "]")}
		}
		seen[r.ID] = i
		ci, ok := categoryIndex(r.Category)
		if !ok {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "Category", Err: &CategoryError{Value: string(r.Category)}}
		}
		if !d.enabled.has(ci) {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "Category", Err: errors.New("category " + strconv.Quote(string(r.Category)) + " is not enabled in Config.Categories")}
		}
		if r.Pattern == "" {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "Pattern", Err: errors.New("empty pattern")}
		}
		if len(r.Pattern) > maxRulePattern {
			return nil, &RuleError{Index: i, ID: r.ID, Field: "Pattern", Err: errors.New("pattern longer than " + strconv.Itoa(maxRulePattern) + " bytes")}
		}
		re, err := regexp.Compile("(?i:" + r.Pattern + ")")
		if err != nil {
			// Report the error for the pattern as written, not the wrapper.
			if _, perr := syntax.Parse(r.Pattern, syntax.Perl); perr != nil {
				err = perr
			}
			return nil, &RuleError{Index: i, ID: r.ID, Field: "Pattern", Err: err}
		}
		d.rules = append(d.rules, userRule{id: r.ID, cat: ci, find: re.FindIndex})
	}
	return d, nil
}

// NewBuiltin returns a Detector with the built-in rules of categories (all
// of them when none is given): New(Config{Categories: categories}) without
// user rules. Unlike New, it does not link the regexp engine that
// Config.Rules needs into the program (about 0.2 MiB and 90k instructions
// of package init); the engine (guard.New) uses it. Errors are
// [*CategoryError].
func NewBuiltin(categories ...Category) (*Detector, error) {
	return newDetector(categories, "categories")
}

func newDetector(categories []Category, field string) (*Detector, error) {
	d := &Detector{}
	if len(categories) == 0 {
		d.enabled = allCats
	}
	for i, c := range categories {
		ci, ok := categoryIndex(c)
		if !ok {
			return nil, &CategoryError{Field: field + "[" + strconv.Itoa(i) + "]", Value: string(c)}
		}
		d.enabled |= 1 << ci
	}
	return d, nil
}

// Enabled reports whether category c is enabled.
func (d *Detector) Enabled(c Category) bool {
	ci, ok := categoryIndex(c)
	return ok && d.enabled.has(ci)
}

// hit is a detector's verdict: a rule id and the triggering bytes.
type hit struct {
	rule string
	frag []byte
}

// catHit is a category's hit in scanSlow: the rule and its fragment
// copied (fragment), since the bytes may be the scratch buffer's, which
// the next detector reuses.
type catHit struct {
	rule, frag string
}

// Scan appends at most one Match per category for s (the most specific
// rule of that category) to dst and returns it. Strings without attack
// syntax cost one or two table-driven passes and do not allocate.
func (d *Detector) Scan(dst []Match, s string, in Input) []Match {
	dst, _ = d.ScanClasses(dst, s, in)
	return dst
}

// Classes sums up the bytes of a string (their byte classes, as Scan's
// pre-filter reads them), so that a caller may skip what it would look
// for in bytes the string has none of.
type Classes uint32

// outsideBase64 are the classes of bytes outside the base64 alphabets
// (standard and URL-safe), '=', ' ' and '%': every class but '%', '/',
// '=', '-', '+', upper-case letters, ' ', digits and '_' (lower-case
// letters have none).
const outsideBase64 = ^(kPct | kSlash | kEq | kDash | kPlus | kUpper | kSpace | kDigit | kUnder)

// OutsideBase64 reports whether the string has a byte that is neither in
// a base64 alphabet (standard or URL-safe) nor '=', ' ' or '%'
// (TestClassesOutsideBase64).
func (c Classes) OutsideBase64() bool { return uint32(c)&outsideBase64 != 0 }

// Base64Alphabet tells what looksBase64 (package guard) reads of a string
// whose bytes have the classes c: ok, every byte is a letter, a digit,
// '+', '/', '-', '_' or '='; then whether it has '+' or '/' (std), '-' or
// '_' (url), an upper-case letter, a digit, and a '=' (lower-case letters
// have no class: c does not tell them).
func (c Classes) Base64Alphabet() (ok, std, url, upper, digit, eq bool) {
	k := uint32(c)
	return k&^(kUpper|kDigit|kPlus|kSlash|kDash|kUnder|kEq) == 0, k&(kPlus|kSlash) != 0, k&(kDash|kUnder) != 0,
		k&kUpper != 0, k&kDigit != 0, k&kEq != 0
}

// ClassesOf returns the classes of the bytes of s, those ScanClasses
// returns with its matches.
func ClassesOf(s string) Classes { return Classes(classify(s)) }

// ScanClasses is Scan, and the classes of the bytes of s, which it reads
// to pick its detectors.
func (d *Detector) ScanClasses(dst []Match, s string, in Input) ([]Match, Classes) {
	if len(s) == 0 {
		return dst, 0
	}
	var cls uint32
	var sw sqlWords // for a string of 8 bytes or more
	if len(s) < 8 {
		for i := 0; i < len(s); i++ { // a short string: no call
			cls |= classTable[s[i]]
		}
		if (len(s) < len("union") && tinyPlain(s, cls) || cls&^(kUpper|kDigit) == 0 && !alnumHint(s, cls, 0)) &&
			(in.Kind == Value || in.Kind == Key) && !in.XML && len(d.rules) == 0 && !noGates {
			// "id", "qty", "v", "a1f": nothing to find (TestTinyPlain);
			// "1a2f", "item12": letters and digits that no hint of
			// boringHint flags are no bare host (9 bytes or a '.')
			// and no session cookie name (9 bytes or more), so that
			// scan would return at once (TestShortAlnum)
			return dst, Classes(cls)
		}
	} else if len(s) < 32 {
		cls = classify(s) // (the hints' own searches cost less on a short string)
		if cls&^b64Classes == 0 && cls&^kDigit != 0 {
			// a token of the base64 alphabet, not a word of lower-case
			// letters and digits
			if _, quiet := d.quietB64(s, in); quiet {
				return dst, Classes(cls)
			}
		}
	} else {
		if b64Lead(s) || s[0]|0x20 == 'b' && authScheme(s) > 0 {
			// (b64Quiet's pass, which makes the classes, instead of
			// classifyWords'; a token after an Authorization scheme too)
			if c, quiet := d.quietB64(s, in); quiet {
				return dst, Classes(c)
			}
		}
		cls, sw = classifyWords(s)
	}
	if cls&kPlus != 0 && utf7Hint(s) {
		// UTF-7 ("+ADw-script+AD4-"): what a UTF-7 reader sees is judged
		// too, after the string as sent (one Match per category).
		if v, ok := utf7View(s); ok {
			n := len(dst)
			dst = d.scan(dst, s, cls, sw, in)
			vcls, vsw := classifyWords(v)
			return mergeView(dst, n, d.scan(dst[len(dst):], v, vcls, vsw, in)), Classes(cls)
		}
	}
	return d.scan(dst, s, cls, sw, in), Classes(cls)
}

// quietB64 is b64Quiet for a value, judged by the built-in detectors
// alone (scan's fast paths), without the noGates hook.
func (d *Detector) quietB64(s string, in Input) (uint32, bool) {
	if in.Kind != Value || in.XML || len(d.rules) > 0 || noGates || noB64Quiet {
		return 0, false
	}
	return b64Quiet(s)
}

// b64Quiet reports a value of ten bytes or more made of the bytes of
// base64 and of tokens (letters, digits, '+', '/', '=', '-', '_' and '.':
// standard and URL-safe base64, a JSON Web Token's three dotted
// segments, opaque tokens and session ids), alone or after an
// Authorization scheme ("Bearer ", "Basic ": authScheme), that scan would
// find nothing in, whichever detectors are enabled, and when it does, the
// classes of its bytes. Such a value (a token, a key, base64 of anything)
// costs one pass instead of classifyWords, features and the hints of
// both. It holds when the gates scan reads open none and leave nothing to
// judge:
//
//   - gates opens none for the flags such bytes can have (fNumStart,
//     fDigit, fSlash, fEq, fEqEq, fPlus, fDash, fDot, fSpace) and the
//     keyword groups of its words (runs of letters, digits and '_', as
//     features splits them, and a digit-led word's part after its
//     number), the first word's telling firstCmd; not short (ten bytes,
//     no blank at either end);
//   - no "--" (fSQLComment), no "__" (fUnder2), no ".."
//     (fDotDot) and no "./" (fShellArg, fSlashDotSlash), no '-' after the
//     scheme's blank (fShellArg), which b64Quiet does not hand to gates;
//   - a "0x" (fHex0x) opens no gate but the path gate, which it opens
//     for hexNotationView alone: none is before a hex-notation pair
//     ("0x2e", "0x2f", "0x5c": zeroScan), so that detectPath's view is
//     the string itself, and the gate without fHex0x stays shut;
//   - no stream marker (zeroMarks and AAEAAAD: what deserMarker finds)
//     and no overflowing number (overflowValue), clsGates' tests for
//     these classes, and no gadget class root before a '.'
//     (javaClassHint). A '_' opens clsGates' deserialisation gate
//     whatever the string: of detectDeser's tests only the stream
//     markers and javaGadgetClass (javaClassHint's) read these bytes;
//   - nothing for the SSRF block: no bare host bareHostSSRF flags, no
//     metadata address (metadataIPText), no scheme-relative URL
//     ("//host");
//   - no UTF-7 view (utf7Viewed: it would be judged too), and not only
//     lower-case letters, digits and the blank (proseFeatures' words).
//
// FuzzB64Quiet and FuzzTokenQuiet compare it with the ungated scan (every
// detector judging the value) and with scan.
func b64Quiet(s string) (uint32, bool) {
	if len(s) <= 9 {
		return 0, false
	}
	marks, hex0x := zeroScan(s)
	if marks {
		// (first: the pass below would be wasted)
		return 0, false
	}
	var m uint32
	var ws b64Words
	i := 0
	if s[0]|0x20 == 'b' {
		if p := authScheme(s); p > 0 {
			// the scheme is the first word, its blank a separator; what
			// follows starts with no '-' (features' fShellArg: a blank,
			// '-' and a letter or '-'), no blank and no "//" (a
			// scheme-relative URL after it)
			if c := s[p]; c == '-' || c == ' ' || c == '/' && p+1 < len(s) && s[p+1] == '/' {
				return 0, false
			}
			for k := 0; k < p-1; k++ {
				m |= b64Tab[s[k]]
			}
			m |= kSpace
			ws.add(s[:p-1])
			i = p
		}
	}
	w0 := i // where the current word starts
	for i < len(s) {
		if i+8 <= len(s) {
			w := s[i : i+8]
			if c := b64Tab[w[0]] | b64Tab[w[1]] | b64Tab[w[2]] | b64Tab[w[3]] | b64Tab[w[4]] | b64Tab[w[5]] | b64Tab[w[6]] | b64Tab[w[7]]; c&(tokSep|kUnder|b64Out) == 0 {
				m |= c
				i += 8
				continue
			}
		}
		c := b64Tab[s[i]]
		m |= c
		if c&(tokSep|kUnder|b64Out) != 0 {
			if c&b64Out != 0 || c&(kDash|kUnder|kDot) != 0 && i+1 < len(s) && (s[i+1] == s[i] || c&kDot != 0 && s[i+1] == '/') {
				return 0, false // (or "--", "__", "..", "./": at once, a storm of "../" costs no pass)
			}
			if c&kUnder != 0 {
				i++ // (a word's byte)
				continue
			}
			if i > w0 {
				ws.add(s[w0:i])
			}
			w0 = i + 1
		}
		i++
	}
	if w0 < len(s) {
		ws.add(s[w0:])
	}
	kw, firstCmd := ws.kw, ws.firstCmd
	if m&^(kDigit|kSpace) == 0 ||
		m&kDot != 0 && (dotsJoined(s) || javaClassHint(s)) ||
		m&kUpper != 0 && strings.Contains(s, "AAEAAAD") ||
		s[0] == '/' && s[1] == '/' ||
		m&kDigit != 0 && overflowValue(s) {
		return 0, false
	}
	if kw != 0 || hex0x {
		// the flags features gives these bytes (with no keyword, none
		// of them but fHex0x opens a gate)
		f := feat(0)
		if c := s[0]; isDigit(c) || c == '-' || c == '+' || c == '.' {
			f |= fNumStart
		}
		if m&kDigit != 0 {
			f |= fDigit
		}
		if m&kSlash != 0 {
			f |= fSlash
		}
		if m&kEq != 0 {
			f |= fEq
			if strings.Contains(s, "==") {
				f |= fEqEq
			}
		}
		if m&kPlus != 0 {
			f |= fPlus
		}
		if m&kDash != 0 {
			f |= fDash
		}
		if m&kDot != 0 {
			f |= fDot
		}
		if m&kSpace != 0 {
			f |= fSpace
		}
		if gates(f, kw, firstCmd, false, false) != 0 {
			return 0, false
		}
		if hex0x && gates(f|fHex0x, kw, firstCmd, false, false)&^(1<<ciPath) != 0 {
			// a "0x" (fHex0x) may open the path gate (for
			// hexNotationView), and only that: detectPath reads no
			// fHex0x, and with no "0x2e", "0x2f" or "0x5c" its view is
			// the string itself, which the rest of the gate judged
			return 0, false
		}
	}
	if m&kDot != 0 && bareHostMaybe(s, m) && bareHostSSRF(s, m).rule != "" {
		// scan's SSRF block: a bare internal host (bareHostMaybe: 300
		// bytes at most, no blank); a metadata address in text
		// (metadataIPText) dotsJoined refused
		return 0, false
	}
	if m&kPlus != 0 && utf7Hint(s) && utf7Viewed(s) {
		return 0, false
	}
	return m, true
}

// authScheme returns the length of an Authorization scheme and its blank
// that s starts with ("Bearer ", "Basic ", in any case), or 0, when a
// token's first byte follows.
func authScheme(s string) int {
	switch {
	case len(s) > len("bearer ") && hasFoldAt(s, 0, "bearer "):
		return len("bearer ")
	case len(s) > len("basic ") && hasFoldAt(s, 0, "basic "):
		return len("basic ")
	}
	return 0
}

// dotsJoined reports a '.' followed by a '.' or a '/' in s (features'
// fDotDot, and fShellArg and fSlashDotSlash with a "./"), or one that
// starts a metadata address in text (metadataIPText: in b64Quiet's
// alphabet "169.254." or "100.100.100.200", whose first '.' follows
// "169" or "100").
func dotsJoined(s string) bool {
	for i := strings.IndexByte(s, '.'); i >= 0 && i+1 < len(s); {
		if c := s[i+1]; c == '.' || c == '/' ||
			i >= 3 && isDigit(s[i-1]) && (s[i-3:i] == "169" && strings.HasPrefix(s[i+1:], "254.") || s[i-3:i] == "100" && strings.HasPrefix(s[i+1:], "100.100.200")) {
			return true
		}
		j := strings.IndexByte(s[i+1:], '.')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// b64Lead reports a string whose first eight bytes are of b64Quiet's
// alphabet, not all lower-case letters and digits: b64Quiet may find it
// quiet. Most prose has a blank or punctuation among them, and words and
// names of lower-case letters and digits (which b64Quiet never finds
// quiet: scan reads them as prose) none of the other bytes; neither
// costs a call.
func b64Lead(s string) bool {
	c := b64Tab[s[0]] | b64Tab[s[1]] | b64Tab[s[2]] | b64Tab[s[3]] | b64Tab[s[4]] | b64Tab[s[5]] | b64Tab[s[6]] | b64Tab[s[7]]
	return c&b64Out == 0 && c&^kDigit != 0
}

// b64Words are the keyword groups of b64Quiet's words so far, and
// whether the first was a command (features' firstCmd).
type b64Words struct {
	kw       uint32
	firstCmd bool
	n        int // words so far
}

// add adds the groups of the word w.
//
//go:noinline
func (ws *b64Words) add(w string) {
	g, g0 := b64WordGroups(keywordIndex(), w)
	if ws.n == 0 && g0&(gCmdStrong|gCmdWeak) != 0 {
		ws.firstCmd = true // (features' words == 0)
	}
	ws.n++
	ws.kw |= g
}

// b64WordGroups returns the keyword groups features finds in a word of
// b64Quiet's: the word's own (g0, which tells firstCmd) and, when it
// starts with a digit, its part's after the number the SQL lexer reads
// (1e0union, 0x41select), or-ed into g.
func b64WordGroups(x *kwIndex, w string) (g, g0 uint32) {
	n := len(w)
	if n < len(x.possible) {
		g0 = wordGroups(x, w)
	}
	g = g0
	if isDigit(w[0]) {
		if k := numberEnd(w, 0, n); k < n && isLetter(w[k]|0x20) && n-k < len(x.possible) {
			g |= wordGroups(x, w[k:])
		}
	}
	return g, g0
}

// utf7Viewed reports whether utf7View finds a shift sequence to decode in
// s (it answers ok), without making the view (TestUTF7Viewed).
func utf7Viewed(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '+' || i+1 >= len(s) || s[i+1] != 'A' {
			continue
		}
		j := base64ModRun(s, i+1)
		var units [128]byte
		if _, ok := utf7Units(&units, s[i+1:j]); ok {
			return true
		}
		i = j - 1
	}
	return false
}

// zeroMarks reports a "0x" or "0X" in s, or a stream marker with a '0'
// (rO0AB, aced0005 in any case): with the search for AAEAAAD (upper-case
// letters), every string deserMarker flags (TestZeroMarks).
func zeroMarks(s string) bool {
	marks, hex0x := zeroScan(s)
	return marks || hex0x
}

// zeroScan reports in s a stream marker with a '0' (rO0AB, aced0005 in
// any case) or a "0x" before a hex-notation pair ("0x2e", "0x2f", "0x5c"
// in any case: hexNotationAt on the folded string), as marks, and any
// other "0x" or "0X" (features' fHex0x), as hex0x.
func zeroScan(s string) (marks, hex0x bool) {
	for i := strings.IndexByte(s, '0'); i >= 0 && i+1 < len(s); {
		if s[i+1]|0x20 == 'x' {
			if i+3 < len(s) && hexNotationByte(s[i+2], s[i+3]|0x20) != 0 {
				return true, true
			}
			hex0x = true
		} else if i >= 2 && i+3 <= len(s) && s[i-2:i+3] == "rO0AB" ||
			i >= 4 && i+4 <= len(s) && s[i:i+4] == "0005" && hasFoldAt(s, i-4, "aced") {
			return true, hex0x
		}
		j := strings.IndexByte(s[i+1:], '0')
		if j < 0 {
			return false, hex0x
		}
		i += 1 + j
	}
	return false, hex0x
}

// b64Tab is classTable for the bytes b64Quiet reads (letters, digits, '+',
// '/', '=', '-', '_', '.'), b64Out for any other.
var b64Tab = func() (t [256]uint32) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if isLetter(b|0x20) || isDigit(b) || b == '+' || b == '/' || b == '=' || b == '-' || b == '_' || b == '.' {
			t[c] = classTable[c]
		} else {
			t[c] = b64Out
		}
	}
	return t
}()

const (
	b64Out     = 1 << 31                      // a byte outside b64Quiet's alphabet (no class has this bit)
	b64Sep     = kPlus | kSlash | kEq | kDash // the bytes of base64 that end a word
	b64Classes = b64Sep | kUpper | kDigit     // the classes of base64's alphabet (lower-case letters have none)
	tokSep     = b64Sep | kDot                // the bytes of b64Tab that end a word ('_' is a word's, as in features)
)

// noB64Quiet makes ScanClasses skip b64Quiet (a test hook).
var noB64Quiet = false

// tinyPlain reports a string of at most four bytes (the caller checks
// the length) of letters, digits and spaces that does not start with a
// digit: no hint of boringHint holds for it (each needs five bytes or
// more, punctuation, or a number at the start, as sqlHint's "1div"), it is
// no bare host (bareHostMaybe) and no key check applies to it, so that
// scan would return at once. TestTinyPlain checks this.
func tinyPlain(s string, cls uint32) bool {
	return cls&^(kUpper|kSpace|kDigit) == 0 && (cls&kDigit == 0 || isLetter(s[0]|0x20))
}

// scan judges s of the classes cls; sw is classifyWords' search of s, or 0.
func (d *Detector) scan(dst []Match, s string, cls uint32, sw sqlWords, in Input) []Match {
	if noGates {
		// test hook: every enabled detector judges the string
		return d.scanSlow(dst, s, cls, in, 0, false, 0, 0)
	}
	if in.Kind == Key && !in.XML && len(d.rules) == 0 && cls&^(boringClasses|kDollar|kBracket) == 0 {
		// Most keys are plain names ("email", "items", "user_id"): only the
		// key checks apply.
		if cls&(kDollar|kBracket|kDot) != 0 || cls&kUnder != 0 && hasFoldAt(s, 0, "__") || boringHint(s, cls, sw) {
			return d.scanSlow(dst, s, cls, in, 0, false, 0, 0)
		}
		if d.enabled.has(ciSSRF) && bareHostMaybe(s, cls) {
			// a key that is a bare internal host name ("metadata?"),
			// judged as in a value (SSRF comes before the key checks'
			// categories)
			if h := bareHostSSRF(s, cls); h.rule != "" {
				dst = append(dst, Match{Rule: h.rule, Category: SSRF, Fragment: fragment(h.frag)})
			}
		}
		if len(s) != len("prototype") {
			// the key checks: an operator key starts with '$' (judged
			// above), a prototype key is "__proto__" or "prototype", a
			// session cookie's name (session.go) has its own lengths
			if d.enabled.has(ciSess) && in.ParentKey == "" && sessionKey(s) {
				dst = append(dst, Match{Rule: "session.id_param", Category: SessionFixation, Fragment: fragment(keyFrag(s))})
			}
			return dst
		}
		return d.appendKeyHits(dst, s, in)
	}
	if in.Kind != Value || in.XML || len(d.rules) > 0 {
		return d.scanSlow(dst, s, cls, in, 0, false, 0, 0)
	}
	if cls&^boringClasses == 0 && !boringHint(s, cls, sw) {
		// Only letters, digits, spaces and harmless punctuation: the one
		// attack such a string can carry is a bare internal host name.
		if d.enabled.has(ciSSRF) && bareHostMaybe(s, cls) {
			if h := bareHostSSRF(s, cls); h.rule != "" {
				dst = append(dst, Match{Rule: h.rule, Category: SSRF, Fragment: fragment(h.frag)})
			}
		}
		return dst
	}
	if cls&needsDecode != 0 && (cls&needsDecode != kAmp || ampDecodes(s)) {
		return d.scanSlow(dst, s, cls, in, 0, false, 0, 0)
	}
	if d.enabled == 1<<ciTool && cls&toolClasses == 0 {
		// Only attack-tool signatures to find (the monitor-mode
		// detector of a guard: scanner.detector), and none without the
		// punctuation they come with: no feature pass.
		return dst
	}
	// Nothing to decode: judge the raw string and leave early when no
	// detector can match.
	var f feat
	var kw uint32
	var firstCmd, prose bool
	var cmds proseCmds
	if cls&^(kSpace|kDigit|kAmp) == 0 {
		// words and " & " (XML text with "&amp;" decoded): read word by
		// word
		f, kw, firstCmd, prose = proseFeatures(s, keywordIndex(), &cmds)
	}
	if !prose {
		var ok bool
		if len(s) < featRunFrom && cls&^shortClasses == 0 {
			// words and plain punctuation: shortFeatures' loop
			f, kw, firstCmd, ok = shortFeatures(s, keywordIndex())
		}
		if !ok {
			f, kw, firstCmd = features(s, keywordIndex())
		}
	}
	// (shortText(s) without its call when no blank ends s)
	short := len(s) <= 8 || (isSpace(s[0]) || isSpace(s[len(s)-1])) && shortText(s)
	g := (gates(f, kw, firstCmd, false, short) | clsGates(s, cls, f)) & d.enabled
	if d.enabled.has(ciSSRF) && !g.has(ciSSRF) {
		// a bare internal host or a metadata address in text
		var h hit
		if bareHostMaybe(s, cls) { // (bareHostSSRF's first test, without its call)
			h = bareHostSSRF(s, cls)
		}
		if h.rule != "" {
			if g == 0 {
				return append(dst, Match{Rule: h.rule, Category: SSRF, Fragment: fragment(h.frag)})
			}
			g |= 1 << ciSSRF // detectSSRF finds it again, in category order
		} else if f&fDigit != 0 && f&(fDot|fColon) != 0 && metadataIPText(s) || f&fSlash != 0 && schemeRelLead(s) > 0 {
			g |= 1 << ciSSRF // (a scheme-relative URL: detectSSRF judges its host)
		}
	}
	if g == 0 && !noGates {
		return dst
	}
	if g&d.enabled == 1<<ciCmdI && (prose && cmds.proseClean(s) ||
		!prose && cls&^(kSpace|kDigit|kAmp) == 0 && proseAmpersands(unsafe.Slice(unsafe.StringData(s), len(s)))) {
		// Words joined by spaced ampersands ("text 5 & more") that only
		// the command-injection gate let through: scanSlow would judge
		// them as they are (nothing to decode or fold: st.n is s, its
		// classes cls) with detectCmdI alone, whose detectCmdIIn returns
		// codeInjection's verdict at once (proseAmpersands), nothing
		// for a value without '<', '=', '$', '(' or '[' (phpInjection),
		// and which judges no tab view (no control byte). No state,
		// no pool. (proseClean is proseAmpersands with the command
		// words' look-ups proseFeatures made.)
		return dst
	}
	return d.scanSlow(dst, s, cls, in, g, true, f, kw)
}

// scanSlow normalises s into pooled scratch space and runs the detectors
// selected by g (computed here unless haveGates).
func (d *Detector) scanSlow(dst []Match, s string, cls uint32, in Input, g catSet, haveGates bool, f feat, kw uint32) []Match {
	st := statePool.Get().(*state)
	if freshStates {
		st = new(state)
	}
	// with haveGates scan found nothing to decode in s (its gates are the
	// raw string's); otherwise a string with ampersands is normalised
	// (scan sends here those with a reference: no second ampDecodes), and
	// one whose only such bytes are control bytes (a log line's tabs) is
	// not unless one is a NUL (ctlPlain)
	st.prepareAs(s, cls, in, haveGates || cls&needsDecode == 0 || ctlPlain(s, cls))
	if !haveGates {
		var firstCmd bool
		f, kw, firstCmd = features(bufString(st.n), keywordIndex())
		g = gates(f, kw, firstCmd, st.decoded, shortText(s) || shortText(bufString(st.n)))
		if in.XML {
			g |= 1 << ciXXE
		}
		g |= clsGates(st.raw, st.rawCls|st.cls, ^feat(0))
		if st.decoded && st.cls&kDigit != 0 && overflowValue(bufString(st.n)) {
			g |= 1 << ciSQLi // a decoded number at a type's edge ("%2D2147483649")
		}
		if st.decoded && st.cls&kDigit != 0 && deserMarker(bufString(st.n), st.cls) {
			g |= 1 << ciDeser // a hex stream marker spelled with escapes or full-width digits
		}
		if st.decoded && st.cls&kDot != 0 && javaClassHint(bufString(st.n)) {
			g |= 1 << ciDeser // a gadget class name spelled with escapes
		}
		if st.decoded && ognlHint(bufString(st.n), st.cls) {
			g |= 1 << ciSSTI // "%40ognl."
		}
		if st.cls&kHigh != 0 && (indexByte(st.n, 0x8a) >= 0 || indexByte(st.n, 0x8d) >= 0) {
			g |= 1 << ciCRLF // a character read as a line break (lowBreak: "嘊嘍")
		}
		if st.cls&kHigh != 0 && indexFrom(st.n, "\u00bc", 0) >= 0 {
			g |= 1 << ciXSS // '¼' read as '<' by a US-ASCII page (asciiHighTags)
		}
		if st.rawCls&kHigh != 0 && kw&gPath != 0 {
			g |= 1 << ciPath // a byte >= 0x80 may separate path words ("etc\xb4passwd")
		}
		if f&(fSpace|fDot|fColon|fBracket) != fSpace || f&(fDigit|fDot) == fDigit|fDot || f&fSlash != 0 && schemeRelLead(st.n) > 0 {
			g |= 1 << ciSSRF // detectSSRF also judges bare hosts and metadata text
		}
	}
	st.f, st.kw = f, kw
	if in.Kind == Key || len(d.rules) > 0 {
		dst = d.scanHits(dst, st, s, in, g)
	} else {
		// a value and no custom rule: each detector's hit appended as
		// found, in category order (appendHits' order), with no array of
		// hits to zero a call
		if noGates {
			g = d.enabled
		}
		g &= d.enabled
		st.g = g
		for ci := catIndex(0); ci < numCategories; ci++ {
			if !g.has(ci) {
				continue
			}
			if h := detectors[ci](st); h.rule != "" {
				// copy the fragment now: it may point into the scratch
				// buffer, which the next detector reuses
				dst = append(dst, Match{Rule: h.rule, Category: allCategories[ci], Fragment: fragment(h.frag)})
			}
		}
	}
	st.release()
	return dst
}

// scanHits is scanSlow's detector pass for a key (its key checks first)
// or with custom rules (each for a category no detector matched): the
// hits by category, then appended in category order.
func (d *Detector) scanHits(dst []Match, st *state, s string, in Input, g catSet) []Match {
	var res [numCategories]catHit
	var found catSet
	if in.Kind == Key {
		found = d.scanKey(&res, s, in)
	}
	todo := d.enabled &^ found
	g &= todo
	if noGates {
		g = todo
	}
	for ci := catIndex(0); ci < numCategories; ci++ {
		if !g.has(ci) {
			continue
		}
		if h := detectors[ci](st); h.rule != "" {
			// copy the fragment now: it may point into the scratch
			// buffer, which the next detector reuses
			res[ci] = catHit{h.rule, fragment(h.frag)}
			found |= 1 << ci
		}
	}
	for i := range d.rules {
		r := &d.rules[i]
		if found.has(r.cat) {
			continue
		}
		if loc := r.find(st.n); loc != nil {
			res[r.cat] = catHit{r.id, fragment(st.n[loc[0]:loc[1]])}
			found |= 1 << r.cat
		}
	}
	if found != 0 {
		dst = appendHits(dst, &res, found)
	}
	return dst
}

// noGates disables the byte-class pre-filter, the key fast path and the
// feature gates: every enabled detector judges every string. Tests compare
// gated and ungated scans (the gates may only skip work, never change a
// verdict). It is never set outside tests.
var noGates = false

// freshStates makes every scan start from a new state, as when the pool
// was emptied (a GC, the race detector dropping pooled items): a verdict
// must not depend on what an earlier scan left in the buffers. It is never
// set outside tests.
var freshStates = false

// clsGates opens the gates of the detectors judged by byte classes and
// stream markers rather than keywords: CRLF (a line break, or a \r\n
// escape) and deserialisation (YAML tags, PHP objects, $type hints,
// pickles, Java/.NET stream markers). f is features' answer for s, whose
// fMarkerWord tells whether a word of s may hold a stream marker, or all
// bits set when the caller has none for s.
func clsGates(s string, cls uint32, f feat) catSet {
	var g catSet
	if cls&(kCtl|kBslash) != 0 {
		g |= 1 << ciCRLF
	}
	if cls&(kBang|kBracket) == kBang|kBracket || cls&kBslash != 0 && jsEscapeHint(s) || cls&kPct != 0 && containsFold(s, "%5c") {
		g |= 1 << ciXSS // JSFuck, escaped identifiers (jsObfuscated)
	}
	// (a backslash: features skips the letter of a \r escape, which may
	// begin a marker)
	if cls&(kBang|kColon|kDollar|kCtl|kUnder) != 0 || cls&(kDigit|kUpper) != 0 && (f&fMarkerWord != 0 || cls&kBslash != 0) && deserMarker(s, cls) ||
		cls&kDot != 0 && javaClassHint(s) {
		g |= 1 << ciDeser
	}
	if cls&(kAt|kDot) == kAt|kDot && ognlHint(s, cls) {
		g |= 1 << ciSSTI // "@ognl.", @a.b.Class@member (java.go)
	}
	if cls&kDigit != 0 && len(s) >= 4 && (isDigit(s[0]) || s[0] == '-' || s[0] == '+' || isSpace(s[0])) && overflowValue(s) {
		// (overflowValue's first test written out: most strings start
		// with a letter)
		g |= 1 << ciSQLi // a number at a type's edge (sqli.overflow)
	}
	return g
}

// bareHostMaybe is bareHostSSRF's first test: a string it may flag has no
// space or control byte, 3 to 300 bytes, and a '.', ':' or '[' unless it
// is 9 bytes long.
func bareHostMaybe(s string, cls uint32) bool {
	return cls&(kSpace|kCtl) == 0 && len(s) >= 3 && len(s) <= 300 && (cls&(kDot|kColon|kBracket) != 0 || len(s) == 9)
}

// NeedsParentKey reports whether judging the key k reads
// [Input.ParentKey]: only "prototype" does (it is prototype pollution
// under "constructor") and a server's session cookie name (a parameter
// only at the top level, session.id_param), so a caller may leave
// ParentKey empty for the other keys.
func NeedsParentKey(k string) bool {
	// (both are 9 bytes or more: most keys are shorter, and cost no call)
	return len(k) >= len("prototype") && needsParentKey(k)
}

func needsParentKey(k string) bool { return equalFold(k, "prototype") || sessionKey(k) }

// deserMarker reports a Java or .NET serialisation stream marker in a
// string of letters and digits (rO0AB, AAEAAAD, aced0005); cls is the
// string's classes.
func deserMarker(s string, cls uint32) bool {
	if cls&kDigit == 0 {
		// rO0AB and aced0005 have digits
		return cls&kUpper != 0 && contains(s, "AAEAAAD")
	}
	if cls&kUpper == 0 {
		// rO0AB and AAEAAAD have upper-case letters
		if len(s) > shortScan {
			return contains(s, "aced0005")
		}
		// a short string: each place's eight bytes compared as one
		// constant (an eight-byte load), no call
		p := unsafe.Pointer(unsafe.StringData(s))
		for i := 0; i+len("aced0005") <= len(s); i++ {
			if binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:]) == aced0005 {
				return true
			}
		}
		return false
	}
	if len(s) <= shortScan {
		// one loop over a short string with digits and capitals
		// ("A-10011"): three searches cost a call and a loop each
		for i := 0; i+len("0005") <= len(s); i++ {
			switch s[i] {
			case 'r':
				if strings.HasPrefix(s[i:], "rO0AB") {
					return true
				}
			case 'A':
				if strings.HasPrefix(s[i:], "AAEAAAD") {
					return true
				}
			case '0':
				if s[i:i+4] == "0005" && i >= len("aced") && hasFoldAt(s, i-4, "aced") {
					return true
				}
			}
		}
		return false
	}
	// aced0005 in any case: its digits, which have none, first
	return contains(s, "rO0AB") || contains(s, "AAEAAAD") || contains(s, "0005") && containsFold(s, "aced0005")
}

// aced0005 is "aced0005" read as a little-endian word (TestAced0005).
const aced0005 = 0x3530303064656361

// boringHint reports the strings made only of "boring" classes (letters,
// digits, spaces, . , - @ ! ? _) that a detector may still flag, so that
// the pre-filter sends them on: hidden traversal, SQL keywords with
// digits, __proto__ in text, a metadata address in text (metadataText
// finds "100.100.100.200@x"), and a whole value that is a command line
// with an option ("nc -lvvp 4444"). TestGatesSound checks that the
// pre-filter hides nothing a detector reports.
func boringHint(s string, cls uint32, sw sqlWords) bool {
	if cls&^(kUpper|kDigit) == 0 {
		return alnumHint(s, cls, sw)
	}
	if cls == kSpace {
		// lower-case letters and spaces (most of prose): each other
		// test below needs a class this has not ('.', '_', '!', '-',
		// ',', a digit, an upper-case letter, '@' and '.')
		return sqlHint(s, cls, sw)
	}
	var m uint16 // the literals present (boringLits); each needs a '.', '_' or '!'
	if cls&(kDot|kUnder|kBang) != 0 {
		m = boringLits.mask(s)
	}
	return cls&kDot != 0 && m&bHidden != 0 || sqlHint(s, cls, sw) || cls&kDigit != 0 && overflowValue(s) ||
		cls&kUnder != 0 && m&bProto != 0 || cls&(kDash|kComma) != 0 && cmdLineHint(s) ||
		cls&kBang != 0 && m&bBang != 0 || cls&(kDigit|kUpper) != 0 && deserMarker(s, cls) ||
		cls&(kDot|kUnder) != 0 && m&bMetaName != 0 || cls&kDot != 0 && (m&(bClass|bDotFile) != 0 || len(s) <= 24 && cookieValue(s)) ||
		cls&(kDigit|kDot) == kDigit|kDot && m&bMetaIP != 0 || ognlHint(s, cls) || cls&kDot != 0 && m&bJava != 0 && javaClassHint(s)
}

// alnumHint is boringHint for a string of letters and digits only (most
// names: "a1f", "item12", "userId"), what its tests come to without any
// punctuation or blank: no literal (each needs a '.', '_' or '!'), no
// statement (stmtLead needs a blank or '@' after its verb), no command
// line (a '-' or ','), no OGNL (an '@' and a '.'); a catalog name starts
// with a letter ("sysobjects"), an overflowing number with a digit
// ("4294967296", "1e309", "0x7fffffff"), and sqlHint's number before an
// operator word ("1or", "0xor") is the string's one word read as a
// number and the rest. TestAlnumHint compares it with boringHintRef.
func alnumHint(s string, cls uint32, sw sqlWords) bool {
	if cls&kDigit == 0 {
		return len(s) >= len("union") && (catalogWordHint(s, cls) || unionFromHint(s, cls, sw)) ||
			cls&kUpper != 0 && deserMarker(s, cls)
	}
	if c := s[0]; isDigit(c) {
		// numberEnd(s, 0, len(s)), its call made only for a "0x" or
		// "0b" form or an exponent: most numbers are a run of digits
		k := 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		digits := k == len(s) // digits alone: an id, a count
		if c == '0' && k == 1 || k+1 < len(s) && s[k]|0x20 == 'e' {
			k = numberEnd(s, 0, len(s))
		}
		w := s
		if k < len(s) {
			w = s[k:] // "0xor": the word after the number, as the SQL lexer splits it
		}
		// wordGroups(keywordIndex(), w) as far as the groups read here
		// go (its event handler names are gXSS): its first test written
		// out, so that a word no keyword can be costs no call
		var g uint32
		if x, n := keywordIndex(), len(w); n < len(x.possible) && x.possible[n][letterIdx[w[0]]&31]&(1<<(letterIdx[w[n-1]]&31)) != 0 {
			g = lookup(x, w)
		}
		// (an overflowing number is one number, as numberEnd reads it:
		// "4294967296", "1e309", "0x7fffffff"; it has four bytes or more)
		// (overflowValue finds no integer shorter than every bound)
		if g&gSQLOp != 0 || g&gBool != 0 && hex0xHint(s) || k == len(s) && len(s) >= 4 && (!digits || len(s) >= minNumberBound) && overflowValue(s) {
			return true
		}
		if digits {
			return false // sqlDigitWords' words and the markers below have letters
		}
	} else if catalogWordHint(s, cls) {
		return true
	}
	// (each marker deserMarker finds has eight bytes, or five or more
	// with an upper-case letter: rO0AB, AAEAAAD, aced0005)
	return len(s) > len("from ") && sqlDigitWords(s) || (len(s) >= len("aced0005") || len(s) >= len("rO0AB") && cls&kUpper != 0) && deserMarker(s, cls)
}

// boringHint's literal tests, each a bit of what boringLits.mask finds:
const (
	bHidden   uint16 = 1 << iota // a traversal or a sensitive file without separators: "..", "0x", "?.", etc, win, boot.ini...
	bProto                       // "__proto__"
	bBang                        // "!!"
	bMetaName                    // names metadataText flags in any text: metadata.google.internal, AWS_LAMBDA_RUNTIME_API
	bClass                       // "constructor", "classloader"
	bDotFile                     // the dot-files sensitivePath finds without a separator (.htpasswd, .env...)
	bMetaIP                      // cloud metadata addresses in text: 169.254., 100.100.100.200, fd00:ec2::254
	bJava                        // a gadget class root and its dot (java., org., ch.): javaClassHint needs one
)

// boringLits are the literals of boringHint's tests, in any case (the
// ones without letters, "..", "!!", "169.254.", are so as they are):
// one pass finds them all (foldLits.mask) instead of a search for each.
var boringLits = func() *foldLits {
	f := &foldLits{}
	f.add(bHidden, "..", "0x", "?.", "etc", "win", "system32")
	f.add(bHidden, bareSensitiveFiles[:]...)
	f.add(bHidden, wordSensitiveFiles[:]...)
	f.add(bProto, "__proto__")
	f.add(bBang, "!!")
	f.add(bMetaName, "metadata.google.internal", "aws_lambda_runtime_api")
	f.add(bClass, "constructor", "classloader")
	f.add(bDotFile, ".bash_history", ".htpasswd", ".netrc", ".pgpass", ".mysql_history", ".htaccess", ".env")
	f.add(bMetaIP, "169.254.", "100.100.100.200", "fd00:ec2::254")
	f.add(bJava, "java.", "javax.", "org.", "com.", "jdk.", "bsh.", "ch.") // javaClassRoot's words
	return f
}()

// atVarBoolHint reports a SQL variable (a word-initial '@' before a
// letter or '_': not an e-mail address) in text with a boolean keyword as
// a whole word (and, or, not...): the SQL grammar reads "and @x is not
// null" as a condition.
func atVarBoolHint(s string) bool {
	at := false
	for i := strings.IndexByte(s, '@'); i >= 0; {
		if (i == 0 || !isWordByte[s[i-1]]) && i+1 < len(s) && (isLetter(s[i+1]|0x20) || s[i+1] == '_' || s[i+1] == '%') {
			at = true
			break
		}
		j := strings.IndexByte(s[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if !at {
		return false
	}
	x := keywordIndex()
	for i, j := nextWord(s, 0); i < len(s); i, j = nextWord(s, j) {
		if j-i <= 6 && wordGroups(x, s[i:j])&gBool != 0 {
			return true
		}
	}
	return false
}

// nextWord returns the bounds [i, j) of the first run of word bytes at or
// after from; i is len(s) when there is none.
func nextWord(s string, from int) (i, j int) {
	i = from
	for i < len(s) && !isWordByte[s[i]] {
		i++
	}
	j = i
	for j < len(s) && isWordByte[s[j]] {
		j++
	}
	return i, j
}

// cmdLineHint reports a string whose first word is a command name and that
// has an option (" -").
func cmdLineHint(s string) bool {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && isIdent(s[j]) {
		j++
	}
	if j == i {
		return false
	}
	if j < len(s) && s[j] == '-' {
		// a PowerShell cmdlet by its full name (Start-Process calc.exe,
		// New-Object System.Net.WebClient): the shell grammar judges its
		// arguments
		var name [24]byte
		k := i
		for k < len(s) && k-i < len(name) && (isIdent(s[k]) || s[k] == '-') {
			name[k-i] = s[k] | 0x20
			k++
		}
		if k < len(s) && s[k] == ' ' && (psDangerous(name[:k-i]) || string(name[:k-i]) == "new-object") {
			return true
		}
	}
	if j-i >= len(kwTable.possible) {
		return false
	}
	// a strong command judges any argument with a '-' or ',' (which let
	// detectCmdI run: "ncat 3-4"); a weak one only an option (the word
	// first: most first words are no command, "A-10011")
	st := commandStrength([]byte(s[i:j]))
	return st == cmdStrong && (strings.IndexByte(s[j:], '-') >= 0 || strings.IndexByte(s[j:], ',') >= 0) ||
		st > cmdNone && st != cmdStrong && strings.Contains(s[j:], " -")
}

// shortText reports a value of at most 8 bytes once surrounding white
// space is trimmed: the probes detectors judge by length ("'", "*)(", ";")
// are measured the same way.
func shortText[T ~string | ~[]byte](s T) bool {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return j-i <= 8
}

// metadataIPText reports the cloud metadata addresses written in text
// (metadataText's literals: IPv4, and AWS's IPv6 fd00:ec2::254 in any case).
func metadataIPText(s string) bool {
	return contains(s, "169.254.") || contains(s, "100.100.100.200") || containsFold(s, "fd00:ec2::254")
}

// foldLits finds, in one pass over a string, which of a fixed list of
// lower-case literals (two bytes or more) it holds in any ASCII case: one
// loop with a table of the literals' first bytes and an index of their
// first two, instead of one search per literal (a call and its setup
// each: most of the pre-filter's cost on the short strings of an event).
// A position is compared only with the literals whose first two bytes
// hash as its own, and only while one of their bits is still missing: a
// storm of a pair that starts literals ("....", "0x0x") costs a look-up a
// byte, not a comparison with every literal of its first byte.
type foldLits struct {
	first [256]bool   // a literal starts with the byte (in either case)
	pair  [1024]uint8 // 1 + the index in by of the literals whose first two bytes pairHash so; 0: none
	bits  [256]uint16 // bits[k]: the bits of the literals of by[k-1]; bits[0] is 0
	by    [][]foldLit
}

type foldLit struct {
	lit string
	bit uint16
}

// pairHash hashes two bytes read with their 0x20 bit set: a pair and its
// case-folded form hash alike (so do some other pairs, which only costs a
// look at the literals).
func pairHash(a, b byte) uint {
	return (uint(a|0x20)<<5 ^ uint(b|0x20)) & 1023
}

// add adds lits, reported by mask as bit.
func (f *foldLits) add(bit uint16, lits ...string) {
	for _, lit := range lits {
		if len(lit) < 2 || strings.ToLower(lit) != lit {
			panic("detect: foldLits takes lower-case literals of two bytes or more: " + lit)
		}
		c := lit[0]
		f.first[c] = true
		if 'a' <= c && c <= 'z' {
			f.first[c-32] = true
		}
		h := pairHash(lit[0], lit[1])
		if f.pair[h] == 0 {
			if len(f.by) == 255 {
				panic("detect: foldLits takes at most 255 distinct first pairs")
			}
			f.by = append(f.by, nil)
			f.pair[h] = uint8(len(f.by))
		}
		k := f.pair[h]
		f.by[k-1] = append(f.by[k-1], foldLit{lit, bit})
		f.bits[k] |= bit
	}
}

// mask returns the bits of the literals s contains in any case (hasFoldAt
// at some offset).
func (f *foldLits) mask(s string) uint16 {
	var m uint16
	if len(s) < 2 {
		return 0
	}
	// a range over the places a literal can start and a local table:
	// no bounds or nil check a byte
	first := &f.first
	for i, c := range []byte(s[:len(s)-1]) {
		if !first[c] {
			continue
		}
		k := f.pair[pairHash(c, s[i+1])]
		if f.bits[k]&^m == 0 {
			continue // no literal here, or only ones already found
		}
		for _, l := range f.by[k-1] {
			if m&l.bit == 0 && hasFoldAt(s, i, l.lit) {
				m |= l.bit
			}
		}
	}
	return m
}

// containsFold reports whether s contains the lower-case ASCII lit in any
// case. Linear: the next position of each case of lit[0] is searched once.
func containsFold(s, lit string) bool {
	if len(s) <= shortScan {
		c := lit[0]
		for i := 0; i+len(lit) <= len(s); i++ {
			if lower(s[i]) == c && hasFoldAt(s, i, lit) {
				return true
			}
		}
		return false
	}
	if caseless := func(c byte) bool { return c|0x20 < 'a' || c|0x20 > 'z' }; len(lit) > 1 && caseless(lit[0]) && caseless(lit[1]) {
		// two first bytes without case ("%5" of "%5c"): searched as they
		// are (no call per occurrence of a frequent first byte:
		// "%25%25..."); after a candidate found close to the one before,
		// the next bytes are looked at by hand first, so that a frequent
		// prefix ("%5%5") costs no call each either
		c, pre := lit[0], lit[:2]
		last := len(s) - len(lit) // the last place lit can start
		near := false
		for i := 0; i <= last; i++ {
			if near {
				end := min(last+1, i+8)
				for i < end && (s[i] != c || s[i+1] != pre[1]) {
					i++
				}
				if i < end {
					if hasFoldAt(s, i, lit) {
						return true
					}
					continue
				}
				if end > last {
					return false
				}
			}
			j := strings.Index(s[i:last+len(pre)], pre)
			if j < 0 {
				return false
			}
			near = j < 4
			i += j
			if hasFoldAt(s, i, lit) {
				return true
			}
		}
		return false
	}
	lo := lit[0]
	up := lo
	if 'a' <= lo && lo <= 'z' {
		up = lo - 32
	}
	nextLo, nextUp := -1, -1
	if up == lo {
		nextUp = len(s)
	}
	for i := 0; i+len(lit) <= len(s); {
		if nextLo < i {
			if j := strings.IndexByte(s[i:], lo); j >= 0 {
				nextLo = i + j
			} else {
				nextLo = len(s)
			}
		}
		if nextUp < i {
			if j := strings.IndexByte(s[i:], up); j >= 0 {
				nextUp = i + j
			} else {
				nextUp = len(s)
			}
		}
		i = min(nextLo, nextUp)
		if i+len(lit) > len(s) {
			return false
		}
		if hasFoldAt(s, i, lit) {
			return true
		}
		i++
	}
	return false
}

// sqlHint reports "boring" strings that may still be SQL: a "--" comment,
// an "@@" variable, a whole value that names a system catalog object
// ("information_schema.tables", catalogValue) or a catalog after FROM
// ("select name from sysobjects", fromCatalog), UNION (with or without
// digits: "union select name from users"), a
// SELECT/SLEEP/WAITFOR/BENCHMARK keyword together with digits ("1 union
// select 1,2,3", "sleep 5"), or a value that starts like a number and has
// a SQL operator word, or a boolean one with a '!' ("1 or true", "1 div
// 1", "1 or !0"); detectSQLi judges no other string without SQL
// punctuation.
func sqlHint(s string, cls uint32, sw sqlWords) bool {
	if cls&(kDash|kAt|kDigit|kDot|kComma) == 0 {
		// letters and spaces, the common case: what the tests below
		// come to for it
		return len(s) >= len("union") && (stmtLead(s) || catalogWordHint(s, cls) || unionFromHint(s, cls, sw))
	}
	if cls&kDash != 0 && contains(s, "--") || cls&kAt != 0 && contains(s, "@@") {
		return true
	}
	if cls&kAt != 0 && atVarBoolHint(s) {
		return true // "and @x is not null"
	}
	if cls&kDot != 0 && catalogValue(s) || catalogWordHint(s, cls) || stmtLead(s) {
		return true // "information_schema.tables", "mysql.user", "delete from users"
	}
	if cls&kDigit == 0 {
		// "... from sysobjects", "union select name from users",
		// "select name from sysobjects", a statement's column list
		// ("select user, pass from users")
		return unionFromHint(s, cls, sw) || cls&kComma != 0 && containsFoldCls(s, cls, "select")
	}
	if len(s) > len("from ") && sqlDigitWords(s) {
		return true // "... from sysobjects", "1 union select 1,2,3", "sleep 5"
	}
	if !numStart(s) {
		return false
	}
	// a number continued by SQL operator words: "1 or true", "1 div 1"
	x := keywordIndex()
	for i, j := nextWord(s, 0); i < len(s); i, j = nextWord(s, j) {
		if k := numberEnd(s, i, j); k > i && k < j {
			i = k // "0xor 1": the word after the number, as the SQL lexer splits it
		}
		if g := wordGroups(x, s[i:j]); g&gSQLOp != 0 || g&gBool != 0 && (cls&(kBang|kDash|kPlus) != 0 || hex0xHint(s)) {
			return true // "1 or true", "1 or !0", "1 or -1", "1 or 0x1"
		}
	}
	return false
}

// sqlDigitWords is sqlHint's test of a string with digits for "from" or
// "join" before a catalog (fromCatalog) and, from 10 bytes on, for the
// keywords UNION, SELECT, SLEEP, WAITFOR and BENCHMARK, in any case: one
// pass with a table of their first letters (a search for each word
// called IndexByte for every 'u' or 's', in both cases).
func sqlDigitWords(s string) bool {
	if len(s) < 4 {
		return false
	}
	kws := len(s) >= 10
	fromJoin := false
	// a range over the places a word can start: no bounds check a byte
	for i, c := range []byte(s[:len(s)-3]) {
		if !sqlFirstLetter[c] {
			continue
		}
		// the second letter first: each word below has its own, and
		// most letters of text (or base64) do not start one
		c1 := lower(s[i+1])
		switch c | 0x20 {
		case 'f':
			if c1 == 'r' && !fromJoin && hasFoldAt(s, i, "from") {
				fromJoin = true
				if fromCatalog(s) {
					return true
				}
			}
		case 'j':
			if c1 == 'o' && !fromJoin && hasFoldAt(s, i, "join") {
				fromJoin = true
				if fromCatalog(s) {
					return true
				}
			}
		case 'u':
			if kws && c1 == 'n' && hasFoldAt(s, i, "union") {
				return true
			}
		case 's':
			if kws && (c1 == 'e' && hasFoldAt(s, i, "select") || c1 == 'l' && hasFoldAt(s, i, "sleep")) {
				return true
			}
		case 'w':
			if kws && c1 == 'a' && hasFoldAt(s, i, "waitfor") {
				return true
			}
		case 'b':
			if kws && c1 == 'e' && hasFoldAt(s, i, "benchmark") {
				return true
			}
		}
	}
	return false
}

// sqlFirstLetter marks the first letters of sqlDigitWords' words, in both
// cases.
var sqlFirstLetter = func() (t [256]bool) {
	for _, c := range "fjusbw" {
		t[c], t[c-32] = true, true
	}
	return t
}()

// catalogWordHint reports a whole value (blanks around it) that names a
// catalog object alone (catalogObject: "sqlite_master", "sysobjects").
// Every such name has a '_' or a '$' or starts with "sys"/"msys"
// (TestCatalogWordHint), so that other single words cost no lookup.
func catalogWordHint(s string, cls uint32) bool {
	if len(s) < minCatalogWord {
		return false
	}
	if cls&(kUnder|kDollar) == 0 {
		// no '_' or '$': the name must start with "sys" or "msys"
		if c := s[0] | 0x20; c != 's' && c != 'm' && cls&kSpace == 0 {
			return false
		}
		i := 0
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if !foldPrefix(s[i:], "sys") && !foldPrefix(s[i:], "msys") {
			return false
		}
	}
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	w := s[i:j]
	return len(w) >= minCatalogWord && len(w) <= 40 && catalogValue(w)
}

// hex0xHint reports a "0x" or "0X" in s (fHex0x: a hex literal).
func hex0xHint(s string) bool {
	for i := strings.IndexByte(s, '0'); i >= 0 && i+1 < len(s); {
		if s[i+1]|0x20 == 'x' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '0')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// unionFromHint is containsFold(s, "union") || (containsFold(s, "from") ||
// containsFold(s, "join")) && fromCatalog(s) (fromCatalog reads every
// byte: it is judged only for a string with one of those words). In a
// string without an upper-case letter (cls), each word is found by
// IndexByte for its first letter (vectorised) and a four-byte comparison
// there, in one loop: strings.Contains costs a round of its own loop for
// every 'u' and 'f' of prose, where neither is rare. TestUnionFromHint
// checks it against the searches.
func unionFromHint(s string, cls uint32, sw sqlWords) bool {
	if sw&swKnown != 0 {
		// classifyWords searched s
		return sw&swUnion != 0 || len(s) > len("from ") && sw&swFromJoin != 0 && fromCatalog(s)
	}
	if cls&kUpper != 0 {
		return containsFold(s, "union") || len(s) > len("from ") && (containsFold(s, "from") || containsFold(s, "join")) && fromCatalog(s)
	}
	if firstWord(s, 'u', 'u'|'n'<<8|'i'<<16|'o'<<24) >= 0 && strings.Contains(s, "union") {
		return true
	}
	return len(s) > len("from ") && (firstWord(s, 'f', 'f'|'r'<<8|'o'<<16|'m'<<24) >= 0 || strings.Contains(s, "join")) && fromCatalog(s)
}

// firstWord returns the offset of the first four bytes of s that are w
// (little-endian; c is its first byte), or -1.
func firstWord(s string, c byte, w uint32) int {
	if len(s) < 4 {
		return -1
	}
	// t ends where the last four bytes start: a candidate found in it
	// has its four bytes in s, read through p without a bounds check
	t, p := s[:len(s)-3], unsafe.Pointer(unsafe.StringData(s))
	for i := 0; i < len(t); i++ {
		j := strings.IndexByte(t[i:], c)
		if j < 0 {
			return -1
		}
		i += j
		if binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, i))[:]) == w {
			return i
		}
	}
	return -1
}

// containsFoldCls is containsFold(s, lit) for s of the classes cls: a
// string without an upper-case letter holds lit in some case only as it
// is, which contains finds (a vectorised pass on a long string).
func containsFoldCls(s string, cls uint32, lit string) bool {
	if cls&kUpper == 0 {
		return contains(s, lit)
	}
	return containsFold(s, lit)
}

// shortScan is the length up to which contains and containsFold look for
// a literal with one loop over s: for a key or a short value (most strings
// of an event) the setup of strings.Index or of IndexByte costs more than
// reading the bytes, and the pre-filter looks for some forty literals.
const shortScan = 16

// contains is strings.Contains(s, lit) for a non-empty lit.
func contains(s, lit string) bool {
	if len(s) > shortScan {
		return strings.Contains(s, lit)
	}
	if len(lit) == 2 {
		// "--", "@@", "..": two comparisons a place, no call
		for i := 0; i+1 < len(s); i++ {
			if s[i] == lit[0] && s[i+1] == lit[1] {
				return true
			}
		}
		return false
	}
	c := lit[0]
	for i := 0; i+len(lit) <= len(s); i++ {
		if s[i] == c && s[i:i+len(lit)] == lit {
			return true
		}
	}
	return false
}

// hasFoldAt reports whether s[i:] starts with the lower-case word lit,
// ignoring ASCII case.
func hasFoldAt(s string, i int, lit string) bool {
	if i+len(lit) > len(s) {
		return false
	}
	for k := 0; k < len(lit); k++ {
		if lower(s[i+k]) != lit[k] {
			return false
		}
	}
	return true
}

// appendKeyHits appends what scanKey finds in a key, as appendHits would,
// without the per-category array scanKey fills (zeroing it was a large
// part of judging a short plain key: a form of many distinct names).
func (d *Detector) appendKeyHits(dst []Match, s string, in Input) []Match {
	if d.enabled.has(ciNoSQL) {
		if rule, ok := keyOperator(s); ok {
			dst = append(dst, Match{Rule: rule, Category: allCategories[ciNoSQL], Fragment: fragment(keyFrag(s))})
		}
	}
	if d.enabled.has(ciProto) {
		if rule, ok := keyProto(s, in.ParentKey); ok {
			dst = append(dst, Match{Rule: rule, Category: allCategories[ciProto], Fragment: fragment(keyFrag(s))})
		}
	}
	if d.enabled.has(ciSess) && in.ParentKey == "" && sessionKey(s) {
		dst = append(dst, Match{Rule: "session.id_param", Category: allCategories[ciSess], Fragment: fragment(keyFrag(s))})
	}
	return dst
}

func appendHits(dst []Match, res *[numCategories]catHit, found catSet) []Match {
	for ci := catIndex(0); ci < numCategories; ci++ {
		if found.has(ci) {
			dst = append(dst, Match{Rule: res[ci].rule, Category: allCategories[ci], Fragment: res[ci].frag})
		}
	}
	return dst
}

// fragment copies at most MaxFragment bytes of b, cut on a rune boundary.
func fragment(b []byte) string {
	// A start that falls on a continuation byte (a cut inside a rune, or a
	// lone byte that decoding produced, as "%80") moves to the next rune.
	for k := 0; k < utf8.UTFMax-1 && len(b) > 0 && !utf8.RuneStart(b[0]); k++ {
		b = b[1:]
	}
	if len(b) > MaxFragment {
		end := MaxFragment
		for end > 0 && !utf8.RuneStart(b[end]) {
			end--
		}
		b = b[:end]
	}
	return string(b)
}

// detectors are indexed by catIndex.
var detectors = [numCategories]func(*state) hit{
	ciSQLi:  detectSQLi,
	ciXSS:   detectXSS,
	ciCmdI:  detectCmdI,
	ciPath:  detectPath,
	ciSSRF:  detectSSRF,
	ciNoSQL: detectNoSQL,
	ciSSTI:  detectSSTI,
	ciJNDI:  detectJNDI,
	ciProto: detectProto,
	ciXXE:   detectXXE,
	ciLDAP:  detectLDAP,
	ciCRLF:  detectCRLF,
	ciDeser: detectDeser,
	ciTool:  detectTool,
	ciSess:  detectSession,
}

// state is the per-scan scratch space, pooled so that scans do not
// allocate.
type state struct {
	raw     string
	rawCls  uint32
	in      Input
	n       []byte // normalised (decoded, case-folded) form of raw; read-only (it may be raw's bytes)
	cls     uint32 // classes present in n
	decoded bool   // n differs from raw by more than case folding
	f       feat   // trigger features of n
	kw      uint32 // keyword groups of n

	a, b  []byte // normalisation ping-pong buffers; the one not holding n is scratch
	c     []byte // the value as sent, case folded, for cmd.exe variables (winVarView)
	d     []byte // the value with its tabs read as spaces, for the shell grammars (detectCmdI)
	toks  []sqlToken
	stack []int
	g     catSet // the detectors scan runs on the value (tokens)
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// maxPooledBuf keeps one huge scan from pinning megabytes in the pool.
const maxPooledBuf = 1 << 20

func (st *state) prepare(s string, cls uint32, in Input) {
	st.prepareAs(s, cls, in, cls&needsDecode == 0 || cls&needsDecode == kAmp && !ampDecodes(s))
}

// ctlPlain reports a string of the classes cls whose only bytes of
// needsDecode are control bytes, none a NUL: a decoding pass passes each on
// as it is (it drops a NUL; a tab, a line break, any other control byte
// stays) and only folds the string's case, which prepareAs does for a plain
// string too, with the same classes and nothing decoded
// (TestCtlPlainPrepare). ('+' read as a blank needs a '%', of needsDecode.)
func ctlPlain(s string, cls uint32) bool {
	return cls&needsDecode == kCtl && strings.IndexByte(s, 0) < 0
}

// prepareAs is prepare, told whether s has nothing to decode (plain): no
// byte of needsDecode, or ampersands that start no reference.
func (st *state) prepareAs(s string, cls uint32, in Input, plain bool) {
	st.raw, st.rawCls, st.in = s, cls, in
	if plain {
		// Nothing to decode: only fold case, or not even that, and then
		// st.n is s itself (no copy: the detectors only read st.n).
		if cls&kUpper == 0 {
			st.n, st.decoded = unsafe.Slice(unsafe.StringData(s), len(s)), false
			st.cls = cls
			return
		}
		if cap(st.a) < len(s) {
			st.a = make([]byte, len(s)) // sized once, not by appending
		}
		st.a = st.a[:len(s)]
		foldCase(st.a, s)
		st.n, st.decoded = st.a, false
		st.cls = cls &^ kUpper
		return
	}
	st.n, st.decoded, st.cls = normalizeIntoCls(s, &st.a, &st.b)
}

// foldCase writes s with 'A'-'Z' lowered (lower, byte by byte) into dst,
// which is len(s) long, eight bytes a step: in a word w, the bytes whose
// low seven bits are 'A'-'Z' are those where w&0x7f.. + (0x80-'A') has its
// top bit set and w&0x7f.. + (0x80-'Z'-1) has not (no carry crosses a
// byte); of them those with their own top bit clear get 0x20
// (FuzzFoldCase compares it with lower).
func foldCase(dst []byte, s string) {
	dst = dst[:len(s)]
	copy(dst, s) // then folded in place, a word a load
	d := dst
	for ; len(d) >= 16; d = d[16:] {
		// (two words a round)
		w, v := binary.LittleEndian.Uint64(d[:8]), binary.LittleEndian.Uint64(d[8:16])
		hw, hv := w&0x7f7f7f7f7f7f7f7f, v&0x7f7f7f7f7f7f7f7f
		uw := ((hw + 0x3f3f3f3f3f3f3f3f) ^ (hw + 0x2525252525252525)) &^ w & 0x8080808080808080
		uv := ((hv + 0x3f3f3f3f3f3f3f3f) ^ (hv + 0x2525252525252525)) &^ v & 0x8080808080808080
		binary.LittleEndian.PutUint64(d[:8], w|uw>>2)
		binary.LittleEndian.PutUint64(d[8:16], v|uv>>2)
	}
	for i := range d {
		d[i] = lower(d[i])
	}
}

// ampDecodes reports whether a decoding pass (decodePass) would decode a
// character reference at one of the ampersands of s: when none does ("a &
// b", "R&D", "&c" at the end) and s has nothing else to decode (no '%',
// backslash, control or non-ASCII byte: the caller's classes), normalising s
// only folds its case, and s is judged as it is like a string without an
// ampersand.
func ampDecodes(s string) bool {
	// a reference is '&', then a letter, a digit or '#' (decodeEntity
	// reads nothing else), and one byte more at least (decodePass asks
	// decodeEntity only then); the ampersands found by IndexByte (text
	// has few)
	for i := strings.IndexByte(s, '&'); i >= 0 && i+2 < len(s); {
		if c := s[i+1]; isAlnum(c) || c == '#' {
			if _, w := decodeEntity(s, i); w > 0 {
				return true
			}
		}
		j := strings.IndexByte(s[i+1:], '&')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// scratch returns an empty buffer with room for len(st.n) bytes for a
// detector-specific view of st.n (every view is at most as long as st.n):
// the normalisation buffer that does not hold st.n. A detector may use it
// until it returns; no allocation beyond the two normalisation buffers.
func (st *state) scratch() []byte {
	return st.scratchFor(len(st.n))
}

// scratchFor is scratch with room for n bytes: the view of another text
// than st.n (the shell lexer's view is cut at its buffer's capacity, so a
// view of a longer text needs a buffer as long as that text).
func (st *state) scratchFor(n int) []byte {
	p := &st.b
	if cap(st.n) > 0 && cap(st.b) > 0 && unsafe.SliceData(st.n) == unsafe.SliceData(st.b) {
		p = &st.a
	}
	if cap(*p) < n {
		*p = make([]byte, 0, n)
	}
	return (*p)[:0]
}

// tokens returns an empty token buffer with room for n tokens for
// sqlJudge over b. The scratch buffer (the normalisation buffer that does
// not hold st.n) holds them when it is free (b is not in it) and either
// has the room or is about to be made as long as st.n anyway: when the
// shell grammar will read the value (detectCmdI's view, scratchFor), one
// buffer of the value's length serves both, instead of a token buffer of
// half of it and then the view's (sqlToken holds no pointer). Else the
// state's own token buffer, made for n.
func (st *state) tokens(n int, b []byte) []sqlToken {
	const size = int(unsafe.Sizeof(sqlToken{}))
	p := &st.b
	if cap(st.n) > 0 && cap(st.b) > 0 && unsafe.SliceData(st.n) == unsafe.SliceData(st.b) {
		p = &st.a
	}
	if bytes := n * size; (cap(*p) >= bytes || bytes <= len(st.n) && st.g.has(ciCmdI) && shellGate(st.f, st.kw)) &&
		!(len(b) > 0 && cap(*p) > 0 && uintptr(unsafe.Pointer(unsafe.SliceData(b))) >= uintptr(unsafe.Pointer(unsafe.SliceData(*p))) &&
			uintptr(unsafe.Pointer(unsafe.SliceData(b))) < uintptr(unsafe.Pointer(unsafe.SliceData(*p)))+uintptr(cap(*p))) {
		if cap(*p) < bytes {
			*p = make([]byte, 0, len(st.n))
		}
		if d := unsafe.SliceData(*p); uintptr(unsafe.Pointer(d))%unsafe.Alignof(sqlToken{}) == 0 {
			return unsafe.Slice((*sqlToken)(unsafe.Pointer(d)), cap(*p)/size)[:0]
		}
	}
	if cap(st.toks) < n {
		st.toks = make([]sqlToken, 0, n)
	}
	return st.toks[:0]
}

func (st *state) release() {
	st.raw, st.n, st.in, st.g = "", nil, Input{}, 0
	if cap(st.a) > maxPooledBuf || cap(st.b) > maxPooledBuf || cap(st.c) > maxPooledBuf || cap(st.d) > maxPooledBuf || cap(st.toks) > maxPooledBuf/8 {
		return // let the GC have it
	}
	statePool.Put(st)
}
