// Package verify proves that a request or message comes from who it claims
// to: webhook HMAC-SHA256 signatures (GitHub, Stripe, and a generic
// hex/base64 scheme) and Amazon SNS message signatures.
//
// Every function returns nil when the signature is valid and otherwise a
// *SignatureError that matches ErrSignature with errors.Is. Its Reason says
// what was wrong ("missing header X-Hub-Signature-256", "malformed header",
// "timestamp outside tolerance (age 7m12s > 5m0s)", "signature mismatch") but
// never contains the secret, the expected MAC or the signature that was
// sent. MAC comparisons are constant-time (crypto/hmac.Equal).
//
// SNS signing certificates are fetched only from Amazon SNS certificate URLs
// (https://sns.<region>.amazonaws.com/....pem): the URL named in the message
// is checked before any fetch, so a forged message cannot turn the function
// into an SSRF proxy. Certificates are cached per URL; failures are cached
// for FailureTTL.
//
// The package does not depend on the fnguard engine; the engine calls it for
// FNGUARD_WEBHOOK_* and FNGUARD_SNS_VERIFY.
package verify
