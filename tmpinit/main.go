package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

var t0 = time.Now()

func main() {
	t1 := time.Now()
	a := app.New(app.Config{NoCompress: true})
	t2 := time.Now()
	body, _ := os.ReadFile(os.Args[1])
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/validate", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	a.ServeHTTP(rec, req)
	t3 := time.Now()
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("POST", "/api/v1/validate", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	a.ServeHTTP(rec, req)
	t4 := time.Now()
	fmt.Println("main-start", t1.Sub(t0), "New", t2.Sub(t1), "first validate", t3.Sub(t2), rec.Code, "second", t4.Sub(t3))
}
