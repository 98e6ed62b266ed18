#!/usr/bin/env bash
# Regenerates the seed corpora in test/fuzz/corpus/ from the repository's own
# inputs: every spec JSON (examples and lit inputs), every lit .mlir case
# (split at "// -----") and the imported IR of the example specs, a real
# checkpoint of a one-layer model, and llm.c shards. Needs a normal build
# (build/bin/nfc). Usage: test/fuzz/make-corpus.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$root/test/fuzz/corpus"
nfc="$root/build/bin/nfc"
[ -x "$nfc" ] || { echo "make-corpus.sh: build nfc first (scripts/build.sh nfc)" >&2; exit 1; }
rm -rf "$corpus"
mkdir -p "$corpus"/{spec,ir,checkpoint,shard}
cd "$root"

# spec: what users and tests write, accepted and refused.
for f in examples/*.json examples/factorial/*.json examples/experiments/base.json \
         bench/specs/*.json test/lit/*/Inputs/*.json; do
  cp "$f" "$corpus/spec/$(echo "${f%.json}" | tr / _).json"
done

# ir: each lit case, and each example spec imported and after its pipeline.
for f in $(git ls-files 'test/lit/*.mlir'); do
  base=$(echo "${f%.mlir}" | tr / _)
  awk -v out="$corpus/ir/$base" '
    /^\/\/ -----/ { n++; next }
    /^\/\/ *(RUN|CHECK|REQUIRES|expected)/ { next }
    { print > (out "-" n+0 ".mlir") }' "$f"
done
for f in examples/gpt-tiny.json examples/peri-norm.json examples/derf-ema-post-norm.json \
         examples/factorial/dyt-muon.json examples/factorial/derf-adamw.json \
         test/lit/Spec/Inputs/accepted-post-norm.json test/lit/Import/Inputs/unified.json; do
  base=$(basename "${f%.json}")
  "$nfc" import "$f" > "$corpus/ir/import-$base.mlir"
  "$nfc" import "$f" --pipeline=default > "$corpus/ir/default-$base.mlir"
done

# checkpoint: a real one (one step of a one-layer model), whole file (byte
# 0 even) and as payload behind a correct header (byte 0 odd).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 4000 examples/data/austen.txt > "$tmp/text.txt"
cat > "$tmp/micro.json" <<JSON
{ model: { name: "micro", vocab_size: 256, d_model: 4, n_layers: 1, n_heads: 1,
           seq_len: 8, norm: { kind: "dyt" } },
  data: { train: "text.txt" },
  run: { steps: 1, batch_size: 1, eval_every: 0, out_dir: "$tmp/out" } }
JSON
"$nfc" train "$tmp/micro.json" --steps 1 > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
ckpt="$tmp/out/checkpoint.nfck"
{ printf '\x00'; cat "$ckpt"; } > "$corpus/checkpoint/micro-file"
{ printf '\x01'; tail -c +33 "$ckpt"; } > "$corpus/checkpoint/micro-payload"
printf '\x00' > "$corpus/checkpoint/empty-file"
printf '\x01' > "$corpus/checkpoint/empty-payload"

# shard: llm.c's format (256 int32 header: magic, version, count; uint16
# tokens), including an empty shard and a count that overstates the data.
/usr/bin/python3 - "$corpus/shard" <<'PY'
import struct, sys, os
out = sys.argv[1]
def shard(name, tokens, count=None, magic=20240520, version=1):
    header = [0] * 256
    header[0], header[1] = magic, version
    header[2] = len(tokens) if count is None else count
    with open(os.path.join(out, name), "wb") as f:
        f.write(struct.pack("<256i", *header))
        f.write(struct.pack("<%dH" % len(tokens), *tokens))
shard("bytes", list(b"It is a truth universally acknowledged, that a single man"))
shard("gpt2-ids", [50256, 40, 318, 257, 3872, 50255, 11, 13] * 8)
shard("empty", [])
shard("short-count", list(range(32)), count=16)
shard("long-count", list(range(32)), count=64)
PY
echo "corpus: $(for d in "$corpus"/*; do printf '%s %s  ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"

# Dictionaries: the words a mutation should be able to insert whole.
dict="$root/test/fuzz/dict"
mkdir -p "$dict"
{
  echo '# spec fields and enum values, from lib/Spec/ModelSpec.fbs (make-corpus.sh)'
  sed -n 's/^ *\([a-z_][a-z0-9_]*\) *:.*/\1/p' lib/Spec/ModelSpec.fbs | sort -u |
    while read -r w; do printf '"%s:"\n' "$w"; done
  sed -n 's/^enum [A-Za-z]* *: *[a-z]* *{\(.*\)}.*/\1/p' lib/Spec/ModelSpec.fbs |
    tr ',' '\n' | tr -d ' ' | sort -u | while read -r w; do printf '"\\"%s\\""\n' "$w"; done
  printf '"%s"\n' '{' '}' '[' ']' 'true' 'false' 'null' '1e9' '-1' '0' '1e-300' '1e308' 'nan' 'inf' '//'
} > "$dict/spec.dict"
{
  echo '# nf ops, attributes and types, from dialects/nf/include/nf/*.td (make-corpus.sh)'
  grep -hoE 'Op<"[a-z_.0-9]+"' dialects/nf/include/nf/*.td | sed 's/Op<"\(.*\)"/"nf.\1"/' | sort -u
  # enum cases (I32EnumAttrCase<"name", ...>) and keywords of the formats
  { grep -hoE 'EnumAttrCase<"[a-z_0-9]+"' dialects/nf/include/nf/*.td || true; } |
    sed 's/.*<"\(.*\)"/"\1"/' | sort -u
  { grep -hoE '`[a-z_]+`' dialects/nf/include/nf/*.td || true; } | tr -d '`' |
    sort -u | while read -r w; do printf '"%s"\n' "$w"; done
  printf '"%s"\n' 'func.func' 'return' 'module' 'tensor<' 'xf32>' 'xi32>' 'f32' 'i32' \
    'f64' '@forward' '@train_step' '@optimizer_step' 'nf.name' 'nf.model' '%arg0' \
    '-> tensor<f32>' 'attributes' 'init' 'group' 'role' 'decay' 'loc(' '#nf.' '// -----'
} > "$dict/ir.dict"
printf '# checkpoint header and FlatBuffers identifier\n"NFRTCKPT"\n"NFCK"\n"\\x01\\x00\\x00\\x00"\n' > "$dict/checkpoint.dict"
printf '# llm.c shard magic 20240520 and version 1, little-endian\n"\\x48\\xc3\\x34\\x01"\n"\\x01\\x00\\x00\\x00"\n"\\xff\\xff"\n' > "$dict/shard.dict"
echo "dictionaries: $(wc -l "$dict"/*.dict | tail -1)"
