#pragma once
// Run-time loader of the sentencepiece shim module (libtaskquant_spm.so, core/spm_shim/).
// Debian's libsentencepiece embeds protobuf 3.14, which clashes with libtorch's protobuf in one
// symbol scope, so core never links it: the module is dlopen()ed with
// RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND on first use. It is looked for, in order, at
//   $TASKQUANT_SPM_SHIM, <dir of /proc/self/exe>/../lib/taskquant/libtaskquant_spm.so,
//   the install path, the build-tree path (compile definitions of taskquant_core);
// the first existing file is loaded (a file that fails to load is an error, not skipped).
// Thread-safety: spmLibrary() loads once, under a lock (callers keep the reference); the table
// is immutable. A failed load is not remembered (a later call tries again).
#include <string>
#include <vector>

#include "core/spm_shim/spm_shim.h"

namespace taskquant::tokenize {

struct SpmLibrary {
    decltype(&tq_spm_load) load;
    decltype(&tq_spm_destroy) destroy;
    decltype(&tq_spm_free) free;
    decltype(&tq_spm_piece_size) pieceSize;
    decltype(&tq_spm_id_to_piece) idToPiece;
    decltype(&tq_spm_score) score;
    decltype(&tq_spm_type) type;
    decltype(&tq_spm_bos_id) bosId;
    decltype(&tq_spm_eos_id) eosId;
    decltype(&tq_spm_unk_id) unkId;
    decltype(&tq_spm_pad_id) padId;
    decltype(&tq_spm_add_dummy_prefix) addDummyPrefix;
    decltype(&tq_spm_encode) encode;
    decltype(&tq_spm_decode) decode;
    decltype(&tq_spm_train) train;
    std::string path; // the module file that was loaded
};

// The loaded module. Throws Error naming the module when it cannot be found (listing every
// place looked at), cannot be loaded, or lacks a symbol.
const SpmLibrary& spmLibrary();

// The candidate module paths in search order (for messages and diagnostics).
std::vector<std::string> spmLibraryCandidates();

// Runs sentencepiece's trainer with a command-line style argument string, e.g.
// "--input=corpus.txt --model_prefix=out/tok --vocab_size=512 --model_type=bpe". Blocks until
// training ends; sentencepiece writes <model_prefix>.model and .vocab itself. Throws Error on
// failure with sentencepiece's message.
void trainSentencePiece(const std::string& args);

} // namespace taskquant::tokenize
