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
