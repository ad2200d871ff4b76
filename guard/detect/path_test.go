package detect

import (
	"strings"
	"testing"
)

// TestSensitivePathLists checks what sensitivePath's cheap exits rely
// on: every bare and word file name has a '.', every stream wrapper a
// "://"; and, through Scan, that names and wrappers are still found in
// values with them, and prose with neither stays clean.
func TestSensitivePathLists(t *testing.T) {
	for _, f := range bareSensitiveFiles {
		if !strings.Contains(f, ".") {
			t.Errorf("bareSensitiveFiles: %q has no '.'", f)
		}
	}
	for _, f := range wordSensitiveFiles {
		if !strings.Contains(f, ".") {
			t.Errorf("wordSensitiveFiles: %q has no '.'", f)
		}
	}
	for _, w := range append(phpWrappers[:len(phpWrappers):len(phpWrappers)], otherWrappers[:]...) {
		if !strings.Contains(w, "://") {
			t.Errorf("wrapper %q has no \"://\"", w)
		}
	}
	d := mustNew(t, Config{})
	cases := []struct{ in, want string }{
		{"oboot.ini", "path.sensitive_file"},
		{"conf/tomcat-users.xml", "path.sensitive_file"},
		{"php://filter/convert.base64-encode/resource=index", "path.php_wrapper"},
		{"expect://id", "path.php_wrapper"},
		{"select the system from users and go", ""},
		{"global settings were saved to the web config page", ""},
	}
	for _, c := range cases {
		got := ""
		for _, m := range d.Scan(nil, c.in, Input{Kind: Value}) {
			if m.Category == PathTraversal {
				got = m.Rule
			}
		}
		if got != c.want {
			t.Errorf("%q reported %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPathMention: a sensitive name a sentence mentions is not a path
// value; the same name as the value, after a command word, quoted as a
// SQL or shell literal, climbing with "..", decoded from percent-encoding
// or glued to other syntax still is.
func TestPathMention(t *testing.T) {
	for _, c := range []struct {
		in      string
		decoded bool
		mention bool
	}{
		{"The error is at /etc/nginx/nginx.conf line 12", false, true},
		{"Set PATH=$PATH:/usr/local/go/bin in your ~/.bashrc", false, true},
		{"show me the /etc/passwd file please", false, true},
		{`Traceback: File "/var/task/app.py", line 3`, false, true},
		{"the logs are in (/var/log/app).", false, true},
		{"/etc/passwd", false, false},
		{"cat /etc/passwd", false, false},
		{"please read /etc/passwd", false, false},
		{"copy t from '/etc/passwd';", false, false},
		{"the file at ../../etc/passwd is read", false, false},
		{"the file at /etc/passwd%00 is read", false, false},
		{"the file at file:///etc/passwd is read", false, false},
		{"the file at /etc/passwd;id is read", false, false},
		{"the error is at /etc/nginx/nginx.conf line 12", true, false},
	} {
		t.Run(c.in, func(t *testing.T) {
			b := []byte(strings.ToLower(c.in)) // the detectors read the folded view
			i := strings.Index(c.in, "etc/")
			if i < 0 {
				i = strings.Index(c.in, "var/")
			}
			if i < 0 {
				i = strings.Index(c.in, ".bashrc")
			}
			e := i + strings.IndexAny(c.in[i:], " ;%'\")") // the name's end
			if e < i {
				e = len(c.in)
			}
			if got := pathMention(b, i, e, c.decoded); got != c.mention {
				t.Fatalf("pathMention(%q) = %v, want %v", c.in, got, c.mention)
			}
		})
	}
}

// TestSensPairs checks that sensPairs' first bytes are sensStarts: the
// names the pairs were made of are the ones the cases look for at those
// bytes.
func TestSensPairs(t *testing.T) {
	for k := range sensStarts {
		t.Run(string(rune('0'+k)), func(t *testing.T) {
			for c := 0; c < 256; c++ {
				if sensStarts[k][c] != (sensPairs[k][c] != 0) {
					t.Errorf("byte %q: sensStarts %v, sensPairs %#x", c, sensStarts[k][c], sensPairs[k][c])
				}
			}
		})
	}
}

// FuzzSensitivePairs checks that sensPairs' filter changes no answer of
// sensitivePath.
func FuzzSensitivePairs(f *testing.F) {
	var names []string
	names = append(names, "etc/passwd", "etco%hosts", "/proc/self/environ", "/var/task/x", "web-inf/web.xml", "\\meta-inf\\x",
		"c:\\windows\\win.ini", "winnt/system32/config", "system32\\drivers", "/.env", ".env.local", "include('http://e/x')",
		"require_once \"ftp://x/y\"", "file:///etc", "file:..", "/inetpub/x", "/run/secrets/k", "/root/.flag", "php://input",
		"data://text/plain;base64,x", "expect://id", "tomcat-users.xml", "boot.ini", "oboot.ini x")
	names = append(names, dotFiles[:]...)
	names = append(names, homeFiles[:]...)
	names = append(names, phpWrappers[:]...)
	names = append(names, otherWrappers[:]...)
	for _, n := range names {
		f.Add(n)
		f.Add("a " + n + " b")
		f.Add("%c0" + n)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(strings.ToLower(s))
		for _, decoded := range []bool{false, true} {
			got := sensitivePath(b, decoded)
			noSensPairs = true
			want := sensitivePath(b, decoded)
			noSensPairs = false
			if got.rule != want.rule || string(got.frag) != string(want.frag) {
				t.Fatalf("sensitivePath(%q, %v) = %v, without sensPairs %v", b, decoded, got, want)
			}
		}
	})
}
