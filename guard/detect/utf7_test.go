package detect

import (
	"strings"
	"testing"
)

func TestUTF7View(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+ADw-script+AD4-", "<script>"},
		{"+ADwAIQ-DOCTYPE", "<!DOCTYPE"},
		{"a +ACI-b+ACI- c", `a "b" c`},
		{"x+ADw-", "x<"},
		{"+ADw", "<"},
		{"C++", ""},           // no shift sequence
		{"a+b=c", ""},         // not 'A'
		{"+Alpha", ""},        // leftover bits
		{"+AAAA-", ""},        // NUL is no printable ASCII
		{"+AOk-t+AOk-", ""},   // é: not ASCII, left alone
		{"ab+AZw9/Qx+Ab", ""}, // base64 data
		{"", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := utf7View(c.in)
			if ok != (c.want != "") || got != c.want {
				t.Fatalf("utf7View(%q) = %q, %v; want %q", c.in, got, ok, c.want)
			}
		})
	}
}

// TestUTF7Scan: UTF-7 markup is judged as a UTF-7 reader sees it; text
// with '+' is not changed by it.
func TestUTF7Scan(t *testing.T) {
	d := mustNew(t, Config{})
	attacks := map[string]Category{
		"+ADw-iframe src+AD0-javascript:x+AD4-":                    XSS,
		"+ADw-img src+AD0-x onerror+AD0-prompt(1)+AD4-":            XSS,
		"+ADwAIQ-ENTITY x SYSTEM +ACI-file:///etc/hosts+ACI-+AD4-": XXE,
		"+ACIAPgA8-svg/onload+AD0-x+AD4-":                          XSS,
	}
	for a, cat := range attacks {
		t.Run("attack/"+a, func(t *testing.T) {
			ms := d.Scan(nil, a, Input{})
			found := false
			for _, m := range ms {
				found = found || m.Category == cat
			}
			if !found {
				t.Fatalf("Scan(%q) = %v, want %s", a, ms, cat)
			}
		})
	}
	for _, b := range []string{"C++ADw-T+AD4- is a template", "1+Apple=2", "+Alice and +Bob", "A+ grade, A++ service",
		"x = a +ADw- b", strings.Repeat("+ADw-b+AD4-bold+ADw-/b+AD4- ", 3)} {
		t.Run("benign/"+b, func(t *testing.T) {
			if ms := d.Scan(nil, b, Input{}); len(ms) != 0 {
				t.Fatalf("Scan(%q) = %v, want nothing", b, ms)
			}
		})
	}
	if n := testing.AllocsPerRun(100, func() { d.Scan(nil, "a+b and C++ are fine, A+ grade", Input{}) }); n != 0 {
		t.Fatalf("clean string with '+' allocates %v times", n)
	}
}

// FuzzUTF7View: decoding never panics, never grows the string, and a
// string without "+A" is never changed.
func FuzzUTF7View(f *testing.F) {
	for _, s := range []string{"+ADw-script+AD4-", "C++", "+AAAA-", "+ADw", "a+AGE-b+-", "++A+A+A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := utf7View(s)
		if !ok {
			if v != "" {
				t.Fatal("view without ok")
			}
			return
		}
		if !utf7Hint(s) {
			t.Fatalf("utf7View(%q) decoded without a hint", s)
		}
		if len(v) >= len(s) {
			t.Fatalf("utf7View(%q) = %q: not shorter", s, v)
		}
	})
}

// FuzzBase64ModRun compares base64ModRun with the byte loop it replaces.
func FuzzBase64ModRun(f *testing.F) {
	f.Add("+ADw-script+AD4-", 1)
	f.Add("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVph+/09=x", 0)
	f.Add("abcdefghijklmnopq rst", 3)
	f.Fuzz(func(t *testing.T, s string, j int) {
		if j < 0 || j > len(s) {
			return
		}
		want := j
		for want < len(s) && isBase64Mod(s[want]) {
			want++
		}
		if got := base64ModRun(s, j); got != want {
			t.Fatalf("base64ModRun(%q, %d) = %d, want %d", s, j, got, want)
		}
	})
}
