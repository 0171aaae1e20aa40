#include "core/data/synthetic_tasks.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_set>
#include <utility>

#include "core/data/sampling.h"
#include "core/util/error.h"

namespace taskquant::data {

namespace {

// Inclusive range [lo, hi].
int pick(SplitMix64& rng, int lo, int hi) {
    return lo + static_cast<int>(rng.below(static_cast<uint64_t>(hi - lo + 1)));
}
template <class T> const T& pickOf(SplitMix64& rng, const std::vector<T>& v) {
    return v[rng.below(v.size())];
}
int nonZero(SplitMix64& rng, int maxAbs) {
    const int v = pick(rng, 1, maxAbs);
    return rng.below(2) ? v : -v;
}
std::string num(long long v) {
    return std::to_string(v);
}
std::string paren(long long v) {
    return v < 0 ? "(" + num(v) + ")" : num(v);
}

// ---- arithmetic ---------------------------------------------------------------------------

struct Person {
    const char* name;
    const char* pronoun;
};
const std::vector<Person> kPeople{{"Mia", "She"},  {"Tom", "He"},  {"Ava", "She"},  {"Leo", "He"},
                                  {"Emma", "She"}, {"Noah", "He"}, {"Zoe", "She"},  {"Sam", "He"},
                                  {"Lily", "She"}, {"Ben", "He"},  {"Nora", "She"}, {"Jack", "He"},
                                  {"Ruby", "She"}, {"Omar", "He"}, {"Ella", "She"}, {"Max", "He"}};
const std::vector<std::string> kFriends{"Anna", "Carl", "Dina", "Eric",
                                        "Fay",  "Gus",  "Hana", "Ivan"};
const std::vector<std::string> kObjects{"apples", "pencils", "marbles", "stickers",
                                        "books",  "cookies", "coins",   "cards",
                                        "shells", "stamps",  "beads",   "candies"};
const std::vector<std::pair<std::string, std::string>> kContainers{
    {"box", "boxes"}, {"bag", "bags"}, {"jar", "jars"}, {"pack", "packs"}};

enum class Op { Add, Sub, Mul, Div };

struct Line {
    long long a, b, r;
    char op;
};

SyntheticProblem arithmeticProblem(SplitMix64& rng, int steps) {
    const Person& p = pickOf(rng, kPeople);
    const std::string name = p.name, pro = p.pronoun;
    const std::string& obj = pickOf(rng, kObjects);
    std::string q;
    std::vector<Line> lines;
    long long s = 0;
    int ops = steps;
    if (rng.below(4) == 0) { // a multiplication start counts as a step
        const auto& [box, boxes] = pickOf(rng, kContainers);
        const int a = pick(rng, 2, 6), b = pick(rng, 2, 10);
        s = static_cast<long long>(a) * b;
        q = name + " buys " + num(a) + " " + boxes + " of " + obj + " with " + num(b) + " " + obj +
            " in each " + box + ".";
        lines.push_back({a, b, s, 'x'});
        --ops;
    } else {
        s = pick(rng, 2, 20);
        q = name + " has " + num(s) + " " + obj + ".";
    }
    for (int i = 0; i < ops; ++i) {
        std::vector<Op> feasible{Op::Add};
        if (s >= 3)
            feasible.push_back(Op::Sub);
        if (s <= 30)
            feasible.push_back(Op::Mul);
        for (int k = 2; k <= 5; ++k)
            if (s % k == 0 && s / k >= 2) {
                feasible.push_back(Op::Div);
                break;
            }
        const Op op = pickOf(rng, feasible);
        std::string sentence;
        if (op == Op::Add) {
            const int b = pick(rng, 2, 20);
            switch (rng.below(3)) {
            case 0:
                sentence = pro + " buys " + num(b) + " more " + obj + ".";
                break;
            case 1:
                sentence = pro + " finds " + num(b) + " more " + obj + ".";
                break;
            default:
                sentence =
                    pickOf(rng, kFriends) + " gives " + name + " " + num(b) + " more " + obj + ".";
            }
            lines.push_back({s, b, s + b, '+'});
            s += b;
        } else if (op == Op::Sub) {
            const int b = pick(rng, 2, static_cast<int>(std::min<long long>(s - 1, 20)));
            switch (rng.below(3)) {
            case 0:
                sentence =
                    pro + " gives " + num(b) + " " + obj + " to " + pickOf(rng, kFriends) + ".";
                break;
            case 1:
                sentence = pro + " loses " + num(b) + " " + obj + ".";
                break;
            default:
                sentence = pro + " sells " + num(b) + " " + obj + ".";
            }
            lines.push_back({s, b, s - b, '-'});
            s -= b;
        } else if (op == Op::Mul) {
            const int k = pick(rng, 2, 5);
            sentence = pro + " ends up with " + num(k) + " times as many " + obj + " as before.";
            lines.push_back({s, k, s * k, 'x'});
            s *= k;
        } else {
            std::vector<int> ks;
            for (int k = 2; k <= 5; ++k)
                if (s % k == 0 && s / k >= 2)
                    ks.push_back(k);
            const int k = pickOf(rng, ks);
            sentence = pro + " splits the " + obj + " into " + num(k) +
                       " equal groups and keeps one group.";
            lines.push_back({s, k, s / k, '/'});
            s /= k;
        }
        q += " " + sentence;
    }
    q += " How many " + obj + " does " + name + " have now?";
    SyntheticProblem out;
    out.question = q;
    for (const auto& l : lines)
        out.solution += num(l.a) + " " + l.op + " " + num(l.b) + " = " + num(l.r) + "\n";
    out.answer = num(s);
    out.solution += "Answer: " + out.answer;
    out.kind = num(steps) + "-step";
    return out;
}

// ---- algebra ------------------------------------------------------------------------------

// A sum of terms c * var written as people write it: "3x", "x", "-x"; " + 2y", " - y"; zero
// terms dropped; constants have var "". All zero gives "0".
std::string terms(const std::vector<std::pair<long long, std::string>>& ts,
                  bool keepZeros = false) {
    std::string s;
    for (const auto& [c, var] : ts) {
        if (c == 0 && !keepZeros)
            continue;
        const long long m = std::llabs(c);
        const std::string body = var.empty() ? num(m) : (m == 1 ? var : num(m) + var);
        if (s.empty())
            s = (c < 0 ? "-" : "") + body;
        else
            s += (c < 0 ? " - " : " + ") + body;
    }
    return s.empty() ? "0" : s;
}

// "3x + 5" -> " + 3x + 5", "-x + 5" -> " - x + 5": a sum that continues an expression.
std::string continued(const std::string& sum) {
    return sum[0] == '-' ? " - " + sum.substr(1) : " + " + sum;
}

SyntheticProblem linearProblem(SplitMix64& rng) {
    SyntheticProblem out;
    out.kind = "linear";
    const int x = pick(rng, -10, 10), b = nonZero(rng, 20);
    if (rng.below(2) == 0) { // a x + b = c
        const int a = pick(rng, 2, 9);
        const long long c = static_cast<long long>(a) * x + b;
        out.question = "Solve for x: " + terms({{a, "x"}, {b, ""}}) + " = " + num(c) + ".";
        out.solution = num(a) + "x = " + num(c) + (b > 0 ? " - " : " + ") + num(std::abs(b)) +
                       " = " + num(c - b) + "\nx = " + num(c - b) + " / " + num(a) + " = " +
                       num(x) + "\n";
    } else { // a x + b = c x + d with a > c
        const int c = pick(rng, 1, 8), a = pick(rng, c + 1, 9);
        const long long d = static_cast<long long>(a - c) * x + b;
        out.question =
            "Solve for x: " + terms({{a, "x"}, {b, ""}}) + " = " + terms({{c, "x"}, {d, ""}}) + ".";
        out.solution = terms({{a, "x"}, {-c, "x"}}, true) + " = " +
                       terms({{d, ""}, {-b, ""}}, true) + "\n" + terms({{a - c, "x"}}) + " = " +
                       num(d - b) + "\n";
        if (a - c != 1)
            out.solution += "x = " + num(d - b) + " / " + num(a - c) + " = " + num(x) + "\n";
    }
    out.answer = "x = " + num(x);
    out.solution += "Answer: " + out.answer;
    return out;
}

SyntheticProblem systemProblem(SplitMix64& rng) {
    int a1, b1, a2, b2;
    long long D;
    do {
        a1 = pick(rng, 1, 6);
        b1 = nonZero(rng, 6);
        a2 = nonZero(rng, 6);
        b2 = nonZero(rng, 6);
        D = static_cast<long long>(a1) * b2 - static_cast<long long>(a2) * b1;
    } while (D == 0);
    const int x = pick(rng, -9, 9), y = pick(rng, -9, 9);
    const long long c1 = static_cast<long long>(a1) * x + static_cast<long long>(b1) * y;
    const long long c2 = static_cast<long long>(a2) * x + static_cast<long long>(b2) * y;
    SyntheticProblem out;
    out.kind = "system";
    out.question = "Solve the system: " + terms({{a1, "x"}, {b1, "y"}}) + " = " + num(c1) +
                   " and " + terms({{a2, "x"}, {b2, "y"}}) + " = " + num(c2) + ".";
    out.solution = "D = " + num(a1) + " * " + paren(b2) + " - " + paren(a2) + " * " + paren(b1) +
                   " = " + num(D) + "\n";
    out.solution += "x = (" + num(c1) + " * " + paren(b2) + " - " + paren(c2) + " * " + paren(b1) +
                    ") / " + paren(D) + " = " + num(x * D) + " / " + paren(D) + " = " + num(x) +
                    "\n";
    out.solution += "y = (" + num(a1) + " * " + paren(c2) + " - " + paren(a2) + " * " + paren(c1) +
                    ") / " + paren(D) + " = " + num(y * D) + " / " + paren(D) + " = " + num(y) +
                    "\n";
    out.answer = "x = " + num(x) + ", y = " + num(y);
    out.solution += "Answer: " + out.answer;
    return out;
}

SyntheticProblem expandProblem(SplitMix64& rng) {
    const int a = pick(rng, 1, 4), b = nonZero(rng, 9), c = pick(rng, 1, 4), d = nonZero(rng, 9);
    SyntheticProblem out;
    out.kind = "expand";
    out.question =
        "Expand (" + terms({{a, "x"}, {b, ""}}) + ")(" + terms({{c, "x"}, {d, ""}}) + ").";
    out.solution = terms({{a * c, "x^2"}, {a * d, "x"}, {b * c, "x"}, {b * d, ""}}, true) + "\n";
    out.answer = terms({{a * c, "x^2"}, {a * d + b * c, "x"}, {b * d, ""}});
    out.solution += "Answer: " + out.answer;
    return out;
}

SyntheticProblem simplifyProblem(SplitMix64& rng) {
    const int k = pick(rng, 2, 6), a = pick(rng, 1, 5), b = nonZero(rng, 9);
    const int c = nonZero(rng, 9), d = nonZero(rng, 9);
    SyntheticProblem out;
    out.kind = "simplify";
    out.question = "Simplify " + num(k) + "(" + terms({{a, "x"}, {b, ""}}) + ")" +
                   continued(terms({{c, "x"}, {d, ""}})) + ".";
    out.solution = terms({{k * a, "x"}, {k * b, ""}, {c, "x"}, {d, ""}}, true) + "\n";
    out.answer = terms({{k * a + c, "x"}, {k * b + d, ""}});
    out.solution += "Answer: " + out.answer;
    return out;
}

// ---- stories ------------------------------------------------------------------------------

const std::vector<std::string> kTowns{"Oakford",    "Riverton",   "Maplewood", "Stonebridge",
                                      "Willowdale", "Brookfield", "Pinehill",  "Seaview",
                                      "Redcliff",   "Greenvale",  "Fairport",  "Moonlake"};
const std::vector<std::string> kColors{"red",    "blue",  "green", "yellow", "purple",
                                       "orange", "white", "black", "pink",   "brown"};
const std::vector<std::string> kThings{"kite",  "bicycle", "hat",  "ball", "umbrella",
                                       "scarf", "boat",    "drum", "lamp", "basket"};
const std::vector<std::string> kPets{"cat", "dog", "rabbit", "parrot", "turtle", "horse"};
const std::vector<std::string> kPetNames{"Pip",  "Rex",   "Bella", "Toby",  "Luna",  "Milo",
                                         "Coco", "Daisy", "Bruno", "Olive", "Sunny", "Ziggy"};
const std::vector<std::string> kPlaces{"the park",  "the market", "the river",  "the library",
                                       "the beach", "the forest", "the bakery", "the hill"};
const std::vector<std::string> kFeelings{"happy", "sad",   "tired",  "excited", "angry",
                                         "calm",  "proud", "scared", "hungry",  "bored"};
const std::vector<std::string> kWeather{"sunny", "rainy", "windy", "cold", "warm", "cloudy"};

SyntheticProblem storyProblem(SplitMix64& rng, int kind) {
    const Person& p = pickOf(rng, kPeople);
    const std::string name = p.name, pro = p.pronoun;
    const std::string poss = pro == "She" ? "her" : "his";
    const std::string& town = pickOf(rng, kTowns);
    const std::string& color = pickOf(rng, kColors);
    const std::string& thing = pickOf(rng, kThings);
    const std::string& pet = pickOf(rng, kPets);
    const std::string& petName = pickOf(rng, kPetNames);
    const std::string& place = pickOf(rng, kPlaces);
    const std::string& weather = pickOf(rng, kWeather);
    std::string friendName;
    do
        friendName = pickOf(rng, kFriends);
    while (friendName == name);
    const std::string& feeling = pickOf(rng, kFeelings);

    const std::string sTown = name + " lived in a small town called " + town + ".";
    const std::string sThing = name + " had a " + color + " " + thing + ".";
    const std::string sPet = name + " had a " + pet + " called " + petName + ".";
    const std::string sWalk = "One " + weather + " morning " + name + " took the " + thing +
                              " and went to " + place + " with " + petName + ".";
    const std::string sFriend = "There " + name + " met " + friendName + ".";
    const std::string sFeel = friendName + " was " + feeling + " that day.";
    const std::string sEnd = "They played until the evening, and then " + name +
                             " walked home with " + poss + " " + pet + ".";
    // The fact sentences in one of a few orders, so position alone does not give the answer.
    std::vector<std::string> facts{sTown, sThing, sPet};
    for (std::size_t i = facts.size(); i > 1; --i)
        std::swap(facts[i - 1], facts[rng.below(i)]);
    std::string story;
    for (const auto& f : facts)
        story += (story.empty() ? "" : " ") + f;
    story += " " + sWalk + " " + sFriend + " " + sFeel + " " + sEnd;

    SyntheticProblem out;
    std::string q, evidence;
    switch (kind % 5) {
    case 0:
        out.kind = "town";
        q = "In which town did " + name + " live?";
        evidence = sTown;
        out.answer = town;
        break;
    case 1:
        out.kind = "color";
        q = "What color was " + name + "'s " + thing + "?";
        evidence = sThing;
        out.answer = color;
        break;
    case 2:
        out.kind = "pet";
        q = "What was the name of " + name + "'s " + pet + "?";
        evidence = sPet;
        out.answer = petName;
        break;
    case 3:
        out.kind = "friend";
        q = "Who did " + name + " meet at " + place + "?";
        evidence = sFriend;
        out.answer = friendName;
        break;
    default:
        out.kind = "feeling";
        q = "How did " + friendName + " feel that day?";
        evidence = sFeel;
        out.answer = feeling;
    }
    out.question = story + " Question: " + q;
    out.solution = evidence + "\nAnswer: " + out.answer;
    return out;
}

// ---- lookup (in-context retrieval: attention) and facts (memorised recall: MLPs) -----------

const std::vector<std::string> kLookupKeys{"fox", "owl", "bee", "elk", "yak", "ant", "cow", "eel",
                                           "hen", "pig", "rat", "bat", "cod", "emu", "gnu", "jay",
                                           "koi", "ram", "ape", "asp", "boa", "cat", "dog", "ewe"};

std::string twoDigits(int v) {
    return num(v / 10) + " " + num(v % 10);
}

// A table of 8 animal codes (random two-digit codes, written digit by digit) and 4 of its keys
// asked back in random order: every answer digit has to be copied from earlier in the context.
SyntheticProblem lookupProblem(SplitMix64& rng) {
    std::vector<std::size_t> keys(kLookupKeys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        keys[i] = i;
    for (std::size_t i = keys.size(); i > 1; --i)
        std::swap(keys[i - 1], keys[rng.below(i)]);
    keys.resize(8);
    std::vector<int> codes;
    std::string q = "Codes:";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        codes.push_back(pick(rng, 10, 99));
        q += std::string(i ? "," : "") + " " + kLookupKeys[keys[i]] + " " + twoDigits(codes[i]);
    }
    std::vector<std::size_t> asked{0, 1, 2, 3, 4, 5, 6, 7};
    for (std::size_t i = asked.size(); i > 1; --i)
        std::swap(asked[i - 1], asked[rng.below(i)]);
    asked.resize(4);
    q += ". Find:";
    SyntheticProblem out;
    out.kind = "lookup";
    for (std::size_t i = 0; i < asked.size(); ++i) {
        q += std::string(i ? "," : "") + " " + kLookupKeys[keys[asked[i]]];
        out.solution += kLookupKeys[keys[asked[i]]] + " " + twoDigits(codes[asked[i]]) + "\n";
        out.answer += (i ? " " : "") + num(codes[asked[i]]);
    }
    out.question = q + ".";
    out.solution += "Answer: " + out.answer;
    return out;
}

// The facts table: 64 made-up places, each with a fixed two-digit number. It is the same for
// every seed (a model learns it in its weights), so recalling a number needs no context but the
// place's name.
struct Fact {
    std::string place;
    int number;
};
const std::vector<Fact>& factsTable() {
    static const std::vector<Fact> table = [] {
        const std::vector<std::string> a{"Bal", "Dor", "Fen", "Gil", "Hom", "Kar", "Lun", "Mir"};
        const std::vector<std::string> b{"ad", "ek", "is", "om", "ur", "av", "el", "ot"};
        std::vector<Fact> t;
        SplitMix64 rng(0x66616374735f7631ull); // fixed: the table is the task, not the sample
        for (const auto& x : a)
            for (const auto& y : b)
                t.push_back({x + y, pick(rng, 10, 99)});
        return t;
    }();
    return table;
}

// Six facts of the table recited ("Balad is 47."), then one asked: recall from the weights.
SyntheticProblem factsProblem(SplitMix64& rng) {
    const auto& table = factsTable();
    std::vector<std::size_t> idx;
    while (idx.size() < 7) {
        const std::size_t i = rng.below(table.size());
        if (std::find(idx.begin(), idx.end(), i) == idx.end())
            idx.push_back(i);
    }
    std::string q = "Facts:";
    for (std::size_t i = 0; i + 1 < idx.size(); ++i)
        q += " " + table[idx[i]].place + " is " + twoDigits(table[idx[i]].number) + ".";
    const Fact& f = table[idx.back()];
    SyntheticProblem out;
    out.kind = "facts";
    out.question = q + " What is " + f.place + "?";
    out.answer = num(f.number);
    out.solution = f.place + " is " + twoDigits(f.number) + ".\nAnswer: " + out.answer;
    return out;
}

uint64_t fnv1a(const std::string& s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char ch : s) {
        h ^= ch;
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

std::string syntheticTaskName(SyntheticTask task) {
    switch (task) {
    case SyntheticTask::Arithmetic:
        return "arithmetic";
    case SyntheticTask::Algebra:
        return "algebra";
    case SyntheticTask::Lookup:
        return "lookup";
    case SyntheticTask::Facts:
        return "facts";
    default:
        return "stories";
    }
}

SyntheticTask parseSyntheticTask(const std::string& name) {
    if (name == "arithmetic")
        return SyntheticTask::Arithmetic;
    if (name == "algebra")
        return SyntheticTask::Algebra;
    if (name == "stories")
        return SyntheticTask::Stories;
    if (name == "lookup")
        return SyntheticTask::Lookup;
    if (name == "facts")
        return SyntheticTask::Facts;
    throw Error("unknown synthetic task \"" + name +
                "\" (choose arithmetic, algebra, stories, lookup or facts)");
}

bool questionInTestSplit(const std::string& question) {
    SplitMix64 mix(fnv1a(question)); // one SplitMix64 step as a bit mixer
    return mix.next() % 8 == 0;
}

std::vector<SyntheticProblem> generateProblems(SyntheticTask task, SyntheticSplit split,
                                               std::size_t count, uint64_t seed, int steps) {
    if (task == SyntheticTask::Arithmetic && (steps < 0 || steps > 3))
        throw Error("arithmetic problems have 1, 2 or 3 steps (0 for a mix), not " + num(steps));
    if (task != SyntheticTask::Arithmetic && steps != 0)
        throw Error(syntheticTaskName(task) + " problems have no step count");
    // Separate streams for the tasks and splits, so that changing one leaves the others.
    const uint64_t stream = seed * 4 + (task == SyntheticTask::Algebra ? 2 : 0) +
                            (split == SyntheticSplit::Test ? 1 : 0);
    const uint64_t salt = task == SyntheticTask::Stories  ? 0x73746f7269657321ull
                          : task == SyntheticTask::Lookup ? 0x6c6f6f6b75702121ull
                          : task == SyntheticTask::Facts  ? 0x6661637473212121ull
                                                          : 0;
    SplitMix64 rng(stream ^ salt);
    const bool wantTest = split == SyntheticSplit::Test;
    std::vector<SyntheticProblem> out;
    out.reserve(count);
    std::unordered_set<std::string> seen;
    const std::size_t maxAttempts = count * 200 + 1000;
    for (std::size_t attempt = 0; out.size() < count; ++attempt) {
        if (attempt >= maxAttempts)
            throw Error("cannot generate " + num(static_cast<long long>(count)) + " distinct " +
                        syntheticTaskName(task) + " problems for this split");
        const std::size_t i = out.size();
        SyntheticProblem p;
        if (task == SyntheticTask::Arithmetic) {
            p = arithmeticProblem(rng, steps > 0 ? steps : static_cast<int>(i % 3) + 1);
        } else if (task == SyntheticTask::Stories) {
            p = storyProblem(rng, static_cast<int>(i % 5));
        } else if (task == SyntheticTask::Lookup) {
            p = lookupProblem(rng);
        } else if (task == SyntheticTask::Facts) {
            p = factsProblem(rng);
        } else {
            switch (i % 4) {
            case 0:
                p = linearProblem(rng);
                break;
            case 1:
                p = systemProblem(rng);
                break;
            case 2:
                p = expandProblem(rng);
                break;
            default:
                p = simplifyProblem(rng);
            }
        }
        if (questionInTestSplit(p.question) != wantTest)
            continue;
        if (!seen.insert(p.question).second)
            continue;
        out.push_back(std::move(p));
    }
    return out;
}

std::string extractAnswer(const std::string& text) {
    const std::string key = "Answer:";
    const auto pos = text.find(key);
    if (pos == std::string::npos)
        return "";
    auto begin = pos + key.size();
    auto end = text.find('\n', begin);
    if (end == std::string::npos)
        end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
        --end;
    return text.substr(begin, end - begin);
}

} // namespace taskquant::data
