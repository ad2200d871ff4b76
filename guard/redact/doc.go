// Package redact scrubs secrets out of strings before fnguard writes them to
// logs, span events or metrics.
//
// A [Redactor] works two ways:
//
//   - by key: [Redactor.IsSecretKey] recognises keys such as "password",
//     "X-Api-Key", "AWS_SECRET_ACCESS_KEY" or "sessionid", and
//     [Redactor.Field] replaces the value of such a key wholesale with [Mask];
//   - by value: [Redactor.String] finds secrets wherever they appear in free
//     text: JSON Web Tokens; the credential after "Bearer", "Basic",
//     "Token", "Negotiate" and "NTLM" (the scheme stays readable); AWS
//     access key ids (AKIA, ASIA, ABIA, ACCA); 40-character base64 runs shaped
//     like AWS secret keys and longer random-looking base64 tokens (32+
//     characters mixing cases and digits, not a path); vendor tokens by
//     prefix (GitHub, GitLab, Slack, Stripe, OpenAI/Anthropic, npm, Google
//     API keys); the literal secrets it was configured with (see [FromEnv]),
//     in any letter case and percent- or JSON-escaped;
//     the bodies of PEM private keys; card numbers (13 to 19 digits, single
//     spaces or dashes allowed between them, Luhn-valid, first digit 2 to 6,
//     so that millisecond timestamps survive); passwords in URLs
//     (scheme://user:pass@host becomes scheme://user:[REDACTED]@host); and
//     the values of key=value, key: value, "key":"value", 'key': 'value',
//     \"key\":\"value\" and <key>value</key> pairs whose key is a secret
//     key (a Cookie header is masked to the end of its line).
//
// Text that may have been case-folded on the way (a lower-cased header
// name, a location built from names) goes through [Redactor.StringFold],
// which also knows those shapes in any letter case. An excerpt of a longer
// text is taken with [Redactor.Excerpt], which redacts the whole text
// before it cuts, widens the cut over any secret it would split and never
// leaves a partial token at an edge; [Cut] shortens redacted text at token
// boundaries only.
//
// Everything else is left untouched, so that an attack fragment such as
// "' OR 1=1--" or "<script>alert(1)</script>" stays readable in a finding
// while the bearer token next to it is masked.
//
// String is linear in the length of its input and does not allocate when
// there is nothing to redact. Its output is a fixed point: redacting it again
// changes nothing.
//
// # Key patterns
//
// The built-in key matcher splits a key into words at punctuation and at
// camelCase boundaries ("userPassword" → user, password; "APIKey" → api, key)
// and reports a secret when
//
//   - a word is one of: password, passwd, passphrase, passcode, pass, pwd, pw,
//     secret, secrets, token, auth, authorization, cookie, cookies, session,
//     sessionid, sessid, sid, credential, credentials, creds, signature, sig,
//     apikey, jwt, bearer, otp, totp, pin, cvv, cvc, cvv2, ssn, dsn,
//     privatekey, accesskey, secretkey, clientsecret, connectionstring;
//   - a word contains password, passwd, passphrase, secret, token, apikey,
//     credential, privatekey, accesskey, secretkey, sessionid, sessid,
//     authorization, cookie, signature or bearer ("newpassword",
//     "refreshtoken", "JSESSIONID"), except the words secretary, secretariat
//     and tokenize/tokenizer/tokenization;
//   - two consecutive words are "<qualifier> key" with a qualifier among api,
//     private, access, secret, signing, encryption, master, client, ssh, gpg,
//     pgp, aes, hmac, license, session, auth, shared, consumer, account,
//     storage, subscription, service, webhook, recovery; or "card number",
//     "credit card", "connection string", "security code".
//
// So "author", "authority", "key" (an S3 object key), "keyboard", "passenger"
// and "monkey" are not secret keys, while "auth", "x-auth-token" and
// "api_key" are.
//
// [Config.ExtraKeys] adds patterns. A pattern without '*' or '?' is a
// case-insensitive substring of the key ("ssn" matches "customer_ssn"); a
// pattern with '*' (any run of bytes, possibly empty) or '?' (exactly one
// byte) is a case-insensitive glob that must match the whole key
// ("x-*-hash" matches "X-Shop-Hash" but not "x-shop-hash-version").
package redact
