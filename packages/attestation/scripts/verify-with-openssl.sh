#!/bin/sh
# Checks the signature of a repro-registry attestation envelope with openssl and POSIX tools
# only, and prints the builder principal of the signing key. It does not check the format
# (schema, limits, verdicts): that is verifyAttestation's job.
#
#   sh verify-with-openssl.sh envelope.json
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Value of a string field in one-line JSON (the last occurrence).
field() { printf '%s' "$2" | sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }

envelope=$(tr -d '\r\n' < "$1")
payload_type=$(field payloadType "$envelope")
[ "$payload_type" = 'application/vnd.in-toto+json' ] || { echo "unexpected payloadType: $payload_type" >&2; exit 1; }
keyid=$(field keyid "$envelope")
field payload "$envelope" | base64 -d > "$work/statement.json"
field sig "$envelope" | base64 -d > "$work/sig.bin"

# The builder's raw Ed25519 key, inside the signed statement, as DER SubjectPublicKeyInfo.
field publicKey "$(tr -d '\r\n' < "$work/statement.json")" | base64 -d > "$work/key.bin"
printf '\060\052\060\005\006\003\053\145\160\003\041\000' > "$work/pub.der"
cat "$work/key.bin" >> "$work/pub.der"
openssl pkey -pubin -inform DER -in "$work/pub.der" -out "$work/pub.pem"

# DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
length=$(wc -c < "$work/statement.json" | tr -d ' ')
printf 'DSSEv1 %s %s %s ' "${#payload_type}" "$payload_type" "$length" > "$work/pae.bin"
cat "$work/statement.json" >> "$work/pae.bin"
openssl pkeyutl -verify -pubin -inkey "$work/pub.pem" -rawin -in "$work/pae.bin" -sigfile "$work/sig.bin"

# Self-authenticating principal: base32(crc32 || sha224(der) || 0x02), grouped by 5.
openssl dgst -sha224 -binary "$work/pub.der" > "$work/id.bin"
printf '\002' >> "$work/id.bin"
# gzip's trailer holds the CRC-32 of its input, little-endian: reverse it.
set -- $(gzip -c < "$work/id.bin" | tail -c 8 | head -c 4 | od -An -to1)
principal=$({ printf "\\$4\\$3\\$2\\$1"; cat "$work/id.bin"; } | base32 | tr -d '=\n' | tr 'A-Z' 'a-z' | fold -w 5 | paste -sd- -)
echo "builder principal: $principal"
[ "$principal" = "$keyid" ] || { echo "keyid $keyid is not the principal of the signing key" >&2; exit 1; }
echo "keyid matches the signing key"
