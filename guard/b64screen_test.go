package guard

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/detect"
	"go.uber.org/zap"
)

// b64ScreenWant is what b64Screen must answer about v's base64 paths:
// none when neither looksBase64 nor escapedB64Maybe holds, and blank
// (looksBase64 cannot hold) when v holds a blank or a '%'.
func checkB64Screen(t *testing.T, v string) {
	t.Helper()
	sc := b64Screen(v)
	plain, esc := looksBase64(v), escapedB64Maybe(v)
	if sc == b64None && (plain || esc) {
		t.Errorf("b64Screen(%q) = none, but looksBase64 %v, escapedB64Maybe %v", v, plain, esc)
	}
	if !b64Plain(sc) && plain {
		t.Errorf("b64Screen(%q) = %#x, not plain, but looksBase64 holds", v, sc)
	}
	if b64Plain(sc) && b64Looks(sc, v) != plain {
		t.Errorf("b64Looks(%#x, %q) = %v, looksBase64 %v", sc, v, !plain, plain)
	}
	if blank := strings.ContainsAny(v, " %"); sc != b64None && (sc&b64Blank != 0) != blank {
		t.Errorf("b64Screen(%q) = %#x: blank bit %v, want %v", v, sc, sc&b64Blank != 0, blank)
	}
}

func TestB64Screen(t *testing.T) {
	for _, v := range []string{
		"", "a", "abcdefgh", "ABCDEFGH", "abcdEFGH", "abcd1234", "QUJDREVG", "QUJD REVG", "PHN2Zz4+", "PHN2Zz4 ",
		"PHN2Zz4%2B", "PHN2Zz4%3d", "%2BPHN2Zz4", " PHN2Zz4+", "red shoes", "red shoes and more", "a123 (b) c-861",
		"' OR 1=1--", "aGVsbG8=", "aGVsbG8gd29ybGQ=", "aGVs bG8g d29y bGQ=", "x7k2%08dqz", "abc_def-ghi", "abc/def+ghi",
		"hello%20world", "hello world!", "ÿÿÿÿÿÿÿÿ", "abcdefgh\x00", "==", "abcd====", strings.Repeat("QUJD", 20),
		"abcdefg", "abcdefghi", "abcdefghij", "abcdefghijk", "ab=cdefgh", "abcdefgh==", "abcdefg=", "abc+def_ghi", "ABCD1234",
		"12345678", "abcdEFGH1", "abcd+/12", "abcd-_12", "x7k2qz0abcde",
		strings.Repeat("ab ", 30), strings.Repeat("Ab ", 30) + "(",
	} {
		checkB64Screen(t, v)
	}
	// every byte, alone and in a base64-like and a prose-like string
	for c := 0; c < 256; c++ {
		b := string(rune(c))
		if c >= 0x80 {
			b = string([]byte{byte(c)})
		}
		checkB64Screen(t, b)
		checkB64Screen(t, "QUJDREVG"+b+"SEk")
		checkB64Screen(t, "abc def "+b+"ghij")
		checkB64Screen(t, b+"QUJDREVG")
	}
}

func FuzzB64Screen(f *testing.F) {
	for _, v := range []string{"QUJD REVG", "PHN2Zz4%2B", "red shoes", "a123 (b) c-861", "aGVsbG8="} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkB64Screen(t, v)
	})
}

// TestB64Idle: judgeString's short path takes a clean string that base64Text
// or escapedBase64 would return from at once (b64Idle) as one with nothing
// of base64, and
// compares a string of the length of matchMemo's with it rather than
// leaving the path; neither changes a decision. Lists of same-length ids
// (most decode to binary at once, some to text), base64 of attacks and of
// text of that length among them, text with blanks and base64 with blanks
// and escapes, repeats, in JSON, a form and the query,
// are inspected with and without b64Idle by guards configured in several
// ways, each inspection by a guard of its own (cleanMemo).
func TestB64Idle(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	esc := strings.NewReplacer("+", " ", "/", "%2F", "=", "%3D").Replace
	x := uint32(2463534242)
	id := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[x%62]
		}
		return string(b)
	}
	var vals []string
	for i := range 60 {
		vals = append(vals, id(8+i%3*4))
		switch i % 10 {
		case 3:
			vals = append(vals, enc("' OR 1=1--"), enc("<script>"), enc("abcdefghi"))
		case 7:
			vals = append(vals, enc("1;ls -la"), enc("../../x"), enc("red shoes"), vals[len(vals)-3])
		case 5:
			// text with blanks (escapedBase64's case), and base64 whose
			// '+' came as a blank and '/' and '=' escaped (a form's
			// unencoded '+'): of attacks and of text
			vals = append(vals, fmt.Sprintf("red shoes %d", i), "a b c d e f", "QUJD REVG", esc(enc("<svg/onload=alert(1)>")),
				esc(enc("?>\x00;<?php system($_GET[c])")), esc(enc("text >>> more")), "x%2By=z", "100% pure cotton")
		}
	}
	many := strings.Repeat(`"' OR 1=1--",`, 70)
	arr := `["` + strings.Join(vals, `","`) + `"]`
	var form []string
	var params []Param
	for i, v := range vals {
		form = append(form, fmt.Sprintf("f%d=%s", i, v))
		if i < 40 {
			params = append(params, Param{Name: fmt.Sprint("q", i), Value: v})
		}
	}
	invs := map[string]func() *Invocation{
		"json": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte(arr)}
		},
		"json past the bound": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte("[" + many + arr + "]")}
		},
		"form and query": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/x-www-form-urlencoded",
				Query: params, Body: []byte(strings.Join(form, "&"))}
		},
		"base64 of the json": func() *Invocation {
			return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p", ContentType: "application/json", Body: []byte(`{"d":"` + enc(arr) + `"}`)}
		},
	}
	guards := map[string][]Option{
		"default":        nil,
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"sqli off":       {WithCategoryMode(SQLi, Off)},
		"excluded":       {WithExclusion("body[3]")},
	}
	defer func() { noB64Idle = false }()
	found := 0
	for gname, opts := range guards {
		for iname, inv := range invs {
			var ds [2]Decision
			for k, off := range []bool{true, false} {
				g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				noB64Idle = off
				ds[k] = g.Inspect(context.Background(), inv())
			}
			found += len(ds[0].Findings)
			if !reflect.DeepEqual(ds[1], ds[0]) {
				t.Errorf("%s, %s: with b64Idle\n%+v\nwant\n%+v", gname, iname, ds[1], ds[0])
			}
		}
	}
	if found == 0 {
		t.Fatal("no finding at all: the test says little")
	}
}

// b64IdleSwitch is b64Idle without its first test (its switch on
// b64Screen alone), the reference TestB64IdleLead compares it with.
func b64IdleSwitch(v string) bool {
	switch sc := b64Screen(v); {
	case sc == b64None:
		return true
	case b64Plain(sc) && b64Looks(sc, v):
		return !b64MayBeText(v)
	case strings.IndexByte(v, ' ') > 0 || strings.IndexByte(v, '%') > 0:
		return !escapedB64Maybe(v)
	}
	return true
}

func checkB64IdleLead(t *testing.T, v string) {
	t.Helper()
	if got, want := b64Idle(v), b64IdleSwitch(v); got != want {
		t.Errorf("b64Idle(%q) = %v, its switch alone %v", v, got, want)
	}
	if len(v) >= 8 && b64IdleLead(v) && !strings.Contains(v[:4], " ") && b64MayBeText(v) {
		t.Errorf("b64IdleLead(%q): b64MayBeText passes it", v)
	}
}

// TestB64IdleLead: b64Idle's first test (eight characters of the
// alphabets that decode to no text) answers as its switch does, for ids
// and random names of every length and alphabet, base64 of text (which
// the test lets through), with blanks, escapes, padding or other bytes
// at each of the first nine places.
func TestB64IdleLead(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	x := uint32(88172645)
	rnd := func(alpha string, n int) string {
		b := make([]byte, n)
		for i := range b {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b[i] = alpha[x%uint32(len(alpha))]
		}
		return string(b)
	}
	alphas := []string{
		"abcdefghijklmnopqrstuvwxyz0123456789",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
		"0123456789abcdef",
	}
	inserts := []string{" ", "%2B", "%2f", "%3D", "=", "==", "-", "+", "_", "/", ".", "\x00", "é", "%", "%41"}
	idle, lead := 0, 0
	for _, alpha := range alphas {
		for n := 0; n <= 40; n++ {
			for range 40 {
				v := rnd(alpha, n)
				checkB64IdleLead(t, v)
				if b64Idle(v) {
					idle++
				}
				if len(v) >= 8 && b64IdleLead(v) {
					lead++
				}
				for _, ins := range inserts {
					for at := 0; at <= min(n, 9); at++ {
						checkB64IdleLead(t, v[:at]+ins+v[at:])
					}
				}
			}
		}
	}
	for _, s := range []string{"red shoes", "<script>alert(1)</script>", "' OR 1=1--", "abcdefghijkl", "héllo wörld",
		"\x1f\x8b\x08\x00\x00\x00\x00\x00", "text >>> more", "1;ls -la", "{\"a\":1}"} {
		e := enc(s)
		for _, v := range []string{e, strings.TrimRight(e, "="), strings.ReplaceAll(e, "+", " "), strings.ReplaceAll(e, "/", "%2F"), e + "x", "x" + e} {
			checkB64IdleLead(t, v)
		}
	}
	for _, v := range []string{"red shoes 12", "a b c d e f", "QUJD REVG", "the quick brown", "x%2By=z", "100% pure cotton",
		"Abc dEFG", "ab+cdefgh", "PHN2 Zz4 ", "PH N2Zz4+", "aGVs bG8g d29y bGQ=", "Q UJD", "free shipping", "é tudiant"} {
		checkB64IdleLead(t, v)
	}
	if idle == 0 || lead == 0 || lead == idle {
		t.Fatalf("idle %d, answered by the first test %d: the cases miss one side", idle, lead)
	}
}

func FuzzB64IdleLead(f *testing.F) {
	for _, v := range []string{"x7k2qz0abcde", "QUJD REVG", "PHN2Zz4%2B", "aGVsbG8=", "red shoes 12", "abcdefgh"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkB64IdleLead(t, v)
	})
}

// TestClassesOutsideBase64: the detector's classes of a string tell a
// byte that b64Screen answers b64None for (b64Out) exactly, wherever the
// byte is in a short, a medium or a long string (Scan reads each length
// its own way): the judging paths skip b64Idle for such a string.
func TestClassesOutsideBase64(t *testing.T) {
	det, err := detect.NewBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 4, 7, 8, 12, 31, 32, 47, 100} {
		for _, in := range []detect.Input{{}, {Kind: detect.Key}} {
			for c := 0; c < 256; c++ {
				for _, at := range []int{0, n / 2, n - 1} {
					b := []byte(strings.Repeat("a", n))
					b[at] = byte(c)
					_, cls := det.ScanClasses(nil, string(b), in)
					if want := b64Screens[c]&b64Out != 0; cls.OutsideBase64() != want {
						t.Fatalf("byte %#x at %d of %d (kind %v): OutsideBase64 %v, b64Screens out %v", c, at, n, in.Kind, cls.OutsideBase64(), want)
					}
					if cls.OutsideBase64() && !b64Idle(string(b)) {
						t.Fatalf("byte %#x at %d of %d: b64Idle refuses a string with a byte outside base64", c, at, n)
					}
				}
			}
		}
	}
}
