package redact

import (
	"os"
	"slices"
	"strings"
)

// FromEnv returns the values of the process's own credentials, to be passed
// as [Config.Secrets] so that they are scrubbed wherever they show up (an
// attacker reflecting them, an SSRF response, a panic message...).
//
// It collects, from os.Environ:
//
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
//     AWS_CONTAINER_AUTHORIZATION_TOKEN (set by Lambda for the execution
//     role and SnapStart/container credentials);
//   - every other variable whose name is a secret key by the built-in rules
//     ([Redactor.IsSecretKey]): GOOGLE_API_KEY, GITHUB_TOKEN, DB_PASSWORD,
//     STRIPE_SECRET_KEY, OPENAI_API_KEY, ... except names whose last word
//     says the value is a reference or a setting rather than the secret:
//     _URL, _URI, _ENDPOINT, _HOST, _PATH, _FILE, _DIR, _ARN, _NAME, _ID,
//     _TYPE, _MODE, _REGION, _TTL, _TIMEOUT, _EXPIRY, _ENABLED, _HEADER,
//     _VERSION, _LENGTH, _SIZE, _FORMAT, _ALGORITHM (so
//     GOOGLE_APPLICATION_CREDENTIALS_FILE, AUTH_MODE or SESSION_TTL are
//     skipped), and GOOGLE_APPLICATION_CREDENTIALS, which names a file.
//
// Values shorter than [MinSecretLen] bytes are dropped. The result is sorted
// and free of duplicates; it is empty, not nil, when nothing qualifies.
// Cloud Functions and Cloud Run receive no credentials in their environment
// (they use the metadata server), so on GCP only application secrets show
// up here.
func FromEnv() []string { return fromEnviron(os.Environ()) }

// awsCredentialVars are the credentials Lambda puts in the environment.
func awsCredentialVar(name string) bool {
	switch name {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN":
		return true
	}
	return false
}

// settingSuffixes end the names of settings that are not secrets
// (MY_TOKEN_URL), sorted.
var settingSuffixes = [...]string{
	"algorithm", "arn", "dir", "enabled", "endpoint", "expiry", "file", "format", "header", "host",
	"id", "length", "mode", "name", "path", "region", "size", "timeout", "ttl", "type", "uri", "url",
	"version",
}

func fromEnviron(environ []string) []string {
	out := []string{}
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || len(val) < MinSecretLen || !secretEnvName(name) {
			continue
		}
		out = append(out, val)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func secretEnvName(name string) bool {
	if awsCredentialVar(name) {
		return true
	}
	if name == "GOOGLE_APPLICATION_CREDENTIALS" || !(*Redactor)(nil).IsSecretKey(name) {
		return false
	}
	last := name
	if i := strings.LastIndexAny(name, "_-."); i >= 0 {
		last = name[i+1:]
	}
	return !inSorted(settingSuffixes[:], strings.ToLower(last))
}
