<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>FisherDialog</name>
    <message>
        <source>(no model open)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GgufTypeMenu</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  (%2 bpw)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapData</name>
    <message>
        <source>score / max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log2(%1 / %2), each / its max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobRunner</name>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown image type (use .png, .svg or .pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrecisionChoice</name>
    <message>
        <source>Keep 16-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit (int8, groups of 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit (int4, groups of 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear precision</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThresholdCuts</name>
    <message>
        <source>no quantizable linear weights in this map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: keep %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore task sensitivity maps and choose per-layer precision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model directories and result files (maps, policies, error tables, frontiers, validations, task transfers).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of every view into &lt;dir&gt;, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run Fisher on the model directory given and save PNGs of the engine dialogs and the result into &lt;dir&gt;, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration data for --engine-screenshots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once the files given are loaded, save a picture of the window as &lt;png&gt;, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::EngineActions</name>
    <message numerus="yes">
        <source>Fisher map: %n sample(s) of %1</source>
        <translation>
            <numerusform>Fisher map: %n sample of %1</numerusform>
            <numerusform>Fisher map: %n samples of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Fisher map of %n tensor ready; File &gt; Save Map As… keeps it.</numerusform>
            <numerusform>Fisher map of %n tensors ready; File &gt; Save Map As… keeps it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Fisher map of %n tensor written to %1.</numerusform>
            <numerusform>Fisher map of %n tensors written to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Magnitude map of %n tensor ready; File &gt; Save Map As… keeps it.</numerusform>
            <numerusform>Magnitude map of %n tensors ready; File &gt; Save Map As… keeps it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Magnitude map of %n tensor written to %1.</numerusform>
            <numerusform>Magnitude map of %n tensors written to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n note(s), e.g. %1</source>
        <translation>
            <numerusform>; %n note, e.g. %1</numerusform>
            <numerusform>; %n notes, e.g. %1</numerusform>
        </translation>
    </message>
    <message>
        <source>E&amp;xport Quantized Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Fisher…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Magnitude…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evaluate Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the model under the current policy (open a model directory first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task-aware Fisher information of the open model on calibration data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight-magnitude map of the open model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Perplexity, KL divergence and top-1 agreement of the current policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magnitude map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluating the policy on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 MiB)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::EvaluateDialog</name>
    <message numerus="yes">
        <source>%n explicit choice(s); default %1</source>
        <translation>
            <numerusform>%n explicit choice; default %1</numerusform>
            <numerusform>%n explicit choices; default %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::EvaluationResultDialog</name>
    <message>
        <source>Policy Evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PPL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL p99</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same top-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean Δp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RMS Δp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>baseline (unquantized)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 windows, %3 scored tokens. KL divergence, same top-1 and Δp compare the policy with the unquantized model.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::ExportDialog</name>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision from the policy editor; every other tensor gets the default scheme.</source>
        <translation>
            <numerusform>%n tensor with an explicit precision from the policy editor; every other tensor gets the default scheme.</numerusform>
            <numerusform>%n tensors with an explicit precision from the policy editor; every other tensor gets the default scheme.</numerusform>
        </translation>
    </message>
    <message>
        <source>Importance matrices (*.gguf *.dat);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute it from the task data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the imatrix engine (llama-imatrix&apos;s definition) on the calibration data of the last Fisher run, then export with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Quantized Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF file (llama.cpp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safetensors directory (transformers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp tensor-type file (llama-quantize)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(policy editor&apos;s choices)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: quantize the block types importance-weighted, as llama-quantize --imatrix does</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n of them use a TaskQuant format GGUF has no type for (substituted by Q8_0 / Q4_K in a GGUF file).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default scheme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp mix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importance matrix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not GGUF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Compute it from the task data (%1, %n sample(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>known once the model&apos;s layout is read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF file %1 MiB (%2 bytes), %3 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB of weights, %2 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FisherDialog</name>
    <message>
        <source>Data files (*.jsonl *.json *.txt *.raw);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip gradient norms at percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One sample per step (the study&apos;s loop; batched gives the same scores)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run Fisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GSM8K (JSON Lines, question)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MATH (JSON Lines, problem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WikiText (raw text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (field below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain text (one sample per paragraph)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo task: %1 (embedded, no file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text field of each JSON line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: keep the map in memory only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON field:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clipping:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save map to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FrontierActions</name>
    <message>
        <source>Compute &amp;Frontier…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate &amp;Current Policy on the Frontier&apos;s Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Validate Damage Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frontier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damage Validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size-quality frontier of the open model: uniform types, llama.cpp mixes and optimal allocations evaluated on a task text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure the current policy on the frontier&apos;s task text instead of predicting it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted vs measured damage of single tensors (the damage model&apos;s check) for the heatmap&apos;s map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frontier on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Frontier of %n point(s) ready (%1 s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n budget(s) infeasible (hover for the reasons): %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 windows, %2 scored tokens, %3 parameters; %4 s. Prediction scale (measured KLD / damage): %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (no measured damage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current policy (= %1, measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluating the current policy on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current policy measured: KLD %1, %2 bpw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load frontier point %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validating the damage model at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Damage model validated on %n tensor(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FrontierDialog</name>
    <message>
        <source>Error-only family (the allocation without a map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight errors by the task&apos;s activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute Frontier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budgets of the optimal allocations in bits per weight over all parameters, comma separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: f16 and every GGUF type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choices of the optimal allocations, e.g. f16,q8_0,q4_0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maps driving an optimal family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no map open: uniform types, llama.cpp mixes and error-only only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budgets (bits/weight):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::JobRunner</name>
    <message>
        <source>Waiting for a free worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for another job using the same model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::JobsPanel</name>
    <message>
        <source>%1 h %2 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No jobs running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this job; nothing partial is written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::LiveCostController</name>
    <message>
        <source>predicted KLD ≈ %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted KLD ≈ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted damage %1 (%2, relative units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted damage %1 (relative units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, measured %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the error table</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Error table of %n tensor(s) loaded for the damage model.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the GGUF layout for live cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model has %1 M matrix weights: errors are not measured automatically; Live Cost &gt; Load Error Table… takes a `taskquant errors` table for the damage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring quantization errors for the damage model</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Errors measured: %n tensor(s); predicted damage is live.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>GGUF %1 (%2 bpw, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF %1 (%2 bpw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · predicted damage %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · predicted damage %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model directory to see the size and predicted damage of the policy while you edit it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 at %3 (%4 bpw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 since the last edit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) counted</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n without a measured error at their type</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>open a sensitivity map for the scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the measured errors (Jobs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::LiveCostPanel</name>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen GGUF type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the heatmap&apos;s cells are coloured by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour cells by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Error Table…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A `taskquant errors` table (JSON) for the predicted damage, instead of the errors measured when the model opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Error Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error tables (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::MagnitudeDialog</name>
    <message>
        <source>Divide by the parameter count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run Magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Squared L2 norm (the study&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L1 norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: keep the map in memory only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Norm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save map to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::MainWindow</name>
    <message numerus="yes">
        <source>Reading %n map(s)</source>
        <translation>
            <numerusform>Reading %n map</numerusform>
            <numerusform>Reading %n maps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened %n map(s).</source>
        <translation>
            <numerusform>Opened %n map.</numerusform>
            <numerusform>Opened %n maps.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n explicit precision choice(s); default %1.</source>
        <translation>
            <numerusform>%n explicit precision choice; default %1.</numerusform>
            <numerusform>%n explicit precision choices; default %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>The policy has unsaved edits. Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policies (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A llama.cpp mix is chosen from the model&apos;s tensors: open a model directory first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choosing llama.cpp&apos;s %1 mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply llama.cpp mix %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Applied llama.cpp&apos;s %1 mix to %n tensor(s) (%2 shape fallback(s)); Undo restores the policy.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Live Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted damage (KL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply llama.cpp &amp;Mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp Mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fisher vs Magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task Diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Model Directory…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Model Directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TaskQuant files: maps, policies, error tables, frontiers, validations, task transfers (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;Map As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;Precision of Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear &amp;Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Normalise Scores to Maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;TaskQuant Studio&lt;/b&gt; %1&lt;br&gt;Task-aware sensitivity maps and mixed-precision policies for language models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading model directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a map first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimal allocation at %1 bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise to %1 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open or compute a map first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded policy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Loading %n policy file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy file(s); current: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frontier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damage validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task KLD vs size: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task KLD vs size: %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; model %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; maps %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; text %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Points cannot be loaded into the editor (the file has no policies); compute the frontier for that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (opened from %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Opened frontier %1 (%n point(s)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened damage validation %1 (%n tensor(s)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Choosing the start policy (Q4_K_M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp Q4_K_M (start policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Start policy: llama.cpp&apos;s Q4_K_M mix for this model (%n tensor(s)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Workflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;From a model to a task-aware GGUF&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;ol&gt;&lt;li&gt;File &amp;gt; Open Model Directory (Ctrl+Shift+O): the editor starts from llama.cpp&apos;s Q4_K_M for the model; the Live Cost dock shows size and damage.&lt;/li&gt;&lt;li&gt;Analysis &amp;gt; Run Fisher… on your task&apos;s data (or File &amp;gt; Open… the maps &lt;code&gt;taskquant fisher&lt;/code&gt; wrote), and Run Magnitude… for comparison.&lt;/li&gt;&lt;li&gt;Read the maps: Heatmap, Fisher vs Magnitude, Task Diff, Regions.&lt;/li&gt;&lt;li&gt;Analysis &amp;gt; Compute Frontier… (Ctrl+Shift+F): uniform types, llama.cpp mixes and optimal allocations on the task; click a point to load its policy.&lt;/li&gt;&lt;li&gt;Edit the policy (heatmap: drag or arrows + Space; Policy tab), watch its cost, Evaluate Policy… and Validate Damage Model…&lt;/li&gt;&lt;li&gt;File &amp;gt; Save Policy (Ctrl+S) and Export Quantized Model… (Ctrl+Shift+E): GGUF for llama.cpp.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;The same on the command line: &lt;code&gt;taskquant demo&lt;/code&gt; runs all of it on the embedded demo model and opens the result here.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;The README describes every step.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Every step in detail: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;README</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Opened task transfer %1 (%n cell(s)).</source>
        <translation>
            <numerusform>Opened task transfer %1 (%n cell).</numerusform>
            <numerusform>Opened task transfer %1 (%n cells).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimal allocation within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 GGUF tensor bytes (%3 bits per weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no error table, proxy error 2^(-2*bits) x map score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted KL of the damage model (error table)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score-weighted error of the error table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimised within %1 by %3: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::MessageBar</name>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::PathField</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose Destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose Destination Directory</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::ProjectPanel</name>
    <message numerus="yes">
        <source>%1&lt;br&gt;architecture: %2, %n layer(s), %3 weight file(s)</source>
        <translation>
            <numerusform>%1&lt;br&gt;architecture: %2, %n layer, %3 weight file</numerusform>
            <numerusform>%1&lt;br&gt;architecture: %2, %n layers, %3 weight files</numerusform>
        </translation>
    </message>
    <message>
        <source>No model directory open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magnitude (scatter):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with (diff):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::TaskFields</name>
    <message>
        <source>Data files (*.jsonl *.json *.txt *.raw);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GSM8K (JSON Lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MATH (JSON Lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WikiText (raw text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (field below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo task: %1 (no file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text field of each JSON line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task text kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task text file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON field:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::ValidateDialog</name>
    <message>
        <source>Weight errors by the task&apos;s activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate Damage Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each tested tensor alone is stored at this type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test the N tensors with the largest predicted damage (one evaluation each), or all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors (largest damage):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::FrontierPointModel</name>
    <message>
        <source>Size: %1 MiB, %2 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KLD: %1 (p99 %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PPL: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same top-1: %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;measured on the task text&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KLD: %1 (predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KLD: not predicted (types without measured errors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PPL, top-1: not measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;predicted by the damage model; Evaluate measures it&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KLD mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PPL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same top-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::FrontierView</name>
    <message>
        <source>Compute Frontier…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate Current Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Plot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate uniform types, llama.cpp mixes and the optimal allocations on a task text (a job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure the current policy on the frontier&apos;s task text instead of predicting it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the plot as PNG, SVG or PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight (all parameters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean KL divergence per token (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No frontier yet: Analysis &gt; Compute Frontier… (with a model directory open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current policy (measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current policy (predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current policy (not predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current policy: %1 bpw, KLD %2, measured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current policy: %1 bpw, KLD %2 &lt;i&gt;predicted&lt;/i&gt; by the damage model (scaled to the measured points); Evaluate measures it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current policy: %1 bpw; its KLD is &lt;i&gt;not predicted&lt;/i&gt;: some tensors use types without measured errors (choose the frontier&apos;s types, or Evaluate to measure it). Drawn on the axis floor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hover a point for its numbers; click one to load its policy (Edit &gt; Undo takes it back).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current (not predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current (measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current (predicted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;Click to load this policy into the editor.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::HeatmapCanvas</name>
    <message numerus="yes">
        <source>&lt;i&gt;and %n more tensor(s) in this cell&lt;/i&gt;</source>
        <translation>
            <numerusform>&lt;i&gt;and %n more tensor in this cell&lt;/i&gt;</numerusform>
            <numerusform>&lt;i&gt;and %n more tensors in this cell&lt;/i&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a (a score is 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a sensitivity map (File &gt; Open Map) or drop one here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::HeatmapView</name>
    <message>
        <source>Normalise to maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit to window (Ctrl+0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show scores divided by the map&apos;s largest score</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::MapListModel</name>
    <message>
        <source>map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, unsaved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2, unsaved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(flat map)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::PolicyEditor</name>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision; others use %1.</source>
        <translation>
            <numerusform>%n tensor with an explicit precision; others use %1.</numerusform>
            <numerusform>%n tensors with an explicit precision; others use %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) without a known shape are not counted (open the model directory to get them).</source>
        <translation>
            <numerusform>%n tensor without a known shape is not counted (open the model directory to get them).</numerusform>
            <numerusform>%n tensors without a known shape are not counted (open the model directory to get them).</numerusform>
        </translation>
    </message>
    <message>
        <source>Only explicit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter parameters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average bits per weight of the block linear weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose 16, 8 or 4 bits per tensor to minimise the score-weighted quantization error within the budget (exact allocator)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live cost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No map open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated size %1 of %2 unquantized (%3 %), %4 bits per weight on average.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight: the GGUF file&apos;s tensor bytes x 8 / all parameters, as llama.cpp counts them. MiB: 1,048,576 bytes of GGUF tensor data. Either becomes an exact byte budget for the file, as `taskquant policy --method optimal --budget-bytes` takes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a precision for every tensor of the model&apos;s GGUF file, embedding and output included, to minimise the predicted damage within the budget: the allocator of `taskquant policy --method optimal` and of the frontier. With an error table it minimises the damage model&apos;s predicted KL; without one it weights the proxy error 2^(-2*bits) by the map&apos;s scores.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::PolicyModel</name>
    <message numerus="yes">
        <source>Set %n tensor(s) to %1</source>
        <translation>
            <numerusform>Set %n tensor to %1</numerusform>
            <numerusform>Set %n tensors to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::PrecisionDelegate</name>
    <message>
        <source>(policy default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not GGUF)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::RankShiftModel</name>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log2(%1 / %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::RegionsView</name>
    <message>
        <source>Apply to Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threshold method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor rank (most sensitive first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the tensors left of the cut at 16-bit, quantize the other block weights to 4-bit (one undo step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no threshold methods available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::ScatterView</name>
    <message numerus="yes">
        <source>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor(s))</source>
        <translation>
            <numerusform>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor)</numerusform>
            <numerusform>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensors)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n with a zero score not drawn</source>
        <translation>
            <numerusform>; %n with a zero score not drawn</numerusform>
            <numerusform>; %n with a zero score not drawn</numerusform>
        </translation>
    </message>
    <message>
        <source>Error bars (bootstrap intervals of the Fisher scores)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw each tensor&apos;s bootstrap confidence interval (the map&apos;s &quot;uncertainty&quot;; Fisher maps computed with --bootstrap have it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magnitude score (squared L2 norm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fisher score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a Fisher map and a magnitude map of the same model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rank not stable (P &lt; 0.9 to stay in the top %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unstable rank P=%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Fisher %2 (rank %3)&lt;br&gt;magnitude %4 (rank %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;%1 % interval [%2, %3] (%4 bootstrap resamples of %5 samples)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;rank not stable&lt;/b&gt;: P(stays in the top %1) = %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;P(stays in the top %1) = %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::TaskDiffView</name>
    <message>
        <source>Tensor rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::TensorTableModel</name>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 = most sensitive tensor of the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of tensors whose score is at most this one&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explicit precision chosen for this tensor (empty: policy default)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::ValidationRowModel</name>
    <message>
        <source>Tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted KL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured KL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>± (measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misprediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log(measured / (scale × predicted)); 0 = predicted exactly after scaling</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::ValidationView</name>
    <message>
        <source>measured = predicted (y = x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate Damage Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize each tensor alone and compare the measured KL with the damage model&apos;s prediction (a job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted damage ½·score·SSE (map units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured KL divergence per token, tensor alone quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No validation yet: open a model and a map, then Analysis &gt; Validate Damage Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tensors alone at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured = %1 × predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Predicted vs measured damage at %1: Spearman ρ = %2 (%n tensor(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Map %1; %2; unweighted ρ = %3; additivity (whole / sum of single) = %4; %5 windows, %6 tokens, %7 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>errors weighted by the task&apos;s activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plain squared errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; at %2&lt;br&gt;predicted %3&lt;br&gt;measured %4 ± %5&lt;br&gt;misprediction %6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::studio::TransferActions</name>
    <message>
        <source>Compute Task &amp;Transfer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does a policy built for a task keep that task better than other policies of the same size? Every policy evaluated on every task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute Task Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One task per line: NAME=KIND:PATH (gsm8k, math, wikitext, jsonl, text) or NAME=KIND for the generated demo tasks (arithmetic, algebra, stories)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (e.g. wikitext:wiki.test.raw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budgets in bits per weight, comma separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp&apos;s nearest mix, with each task&apos;s importance matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General text:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budgets (bpw):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration samples per task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out samples per task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows per task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer problems per task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task transfer on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Task transfer ready: %n cell(s).</source>
        <translation>
            <numerusform>Task transfer ready: %n cell.</numerusform>
            <numerusform>Task transfer ready: %n cells.</numerusform>
        </translation>
    </message>
    <message>
        <source>Load task-transfer policy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task transfer: %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 windows, %3 tokens%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 answer problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out text per task: %1; windows of %2 tokens; %3 parameters; %4 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened from %1; model %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::TransferMatrixModel</name>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size (KB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean KL divergence per token against the unquantized model on the held-out text of this task, with its bootstrap 95 % interval over windows (lower is better); below it, where the task has answers, the exact-answer accuracy of greedy generation with its Wilson 95 % interval. White: the task&apos;s best policy; red: its worst. Click a row to load its policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The task whose calibration text the policy was built from, &quot;mixed&quot; (all tasks&apos; text), &quot;general&quot; (general text) or a llama.cpp mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 at %3 bpw
KLD %4 (95 % interval %5 to %6), p99 %7
same top-1 token %8 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
exact answers %1 % (95 % interval %2 to %3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
(the policy built for this task)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views::TransferView</name>
    <message>
        <source>Compute Task Transfer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build each task&apos;s own policy, a mixed one and llama.cpp&apos;s mix at equal sizes and evaluate every policy on every task (a job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The size budget the matrix shows (bits per weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No task transfer yet: Analysis &gt; Compute Task Transfer…, or open a transfer JSON (taskquant transfer --out).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bpw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
    </message>
</context>
<context>
    <name>Optimise</name>
    <message>
        <source>The budget must be a positive number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The budget is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimise: no map open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The budget of %1 (%2 GGUF tensor bytes) is below the smallest size these precisions reach: %3 (%4 bytes).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
