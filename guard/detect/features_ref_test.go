package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// featuresRef is features as it was written before its per-byte table
// (featByte) and the tests that skip a word's searches by its bytes'
// bits: the reference FuzzFeaturesRef and TestFeaturesRef compare
// features with (flags, keyword groups and first-command answer alike).
func featuresRef(s string, x *kwIndex) (f feat, kw uint32, firstCmd bool) {
	n := len(s)
	if numStart(s) {
		f |= fNumStart
	}
	words := 0
	joinedTo := 0      // end of the last de-quoted join
	dollarEnd := 0     // end of the last run dollarWordGroups read
	ri, rj := 0, 0     // bounds of the last word judged in full
	var seen [4][2]int // bounds of words looked up, by length and end letters
	for i := 0; i < n; {
		c := s[i]
		if isWordByte[c] {
			j := i + 1
			var m uint32
			for j < n && isWordByte[s[j]] {
				m |= classTable[s[j]]
				j++
			}
			m |= classTable[c]
			if j < n && j-i == rj-ri && s[j] == s[rj] && !noWordRepeat && s[j] != '$' && (i < joinedTo || s[j] != '\'' && s[j] != '"' && s[j] != '\\') &&
				!(i >= 2 && s[i-2] == '\\' && isBslashCtl(s[i-1])) && sameBytes(s, ri, rj, i, j) {
				// The word and the byte after it are those of the last
				// word judged below, and nothing around it adds more (no
				// '$' word after it, no join to make, no escape before
				// it): what it adds is what that one added (a storm of
				// "'or'" costs a comparison a word).
				words++
				i = quotesAfterRef(s, j, &f)
				continue
			}
			if m&(kDigit|kUnder) != 0 {
				if m&kDigit != 0 {
					f |= fDigit
					for k := i; k+1 < j; k++ {
						if s[k] == '0' && s[k+1]|0x20 == 'x' {
							f |= fHex0x
							break
						}
					}
				}
				if m&kUnder != 0 {
					for k := i; k+1 < j; k++ {
						if s[k] == '_' && s[k+1] == '_' {
							f |= fUnder2
							break
						}
					}
				}
			}
			wn := j - i
			if wn < len(x.possible) && (x.possible[wn][letterIdx[c]&31]&(1<<(letterIdx[s[j-1]]&31)) != 0 || wn > 4 && c|0x20 == 'o' && s[i+1]|0x20 == 'n') {
				// In a long value, a word spelled as one looked up
				// recently adds no group (kw is their union; firstCmd is
				// the first word's): a storm of a few keywords costs a
				// comparison a word, not a hash and a probe.
				slot := &seen[(uint(wn)+uint(letterIdx[c])+uint(letterIdx[s[j-1]])<<1)&(uint(len(seen))-1)]
				if n < memoFrom || !sameBytes(s, slot[0], slot[1], i, j) {
					slot[0], slot[1] = i, j
					g := wordGroups(x, s[i:j])
					if words == 0 && g&(gCmdStrong|gCmdWeak) != 0 {
						firstCmd = true
					}
					kw |= g
				}
			}
			if i >= 2 && s[i-2] == '\\' && isBslashCtl(s[i-1]) && wn+1 < len(x.possible) {
				// the letter of a \n, \r or \t escape the scan skipped
				// (below) may begin the word a detector reads: \netsparker
				kw |= wordGroups(x, s[i-1:j])
			}
			// what the byte after the word adds (one look at it)
			if j < n && afterWordByteRef[s[j]] {
				switch s[j] {
				case '[':
					if j-i == 4 && foldPrefix(s[i:j], "this") || j-i == 7 && foldPrefix(s[i:j], "content") {
						// this[...] and content[...] index the global
						// object as window[...] does (xssSinks); the
						// words alone are prose
						kw |= gXSS
					}
				case '$':
					if j+1 < n && isWordByte[s[j+1]] {
						// the SQL lexer reads '$' inside a word: Oracle's
						// v$version
						kw |= dollarWordGroups(s, i, j, x, &dollarEnd)
					}
				case '\'', '"', '\\':
					if j+1 < n && i >= joinedTo {
						// the de-quoted view of a word split by quotes or
						// backslashes, as the shell reads it: w"h"o'am'i,
						// c\at; the pieces it joined are not joined again
						// (linear)
						var g uint32
						g, joinedTo = dequotedWordGroups(s, i, j, x)
						if g != 0 {
							if words == 0 && g&(gCmdStrong|gCmdWeak) != 0 {
								firstCmd = true
							}
							kw |= g
						}
					}
				case '(', '{':
					if j-i == 2 && s[i]|0x20 == 'q' && s[i+1]|0x20 == 'x' {
						f |= fShellObf // Perl's qx(...) and qx{...}
					}
				}
			}
			if m&kDigit != 0 && isDigit(c) && j-i > 1 {
				// a keyword glued to a number, as the SQL lexer splits it:
				// 1e0union, 0sleep(, 0x41select
				if k := numberEnd(s, i, j); k < j && isLetter(s[k]|0x20) && j-k < len(x.possible) {
					kw |= wordGroups(x, s[k:j])
					if j+1 < n && s[j] == '$' && isWordByte[s[j+1]] {
						kw |= dollarWordGroups(s, k, j, x, &dollarEnd) // 5v$version
					}
				}
			}
			words++
			ri, rj = i, j
			i = quotesAfterRef(s, j, &f)
			continue
		}
		var next byte
		if i+1 < n {
			next = s[i+1]
		}
		switch c {
		case ' ', '\t':
			f |= fSpace
			if c == '\t' {
				f |= fCtl
			}
		case '\'', '"':
			f |= fQuote
		case '`':
			f |= fBacktick | fQuote
		case '<':
			f |= fLt | fCmp
			if next == '(' {
				f |= fShellObf // process substitution
			}
			switch {
			case isLetter(next | 0x20), next == '/', next == '!', next == '?', next == '%', next == '#', next == '@':
				f |= fLtTag
				if next == '!' {
					f |= fLtBang
				} else if next == '?' {
					f |= fLtQuest
				} else if next == '%' || next == '#' {
					f |= fTmpl
				}
			}
		case '>':
			f |= fGt | fCmp
			if next == '(' {
				f |= fShellObf
			}
		case '-':
			f |= fDash
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') && (isLetter(next|0x20) || next == '-') {
				f |= fShellArg
			}
			if next == '-' {
				f |= fSQLComment
			}
		case '/':
			f |= fSlash
			if next == '*' {
				f |= fSQLComment
			}
			if next == '.' && i+2 < n && s[i+2] == '/' {
				f |= fSlashDotSlash
			}
		case '#':
			f |= fSQLComment
			if next == '{' {
				f |= fTmpl
			} else if isLetter(next|0x20) || next == '_' {
				f |= fHashWord
			}
		case ';':
			f |= fSemi
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
		case '|':
			f |= fPipe
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
			if next == '|' {
				f |= fPipe2
			}
		case '&':
			f |= fAmp
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
			if next == '&' {
				f |= fAmp2
			} else if next == '{' {
				f |= fAmpBrace
			}
		case '$':
			switch next {
			case '@', '*', '\'', '"', '!', '$', '0':
				f |= fShellObf
			case '#', '?', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if i > 0 && isWordByte[s[i-1]] {
					f |= fShellObf // c$1at, not $19.99
				}
			}
			switch {
			case next == '{':
				f |= fDollarBrace | fTmpl
			case next == '(':
				f |= fDollarParen
			case isLetter(next|0x20) || next == '_':
				f |= fDollarWord
			}
		case '[':
			f |= fBracket
			if i > 0 && isWordByte[s[i-1]] || isWordByte[next] {
				f |= fShellObf // w[h]oami, /bin/[c]at
			}
			if next == '$' {
				f |= fBracketDollar
			} else if next == '[' || next == '#' || next == '=' {
				f |= fTmpl // [[ ]], FreeMarker [#...] and [=...]
			}
		case ']':
			f |= fBracket
		case '{':
			f |= fBrace
			if isWordByte[next] && braceList(s, i+1) {
				f |= fBraceList
			}
			if next == '{' || next == '%' || next == '$' || next == '/' || next == '#' {
				f |= fTmpl
			} else if isLetter(next | 0x20) {
				f |= fTmpl // {php}, {system(...)}
			}
		case '}':
			f |= fBrace
		case '%':
			f |= fPct
			if next|0x20 == 'x' && i+2 < n && (s[i+2] == '(' || s[i+2] == '{') {
				f |= fShellObf // Ruby's %x(...) and %x{...}
			}
			if next == '>' || next == '}' || next == '{' {
				f |= fTmpl // %> %} and OGNL %{
			}
		case '*':
			f |= fStar
			if next == '{' {
				f |= fTmpl
			} else if next == ')' {
				f |= fLDAP
			}
		case '@':
			if (i == 0 || !isWordByte[s[i-1]]) && (isLetter(next|0x20) || next == '_') {
				f |= fAtVar
			}
			if next == '@' {
				f |= fAt2
			} else if next == '(' || next == '{' {
				f |= fTmpl // Razor @( ), @{ }
			}
		case '.':
			f |= fDot
			if next == '/' && (i == 0 || !isWordByte[s[i-1]]) {
				f |= fShellArg // ./run, ../x.sh
			}
			if next == '.' {
				f |= fDotDot
			} else if next == '?' {
				f |= fDotQ
			}
		case '?':
			f |= fQuest
			if next == '.' {
				f |= fDotQ
			}
		case ':':
			f |= fColon
			if next == '/' && i+2 < n && s[i+2] == '/' {
				f |= fURL
			}
		case '(':
			f |= fParen
			if next == '\'' || next == '"' {
				// PowerShell's call operator on a string: &('ie'+'x')
				k := i - 1
				for k >= 0 && i-k < 4 && s[k] == ' ' {
					k--
				}
				if k >= 0 && (s[k] == '&' || s[k] == '.') {
					f |= fShellObf
				}
			}
			if next == '&' || next == '|' || next == '!' {
				f |= fLDAP
			}
			if next == ')' && i+3 < n && s[i+2] == ' ' && s[i+3] == '{' {
				f |= fShellshock
			}
		case ')':
			f |= fParen
			if next == '(' {
				f |= fLDAP
			}
		case '=':
			f |= fEq
			if next == '=' {
				f |= fEqEq
			} else if next == '*' {
				f |= fLDAP
			}
		case '!':
			if next == '=' {
				f |= fCmp
			} else {
				f |= fBangOp
			}
		case '\\':
			f |= fBslash
			if isBslashCtl(next) {
				// a literal \n separates words (and commands)
				f |= fBslashCtl
				i++
			}
		case '+':
			f |= fPlus
		case '~':
			f |= fBangOp | fTilde
		case '^':
			f |= fTilde
			if isWordByte[next] {
				f |= fShellObf // cmd.exe escapes: c^a^l^c, ^w^h^o^a^m^i
			}
		case '\n', '\r':
			f |= fNewline
			if isLetter(next | 0x20) {
				f |= fOpGlued
			}
		default:
			// Control bytes, and bytes of non-ASCII or broken UTF-8 that
			// sensitivePath takes for a one-byte separator ("etc\x98passwd").
			if c < 0x20 || c == 0x7f || c >= 0x80 {
				f |= fCtl
			}
		}
		i++
	}
	if f&(fSemi|fPipe|fAmp|fNewline) != 0 && sepLead(s) {
		// (sepLead needs a separator: ; | & or a line break)
		f |= fSepLead
	}
	return f, kw, firstCmd
}

func quotesAfterRef(s string, j int, f *feat) int {
	k := j
	for k < len(s) && (s[k] == '\'' || s[k] == '"') {
		k++
	}
	if k > j {
		*f |= fQuote
	}
	return k
}

var afterWordByteRef = func() (t [256]bool) {
	for _, c := range []byte("[$'\"\\({") {
		t[c] = true
	}
	return t
}()

// featuresSamples are strings that reach every part of features: the
// rule examples (attacks and benign look-alikes), the benchmarks' strings,
// and every string of up to three bytes of an alphabet of its cases
// (punctuation, letters that start keywords, digits, escapes).
func featuresSamples() []string {
	var out []string
	for _, r := range Rules() {
		out = append(out, r.Attacks...)
		out = append(out, r.Benign...)
	}
	out = append(out, cleanEvent...)
	for _, a := range attackSamples {
		out = append(out, a.payload)
	}
	for _, p := range pathological {
		out = append(out, p.unit, strings.Repeat(p.unit, 9))
	}
	const alpha = " \t\n\r'\"`<>-/*#{};|&$([)]%@.?:=!\\+~^_,0159xXanorsNtT\x01\x80"
	for _, m := range []string{"rO0AB", "AAEAAAD", "aced0005", "ACED0005", "aCeD0005"} {
		for _, around := range []string{"", "x", "_", " ", "1", "'", "\\", "\\r", "\\n"} {
			out = append(out, m, around+m, m+around, around+m+around, around+m[:len(m)-1], m[1:]+around)
		}
	}
	for _, a := range alpha {
		out = append(out, string(a))
		for _, b := range alpha {
			out = append(out, string(a)+string(b))
			for _, c := range alpha {
				out = append(out, string(a)+string(b)+string(c))
			}
		}
	}
	return out
}

// TestFeaturesRef: features answers as featuresRef for every sample, and
// for each with words around it.
func TestFeaturesRef(t *testing.T) {
	x := keywordIndex()
	for _, s := range featuresSamples() {
		for _, v := range []string{s, "a " + s + " b", "0x" + s + "on", s + "sleep" + s, "\\n" + s + "__" + s} {
			checkFeatures(t, v, x)
		}
	}
}

// FuzzFeaturesRef: features answers as featuresRef.
func FuzzFeaturesRef(f *testing.F) {
	for _, s := range []string{"x rO0AB", "AAEAAAD=", "ACED0005", "zaced0005z", "a12 (b) c-84", "text 12 & more", "0x41 1e0union", `w"h"o c\at x\nls`, "__proto__ on_x onload", "v$version 5v$x",
		"this[x] content[", "qx(ls) %x{", "${jndi:x} #{x} {{7*7}}", "1 or 1=1-- ", "() { :;}; echo", "{cat,/etc/passwd}", "<svg/onload=alert(1)>"} {
		f.Add(s)
	}
	x := keywordIndex()
	f.Fuzz(func(t *testing.T, s string) {
		checkFeatures(t, s, x)
	})
}

// checkFeatures fails t unless features answers for s as featuresRef (which
// has no fMarkerWord), and sets fMarkerWord when deserMarker finds a
// marker in s without a backslash (clsGates asks deserMarker then).
func checkFeatures(t *testing.T, s string, x *kwIndex) {
	t.Helper()
	gf, gk, gc := features(s, x)
	wf, wk, wc := featuresRef(s, x)
	if gf&^fMarkerWord != wf || gk != wk || gc != wc {
		t.Fatalf("features(%q) = %#x %#x %v, featuresRef: %#x %#x %v", s, gf, gk, gc, wf, wk, wc)
	}
	if cls := classify(s); gf&fMarkerWord == 0 && cls&kBslash == 0 && deserMarker(s, cls) {
		t.Fatalf("features(%q): no fMarkerWord, but deserMarker finds a marker", s)
	}
}

// gatesRef is gates without its early exit (gatesAlone).
func gatesRef(f feat, kw uint32, firstCmd bool, decoded bool, short bool) catSet {
	var g catSet
	if f&(fQuote|fSQLComment|fAt2|fPipe2|fAmp2) != 0 || kw&(gSQL|gSQLCatalog) != 0 || kw&gSQLStmt != 0 && f&fSemi != 0 || kw&gSQLFunc != 0 && f&fParen != 0 ||
		kw&gBool != 0 && f&(fEq|fCmp) != 0 || f&(fParen|fDigit) == fParen|fDigit && sqlCmpF(f) ||
		kw&gSQLOp != 0 && f&(fDigit|fNumStart) == fDigit|fNumStart || kw&gBool != 0 && f&(fParen|fDigit|fNumStart) == fParen|fDigit|fNumStart ||
		kw&gBool != 0 && f&(fDigit|fSemi) == fDigit|fSemi || kw&gBool != 0 && f&(fParen|fSemi) == fParen|fSemi || kw&gBool != 0 && f&fAtVar != 0 || kw&gBool != 0 && f&(fBangOp|fDigit|fNumStart) == fBangOp|fDigit|fNumStart ||
		kw&gBool != 0 && f&(fDigit|fNumStart) == fDigit|fNumStart && f&(fDash|fPlus|fHex0x) != 0 ||
		kw&(gBool|gSQLOp) == gBool|gSQLOp && f&(fParen|fDigit) != 0 { // "x and(00is null"
		g |= 1 << ciSQLi
	}
	// A tab or newline inside a scheme name splits the keyword the
	// gate reads, and URL parsers remove it (java\tscript:).
	// An AngularJS expression names its scope's members with '$' ({{$on...}}:
	// xss.template), which the keyword gate does not read as words.
	if f&(fLtTag|fAmpBrace) != 0 || kw&gXSS != 0 || decoded && f&fLt != 0 || f&(fNewline|fCtl) != 0 && f&fColon != 0 ||
		f&(fTmpl|fDollarWord) == fTmpl|fDollarWord {
		g |= 1 << ciXSS
	}
	if cmdGate(f, kw, firstCmd, decoded, short) || shellGate(f, kw) || kw&gCodeExec != 0 && f&fEq != 0 { // the last: phpDirective
		g |= 1 << ciCmdI
	}
	if f&(fDotDot|fDotQ|fHex0x|fSlashDotSlash|fBslash) != 0 || f&fURL != 0 && f&(fQuest|fDigit|fSQLComment) != 0 || f&(fBrace|fSlash) == fBrace|fSlash || kw&gPath != 0 && f&(fSlash|fBslash|fDot|fColon|fPct|fQuest|fCtl|fNewline|fTilde) != 0 || decoded || f&fPct != 0 {
		g |= 1 << ciPath
	}
	if f&fURL != 0 || kw&gSSRF != 0 {
		g |= 1 << ciSSRF
	}
	if f&(fDollarWord|fBracketDollar) != 0 || kw&gNoSQL != 0 && f&(fDot|fSemi|fQuote) != 0 || f&(fPipe2|fAmp2) != 0 && f&(fEqEq|fCmp) != 0 {
		g |= 1 << ciNoSQL
	}
	if f&(fTmpl|fHashWord|fDollarBrace|fUnder2) != 0 || kw&gSSTI != 0 && f&(fParen|fBrace|fBracket) != 0 || kw&gOGNL != 0 {
		g |= 1 << ciSSTI
	}
	if f&fDollarBrace != 0 {
		g |= 1 << ciJNDI
	}
	if f&fUnder2 != 0 || kw&gProto != 0 {
		g |= 1 << ciProto
	}
	if f&(fLtBang|fLtQuest) != 0 || kw&gXXE != 0 {
		g |= 1 << ciXXE
	}
	if f&fLDAP != 0 || short && f&(fStar|fParen|fPipe|fAmp|fSlash) != 0 || decoded && short {
		g |= 1 << ciLDAP
	}
	if kw&gTool != 0 {
		g |= 1 << ciTool
	}
	if kw&gXSS != 0 && f&fEq != 0 { // "cookie" and '=' (session.go)
		g |= 1 << ciSess
	}
	return g
}

// TestGatesAlone: gates answers as gatesRef, for random feature sets with
// and without keyword groups (every flag set with one chance in 2 to 40,
// so that both the few flags of a short clean value and the pairs the
// tests combine are drawn), and for every single flag with no keyword.
func TestGatesAlone(t *testing.T) {
	check := func(f feat, kw uint32, firstCmd, decoded, short bool) {
		t.Helper()
		if got, want := gates(f, kw, firstCmd, decoded, short), gatesRef(f, kw, firstCmd, decoded, short); got != want {
			t.Fatalf("gates(%#x, %#x, %v, %v, %v) = %#x, gatesRef %#x", f, kw, firstCmd, decoded, short, got, want)
		}
	}
	for b := 0; b < 64; b++ {
		for c := 0; c < 64; c++ {
			for k := 0; k < 16; k++ {
				check(1<<b|1<<c, 0, k&1 != 0, k&2 != 0, k&4 != 0)
				check(1<<b|1<<c, 1<<(k*2), k&1 != 0, k&2 != 0, k&4 != 0)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 2_000_000; n++ {
		var f feat
		odds := 2 + r.IntN(39)
		for b := 0; b < 64; b++ {
			if r.IntN(odds) == 0 {
				f |= 1 << b
			}
		}
		var kw uint32
		if r.IntN(2) == 0 {
			for b := 0; b < 32; b++ {
				if r.IntN(odds) == 0 {
					kw |= 1 << b
				}
			}
		}
		check(f, kw, r.IntN(2) == 0, r.IntN(4) == 0, r.IntN(2) == 0)
	}
}

// FuzzGatesAlone: gates answers as gatesRef.
func FuzzGatesAlone(f *testing.F) {
	f.Add(uint64(fSpace|fParen|fDash|fDigit), uint32(0), uint8(0))
	f.Add(uint64(fSpace|fParen), uint32(0), uint8(4))
	f.Fuzz(func(t *testing.T, fl uint64, kw uint32, b uint8) {
		if got, want := gates(feat(fl), kw, b&1 != 0, b&2 != 0, b&4 != 0), gatesRef(feat(fl), kw, b&1 != 0, b&2 != 0, b&4 != 0); got != want {
			t.Fatalf("gates(%#x, %#x, %#x) = %#x, gatesRef %#x", fl, kw, b, got, want)
		}
	})
}

// TestFeatRunStorms: features answers as featuresRef for storms whose
// bytes repeat their windows or whole periods (featRun steps over them)
// and then change:
// a '{' before a word (braceList), '(' and '\' (never remembered), a
// repeated word before a quote, '$' or a \n escape, and a last unit cut
// short at the end.
func TestFeatRunStorms(t *testing.T) {
	x := keywordIndex()
	units := []string{"${", "../", "<a ", "; ls ", "{a ", "{a,", "{ab ", "{ab,c} ", "x{cat,y} ", "(&", "&('i'+'x') ", "\\n", "a\\nb ", "ls $x ", "or 'or' ",
		"id$ ", "$(id)", "-- ", " -la ", "a.b ", "@a ", "[$ne]", "%{x}", "://a ", "\t\r\n", "ｓｅｌｅｃｔ　",
		"a<", "ab;", "-x ", "a\\", "\\na ", "ls\"", "x$y "}
	for _, u := range units {
		for _, v := range units {
			for _, r := range []int{2, 5, 40} {
				s := strings.Repeat(u, r) + v + strings.Repeat(u, 3)
				checkFeatures(t, s, x)
				checkFeatures(t, s[:len(s)-1], x)
				checkFeatures(t, s[1:], x)
			}
			// the other unit inside a long storm, at every offset of
			// its first period (featRun passes whole periods)
			for k := 0; k < len(u)+2; k++ {
				s := strings.Repeat(u, 30)
				checkFeatures(t, s[:len(s)-k]+v+s[len(s)-k:], x)
				checkFeatures(t, s[:len(s)-k]+v, x)
			}
		}
	}
}
