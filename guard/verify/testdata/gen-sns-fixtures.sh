#!/bin/sh
# Regenerates the SNS fixtures with OpenSSL, independently of the Go code under
# test: a throw-away RSA key signs canonical strings written out by hand from
# https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html.
# Only the self-signed certificate and the signed messages are kept; the key
# is deleted.
set -eu
cd "$(dirname "$0")"
key=$(mktemp)
trap 'rm -f "$key" sig.bin' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$key" -out sns-cert.pem \
	-days 36500 -subj "/CN=sns.amazonaws.com fnguard test" 2>/dev/null

certurl="https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem"
topic="arn:aws:sns:us-east-1:123456789012:orders"

sign() { # $1 = sha1|sha256, stdin = canonical string
	openssl dgst "-$1" -sign "$key" -out sig.bin
	base64 -w0 sig.bin
}

# 1. Notification with a Subject, SignatureVersion 1 (SHA1withRSA), HTTP delivery.
msg='{"orderId":42,"note":"line1\nline2"}'
sig=$(printf 'Message\n%s\nMessageId\n%s\nSubject\n%s\nTimestamp\n%s\nTopicArn\n%s\nType\n%s\n' \
	"$msg" "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" "Order created" "2024-05-01T12:00:00.000Z" "$topic" "Notification" | sign sha1)
cat > sns-notification-v1.json <<JSON
{
  "Type": "Notification",
  "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  "TopicArn": "$topic",
  "Subject": "Order created",
  "Message": "{\"orderId\":42,\"note\":\"line1\\\\nline2\"}",
  "Timestamp": "2024-05-01T12:00:00.000Z",
  "SignatureVersion": "1",
  "Signature": "$sig",
  "SigningCertURL": "$certurl",
  "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=$topic:0b1c"
}
JSON

# 2. Notification without Subject, SignatureVersion 2 (SHA256withRSA), as a
# Lambda record's Sns object (SigningCertUrl, MessageAttributes).
sig=$(printf 'Message\n%s\nMessageId\n%s\nTimestamp\n%s\nTopicArn\n%s\nType\n%s\n' \
	"hello world" "95df01b4-ee98-5cb9-9903-4c221d41eb5e" "2024-05-01T12:00:01.000Z" "$topic" "Notification" | sign sha256)
cat > sns-lambda-record-v2.json <<JSON
{
  "SignatureVersion": "2",
  "Timestamp": "2024-05-01T12:00:01.000Z",
  "Signature": "$sig",
  "SigningCertUrl": "$certurl",
  "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
  "Message": "hello world",
  "MessageAttributes": {"Test": {"Type": "String", "Value": "TestString"}},
  "Type": "Notification",
  "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
  "TopicArn": "$topic",
  "Subject": null
}
JSON

# 3. SubscriptionConfirmation, SignatureVersion 2.
subscribe="https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=$topic&Token=2336412f37fb6"
sig=$(printf 'Message\n%s\nMessageId\n%s\nSubscribeURL\n%s\nTimestamp\n%s\nToken\n%s\nTopicArn\n%s\nType\n%s\n' \
	"You have chosen to subscribe to the topic $topic." "165545c9-2a5c-472c-8df2-7ff2be2b3b1b" "$subscribe" \
	"2024-05-01T11:59:00.000Z" "2336412f37fb6" "$topic" "SubscriptionConfirmation" | sign sha256)
cat > sns-subscription-confirmation-v2.json <<JSON
{
  "Type": "SubscriptionConfirmation",
  "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  "Token": "2336412f37fb6",
  "TopicArn": "$topic",
  "Message": "You have chosen to subscribe to the topic $topic.",
  "SubscribeURL": "$subscribe",
  "Timestamp": "2024-05-01T11:59:00.000Z",
  "SignatureVersion": "2",
  "Signature": "$sig",
  "SigningCertURL": "$certurl"
}
JSON

# 4. UnsubscribeConfirmation, SignatureVersion 1.
sig=$(printf 'Message\n%s\nMessageId\n%s\nSubscribeURL\n%s\nTimestamp\n%s\nToken\n%s\nTopicArn\n%s\nType\n%s\n' \
	"You have chosen to deactivate subscription." "47138184-6831-46b8-8f7c-afc488602d7d" "$subscribe" \
	"2024-05-01T13:00:00.000Z" "2336412f37fb6" "$topic" "UnsubscribeConfirmation" | sign sha1)
cat > sns-unsubscribe-confirmation-v1.json <<JSON
{
  "Type": "UnsubscribeConfirmation",
  "MessageId": "47138184-6831-46b8-8f7c-afc488602d7d",
  "Token": "2336412f37fb6",
  "TopicArn": "$topic",
  "Message": "You have chosen to deactivate subscription.",
  "SubscribeURL": "$subscribe",
  "Timestamp": "2024-05-01T13:00:00.000Z",
  "SignatureVersion": "1",
  "Signature": "$sig",
  "SigningCertURL": "$certurl"
}
JSON
