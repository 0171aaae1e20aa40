#include "core/tokenize/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <memory>
#include <pcre2.h>

#include "core/jobs/cancel_point.h"
#include "core/util/error.h"
#include "core/util/utf8.h"

namespace taskquant::tokenize {
namespace {

std::string pcreMessage(int code) {
    PCRE2_UCHAR buf[256];
    if (pcre2_get_error_message(code, buf, sizeof buf) < 0)
        return "error " + std::to_string(code);
    return reinterpret_cast<const char*>(buf);
}

pcre2_code* asCode(void* p) {
    return static_cast<pcre2_code*>(p);
}

struct MatchDataDeleter {
    void operator()(pcre2_match_data* md) const { pcre2_match_data_free(md); }
};

} // namespace

Regex::Regex(const std::string& pattern, const std::string& source, bool literal)
    : pattern_(pattern), source_(source) {
    int err = 0;
    PCRE2_SIZE errOffset = 0;
    // PCRE2 refuses PCRE2_UCP together with PCRE2_LITERAL (and a literal needs no classes).
    uint32_t options = PCRE2_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP);
    if (!utf8::isValid(pattern))
        throw Error(source_, "pre-tokenizer pattern is not valid UTF-8");
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                     options, &err, &errOffset, nullptr);
    if (!code)
        throw Error(source_, "invalid pre-tokenizer regex \"" + pattern + "\": " +
                                 pcreMessage(err) + " at offset " + std::to_string(errOffset));
    code_ = code;
    jit_ = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    auto* ctx = pcre2_match_context_create(nullptr);
    if (!ctx) {
        pcre2_code_free(code);
        throw Error(source_, "out of memory compiling a pre-tokenizer regex");
    }
    // Pre-tokenizer patterns match short pieces; these limits stop a pathological pattern from
    // backtracking for minutes on hostile input.
    pcre2_set_match_limit(ctx, 50'000'000);
    pcre2_set_depth_limit(ctx, 1'000'000);
    pcre2_set_heap_limit(ctx, 256 * 1024); // KiB
    context_ = ctx;
}

Regex::~Regex() {
    pcre2_match_context_free(static_cast<pcre2_match_context*>(context_));
    pcre2_code_free(asCode(code_));
}

void Regex::findAll(std::string_view text,
                    std::vector<std::pair<std::size_t, std::size_t>>& out) const {
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> md(
        pcre2_match_data_create_from_pattern(asCode(code_), nullptr));
    if (!md)
        throw Error(source_, "out of memory matching a pre-tokenizer regex");
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    auto* ctx = static_cast<pcre2_match_context*>(context_);
    uint32_t noJit = 0;
    std::size_t offset = 0;
    for (std::size_t round = 0; offset < text.size(); ++round) {
        if (round % 65536 == 0)
            cancellationPoint(); // a long text: SIGINT / SIGTERM stop it (core/jobs/cancel_point.h)
        int rc = pcre2_match(asCode(code_), subject, text.size(), offset,
                             PCRE2_NO_UTF_CHECK | noJit, md.get(), ctx);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !noJit) {
            noJit = PCRE2_NO_JIT; // the interpreter keeps its backtracking on the heap
            continue;
        }
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            throw Error(source_, "pre-tokenizer regex \"" + pattern_ +
                                     "\" failed on the input: " + pcreMessage(rc));
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
        const std::size_t begin = ov[0], end = ov[1];
        if (end <= begin || begin < offset) {
            // An empty match (or \K trickery): step over one character and go on.
            const std::size_t at = begin > offset ? begin : offset;
            const std::size_t n = utf8::sequenceLength(text, at);
            offset = at + (n ? n : 1);
            continue;
        }
        out.emplace_back(begin, end);
        offset = end;
    }
}

} // namespace taskquant::tokenize
