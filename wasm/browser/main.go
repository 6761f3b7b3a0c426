//go:build js && wasm

// Command browser is the wizard compiled to WebAssembly for the static
// site. A service worker (static/sw.js) loads it and hands every same-origin
// request to the echo application through serve, so the browser runs the
// very handlers the self-hosted server runs, offline, and nothing leaves
// the page's origin.
package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall/js"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

func main() {
	wizard := app.New(app.Config{BootScript: "/boot.js"})
	serve := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 1 {
			return reject("serve takes one request object")
		}
		req := args[0]
		return promise(func() (js.Value, error) { return handle(wizard, req) })
	})
	js.Global().Set("__wizardServe", serve)
	if ready := js.Global().Get("__wizardReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// handle runs one request, given as {method, url, headers: [[k, v]...],
// body: Uint8Array}, and returns {status, headers: [[k, v]...], body}. The
// url is absolute, so the request's Host is the page's origin.
func handle(app http.Handler, in js.Value) (js.Value, error) {
	var body []byte
	if b := in.Get("body"); b.Truthy() {
		body = make([]byte, b.Get("length").Int())
		js.CopyBytesToGo(body, b)
	}
	r := httptest.NewRequest(in.Get("method").String(), in.Get("url").String(), bytes.NewReader(body))
	hs := in.Get("headers")
	for i := 0; i < hs.Length(); i++ {
		kv := hs.Index(i)
		r.Header.Add(kv.Index(0).String(), kv.Index(1).String())
	}
	w := httptest.NewRecorder()
	app.ServeHTTP(w, r)
	res := w.Result()
	out, _ := io.ReadAll(res.Body)

	headers := js.Global().Get("Array").New()
	for k, vs := range res.Header {
		for _, v := range vs {
			headers.Call("push", js.ValueOf([]any{k, v}))
		}
	}
	jsBody := js.Global().Get("Uint8Array").New(len(out))
	js.CopyBytesToJS(jsBody, out)
	obj := js.Global().Get("Object").New()
	obj.Set("status", res.StatusCode)
	obj.Set("headers", headers)
	obj.Set("body", jsBody)
	return obj, nil
}

// promise runs f on its own goroutine, since a js.Func callback must not
// block, and settles a JavaScript Promise with its result.
func promise(f func() (js.Value, error)) js.Value {
	executor := js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, rejectFn := args[0], args[1]
		go func() {
			v, err := f()
			if err != nil {
				rejectFn.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

func reject(msg string) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(msg))
}
