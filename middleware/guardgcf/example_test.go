package guardgcf_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/cloudevents/sdk-go/v2/event"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func ExampleCloudEvent() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	processOrder := func(ctx context.Context, e event.Event) error {
		fmt.Println("processing message", e.ID())
		return nil
	}
	fn := guardgcf.CloudEvent(g, processOrder)

	for i, payload := range []string{
		`{"sku":"BK-1029","qty":1}`,
		`{"sku":"BK-1029' UNION SELECT password FROM users--","qty":1}`,
	} {
		e := event.New()
		e.SetID(fmt.Sprint("msg-", i))
		e.SetType("google.cloud.pubsub.topic.v1.messagePublished")
		e.SetSource("//pubsub.googleapis.com/projects/shop/topics/orders")
		data := `{"message":{"data":"` + base64.StdEncoding.EncodeToString([]byte(payload)) + `"},"subscription":"projects/shop/subscriptions/fn"}`
		_ = e.SetData("application/json", []byte(data))
		e.DataBase64 = false

		err := fn(context.Background(), e)
		fmt.Println("blocked:", errors.Is(err, guard.ErrBlocked))
	}
	// Output:
	// processing message msg-0
	// blocked: false
	// blocked: true
}

func ExampleHTTP() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	hello := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello, %s!", r.URL.Query().Get("name"))
	}
	fn := guardgcf.HTTP(g, hello) // functions.HTTP("Hello", fn) in a real function

	for _, target := range []string{"/?name=Ada", "/?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E"} {
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("Function-Execution-Id", "exec-1")
		w := httptest.NewRecorder()
		fn(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 Hello, Ada!
	// 403 {"message":"Forbidden","requestId":"exec-1"}
}
