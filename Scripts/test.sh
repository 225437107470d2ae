#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing, checks formatting, then runs
# every test in release mode (numeric code is far too slow in debug builds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
# The OpenAI-compatible backend's integration test talks to a real llama.cpp server (skips loudly without).
bash Scripts/setup-llamacpp-server.sh || echo "test.sh: WARNING: llama.cpp server setup failed" >&2
swift format lint --strict --recursive --parallel Sources Tests Package.swift
bash Scripts/fetch-humaneval.sh
swift build -c release -Xswiftc -enable-testing --build-tests
# The SmolLM2 GGUF tests read the real model from the cache (skipped, loudly, only if it is absent).
bash Scripts/fetch-smollm2.sh >/dev/null
bash Scripts/dump-smollm2-tokenizer.sh >/dev/null || echo "test.sh: WARNING: tokenizer dump failed" >&2
# Smoke test of the main job: a quick demo end to end, with loose checks on its JSON tables.
bash Scripts/demo-smoke.sh .build/release/recheck
# The other side's own code reads what Recheck writes: transformers loads a checkpoint trained from
# the SmolLM2 GGUF (same ids and logits), and TRL, OpenRLHF and verl run on Recheck's exports and
# reward server (pinned CPU venvs under the cache; several minutes the first time).
bash Scripts/check-hf-export.sh .build/release/recheck
# S²R stage 0 with a real model as its own policy and verifier, natively, on 5 GSM8K problems (~5 min):
# trajectories -> sft --steps 2 -> transformers loads the directory (ids, logits) -> eval --protocol s2r.
bash Scripts/s2r-native-chain.sh
# The real-model chain through a real llama.cpp server (Scripts/real-model.sh --smoke, ~3 min): stage 0
# via --api-base (gold-answer stand-in verifier) -> sft -> eval --protocol s2r/score of the base (server)
# and the trained Hugging Face directory (native) -> a SCoRe Stage I step.
bash Scripts/real-model.sh --smoke
bash Scripts/check-frameworks.sh
swift test -c release -Xswiftc -enable-testing --skip-build
