// Makes the tokenizer golden files of tests/golden/tokenizers/ with tokenizers.js (npm
// @huggingface/tokenizers, Hugging Face's own JavaScript implementation of tokenizer.json), an
// implementation independent of the project's. Development tool only: tests read the JSON it
// writes and need neither node nor npm.
//
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && npm install @huggingface/tokenizers@0.2.0
//   node tests/golden/make_tokenizer_goldens.mjs \
//        /tmp/tokref/node_modules/@huggingface/tokenizers/dist/tokenizers.mjs ../shared
//
// It also writes the two small sentencepiece-style tokenizers the project makes itself
// (mini-metaspace, mini-nfkc: byte pieces, Metaspace, NFKC, added-token flags, Metaspace and
// Strip decoders), then encodes the same strings with them.
import fs from "node:fs";
import path from "node:path";

const [modulePath, shared] = process.argv.slice(2);
if (!modulePath || !shared) {
  console.error("usage: node make_tokenizer_goldens.mjs PATH/TO/tokenizers.mjs SHARED_DIR");
  process.exit(2);
}
const { Tokenizer } = await import(path.resolve(modulePath));
const here = path.dirname(new URL(import.meta.url).pathname);
const outDir = path.join(here, "tokenizers");

const STRINGS = [
  "Once upon a time, there was a little girl named Lily.",
  "a",
  "",
  " ",
  "   ",
  "hello",
  " hello",
  "hello ",
  "  hello  world  ",
  "The   end.",
  "a  b   c    d",
  "hello\nworld",
  "\n",
  "\n\nTwo blank lines\n\n",
  "line one\r\nline two",
  "\ttab\tseparated\t\tcolumns",
  "digits 1234567890 and 3.14159, 2024-12-01",
  "$100 & 50% off! #1 @home",
  "Hello, world! What's up? (yes) [no] {maybe} -- \"quoted\" 'single'; a:b/c\\d",
  "don't won't I'm we're they've she'll he'd",
  "CAPS lower MiXeD",
  "café naïve résumé Zoë Ångström",
  "cafe\u0301 (a combining accent)",
  "ﬁ ligature, ½ fraction, ² superscript, ｆｕｌｌｗｉｄｔｈ",
  "I ❤️ 🍕 and 👨‍👩‍👧 emoji",
  "日本語のテキスト",
  "Привет, мир!",
  "مرحبا بالعالم",
  "<|start_story|>Once upon a time",
  "Hi <|end_story|> there",
  "a<|end_story|>b",
  "<unk>",
  "x <unk> y",
  "<|endoftext|>",
  "one <|endoftext|> two<|endoftext|>three",
  "<|im_start|>user\nhi<|im_end|>",
  "<s>hello</s>",
  "hello <s> world",
  "a [MASK] b",
  "a[MASK]b",
  "xyz and xyzzy",
  "Lily was happy. She said, \"Thank you, Mom!\" Then she went to sleep.",
];

// ---- project-made mini tokenizers -------------------------------------------------------------
function miniTokenizer({ normalizer, pre_tokenizer, decoder, fuse_unk, extraVocab, merges }) {
  const vocab = { "<unk>": 0, "<s>": 1, "</s>": 2 };
  let id = 3;
  for (let b = 0; b < 256; ++b)
    vocab[`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`] = id++;
  for (const t of extraVocab) if (!(t in vocab)) vocab[t] = id++;
  const added = [
    { id: 0, content: "<unk>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 1, content: "<s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 2, content: "</s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: id++, content: "[MASK]", single_word: false, lstrip: true, rstrip: true, normalized: false, special: true },
    { id: id++, content: "xyz", single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
  ];
  return {
    version: "1.0", truncation: null, padding: null, added_tokens: added, normalizer, pre_tokenizer,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
             { SpecialToken: { id: "<s>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder,
    model: { type: "BPE", dropout: null, unk_token: "<unk>", continuing_subword_prefix: null,
             end_of_word_suffix: null, fuse_unk, byte_fallback: true, ignore_merges: false,
             vocab, merges },
  };
}

// Letters, digits, punctuation and a few accented letters as single pieces, plus merges built
// from a short text so that common words become single pieces.
function piecesAndMerges(prefixSpace) {
  const chars = Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-:;()éèöü▁");
  const words = ["the", "hello", "world", "once", "upon", "time", "there", "was", "little", "girl", "and", "end"];
  const merges = [], vocab = [...chars];
  const have = new Set(vocab);
  for (const w of words) {
    let cur = prefixSpace ? "▁" : w[0];
    for (const c of Array.from(prefixSpace ? w : w.slice(1))) {
      const next = cur + c;
      if (!have.has(next)) { merges.push([cur, c]); vocab.push(next); have.add(next); }
      cur = next;
    }
  }
  return { vocab, merges };
}

function writeMini() {
  const a = piecesAndMerges(true);
  const metaspace = miniTokenizer({
    normalizer: null,
    pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: false },
    decoder: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: false },
    fuse_unk: false, extraVocab: a.vocab, merges: a.merges,
  });
  const b = piecesAndMerges(true);
  const nfkc = miniTokenizer({
    normalizer: { type: "Sequence", normalizers: [
      { type: "NFKC" }, { type: "Prepend", prepend: "▁" },
      { type: "Replace", pattern: { String: " " }, content: "▁" }] },
    pre_tokenizer: null,
    decoder: { type: "Sequence", decoders: [
      { type: "Replace", pattern: { String: "▁" }, content: " " }, { type: "ByteFallback" },
      { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }] },
    fuse_unk: true, extraVocab: b.vocab, merges: b.merges,
  });
  const cfg = { add_bos_token: true, add_eos_token: false, bos_token: "<s>", eos_token: "</s>",
                unk_token: "<unk>", clean_up_tokenization_spaces: false, legacy: false };
  const out = {};
  for (const [name, tok] of [["mini-metaspace", metaspace], ["mini-nfkc", nfkc]]) {
    const dir = path.join(outDir, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tok, null, 1) + "\n");
    fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(cfg, null, 1) + "\n");
    out[name] = dir;
  }
  return out;
}

function readJson(p, fallback) { return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, "utf8")) : fallback; }

function golden(name, dir, relative) {
  const tj = readJson(path.join(dir, "tokenizer.json"));
  const cfg = readJson(path.join(dir, "tokenizer_config.json"), {});
  const tok = new Tokenizer(tj, cfg);
  const cases = STRINGS.map((text) => {
    const ids = tok.encode(text).ids;
    const plain = tok.encode(text, { add_special_tokens: false }).ids;
    const c = { text, ids, ids_no_special: plain };
    if (ids.length > 0)
      c.decoded = tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    if (plain.length > 0)
      c.decoded_skip_special = tok.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    return c;
  });
  const doc = { tokenizer: relative, made_by: "tests/golden/make_tokenizer_goldens.mjs with npm @huggingface/tokenizers 0.2.0", cases };
  fs.writeFileSync(path.join(outDir, `${name}.golden.json`), JSON.stringify(doc, null, 0).replace(/\},\{"text"/g, '},\n{"text"') + "\n");
}

fs.mkdirSync(outDir, { recursive: true });
const mini = writeMini();
golden("tinystories-656k", path.join(shared, "models/tinystories-656k"), "fixture:models/tinystories-656k");
golden("gpt2", path.join(shared, "tokenizers/gpt2-bytelevel-bpe-50k"), "fixture:tokenizers/gpt2-bytelevel-bpe-50k");
golden("smollm2", path.join(shared, "tokenizers/smollm2-bytelevel-bpe-49k"), "fixture:tokenizers/smollm2-bytelevel-bpe-49k");
golden("mini-metaspace", mini["mini-metaspace"], "golden:tokenizers/mini-metaspace");
golden("mini-nfkc", mini["mini-nfkc"], "golden:tokenizers/mini-nfkc");
console.log("wrote", fs.readdirSync(outDir).join(" "));
