# The two commands of the README: `make demo` and `make test`.
# Both work on a fresh clone: they create .venv and install what they need.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test system-deps clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Debian packages the tests drive for real (Chromium for the HTML report, redis-server for scale-out).
system-deps:
	bash scripts/install-system-deps.sh

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP) system-deps
	$(PY) -m pytest

clean:
	rm -rf $(VENV) runs var .scrapy
