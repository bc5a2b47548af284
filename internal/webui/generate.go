package webui

// The private check's client for the login form, compiled to WebAssembly
// from cmd/privatecheck-wasm and embedded gzipped, with the Go
// distribution's wasm_exec.js that loads it. TestWasmUpToDate fails when
// they are stale: run go generate ./internal/webui.
//go:generate sh -c "GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags='-s -w' -o static/privatecheck.wasm ../../cmd/privatecheck-wasm && gzip -9 -n -f static/privatecheck.wasm && cp \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" static/wasm_exec.js"
