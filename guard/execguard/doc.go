// Package execguard stops command injection at the program start.
//
// Command is exec.CommandContext with a check first: the command is judged
// against the inputs of the invocation in ctx (the middlewares put it
// there; elsewhere use guard.NewContext), and a command an input has
// subverted is never started:
//
//	cmd, err := execguard.Command(ctx, "/bin/sh", "-c", "ping -c 1 "+host)
//	if errors.Is(err, guard.ErrBlocked) { ... } // host was "x; cat /etc/passwd"
//
// # How a command is judged
//
// When the program is a shell given a script (sh/bash/dash/zsh/ksh -c,
// cmd /c, powershell/pwsh -Command, also behind env, nice, timeout, sudo,
// xargs...), the script is lexed with that shell's quoting rules (single
// and double quotes, backslash, caret or backtick escapes, substitutions
// nested inside double quotes). An input that occurs in it is an injection
// when it adds a substitution — $( ), backticks, ${ }, <( ) —
// (exec.substitution), or spans more than one token and covers a command
// separator or a comment (exec.separator), a redirection
// (exec.redirection) or a word in command position (exec.command). An input
// that is the command word itself is exec.program. Text inside single
// quotes, and words in argument position, are not findings.
//
// Without a shell the program's argv is not parsed by anyone: an input is
// an injection only when it becomes the program (its path or its name,
// exec.program) or an option that runs a command (find -exec, tar
// --to-command, git --upload-pack, rsync --rsh, ssh -oProxyCommand:
// exec.option).
//
// So the safe way to pass input to a shell is as a positional parameter:
//
//	execguard.Command(ctx, "/bin/sh", "-c", `grep -- "$1" /data/log`, "sh", input)
//
// A call whose ctx carries no invocation is not checked. Findings are
// recorded with source "sink:exec"; FNGUARD_SINK_MODE=monitor records
// without blocking. With FNGUARD_LOCKDOWN=exec no program starts at all
// after initialisation; execguard is for functions that must start some.
package execguard
