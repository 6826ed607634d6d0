.DEFAULT_GOAL := help
.PHONY: help install run test api-check lint format clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## Create .venv and install everything the app needs (idempotent)
	./scripts/install.sh run

run: ## Install, migrate, seed demo data and serve at http://127.0.0.1:8000
	./scripts/run.sh

test: ## Run lint, checks and the whole suite on real PostgreSQL, Redis and Chromium
	./scripts/test.sh $(ARGS)

api-check: ## schemathesis, every check, every role + anonymous + another authority (>= 10,000 requests)
	./scripts/api_check.sh $(ARGS)

lint: ## ruff check and format check, mypy on services, selectors, permissions and API
	./scripts/install.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format: ## Format the code with ruff
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean: ## Remove the virtualenv, node_modules and generated files
	rm -rf .venv node_modules static/vendor staticfiles .test-media .test-media-gw* db.sqlite3 .mypy_cache

bench: ## Benchmarks as ratios on synthetic national data (SCALE=small|full, default full)
	SCALE=$(or $(SCALE),full) ./scripts/bench.sh
