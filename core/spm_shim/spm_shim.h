#pragma once
// C interface of the sentencepiece shim module (libtaskquant_spm.so). See core/CMakeLists.txt
// for why sentencepiece cannot be linked into the same symbol scope as libtorch.
// All functions are thread-compatible; a handle may be used from one thread at a time.
// Strings returned through `err` are malloc'ed and freed with tq_spm_free.
#ifdef __cplusplus
extern "C" {
#endif

typedef struct tq_spm tq_spm;

// Loads a serialized ModelProto from memory. Returns NULL and sets *err on failure.
tq_spm* tq_spm_load(const char* data, long size, char** err);
void tq_spm_destroy(tq_spm* h);
void tq_spm_free(void* p);

int tq_spm_piece_size(const tq_spm* h);
// The piece text (UTF-8, valid until h is destroyed), score and type of id.
const char* tq_spm_id_to_piece(const tq_spm* h, int id);
float tq_spm_score(const tq_spm* h, int id);
// 1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte (sentencepiece's enum), read
// from the model's own piece table; 0 for an id out of range.
int tq_spm_type(const tq_spm* h, int id);
int tq_spm_bos_id(const tq_spm* h);
int tq_spm_eos_id(const tq_spm* h);
int tq_spm_unk_id(const tq_spm* h);
int tq_spm_pad_id(const tq_spm* h);
// Whether the normalizer puts a space ("▁") in front of the text (add_dummy_prefix).
int tq_spm_add_dummy_prefix(const tq_spm* h);

// Encodes text (no BOS/EOS). Writes up to cap ids; returns the total count, or -1 (+ *err).
long tq_spm_encode(const tq_spm* h, const char* text, long len, int* ids, long cap, char** err);
// Decodes ids into a malloc'ed UTF-8 string (free with tq_spm_free); NULL + *err on failure.
char* tq_spm_decode(const tq_spm* h, const int* ids, long n, char** err);

// Runs sentencepiece's trainer with a command-line style argument string
// ("--input=... --model_prefix=... --vocab_size=..."). Returns 0, or -1 and sets *err.
int tq_spm_train(const char* args, char** err);

#ifdef __cplusplus
}
#endif
