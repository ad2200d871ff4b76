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

var awsCredentialVars = map[string]bool{
	"AWS_ACCESS_KEY_ID":                 true,
	"AWS_SECRET_ACCESS_KEY":             true,
	"AWS_SESSION_TOKEN":                 true,
	"AWS_CONTAINER_AUTHORIZATION_TOKEN": true,
}

var settingSuffixes = map[string]bool{
	"url": true, "uri": true, "endpoint": true, "host": true, "path": true, "file": true, "dir": true,
	"arn": true, "name": true, "id": true, "type": true, "mode": true, "region": true, "ttl": true,
	"timeout": true, "expiry": true, "enabled": true, "header": true, "version": true, "length": true,
	"size": true, "format": true, "algorithm": true,
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
	if awsCredentialVars[name] {
		return true
	}
	if name == "GOOGLE_APPLICATION_CREDENTIALS" || !(*Redactor)(nil).IsSecretKey(name) {
		return false
	}
	last := name
	if i := strings.LastIndexAny(name, "_-."); i >= 0 {
		last = name[i+1:]
	}
	return !settingSuffixes[strings.ToLower(last)]
}
