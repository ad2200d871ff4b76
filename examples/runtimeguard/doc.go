// Command runtimeguard is a deployable AWS Lambda function behind an API
// Gateway REST API that shows what fnguard's runtime controls are for: the
// attack that gets past the input checks. Its two routes are vulnerable on
// purpose; do not copy them.
//
//   - GET /preview?url=... fetches the URL with http.DefaultClient for a link
//     preview (server-side request forgery). The payload
//     http://cdn.example.net/status names a public-looking host whose DNS
//     record points at an internal address; input inspection sees a
//     well-formed link and has nothing to flag.
//   - GET /stats?file=... pastes the file name into a /bin/sh command line
//     that runs wc (command injection). The payload "notes.txt; id > pwned"
//     is flagged by the cmdi detector, but this function runs the cmdi
//     category in monitor mode, so the finding is logged and the request
//     goes on, as it would for a payload the detector misses.
//
// The configuration (template.yaml) turns on the two runtime controls, which
// guardlambda installs (guard.(*Guard).Protect) before the first invocation:
//
//	FNGUARD_MODE=block
//	FNGUARD_CATEGORY_MODES=cmdi=monitor
//	FNGUARD_EGRESS_ALLOW=docs.example.com   # the one host the function needs
//	FNGUARD_LOCKDOWN=exec                   # no program may start
//
// With them, the forged request fails when it is dialled (the handler
// answers 502) and fnguard logs an egress.denied finding naming
// cdn.example.net; the injected command never runs, because the shell
// itself cannot start (execve fails with EPERM; the handler answers 500), and
// the handler's call to guard.(*Guard).ReportExecDenied logs a lockdown.exec
// finding, since the kernel refuses silently. Every finding is one JSON line
// on stdout (CloudWatch Logs), without the payload's arguments.
//
// Build for Lambda (runtime provided.al2023, x86_64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -tags lambda.norpc -trimpath -o examples/runtimeguard/build/bootstrap ./examples/runtimeguard
//
// The tests run the function as a process against a fake Lambda Runtime API
// on 127.0.0.1, with and without the controls, and show that the same
// requests reach their targets without them: see README.md.
package main
