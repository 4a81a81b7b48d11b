#!/usr/bin/env bash
# Builds the NNS canister modules of a dfinity/ic commit, for
#
#   repro check <proposal> --canister-script cli/examples/build-nns-canister.sh
#
# repro runs it as `build-nns-canister.sh <commit> <out-dir>` (also in REPRO_COMMIT and
# REPRO_OUT_DIR; REPRO_CANISTER names the target, e.g. governance or sns-governance) and then
# hashes the module it finds in <out-dir>: <name>-canister.wasm.gz (dfinity/ic's names), or the
# file given with --wasm. The build is dfinity/ic's own reproducible one, as
# rs/nervous_system/docs/proposal_verification.md describes: `./ci/container/build-ic.sh
# --canisters` in the repository's build container (podman or docker), which leaves every
# canister's .wasm.gz in artifacts/canisters/. Needs git, a container engine and ~20 GB.
set -euo pipefail

commit="${1:?usage: build-nns-canister.sh <commit> <out-dir>}"
out="${2:?usage: build-nns-canister.sh <commit> <out-dir>}"
work="${REPRO_CANISTER_WORKDIR:-$(mktemp -d)}"

if [ ! -d "$work/ic/.git" ]; then
  git clone --filter=blob:none https://github.com/dfinity/ic "$work/ic"
fi
git -C "$work/ic" fetch --quiet origin "$commit"
git -C "$work/ic" checkout --quiet --detach "$commit"

(cd "$work/ic" && ./ci/container/build-ic.sh --canisters)

cp "$work/ic/artifacts/canisters/"*.wasm.gz "$out/"
ls -l "$out"
