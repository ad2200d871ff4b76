package guardlambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// A CloudFormation custom resource waits for a response PUT to the
// pre-signed S3 URL in its event (ResponseURL); an invocation error alone
// leaves the stack waiting for up to an hour. So when fnguard refuses a
// custom resource request, it sends CloudFormation the FAILED response
// itself, with fnguard's reason, and the invocation succeeds (nothing left
// to retry). When the response cannot be sent the invocation fails with the
// *guard.BlockedError as before, so that Lambda retries it.
//
// The response goes only to an https URL on an AWS host (amazonaws.com,
// amazonaws.com.cn): a forged event cannot make the function PUT to an
// address of its choosing.

// cfnSendTimeout bounds the PUT when the invocation has no deadline.
const cfnSendTimeout = 10 * time.Second

// cfnClient and cfnURLAllowed are variables for the package's own tests
// (an httptest TLS server on 127.0.0.1); nothing else changes them.
var (
	cfnClient     = http.DefaultClient
	cfnURLAllowed = awsResponseURL
)

// awsResponseURL reports whether u is an https URL on an AWS host.
func awsResponseURL(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	return u.Scheme == "https" && u.User == nil &&
		(strings.HasSuffix(h, ".amazonaws.com") || strings.HasSuffix(h, ".amazonaws.com.cn"))
}

// cfnResponse is the response document CloudFormation reads (the fields of
// aws-lambda-go's cfn.Response).
type cfnResponse struct {
	Status             string `json:"Status"`
	Reason             string `json:"Reason"`
	PhysicalResourceID string `json:"PhysicalResourceId"`
	StackID            string `json:"StackId"`
	RequestID          string `json:"RequestId"`
	LogicalResourceID  string `json:"LogicalResourceId"`
}

// errCFNResponseURL: the event's ResponseURL is not one fnguard sends to.
var errCFNResponseURL = errors.New("guardlambda: CloudFormation ResponseURL is not an https URL on an AWS host")

// cfnRefusal sends the FAILED response of a refused custom resource request.
func cfnRefusal(ctx context.Context, st *state, d guard.Decision) ([]byte, error) {
	if err := sendCFNFailure(ctx, st, &d); err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL carries the pre-signed signature: never logged
		}
		st.w.g.Logger().Warn("fnguard: CloudFormation FAILED response not sent; failing the invocation instead",
			zap.String("error", err.Error()), zap.String("function_request_id", st.inv.RequestID))
		return nil, d.Err()
	}
	return []byte(`{"fnguard":"FAILED response sent to CloudFormation"}`), nil
}

func sendCFNFailure(ctx context.Context, st *state, d *guard.Decision) error {
	root := st.root
	str := func(k string) string { s, _ := root.Get(k).Str(); return s }
	u, err := url.Parse(str("ResponseURL"))
	if err != nil || !cfnURLAllowed(u) {
		return errCFNResponseURL
	}
	phys := str("PhysicalResourceId")
	if phys == "" { // a Create that never made a resource: as aws-lambda-go's cfn does
		phys = lambdacontext.LogStreamName
	}
	if phys == "" {
		phys = str("RequestId")
	}
	body, err := json.Marshal(cfnResponse{
		Status:             "FAILED",
		Reason:             fmt.Sprintf("refused by fnguard (%s): see request %s in the function's logs", d.Reason, st.inv.RequestID),
		PhysicalResourceID: phys,
		StackID:            str("StackId"),
		RequestID:          str("RequestId"),
		LogicalResourceID:  str("LogicalResourceId"),
	})
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfnSendTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	// The URL is pre-signed without a content type (as aws-lambda-go's
	// cfn sends it).
	req.Header.Del("Content-Type")
	res, err := cfnClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("guardlambda: CloudFormation response URL answered %s", res.Status)
	}
	return nil
}
