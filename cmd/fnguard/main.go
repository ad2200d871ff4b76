// Command fnguard replays recorded events through an fnguard policy,
// explains the verdict on one string, lists the detection rules and audits
// AWS SAM / CloudFormation templates for the setup-phase threats that no
// event shows (wildcard permissions, public function URLs, confused
// deputies, secrets in templates).
//
//	fnguard replay [flags] PATH...     what would the policy block on this traffic?
//	fnguard check [--location L] STR   the verdict on one string, and why
//	fnguard rules [--format json]      the rule inventory
//	fnguard audit [flags] TEMPLATE...  setup-phase findings, as text, JSON or SARIF
//
// Exit status: 0 nothing found, 1 something would be blocked (replay, check)
// or a finding at or above --fail-on (audit), 2 usage or input errors.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0 // nothing would be blocked / no finding at the threshold
	exitFindings = 1 // something would be blocked / findings at the threshold
	exitUsage    = 2 // bad flags, unreadable or malformed input
)

const usage = `fnguard — replay events through an fnguard policy, explain verdicts, audit templates

Usage:
  fnguard replay [--env FILE] [--format text|json|markdown] PATH...
  fnguard check  [--env FILE] [--location LOC] [--format text|json] STRING
  fnguard rules  [--format text|json]
  fnguard audit  [--format text|json|sarif] [--fail-on high|medium|low] TEMPLATE...
  fnguard version

Run 'fnguard COMMAND -h' for the flags of one command.

Exit status: 0 when nothing would be blocked (or no finding at --fail-on),
1 when something would, 2 on usage or input errors.
`

// version is set at release time with -ldflags "-X main.version=vX.Y.Z".
var version = "devel"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it with their own streams.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "replay":
		return runReplay(args[1:], stdin, stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "audit":
		return runAudit(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "fnguard", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "fnguard: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
