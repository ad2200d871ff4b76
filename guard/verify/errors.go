package verify

import "errors"

// Sentinel errors, for errors.Is.
var (
	// ErrSignature matches every error returned by this package: the
	// request or message could not be proven authentic and must not be
	// processed. A *SignatureError carries the details.
	ErrSignature = errors.New("verify: invalid signature")

	// ErrCertURL is wrapped by an SNS verification error when the
	// SigningCertURL is not an Amazon SNS certificate URL. No fetch happened.
	ErrCertURL = errors.New("verify: signing certificate URL refused")

	// ErrCertFetch is wrapped by an SNS verification error when the signing
	// certificate could not be retrieved (network error, HTTP status, size
	// cap). Unlike a signature mismatch this may be transient; callers that
	// distinguish "not authentic" from "could not check" test for it.
	ErrCertFetch = errors.New("verify: signing certificate unavailable")

	// ErrCert is wrapped by an SNS verification error when the fetched
	// certificate is unusable: not PEM, not X.509, not RSA, too weak, or
	// outside its validity period.
	ErrCert = errors.New("verify: signing certificate unusable")
)

// SignatureError reports why a signature was not accepted. It never contains
// the secret, the expected MAC or the signature the client sent.
type SignatureError struct {
	Scheme string // "github", "stripe", "generic" or "sns"
	Reason string // e.g. "missing header X-Hub-Signature-256", "signature mismatch"
	// Err is the underlying cause for errors.Is / errors.As (ErrCertURL,
	// ErrCertFetch or ErrCert, possibly joined with the fetcher's error); its
	// text is already part of Reason.
	Err error
}

func (e *SignatureError) Error() string {
	return "verify: " + e.Scheme + " signature: " + e.Reason
}

// Is makes errors.Is(err, ErrSignature) true for every *SignatureError.
func (e *SignatureError) Is(target error) bool { return target == ErrSignature }

// Unwrap returns the underlying cause, if any.
func (e *SignatureError) Unwrap() error { return e.Err }

func sigErr(scheme, reason string) error {
	return &SignatureError{Scheme: scheme, Reason: reason}
}
