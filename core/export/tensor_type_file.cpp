#include "core/export/tensor_type_file.h"

#include "core/io/atomic_file.h"

namespace taskquant::exporting {

std::string tensorTypeFileText(const GgufPlan& plan) {
    std::string out;
    for (const auto& t : plan.tensors) {
        if (t.plan.shape.size() < 2 || t.hfName.empty())
            continue;
        out += t.ggufName + "=" + io::ggmlTypeName(t.type) + "\n";
    }
    return out;
}

std::vector<std::string> exportTensorTypeFile(const std::string& modelDir,
                                              const policy::Policy& policy,
                                              const std::string& outPath) {
    const GgufPlan plan = planGguf(modelDir, policy);
    io::writeFileAtomically(outPath, tensorTypeFileText(plan));
    return plan.notes;
}

} // namespace taskquant::exporting
