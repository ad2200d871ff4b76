package detect

import (
	"encoding/base64"
	"strings"
	"testing"
)

// b64QuietCheck fails when b64Quiet finds s quiet and a detector, judging
// it with every gate open (noGates) or through scan's gates, finds
// anything, or when the classes it returns are not classify's.
func b64QuietCheck(t *testing.T, d *Detector, s string) bool {
	t.Helper()
	cls, quiet := b64Quiet(s)
	if !quiet {
		return false
	}
	if want := classify(s); cls != want {
		t.Errorf("b64Quiet(%q) classes %#x, classify %#x", s, cls, want)
	}
	noB64Quiet = true
	gated := d.Scan(nil, s, Input{Kind: Value})
	noGates = true
	ungated := d.Scan(nil, s, Input{Kind: Value})
	noGates, noB64Quiet = false, false
	if len(gated) > 0 || len(ungated) > 0 {
		t.Errorf("b64Quiet(%q) = true, but the scan finds %v (ungated %v)", s, gated, ungated)
	}
	return true
}

// b64Shapes are the shapes a string of the base64 alphabets takes: the
// string, its base64 (standard, URL-safe with '-' for '_'), its words
// joined by '/', '+', '=' and '-', upper-cased, with a number before it.
func b64Shapes(s string) []string {
	std := base64.StdEncoding.EncodeToString([]byte(s))
	url := strings.ReplaceAll(base64.URLEncoding.EncodeToString([]byte(s)), "_", "-")
	out := []string{s, std, url, strings.ToUpper(std), "1" + std, "0e" + std, "9" + s, "//" + std, std + "--" + std}
	ws := strings.FieldsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	for _, sep := range []string{"/", "+", "=", "-", "=="} {
		j := strings.Join(ws, sep)
		out = append(out, j, "QUJD"+sep+j, j+sep+"QUJD", "1"+j, "+A"+j)
	}
	return out
}

// TestB64Quiet checks b64Quiet on the rule examples, the fixtures and the
// development corpus in the shapes of b64Shapes, and that it finds the
// common shapes of base64 quiet.
func TestB64Quiet(t *testing.T) {
	d := mustNew(t, Config{})
	ins := gateInputs(t)
	if p := findCorpus(); p != "" {
		for _, it := range loadCorpus(t) {
			ins = append(ins, it.Payload)
		}
	}
	quiet := 0
	n := 0
	for _, s := range ins {
		for _, m := range b64Shapes(s) {
			n++
			if b64QuietCheck(t, d, m) {
				quiet++
			}
		}
	}
	t.Logf("%d of %d strings quiet", quiet, n)
	for _, tc := range []struct {
		s     string
		quiet bool
	}{
		{"eyJuYW1lIjoicmVkIHNob2VzIDkzIiwidGFncyI6WyJhIiwiYiJdLCJxdHkiOjkzfQ==", true},
		{"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw", true},
		{"550e8400-e29b-41d4-a716-446655440000", true},
		{"rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==", false}, // a Java stream
		{"AAEAAAD/////AQAAAAAAAAAMAgAAAA==", false},     // a .NET stream
		{"2147483648999", false},                        // digits only (and an overflow)
		{"abcdefghijklmnop", false},                     // lower-case letters only: prose
		{"etc/passwd/xx", false},                        // keywords
		{"QUJD--QUJDQUJD", false},
		{"QUJD0xQUJDQUJD", true}, // a "0x" before no hex-notation pair
		{"QUJD0x2eQUJDQUJD", false},
		{"QUJD0X2FQUJDQUJD", false},
		{"//QUJDQUJDQUJD", false},
		{"QUJDQUJD+ADw-QUJD", false}, // a UTF-7 view: "QUJDQUJD<QUJD"
		{"QUJD+ADwQUJDQUJD", true},   // no view: the run decodes to no text
		{"QUJD_QUJDQUJD", true},      // base64url
		{"QUJD__QUJDQUJD", false},    // "__": the prototype and SSTI gates
		{"QUJDQUJDQ", false},         // nine bytes
		{"9union", false},
		{"QUJD/or/QUJDQUJD=", false}, // a boolean word and '=': the SQL gate
		{"QUJD/t/QUJDQUJD", true},    // SSTI's "t" without a bracket
		{"ls/QUJDQUJDQUJD", false},   // a command first, and a path
	} {
		t.Run(tc.s, func(t *testing.T) {
			if _, q := b64Quiet(tc.s); q != tc.quiet {
				t.Errorf("b64Quiet(%q) = %v, want %v", tc.s, q, tc.quiet)
			}
			b64QuietCheck(t, d, tc.s)
		})
	}
}

// FuzzB64Quiet checks b64Quiet against the ungated scan on fuzzed strings
// and their base64 shapes.
func FuzzB64Quiet(f *testing.F) {
	fuzzSeeds(f)
	for _, r := range Rules() {
		for _, a := range r.Attacks {
			f.Add(a)
			f.Add(base64.StdEncoding.EncodeToString([]byte(a)))
		}
	}
	f.Add("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw")
	f.Add("1e0union/select+1=1")
	f.Add("Aced0005-xx/etc/passwd")
	d := mustNew(t0(f), Config{})
	f.Fuzz(func(t *testing.T, s string) {
		b64QuietCheck(t, d, s)
		zeroMarksCheck(t, s)
		if _, ok := utf7View(s); ok != utf7Viewed(s) {
			t.Errorf("utf7Viewed(%q) = %v, utf7View ok %v", s, !ok, ok)
		}
		for _, m := range b64Shapes(s) {
			b64QuietCheck(t, d, m)
		}
	})
}

// zeroMarksCheck fails when deserMarker flags s and neither zeroMarks nor
// the search for AAEAAAD does.
func zeroMarksCheck(t *testing.T, s string) {
	t.Helper()
	cls := classify(s)
	if deserMarker(s, cls) && !zeroMarks(s) && !(cls&kUpper != 0 && strings.Contains(s, "AAEAAAD")) {
		t.Errorf("deserMarker(%q) = true, zeroMarks false", s)
	}
}

// TestZeroMarks checks zeroMarks with AAEAAAD against deserMarker.
func TestZeroMarks(t *testing.T) {
	for _, s := range []string{"rO0AB", "xrO0ABx", "aced0005", "ACED0005", "AcEd0005zz", "0xAAEAAAD", "AAEAAAD", "x0005", "aced000", "0x", "ab0X"} {
		zeroMarksCheck(t, s)
		if !zeroMarks(s) && !strings.Contains(s, "AAEAAAD") && deserMarker(s, classify(s)) {
			t.Errorf("%q", s)
		}
	}
	for _, s := range gateInputs(t) {
		for _, m := range b64Shapes(s) {
			zeroMarksCheck(t, m)
		}
	}
}

// TestUTF7Viewed compares utf7Viewed with utf7View's ok.
func TestUTF7Viewed(t *testing.T) {
	ins := []string{"+ADw-script+AD4-", "a+AGEAbABlAHIAdA-(1)", "+A", "+AD", "x+ADw", "+A+ADw-", "QUJD+AB/Z9==", "+AAAA+ADw-"}
	for _, s := range gateInputs(t) {
		ins = append(ins, b64Shapes(s)...)
	}
	for _, s := range ins {
		if _, ok := utf7View(s); ok != utf7Viewed(s) {
			t.Errorf("utf7Viewed(%q) = %v, utf7View ok %v", s, !ok, ok)
		}
	}
}

func t0(f *testing.F) testing.TB { return f }

// FuzzFoldCase compares foldCase, eight bytes a step, with lower byte by
// byte.
func FuzzFoldCase(f *testing.F) {
	for _, s := range []string{"", "A", "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", "aZ09+/=\x80\xc1\xda\xdb\xff@[ABCDEFG", "\xc1\xc2\xda\x41\x5a\x40\x5b\x60\x7b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := make([]byte, len(s))
		foldCase(got, s)
		for i := 0; i < len(s); i++ {
			if got[i] != lower(s[i]) {
				t.Fatalf("foldCase(%q)[%d] = %#x, want %#x", s, i, got[i], lower(s[i]))
			}
		}
	})
}

func TestFoldCaseBytes(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 9; pos++ {
			s := strings.Repeat("Q", pos) + string([]byte{byte(c)}) + strings.Repeat("z", 8-pos)
			got := make([]byte, len(s))
			foldCase(got, s)
			if got[pos] != lower(byte(c)) || got[0] != lower(s[0]) {
				t.Fatalf("foldCase(%q) = %q", s, got)
			}
		}
	}
}

// FuzzScanClasses checks that the classes ScanClasses returns are those
// of every byte of s (classify), whichever path it takes (a short string,
// b64Quiet, the UTF-7 view, the full scan): package guard reads them for
// looksBase64 (looksBase64Cls).
func FuzzScanClasses(f *testing.F) {
	fuzzSeeds(f)
	f.Add("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==")
	f.Add("+ADw-script+AD4-alert(1)")
	d := mustNew(t0(f), Config{})
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []Kind{Value, Key} {
			if _, c := d.ScanClasses(nil, s, Input{Kind: k}); uint32(c) != classify(s) {
				t.Fatalf("ScanClasses(%q, %v) classes %#x, classify %#x", s, k, uint32(c), classify(s))
			}
			if c := ClassesOf(s); uint32(c) != classify(s) {
				t.Fatalf("ClassesOf(%q) = %#x", s, uint32(c))
			}
		}
	})
}

// tokenShapes are the shapes of tokens a string takes: its URL-safe
// base64 with '_', a JSON Web Token carrying it in its claims, its header
// and its signature, opaque tokens of its words joined by '_' and '.',
// each alone and after an Authorization scheme, and the string itself
// after one.
func tokenShapes(s string) []string {
	u := base64.RawURLEncoding.EncodeToString([]byte(s))
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"` + s + `","iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf"}`))
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"` + s + `","alg":"RS256"}`))
	jwt := hdr + "." + claims + "." + u
	ws := strings.FieldsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	out := []string{u, jwt, "eyJhbGciOiJIUzI1NiJ9." + u + ".c2ln", u + "." + u, strings.Join(ws, "_"), strings.Join(ws, "."),
		"QUJD_" + strings.Join(ws, "_") + ".QUJD", "1_" + u, "." + u}
	n := len(out)
	for _, t := range out[:n] {
		out = append(out, "Bearer "+t, "bearer "+t)
	}
	return append(out, "Bearer "+s, "Basic "+s, "Basic "+base64.StdEncoding.EncodeToString([]byte(s)), "BEARER "+s)
}

// TestTokenQuiet checks b64Quiet on the rule examples, the fixtures and
// the development corpus in the shapes of tokenShapes, and on attacks
// hidden in token-looking values (never quiet: each is flagged) and their
// benign look-alikes (quiet).
func TestTokenQuiet(t *testing.T) {
	d := mustNew(t, Config{})
	ins := gateInputs(t)
	if p := findCorpus(); p != "" {
		for _, it := range loadCorpus(t) {
			ins = append(ins, it.Payload)
		}
	}
	quiet, n := 0, 0
	for _, s := range ins {
		for _, m := range tokenShapes(s) {
			n++
			if b64QuietCheck(t, d, m) {
				quiet++
			}
		}
	}
	t.Logf("%d of %d token shapes quiet", quiet, n)
	sig := strings.Repeat("U4x_lrFkvxuXu59LtHLon1sUhPJSCcnZND6SugndnVLf15tNdkKbYXoMn58NO6Vb", 5)
	jwt := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyJ9.eyJzdWIiOiJhYWFhIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0." + sig
	for _, tc := range []struct {
		s       string
		flagged bool // the scan flags it (never quiet); else it must be quiet
	}{
		{"Bearer ' or 1=1--", true},
		{"Bearer " + jwt + "'union select password from users--", true},
		{"Bearer ../../etc/passwd", true},
		{"Bearer ${jndi:ldap://x}", true},
		{"Bearer " + jwt + "/../../../etc/passwd", true},
		{"Bearer " + jwt + ".__proto__", true},
		{"Bearer " + jwt + ";cat /etc/passwd", true},
		{"Bearer <script>alert(1)</script>", true},
		{"Bearer //169.254.169.254/latest/meta-data/", true},
		{"Bearer 169.254.169.254", true},
		{"Bearer rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA", true},
		{"Basic ' or ''='", true},
		{"Bearer " + jwt + "0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fpasswd", true},
		{"Bearer " + jwt, false},
		{jwt, false},
		{"bearer " + jwt, false},
		{"Bearer " + sig + sig, false},
		{sig + "_" + sig, false},
		{"Basic dXNlcjpwYXNzd29yZA==", false},
		{"Bearer 2YotnFZFEjr1zCsicMWpAA", false}, // RFC 6749's example access token
		{"Bearer mF_9.B5f-4.1JqM", false},        // RFC 6750's example
		{"550e8400_e29b_41d4_a716_446655440000.QUJD", false},
		{"Bearer eyJzdWIiOiI3ZDhlNGEyYi0xYzNmLTRlNWQ.eyJMWI0xYzNm.c2ln", false}, // a "0x" in base64
	} {
		t.Run(tc.s, func(t *testing.T) {
			_, q := b64Quiet(tc.s)
			ms := d.Scan(nil, tc.s, Input{Kind: Value})
			if tc.flagged {
				if q || len(ms) == 0 {
					t.Errorf("%q: quiet %v, matches %v; want flagged", tc.s, q, ms)
				}
				return
			}
			if !q || len(ms) > 0 {
				t.Errorf("%q: quiet %v, matches %v; want quiet", tc.s, q, ms)
			}
			b64QuietCheck(t, d, tc.s)
		})
	}
}

// FuzzTokenQuiet checks b64Quiet against the ungated scan on fuzzed
// strings in the shapes of tokens (tokenShapes) and random tokens of the
// base64url alphabet, dotted and after a scheme.
func FuzzTokenQuiet(f *testing.F) {
	fuzzSeeds(f)
	for _, r := range Rules() {
		for _, a := range r.Attacks {
			f.Add(a)
		}
	}
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
	f.Add("Bearer mF_9.B5f-4.1JqM")
	f.Add("java.lang.Runtime_exec.etc_passwd")
	f.Add("Bearer eyJMWI0xYzNm.eyJ0x2e0x2f.0X5C")
	d := mustNew(t0(f), Config{})
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	f.Fuzz(func(t *testing.T, s string) {
		b64QuietCheck(t, d, s)
		for _, m := range tokenShapes(s) {
			b64QuietCheck(t, d, m)
		}
		// the fuzzed bytes read as a random token: each byte picks a
		// letter of the alphabet, or a '.' or '+' '/' '=' (rarely)
		tok := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c < 0xf0:
				tok = append(tok, alphabet[int(c)%len(alphabet)])
			case c < 0xf8:
				tok = append(tok, '.')
			default:
				tok = append(tok, "+/= "[c&3])
			}
		}
		b64QuietCheck(t, d, string(tok))
		b64QuietCheck(t, d, "Bearer "+string(tok))
	})
}
