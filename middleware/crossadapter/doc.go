// Package crossadapter holds no code: its tests run the same scenarios
// through every fnguard adapter — guardlambda (aws-lambda-go's
// lambda.NewHandler behind WrapHandler, fed real event JSON), guardhttp and
// guardgcf (real servers on 127.0.0.1) — and compare what each answers
// (statuses, errors, batch item failures) and what each records (the one
// decision log line: action, rule, location). They all go through
// guard.Run, so a difference is a bug in an adapter's mapping in or
// answer out.
package crossadapter
