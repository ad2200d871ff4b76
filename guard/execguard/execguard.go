package execguard

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/fnguard/fnguard/guard"
)

// Rules of exec sink findings.
const (
	RuleSeparator    = "exec.separator"    // the input ends the command and starts another (; & | && || newline, a comment)
	RuleSubstitution = "exec.substitution" // the input adds $( ), backticks, ${ } or <( )
	RuleRedirection  = "exec.redirection"  // the input adds a redirection (> file, < file)
	RuleCommand      = "exec.command"      // the input supplies a word in command position
	RuleProgram      = "exec.program"      // the program itself comes from the input
	RuleOption       = "exec.option"       // the input is an option that runs a command (-exec, --command...)
	RuleSyntax       = "exec.syntax"       // the script no longer parses because of the input (monitor only)
)

// Command returns exec.CommandContext(ctx, name, args...) after checking
// the command against the inputs of the invocation in ctx. When name is a
// shell given a script (sh -c, bash -c, cmd /c, powershell -Command), the
// script is lexed and an input that spans more than one token and covers a
// separator, a substitution, a redirection or a command word is an
// injection. Without a shell, an input is an injection only when it
// becomes the program, or an option that runs a command (find's -exec,
// --command...). A blocked command returns an error for which
// errors.Is(err, guard.ErrBlocked) holds, and no *exec.Cmd.
//
// Passing inputs as separate arguments is always safe, also to a shell:
// sh -c 'grep -- "$1" /data/log' sh "$input".
func Command(ctx context.Context, name string, args ...string) (*exec.Cmd, error) {
	if err := Check(ctx, name, args...); err != nil {
		return nil, err
	}
	return exec.CommandContext(ctx, name, args...), nil
}

// Check runs Command's check without building a command, for code that
// starts programs another way (os.StartProcess, syscall.Exec).
//
// A command it lets through is also reported as a would-be refusal when the
// exec lockdown runs in monitor mode (guard.ReportExecStart).
func Check(ctx context.Context, name string, args ...string) error {
	if err := guard.CheckSink(ctx, guard.SinkCheck{Kind: guard.SinkExec, Statement: commandLine(name, args),
		Judge: func(in string) (guard.SinkVerdict, string) { return JudgeArgs(in, name, args...) }}); err != nil {
		return err
	}
	guard.ReportExecStart(ctx, name)
	return nil
}

// commandLine renders the command for an excerpt.
func commandLine(name string, args []string) string {
	if len(args) == 0 {
		return name
	}
	return name + " " + strings.Join(args, " ")
}

// JudgeArgs says whether input subverts the program start name+args.
func JudgeArgs(input, name string, args ...string) (guard.SinkVerdict, string) {
	if len(input) < guard.MinSinkInput {
		return guard.SinkSafe, ""
	}
	// The program: from input when the input is the name, or provides its
	// last path element.
	if fromInput(name, input) {
		return guard.SinkInjection, RuleProgram
	}
	for {
		base := programBase(name)
		if runsProgram(base) && len(args) > 0 {
			i := 0
			for i < len(args)-1 && args[i] != "" && (strings.HasPrefix(args[i], "-") || isAssignment(args[i]) || isDigit(args[i][0])) {
				i++
			}
			if fromInput(args[i], input) {
				return guard.SinkInjection, RuleProgram
			}
			name, args = args[i], args[i+1:]
			continue
		}
		if sh := shellOf(base); sh != NoShell {
			if script, ok := scriptArg(sh, args); ok {
				return JudgeScript(sh, script, input)
			}
		}
		break
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") && strings.Contains(a, input) && executingOption(a) {
			return guard.SinkInjection, RuleOption
		}
	}
	return guard.SinkSafe, ""
}

// fromInput reports whether the input provides the program path: the whole
// name, or its last element.
func fromInput(name, input string) bool {
	if name == input {
		return true
	}
	i := strings.LastIndex(name, input)
	if i < 0 {
		return false
	}
	base := strings.LastIndexAny(name, `/\`) + 1
	return i+len(input) == len(name) && i <= base
}

func programBase(name string) string {
	b := strings.ToLower(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	return strings.TrimSuffix(b, ".exe")
}

// runsProgram lists programs whose first operand is another program.
func runsProgram(base string) bool {
	switch base {
	case "env", "nice", "nohup", "timeout", "sudo", "doas", "stdbuf", "setsid", "xargs", "busybox", "time", "ionice", "chroot", "strace":
		return true
	}
	return false
}

func shellOf(base string) Shell {
	switch base {
	case "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "fish", "rbash":
		return POSIX
	case "cmd":
		return Cmd
	case "powershell", "pwsh":
		return PowerShell
	}
	return NoShell
}

// scriptArg finds the script a shell is told to run.
func scriptArg(sh Shell, args []string) (string, bool) {
	for i, a := range args {
		switch sh {
		case POSIX:
			if len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a, 'c') > 0 && i+1 < len(args) {
				return args[i+1], true
			}
		case Cmd:
			if la := strings.ToLower(a); (la == "/c" || la == "/k" || la == "/r") && i+1 < len(args) {
				return strings.Join(args[i+1:], " "), true
			}
		case PowerShell:
			la := strings.ToLower(a)
			if (la == "-command" || la == "-c" || la == "/c" || la == "-encodedcommand" || la == "-ec" || strings.HasPrefix("-command", la) && len(la) > 2) && i+1 < len(args) {
				return strings.Join(args[i+1:], " "), true
			}
		}
	}
	return "", false
}

// executingOption reports an option that makes the program run a command.
func executingOption(a string) bool {
	name := strings.ToLower(strings.TrimLeft(a, "-"))
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	switch name {
	case "exec", "execdir", "ok", "okdir", "command", "to-command", "checkpoint-action", "use-compress-program",
		"rsh", "upload-pack", "receive-pack", "unzip-command", "eval", "oproxycommand", "proxycommand", "run", "shell":
		return true
	}
	return strings.HasPrefix(name, "oproxycommand") || strings.HasPrefix(name, "checkpoint-action")
}

// JudgeScript says whether input, found in a shell script, changes what the
// script runs.
func JudgeScript(sh Shell, script, input string) (guard.SinkVerdict, string) {
	return guard.WorstOccurrence(script, input, func(s, e int) (guard.SinkVerdict, string) {
		return analyzeAt(sh, script, s, e)
	})
}

func analyzeAt(sh Shell, script string, s, e int) (guard.SinkVerdict, string) {
	l := newLexer(script, sh)
	n := 0
	var sep, subst, redir, cmdWord, errIn, comment, broken bool
	_ = errIn
	for {
		t := l.next()
		if t.kind == tEOF {
			break
		}
		if t.kind == tError {
			broken = true
			if t.start >= s && t.start < e {
				errIn = true
			}
			if t.start < e {
				n++
			}
			break
		}
		if t.end <= s || t.start >= e {
			continue
		}
		n++
		switch t.kind {
		case tSep:
			sep = true
		case tComment:
			if t.start >= s {
				comment = true
			}
		case tSubOpen:
			if t.start >= s {
				subst = true
			}
		case tSubClose:
			if t.start >= s {
				sep = true // closes a substitution opened outside: the rest runs as commands
			}
		case tRedir:
			redir = true
		case tParen:
			sep = true
		case tWord:
			if t.cmd {
				cmdWord = true
			}
		}
	}
	switch {
	case subst:
		return guard.SinkInjection, RuleSubstitution
	case n >= 2 && (sep || comment):
		return guard.SinkInjection, RuleSeparator
	case n >= 2 && redir:
		return guard.SinkInjection, RuleRedirection
	case n >= 2 && cmdWord:
		return guard.SinkInjection, RuleCommand
	case n == 1 && cmdWord:
		return guard.SinkInjection, RuleProgram
	case (errIn || broken) && parses(sh, script[:s]+"x"+script[e:]):
		return guard.SinkSuspect, RuleSyntax
	}
	return guard.SinkSafe, ""
}

// parses reports whether a script lexes without an unterminated quote or
// substitution.
func parses(sh Shell, script string) bool {
	l := newLexer(script, sh)
	for {
		switch l.next().kind {
		case tEOF:
			return true
		case tError:
			return false
		}
	}
}
