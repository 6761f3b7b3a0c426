# Tentacle HA Wizard. `make help` lists the targets; `make run` and `make test`
# are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ADDR        ?= 127.0.0.1:8080
GO          ?= go
GOROOT      := $(shell $(GO) env GOROOT)
WASM_ENV    := PATH="$(GOROOT)/lib/wasm:$$PATH" GOOS=js GOARCH=wasm
FUZZTIME    ?= 10s
PURE_PKGS   := ./web/plan/... ./web/bundle/... ./web/report/...
# Debian packages the tests drive for real.
DEB_PKGS    := nginx libnginx-mod-stream haproxy nftables iptables shellcheck libxml2-utils \
               jq iproute2 yamllint chromium brotli ca-certificates python3 util-linux ansible-core wrk \
               file zip unzip wabt
export CGO_ENABLED ?= 0

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  \033[36m%-16s\033[0m %s\n",$$1,$$2}'

.PHONY: run
run: ## start the wizard on http://127.0.0.1:8080 (ADDR=host:port to change)
	$(GO) run ./server serve -addr $(ADDR)

.PHONY: deps
deps: deps-deb deps-npm ## install everything the tests need (idempotent)
	$(GO) mod download

.PHONY: deps-deb
deps-deb: ## install missing Debian packages (needs root)
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "deps-deb: run as root to install $$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# npm install, not npm ci: the lock file cannot list workerd's packages for
# other platforms (the registry here does not serve them), which npm ci
# rejects; npm install keeps to the lock file's versions all the same.
.PHONY: deps-npm
deps-npm: ## install the npm packages pinned in package.json
	@if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm install --no-audit --no-fund --loglevel=error; \
	fi

.PHONY: generate
generate: ## regenerate templ components (*_templ.go)
	$(GO) tool templ generate

.PHONY: check-generated
check-generated: generate ## fail when committed generated code is stale
	@git diff --exit-code -- '*_templ.go' || { echo "templ output is stale: run make generate and commit" >&2; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || { echo "uncommitted *_templ.go files" >&2; exit 1; }

.PHONY: vendor
vendor: deps-npm ## copy front-end files from the pinned npm packages into static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/htmx-ext-sse/dist/sse.min.js static/vendor/sse.min.js

.PHONY: check-vendor
check-vendor: deps-npm ## fail when static/vendor differs from the pinned npm packages
	@cmp -s node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js || { echo "static/vendor/htmx.min.js differs from node_modules/htmx.org: run make vendor" >&2; exit 1; }
	@cmp -s node_modules/htmx-ext-sse/dist/sse.min.js static/vendor/sse.min.js || { echo "static/vendor/sse.min.js differs from node_modules/htmx-ext-sse: run make vendor" >&2; exit 1; }

# The packages that also build for js/wasm, checked again under GOOS=js.
WASM_PKGS   := ./web/... ./templates/... ./static/... ./wasm/...

.PHONY: vet
vet: ## gofmt, go vet, staticcheck (also for js/wasm), and go.mod/go.sum tidy
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(WASM_ENV) "$$($(GO) tool -n staticcheck)" $(WASM_PKGS)
	@$(GO) mod tidy -diff >/dev/null || { $(GO) mod tidy -diff; echo "go.mod/go.sum are not tidy: run go mod tidy and commit" >&2; exit 1; }

.PHONY: test
test: deps check-generated check-vendor vet test-go test-wasm fuzz e2e test-dist ## every test (installs what is missing first); slow matrices on one plan per OS

# The fault-injection matrices (register.sh and the registration driver)
# run on one representative plan per OS in make test; TEST_LONG=1 runs them
# on every plan. A short run's log names each matrix it left out.
.PHONY: test-long
test-long: ## make test with every case of the fault-injection matrices (TEST_LONG=1)
	TEST_LONG=1 $(MAKE) test

# Every test's API keys start with API-CANARY; none may reach any output.
CANARY_LOG  := $(CURDIR)/.test-output.log
no-canary    = @if grep -q 'API-CANARY' $(CANARY_LOG); then echo "an API key (API-CANARY...) appears in the test output:" >&2; grep -n 'API-CANARY' $(CANARY_LOG) | head >&2; exit 1; fi

.PHONY: test-go
test-go: ## Go tests (real tools, namespaces, fake Tentacle); fails if a test key reaches the output
	set -o pipefail; $(GO) test -count=1 -v ./... 2>&1 | tee $(CANARY_LOG) | grep -E '^(ok|FAIL|panic|--- FAIL)' ; status=$${PIPESTATUS[0]}; [ $$status -eq 0 ] || { grep -B2 -A20 -- '--- FAIL' $(CANARY_LOG) | head -200; exit $$status; }
	$(no-canary)
	@n=$$(grep -c 'make test-long' $(CANARY_LOG)); [ "$$n" = 0 ] || echo "short run: $$n fault-matrix cases left out (the lines with 'make test-long' in $(CANARY_LOG)); make test-long runs them"

.PHONY: race
race: ## the Go tests under the race detector (needs cgo and gcc)
	CGO_ENABLED=1 $(GO) test -race -count=1 ./...

.PHONY: test-wasm
test-wasm: ## the pure packages' tests compiled to js/wasm and run in Node
	$(WASM_ENV) $(GO) test -count=1 $(PURE_PKGS)

.PHONY: fuzz
fuzz: ## a short fuzz run of each target (FUZZTIME=10s each)
	$(GO) test ./web/plan -run '^$$' -fuzz '^FuzzDecodeValidate$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web/bundle -run '^$$' -fuzz '^FuzzFiles$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web/bundle -run '^$$' -fuzz '^FuzzHostileValues$$' -fuzztime $(FUZZTIME)

.PHONY: fuzz-long
fuzz-long: ## fuzz each target for 10 minutes
	$(MAKE) fuzz FUZZTIME=10m

.PHONY: e2e
e2e: e2e-server e2e-static e2e-worker ## browser tests in headless Chromium on all three hosts

.PHONY: e2e-server
e2e-server: ## the wizard on the self-hosted server, in Chromium
	set -o pipefail; node --test-reporter=spec e2e/run.mjs 2>&1 | tee $(CANARY_LOG)
	$(no-canary)

.PHONY: e2e-static
e2e-static: static ## the static site (wasm in a service worker) under a plain file server, online and offline
	node --test-reporter=spec e2e/static.mjs

.PHONY: e2e-worker
e2e-worker: worker worker-floor ## the Worker under wrangler dev: assets without Go, API byte-identical to the server, walks, CPU per request
	node --test-reporter=spec e2e/worker.mjs

.PHONY: load
load: ## load figures on loopback (LOAD_SECONDS=20 each): wrk on GET / beside nginx (same bytes), POST /preview and the API; printed, not asserted
	node e2e/load.mjs

.PHONY: soak
soak: ## 5 minutes (SOAK_SECONDS=300) of mixed traffic on loopback: RSS and goroutines (serve -debug-addr) at the start, every minute and after; printed, not asserted
	node e2e/soak.mjs

.PHONY: bench
bench: ## benchmarks in benchstat format: a full bundle at 3 and 100 nodes; GET /, POST /preview and /api/v1/bundle through the echo app
	@echo "# $$(date -u +%FT%TZ) $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(GO) test ./web/bundle ./web/app -run '^$$' -bench . -benchmem -count 5

# Our own packages are built without inlining for js/wasm (-l): Go inlines
# a templ component's constructor, closure and all, into every caller, so a
# page rendered from seven handlers was seven copies; -l saves 1.3 MB raw,
# 0.23 MB gzip. The standard library and dependencies keep inlining.
WASM_GCFLAGS := -gcflags='github.com/tentacle-ha-wizard/wizard/...=-l'
WASM_FLAGS  := -tags validator_novalidatefn -trimpath $(WASM_GCFLAGS) -ldflags="-s -w"
STATIC_OUT  ?= dist/static
PRERENDER   ?=
WORKER_OUT  := wasm/build
WORKER_SITE := dist/worker
NODE22      := $(CURDIR)/node_modules/node/bin
WRANGLER    := PATH="$(NODE22):$$PATH" WRANGLER_SEND_METRICS=false node_modules/.bin/wrangler

.PHONY: static
static: ## build the static site (no server: the wizard runs in the browser) into dist/static
	rm -rf $(STATIC_OUT) && mkdir -p $(STATIC_OUT)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o $(STATIC_OUT)/app.wasm ./wasm/browser
	cp "$(GOROOT)/lib/wasm/wasm_exec.js" $(STATIC_OUT)/wasm_exec.js
	$(GO) run ./wasm/prerender -out $(STATIC_OUT) $(PRERENDER)
	@# Precompressed copies for hosts that serve them (nginx gzip_static and
	@# brotli_static, Caddy precompressed, ...); not for the Worker, whose
	@# assets Cloudflare compresses at its edge. The service worker never lists them.
	@if [ "$(PRERENDER)" != -worker ]; then gzip -9 -k -n $(STATIC_OUT)/app.wasm && brotli -q 11 -k $(STATIC_OUT)/app.wasm; fi

.PHONY: serve-static
serve-static: static ## serve the static site on http://127.0.0.1:8081 with a plain file server
	cd $(STATIC_OUT) && python3 -m http.server 8081 --bind 127.0.0.1

.PHONY: worker
worker: ## build the Cloudflare Worker: its static assets (dist/worker, the static site's files) and its Go (wasm/build)
	$(MAKE) --no-print-directory static STATIC_OUT=$(WORKER_SITE) PRERENDER=-worker
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(WORKER_OUT)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o $(WORKER_OUT)/app.wasm ./wasm/worker

.PHONY: worker-floor
worker-floor: ## build the minimal Go Worker (wasm/build-floor) that e2e-worker measures as the CPU floor
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o wasm/build-floor
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o wasm/build-floor/app.wasm ./wasm/floor

.PHONY: worker-dev
worker-dev: worker deps-npm ## run the Worker locally under wrangler dev on http://127.0.0.1:8787
	$(WRANGLER) dev --local --ip 127.0.0.1 --port 8787

.PHONY: worker-deploy
worker-deploy: worker deps-npm ## deploy the Worker with your own Cloudflare account (wrangler login first)
	$(WRANGLER) deploy

# The symbol-size builds keep the name section (no -s) so wasmsize can
# sum function bodies by package; the bodies are the ones the shipped
# builds hold.
SIZE_DIR    := dist/size
SIZE_TOP    ?= 20

.PHONY: size
size: static worker ## print raw, gzip and brotli sizes of each .wasm, and each build's largest packages
	@echo "# $$(date -u +%FT%TZ) $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg)"
	@printf '%-28s %12s %12s %12s\n' file raw gzip brotli
	@for f in $(STATIC_OUT)/app.wasm $(WORKER_OUT)/app.wasm; do \
	  printf '%-28s %12d %12d %12d\n' $$f $$(stat -c%s $$f) $$(gzip -9c $$f | wc -c) $$(brotli -q 11 -c $$f | wc -c); \
	done
	@mkdir -p $(SIZE_DIR)
	@GOOS=js GOARCH=wasm $(GO) build -tags validator_novalidatefn -trimpath $(WASM_GCFLAGS) -o $(SIZE_DIR)/browser.wasm ./wasm/browser
	@GOOS=js GOARCH=wasm $(GO) build -tags validator_novalidatefn -trimpath $(WASM_GCFLAGS) -o $(SIZE_DIR)/worker.wasm ./wasm/worker
	@$(GO) run ./wasm/wasmsize -top $(SIZE_TOP) $(SIZE_DIR)/browser.wasm
	@$(GO) run ./wasm/wasmsize -top $(SIZE_TOP) $(SIZE_DIR)/worker.wasm

# The version stamped into tentacle-ha (tentacle-ha version): git describe,
# the commit and the build time. -ldflags -X rather than go build's own
# vcs.* settings: those are off under GOFLAGS=-buildvcs=false and outside a
# checkout, and record the commit's time, not the build's.
VERSION     := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
COMMIT      := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BUILD_DATE  := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
STAMP       := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(BUILD_DATE)
DIST_OUT    ?= dist/release
PLATFORMS   := linux/amd64 linux/arm64 windows/amd64 darwin/arm64

.PHONY: build
build: ## build tentacle-ha for this machine into bin/ (version stamped from git)
	$(GO) build -trimpath -ldflags="-s -w $(STAMP)" -o bin/tentacle-ha ./server

# One archive per platform (zip for Windows, tar.gz elsewhere) holding
# tentacle-ha and README.md (and a LICENSE, once the repository has one),
# and SHA256SUMS over the archives. The four builds run side by side (each
# link is mostly one core); files are dated to the commit so the archives
# of one commit are the same bytes (but for the build date inside).
.PHONY: dist
dist: ## static tentacle-ha binaries for linux/amd64, linux/arm64, windows/amd64, darwin/arm64 in archives with SHA256SUMS, in dist/release
	rm -rf $(DIST_OUT) && mkdir -p $(DIST_OUT)
	@epoch=$$(git log -1 --format=%ct 2>/dev/null || date +%s); pids=; \
	for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; name=tentacle-ha_$(VERSION)_$${os}_$${arch}; exe=tentacle-ha; \
	  [ $$os = windows ] && exe=tentacle-ha.exe; \
	  ( set -e; mkdir -p $(DIST_OUT)/$$name; \
	    GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w $(STAMP)" -o $(DIST_OUT)/$$name/$$exe ./server; \
	    cp README.md $(wildcard LICENSE LICENSE.* COPYING) $(DIST_OUT)/$$name/; \
	    touch -d @$$epoch $(DIST_OUT)/$$name $(DIST_OUT)/$$name/*; \
	    if [ $$os = windows ]; then (cd $(DIST_OUT) && TZ=UTC zip -qrX $$name.zip $$name); \
	    else tar -C $(DIST_OUT) --sort=name --owner=0 --group=0 --numeric-owner -cf - $$name | gzip -9n > $(DIST_OUT)/$$name.tar.gz; fi; \
	    rm -r $(DIST_OUT)/$$name; echo "  $(DIST_OUT)/$$name"; ) & pids="$$pids $$!"; \
	done; fail=0; for pid in $$pids; do wait $$pid || fail=1; done; exit $$fail
	cd $(DIST_OUT) && sha256sum *.tar.gz *.zip > SHA256SUMS && cat SHA256SUMS

.PHONY: test-dist
test-dist: ## make dist into a temporary folder: each binary's format (file), and the linux one runs version, validate, generate and serve from an empty folder
	node --test-reporter=spec e2e/dist.mjs

.PHONY: clean
clean: ## remove build output
	rm -rf bin dist
